"""Finding consultations in a real browser, with JavaScript and without, and axe on the pages.

The demo portal is built at a pinned instant and served by a plain static server: filtering
needs nothing from the endpoint.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.support import Server, axe_violations, describe

pytestmark = pytest.mark.e2e

PARKING = "Smart parking sensors in the town centre"
CHARGING = "On-street charging points for electric vehicles"
RIVERSIDE = "Riverside Park climate adaptation plan"
ALL = 8  # the demo's published consultations (one more is a draft)


def visible_titles(page: Any) -> list[str]:
    titles: list[str] = page.locator("li.portal-card:visible .portal-card__title").all_inner_texts()
    return [t.strip() for t in titles]


def test_filtering_in_place_with_javascript(page: Any, demo_static: Server) -> None:
    page.goto(f"{demo_static.url}/consultations/filter/")
    result = page.locator("[data-portal-filter-result]")
    assert result.inner_text() == f"Showing all {ALL} consultations."
    page.get_by_label("Topic", exact=True).select_option("transport")
    assert visible_titles(page) == [PARKING, CHARGING]  # open first, then coming up
    assert result.inner_text() == f"Showing 2 of {ALL} consultations: Transport."
    assert page.url.endswith("/consultations/filter/?topic=transport")

    page.get_by_label("Status", exact=True).select_option("open")
    assert visible_titles(page) == [PARKING]
    assert result.inner_text() == f"Showing 1 of {ALL} consultation: Open now, Transport."

    page.get_by_label("Area", exact=True).select_option("riverside")
    assert visible_titles(page) == []
    assert page.get_by_text("No consultation matches these filters.").is_visible()

    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(
        f"document.querySelectorAll('li.portal-card:not([hidden])').length === {ALL}"
    )
    assert result.inner_text() == f"Showing all {ALL} consultations."
    assert page.url.endswith("/consultations/filter/")


def test_a_shared_filter_address_opens_filtered(page: Any, demo_static: Server) -> None:
    page.goto(f"{demo_static.url}/consultations/filter/?area=riverside")
    assert page.get_by_label("Area", exact=True).input_value() == "riverside"
    # Riverside Park's, and every citywide one: they count in every ward (portal.areas).
    titles = visible_titles(page)
    assert RIVERSIDE in titles and PARKING not in titles
    assert len(titles) == ALL - 1  # all but the town centre's parking sensors


def test_filter_pages_work_without_javascript(page_no_js: Any, demo_static: Server) -> None:
    page = page_no_js
    page.goto(f"{demo_static.url}/consultations/filter/")
    # The filter form is a plain GET to the endpoint's combined filter (tests/search).
    form = page.locator("form.portal-filter__form")
    assert form.is_visible() and form.get_attribute("action") == "/consultations/filter"
    assert len(visible_titles(page)) == ALL
    page.get_by_role("navigation", name="Filter consultations").get_by_role(
        "link", name="Transport"
    ).click()
    assert page.url.endswith("/consultations/filter/topic/transport/")
    assert page.get_by_role("heading", level=1).inner_text() == "Consultations about Transport"
    assert visible_titles(page) == [PARKING, CHARGING]
    page.get_by_role("link", name="Open now").first.click()
    assert page.url.endswith("/consultations/filter/status/open/")
    assert PARKING in visible_titles(page) and CHARGING not in visible_titles(page)


@pytest.mark.parametrize(
    "path",
    [
        "/consultations/filter/",
        "/consultations/filter/?topic=transport",
        "/consultations/filter/topic/transport/",
        "/consultations/filter/status/outcome/",
        "/consultations/filter/area/citywide/",
        "/consultations/",
        "/consultations/riverside-park-climate-plan/",
    ],
)
def test_filter_pages_have_no_axe_violations(page: Any, demo_static: Server, path: str) -> None:
    page.goto(f"{demo_static.url}{path}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    "path", ["/consultations/page/2/", "/consultations/filter/topic/transport/page/2/"]
)
def test_second_pages_of_long_lists_have_no_axe_violations(
    page: Any, paged_static: Server, path: str
) -> None:
    page.goto(f"{paged_static.url}{path}")
    pages = page.get_by_role("navigation", name=re.compile("^Pages of"))
    assert pages.get_by_role("link", name="Previous page").is_visible()
    assert pages.locator('[aria-current="page"]').inner_text() == "Page 2"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_long_history_filters_what_is_listed_and_points_to_the_rest(
    page: Any, paged_static: Server
) -> None:
    page.goto(f"{paged_static.url}/consultations/filter/")
    result = page.locator("[data-portal-filter-result]")
    everything = "Showing the 23 open, coming up and most recently closed of 26 consultations."
    assert result.inner_text() == everything
    page.get_by_label("Status", exact=True).select_option("closed")
    assert result.inner_text() == (
        "Showing 19 of the 23 consultations listed here: Closed: reading the responses."
    )
    older = page.locator("p", has_text="Older consultations are not listed here")
    older.get_by_role("link", name="Closed: reading the responses").click()
    page.wait_for_load_state()
    assert page.url.endswith("/consultations/filter/status/closed/")
    assert len(visible_titles(page)) == 20
    page.go_back()
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(
        "document.querySelectorAll('li.portal-card:not([hidden])').length === 23"
    )
    assert result.inner_text() == everything
    violations = axe_violations(page)
    assert violations == [], describe(violations)
