"""The demo's map by area in Chromium with JavaScript off: reached with Tab, its focus seen,
followed with Enter; axe finds nothing on the pages with it, also at 320 px, where nothing
scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import FOCUS_SHOWN, axe_violations, describe, horizontal_overflow

pytestmark = pytest.mark.e2e

PAGES = ["/consultations/", "/consultations/filter/area/castle/"]
# The focused element, when it is an area of the map, and how its shape is painted.
FOCUSED_AREA = """() => {
    const el = document.activeElement;
    if (!el || !el.matches('svg a.portal-map__area')) return null;
    const path = getComputedStyle(el.querySelector('path'));
    return {label: el.getAttribute('aria-label'), fill: path.fill,
            stroke: parseFloat(path.strokeWidth)};
}"""
YELLOW = "rgb(255, 221, 0)"


def tab_to_the_map(page: Any, limit: int = 200) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        area = page.evaluate(FOCUSED_AREA)
        if area is not None:
            return dict(area)
    raise AssertionError(f"{limit} presses of Tab never reached the map")


def test_tab_reaches_each_area_with_its_focus_shown_and_enter_follows_it(
    page_no_js: Any, demo_server: Any
) -> None:
    page = page_no_js
    page.goto(f"{demo_server.url}/consultations/")
    first = tab_to_the_map(page)
    assert first["label"].startswith("Abbey: 3 open consultations"), first
    unfocused = (
        page.locator("svg a.portal-map__area path").nth(1).evaluate("p => getComputedStyle(p).fill")
    )
    assert unfocused != YELLOW  # Bankside, not focused yet, is not yellow
    reached = [first]
    for _ in range(19):
        page.keyboard.press("Tab")
        shown = page.evaluate(FOCUS_SHOWN)
        assert shown and shown["shown"], shown
        reached.append(page.evaluate(FOCUSED_AREA))
    assert all(a is not None and a["fill"] == YELLOW and a["stroke"] >= 5 for a in reached), reached
    assert reached[-1]["label"].startswith("Westfield:")
    page.keyboard.press("Shift+Tab")  # back to the one before
    assert page.evaluate(FOCUSED_AREA)["label"].startswith("St Anne's:")
    page.keyboard.press("Enter")
    page.wait_for_url("**/consultations/filter/area/st-anne-s/")
    assert page.get_by_role("heading", level=1).inner_text() == "Consultations in St Anne's"


def test_an_area_link_is_named_by_its_text(page_no_js: Any, demo_server: Any) -> None:
    page = page_no_js
    page.goto(f"{demo_server.url}/consultations/")
    group = page.get_by_role("group", name="Map of the 20 areas")
    link = group.get_by_role("link", name="Castle: 3 open consultations")
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/consultations/filter/area/castle/")


# axe runs as a script, so these pages have JavaScript on (the map uses none either way).
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(page: Any, demo_server: Any, path: str) -> None:
    page.goto(f"{demo_server.url}{path}")
    assert page.locator("svg.portal-map__svg").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", PAGES)
def test_at_320_px_nothing_scrolls_sideways_and_axe_finds_nothing(
    browser: Any, demo_server: Any, path: str
) -> None:
    url = f"{demo_server.url}{path}"
    assert horizontal_overflow(browser, url, 320) <= 0
    context = browser.new_context(viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        svg = page.locator("svg.portal-map__svg").bounding_box()
        assert svg is not None and 0 < svg["width"] <= 320
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
