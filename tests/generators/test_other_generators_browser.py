"""The Zensical and the Pelican site in a real browser, each served with the endpoint: axe on
every page type, the keyboard basics, 320 px, and answering a consultation.

The same citizen journeys for both; where the two sites' markup differs (Zensical writes
Material's, Pelican the portal's own theme/pelican), ``Markup`` says what to look for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import (
    Server,
    axe_violations,
    built_with,
    describe,
    horizontal_overflow,
    serve_portal,
    unfocused_stops,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Markup:
    """What one generator's pages are recognised by."""

    main: str  # the one main landmark
    navigation: str  # the links of the main navigation, on every page
    header: str  # the site's header, also around the endpoint's own pages
    skip_link: str
    skip_text: str
    skip_position: str  # the skip link's computed position: the site's styles are loaded
    home_link: str  # the 404 page's link to the home page
    current: str  # the navigation's link to the section the page is in
    current_text: str


MARKUP = {
    "zensical": Markup(
        main="main",
        navigation=".md-nav--primary a",
        header="header.md-header",
        skip_link=".md-skip",
        skip_text="Skip to content",
        skip_position="fixed",
        home_link="Go to the home page of Northbridge Participation Portal",
        current=".md-nav--primary a.md-nav__link--active",
        current_text="Enquire",
    ),
    "pelican": Markup(
        main="main#main",
        navigation="header nav[aria-label='Main'] a",
        header="header.site-header",
        skip_link=".skip-link",
        skip_text="Skip to main content",
        skip_position="absolute",
        home_link="home page",
        current="header nav a[aria-current='page']",
        current_text="Programme",
    ),
}
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


@pytest.fixture(scope="module", params=list(MARKUP))
def generator(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def markup(generator: str) -> Markup:
    return MARKUP[generator]


@pytest.fixture(scope="module")
def server(
    generator: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The generator's build (the one its own folder's tests read) and the endpoint on one
    origin, with a fresh SQLite file."""
    folder = tmp_path_factory.mktemp(f"{generator}-server")
    site = built_with(request, generator)
    with serve_portal(site, folder / "responses.sqlite3", folder / "server.log") as running:
        yield running


def skip_link_position(page: Any, markup: Markup) -> str:
    position: str = page.evaluate(
        f"() => getComputedStyle(document.querySelector('{markup.skip_link}')).position"
    )
    return position


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_type_passes_axe(server: Server, markup: Markup, page: Any, path: str) -> None:
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200, path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip()
    assert page.locator(markup.main).count() == 1
    assert page.locator(markup.navigation).count() >= 5
    if path != "/_portal/page/":  # the endpoint's content brings the shell's heading
        assert page.locator("h1").count() == 1, "exactly one main heading"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_not_found_page(server: Server, markup: Markup, page: Any) -> None:
    response = page.goto(server.url + "/no-such-page/deeper/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # Its links start from the root, so they work at any depth: the styles load, and home.
    assert skip_link_position(page, markup) == markup.skip_position
    home = page.get_by_role("link", name=markup.home_link, exact=True)
    assert home.get_attribute("href") == "/"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_skip_link_is_first_and_shown_on_focus(server: Server, markup: Markup, page: Any) -> None:
    page.goto(server.url + CONSULTATION)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), visible: box.top >= 0 && box.height > 0,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
    }""")
    assert focused == {"text": markup.skip_text, "visible": True, "outline": True}
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_keyboard_focus_is_always_visible(server: Server, page: Any) -> None:
    page.goto(server.url + CONSULTATION)
    hidden = unfocused_stops(page, 30)
    assert hidden == []


def test_current_section_is_marked(server: Server, markup: Markup, page: Any) -> None:
    page.goto(server.url + "/programme/enquire/")
    current = page.locator(markup.current)
    assert current.count() == 1 and current.inner_text() == markup.current_text


@pytest.mark.parametrize(
    "path", ["/", CONSULTATION, "/programme/", "/datasets/uk-digital-skills-gap/"]
)
def test_no_horizontal_scrolling_at_320px(server: Server, browser: Any, path: str) -> None:
    overflow = horizontal_overflow(browser, server.url + path, 320)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def answer(page: Any) -> None:
    page.get_by_role("radio", name="Yes").check()
    page.locator("input[name='privacy_confidence'][value='4']").check()
    page.locator("textarea[name='comments']").fill("Please keep the Blue Badge bays free.")
    page.locator("input[name='privacy']").check()


def test_answer_a_consultation(server: Server, markup: Markup, page: Any) -> None:
    page.goto(server.url + CONSULTATION)
    answer(page)
    page.get_by_role("button", name="Send your response").click()
    page.wait_for_url(re.compile(r".*/confirmation/.*"))
    reference = re.search(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", page.content())
    assert reference, server.read_log()
    # The endpoint's page sits in the generator's own shell, with working styles.
    assert page.locator(markup.header).count() == 1
    assert skip_link_position(page, markup) == markup.skip_position
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_invalid_answer_is_rerendered_in_the_sites_own_page(
    server: Server, markup: Markup, page_no_js: Any
) -> None:
    page = page_no_js
    page.goto(server.url + CONSULTATION)
    page.locator("textarea[name='comments']").fill("Kept after the error.")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send your response").click()
    assert navigation.value.status == 422
    assert page.title().startswith("Error: ")
    assert page.locator(markup.header).count() == 1
    assert page.locator("textarea[name='comments']").input_value() == "Kept after the error."
    assert page.get_by_role("alert").count() >= 1


def test_error_page_passes_axe(server: Server, page: Any) -> None:
    # axe needs JavaScript; form.submit() skips the script's own checks, as if it were off.
    page.goto(server.url + CONSULTATION)
    # Wait for the new page itself, not only the response: axe must not run on the old one.
    with page.expect_navigation() as navigation:
        page.evaluate("() => document.querySelector('form.portal-form').submit()")
    assert navigation.value.status == 422
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


# Pelican's theme has no search box.
@pytest.mark.parametrize("generator", ["zensical"], indirect=True)
def test_search_without_javascript(server: Server, page_no_js: Any) -> None:
    """The header's plain form asks the endpoint, which reads Material's index."""
    page_no_js.goto(server.url + "/search?query=parking")
    results = page_no_js.locator("main a[href*='smart-parking-sensors']")
    assert results.count() >= 1, server.read_log()
