"""The Pelican site in a real browser, served with the endpoint: axe on every page type,
the keyboard basics, 320 px, and answering a consultation."""

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
def test_page_type_passes_axe(pelican_server: Any, page: Any, path: str) -> None:
    response = page.goto(pelican_server.url + path)
    assert response is not None and response.status == 200, path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip()
    assert page.locator("main#main").count() == 1
    assert page.locator("header nav[aria-label='Main'] a").count() >= 5
    if path != "/_portal/page/":  # the endpoint's content brings the shell's heading
        assert page.locator("h1").count() == 1, "exactly one main heading"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_not_found_page(pelican_server: Any, page: Any) -> None:
    response = page.goto(pelican_server.url + "/no-such-page/deeper/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # Its links start from the root, so they work at any depth.
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.skip-link')).position")
        == "absolute"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_skip_link_is_first_and_shown_on_focus(pelican_server: Any, page: Any) -> None:
    page.goto(pelican_server.url + CONSULTATION)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), visible: box.top >= 0 && box.height > 0,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
    }""")
    assert focused == {"text": "Skip to main content", "visible": True, "outline": True}
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_keyboard_focus_is_always_visible(pelican_server: Any, page: Any) -> None:
    page.goto(pelican_server.url + CONSULTATION)
    hidden = unfocused_stops(page, 30)
    assert hidden == []


def test_current_section_is_marked(pelican_server: Any, page: Any) -> None:
    page.goto(pelican_server.url + "/programme/enquire/")
    current = page.locator("header nav a[aria-current='page']")
    assert current.count() == 1 and current.inner_text() == "Programme"


@pytest.mark.parametrize(
    "path", ["/", CONSULTATION, "/programme/", "/datasets/uk-digital-skills-gap/"]
)
def test_no_horizontal_scrolling_at_320px(pelican_server: Any, browser: Any, path: str) -> None:
    overflow = horizontal_overflow(browser, pelican_server.url + path, 320)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def answer(page: Any) -> None:
    page.get_by_role("radio", name="Yes").check()
    page.locator("input[name='privacy_confidence'][value='4']").check()
    page.locator("textarea[name='comments']").fill("Please keep the Blue Badge bays free.")
    page.locator("input[name='privacy']").check()


def test_answer_a_consultation(pelican_server: Any, page: Any) -> None:
    page.goto(pelican_server.url + CONSULTATION)
    answer(page)
    page.get_by_role("button", name="Send your response").click()
    page.wait_for_url(re.compile(r".*/confirmation/.*"))
    reference = re.search(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", page.content())
    assert reference, pelican_server.read_log()
    # The endpoint's page sits in the Pelican site's own shell, with working styles.
    assert page.locator("header.site-header").count() == 1
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.skip-link')).position")
        == "absolute"
    )
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_invalid_answer_is_rerendered_in_the_pelican_page(
    pelican_server: Any, page_no_js: Any
) -> None:
    page = page_no_js
    page.goto(pelican_server.url + CONSULTATION)
    page.locator("textarea[name='comments']").fill("Kept after the error.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send your response").click()
    assert navigation.value.status == 422
    assert page.title().startswith("Error: ")
    assert page.locator("header.site-header").count() == 1
    assert page.locator("textarea[name='comments']").input_value() == "Kept after the error."
    assert page.get_by_role("alert").count() >= 1


def test_error_page_passes_axe(pelican_server: Any, page: Any) -> None:
    # axe needs JavaScript; form.submit() skips the script's own checks, as if it were off.
    page.goto(pelican_server.url + CONSULTATION)
    # Wait for the new page itself, not only the response: axe must not run on the old one.
    with page.expect_navigation() as navigation:
        page.evaluate("() => document.querySelector('form.portal-form').submit()")
    assert navigation.value.status == 422
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
