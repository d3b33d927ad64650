"""The Zensical site in a real browser, served with the endpoint: axe on every page type,
the keyboard basics, 320 px, and answering a consultation (as tests/pelican does, with
Material's markup, which Zensical writes)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support import axe_violations, describe, horizontal_overflow, unfocused_stops

pytestmark = pytest.mark.e2e

PAGE_TYPES = {
    "home": "/",
    "consultations index": "/consultations/",
    "consultation with form": "/consultations/smart-parking-sensors/",
    "closed consultation": "/consultations/air-quality-sensors-schools/",
    "outcome published": "/consultations/riverside-park-climate-plan/",
    "programme": "/programme/",
    "enquiry form": "/programme/enquire/",
    "staff page": "/privacy/",
    "datasets catalogue": "/datasets/",
    "dataset": "/datasets/uk-digital-skills-gap/",
    "shell": "/_portal/page/",
}
CONSULTATION = "/consultations/smart-parking-sensors/"


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_type_passes_axe(zensical_server: Any, page: Any, path: str) -> None:
    response = page.goto(zensical_server.url + path)
    assert response is not None and response.status == 200, path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip()
    assert page.locator("main").count() == 1
    if path != "/_portal/page/":  # the endpoint's content brings the shell's heading
        assert page.locator("h1").count() == 1, "exactly one main heading"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_not_found_page(zensical_server: Any, page: Any) -> None:
    response = page.goto(zensical_server.url + "/no-such-page/deeper/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # Its links start from the root, so they work at any depth.
    home = page.get_by_role("link", name="Go to the home page of Northbridge Participation Portal")
    assert home.get_attribute("href") == "/"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_skip_link_is_first_and_shown_on_focus(zensical_server: Any, page: Any) -> None:
    page.goto(zensical_server.url + CONSULTATION)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), visible: box.top >= 0 && box.height > 0,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
    }""")
    assert focused == {"text": "Skip to content", "visible": True, "outline": True}
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_keyboard_focus_is_always_visible(zensical_server: Any, page: Any) -> None:
    page.goto(zensical_server.url + CONSULTATION)
    hidden = unfocused_stops(page, 30)
    assert hidden == []


def test_current_section_is_marked(zensical_server: Any, page: Any) -> None:
    page.goto(zensical_server.url + "/programme/enquire/")
    current = page.locator(".md-nav--primary a.md-nav__link--active")
    assert current.count() == 1 and current.inner_text().strip() == "Enquire"


@pytest.mark.parametrize(
    "path", ["/", CONSULTATION, "/programme/", "/datasets/uk-digital-skills-gap/"]
)
def test_no_horizontal_scrolling_at_320px(zensical_server: Any, browser: Any, path: str) -> None:
    overflow = horizontal_overflow(browser, zensical_server.url + path, 320)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def answer(page: Any) -> None:
    page.get_by_role("radio", name="Yes").check()
    page.locator("input[name='privacy_confidence'][value='4']").check()
    page.locator("textarea[name='comments']").fill("Please keep the Blue Badge bays free.")
    page.locator("input[name='privacy']").check()


def test_answer_a_consultation(zensical_server: Any, page: Any) -> None:
    page.goto(zensical_server.url + CONSULTATION)
    answer(page)
    page.get_by_role("button", name="Send your response").click()
    page.wait_for_url(re.compile(r".*/confirmation/.*"))
    reference = re.search(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", page.content())
    assert reference, zensical_server.read_log()
    # The endpoint's page sits in the Zensical site's own shell, with working styles.
    assert page.locator("header.md-header").count() == 1
    assert page.evaluate("() => getComputedStyle(document.querySelector('.md-skip')).position")
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_invalid_answer_is_rerendered_in_the_zensical_page(
    zensical_server: Any, page_no_js: Any
) -> None:
    page = page_no_js
    page.goto(zensical_server.url + CONSULTATION)
    page.locator("textarea[name='comments']").fill("Kept after the error.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send your response").click()
    assert navigation.value.status == 422
    assert page.title().startswith("Error: ")
    assert page.locator("header.md-header").count() == 1
    assert page.locator("textarea[name='comments']").input_value() == "Kept after the error."
    assert page.get_by_role("alert").count() >= 1


def test_error_page_passes_axe(zensical_server: Any, page: Any) -> None:
    # axe needs JavaScript; form.submit() skips the script's own checks, as if it were off.
    page.goto(zensical_server.url + CONSULTATION)
    # Wait for the new page itself, not only the response: axe must not run on the old one.
    with page.expect_navigation() as navigation:
        page.evaluate("() => document.querySelector('form.portal-form').submit()")
    assert navigation.value.status == 422
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_search_without_javascript(zensical_server: Any, page_no_js: Any) -> None:
    """The header's plain form asks the endpoint, which reads Material's index."""
    page_no_js.goto(zensical_server.url + "/search?query=parking")
    results = page_no_js.locator("main a[href*='smart-parking-sensors']")
    assert results.count() >= 1, zensical_server.read_log()
