"""The pages the frame changed, in Chromium: axe finds nothing, nothing scrolls sideways at
320 px, and the navigation is still reachable from the menu at 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import axe_violations, describe, horizontal_overflow

PAGES = {
    "home": "/",
    "consultations index": "/consultations/",
    "consultation with an outcome": "/consultations/riverside-park-climate-plan/",
    "open consultation": "/consultations/smart-parking-sensors/",
    "programme": "/programme/",
    "page not found": "/no-such-page/at/all/",
    "staff guide": "/publishers/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_nothing(demo_server: Any, page: Any, path: str) -> None:
    response = page.goto(demo_server.url + path)
    assert response is not None
    assert response.status == (404 if path.startswith("/no-such-page") else 200)
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_sideways_scrolling_at_320px(demo_server: Any, browser: Any, path: str) -> None:
    overflow = horizontal_overflow(browser, demo_server.url + path, 320)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def test_404_page_works_from_any_depth(demo_server: Any, page: Any) -> None:
    page.goto(demo_server.url + "/consultations/gone/away/")
    page.get_by_role("link", name="See all consultations").click()
    assert page.url == demo_server.url + "/consultations/"
    page.goto(demo_server.url + "/consultations/gone/away/")
    page.get_by_label("Search this site").last.fill("parking")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_load_state()
    assert "/search" in page.url and "query=parking" in page.url


def test_navigation_at_320px_opens_from_the_menu(demo_server: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 700})
    try:
        page = context.new_page()
        page.goto(demo_server.url + "/privacy/")
        assert page.locator(".md-banner .portal-phase").is_visible()
        page.get_by_role("button", name="Menu").click()  # theme/partials/header.html
        link = page.locator("nav.md-nav--primary").get_by_role("link", name="Consultations")
        link.first.wait_for(state="visible")
        link.first.click()
        assert page.url == demo_server.url + "/consultations/"
    finally:
        context.close()
