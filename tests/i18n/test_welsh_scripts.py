"""The scripts on a Welsh portal's pages write Welsh (issue 21): filter.js and rowfind.js
take their words from the page (data-portal-words), every plural form of them, and choose
one with the browser's own plural rules for the page's language. The second test portal in
Welsh, built and served as a static host serves it, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.discovery.discovery_sites import static_server
from tests.i18n.test_welsh_pages import welsh_site
from tests.support import Server

pytestmark = pytest.mark.e2e

__all__ = ["welsh_site"]  # the build, shared with the tests of the built pages


@pytest.fixture(scope="module")
def welsh_static(welsh_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("welsh-static") / "server.log"
    with static_server(welsh_site, log) as server:
        yield server


def test_the_filter_says_what_it_shows_in_welsh(welsh_static: Server, page: Any) -> None:
    page.goto(f"{welsh_static.url}/consultations/filter/")
    result = page.locator("[data-portal-filter-result]")
    assert result.inner_text() == "Yn dangos pob un o’r 3 ymgynghoriad."  # built, not scripted
    page.get_by_label("Pwnc", exact=True).select_option("water")
    assert result.inner_text() == "Yn dangos 1 o 3 ymgynghoriad: Water."
    assert page.locator("li.portal-card:visible").count() == 1


def test_the_row_search_answers_in_welsh(welsh_static: Server, page: Any) -> None:
    page.goto(f"{welsh_static.url}/datasets/swimming-water-quality/resources/samples/")
    search = page.get_by_role("searchbox")
    search.wait_for()  # rowfind.js has shown the form
    # A small resource is searched whole: the label and hint the script sets are Welsh too.
    page.get_by_text("Dod o hyd i resi", exact=True).wait_for()
    search.fill("KB01")
    status = page.get_by_role("status")
    status.filter(has_text="sy’n cynnwys “KB01”").wait_for()
    assert "containing" not in status.inner_text() and "rows" not in status.inner_text()
    search.fill("Qqq")
    status.filter(has_text="Nid oes unrhyw resi yn cynnwys “Qqq”.").wait_for()


def test_the_character_count_counts_in_welsh(welsh_static: Server, page: Any) -> None:
    page.goto(f"{welsh_static.url}/consultations/coastal-erosion-kowhai-bay/")
    count = page.locator("#views-count")
    count.filter(has_text="Mae gennych 1500 nod ar ôl").wait_for()
    page.locator("#views").fill("x" * 1502)
    count.filter(has_text="Mae gennych 2 nod yn ormod").wait_for()
    assert "characters" not in count.inner_text()
