"""The demo's map by area, read from the built pages: on the consultation index and on each
area's filter page, every area a link to its page, and every number the map shows is the
number of open consultations that page lists."""

from __future__ import annotations

import json
from pathlib import Path

from tests.areas.pages import map_html, map_links, open_listed, table_rows
from tests.support import ROOT

INDEX = "consultations/index.html"
WARDS = ROOT / "datasets" / "northbridge-wards" / "data" / "wards.geojson"


def ward_names() -> list[str]:
    features = json.loads(WARDS.read_text(encoding="utf-8"))["features"]
    return sorted((f["properties"]["name"] for f in features), key=str.casefold)


def test_the_index_maps_every_ward_as_a_link_to_its_filter_page(demo_site: Path) -> None:
    links = map_links(demo_site, INDEX)
    assert [link.name for link in links] == ward_names()
    assert len(links) == 20
    for link in links:
        assert link.page.startswith("consultations/filter/area/"), link
        assert (demo_site / link.page).is_file(), link


def test_each_number_on_the_map_is_what_its_page_lists(demo_site: Path) -> None:
    links = map_links(demo_site, INDEX)
    for link in links:
        assert open_listed(demo_site, link.page) == link.open, link
    # The demo at the suite's moment: smart parking (Central, Castle, Abbey) and two
    # citywide consultations are open.
    counts = {link.name: link.open for link in links}
    assert counts["Castle"] == 3 and counts["Abbey"] == 3 and counts["Central"] == 3
    assert counts["Riverside"] == 2 and counts["Westfield"] == 2


def test_the_table_says_what_the_map_says(demo_site: Path) -> None:
    assert table_rows(demo_site, INDEX) == map_links(demo_site, INDEX)
    html = map_html(demo_site, INDEX)
    assert "<caption>Open consultations in each area</caption>" in html
    assert '3 <span class="portal-count">(of which 2 citywide)</span>' in html


def test_every_ward_page_has_the_map_with_its_ward_marked(demo_site: Path) -> None:
    everywhere = map_links(demo_site, INDEX)
    for link in everywhere:
        assert map_links(demo_site, link.page) == everywhere, link
        html = map_html(demo_site, link.page)
        escaped = link.name.replace("'", "&#39;")
        assert f'aria-current="page" aria-label="{escaped}: {link.open} open' in html
        assert f"This page's area, {escaped}, has a thick outline." in html


def test_a_citywide_consultation_is_listed_in_every_ward(demo_site: Path) -> None:
    charter = "consultations/open-data-charter/"
    for link in map_links(demo_site, INDEX):
        page = (demo_site / link.page).read_text(encoding="utf-8")
        assert charter in page, link


def test_the_map_has_text_a_caption_and_no_script(demo_site: Path) -> None:
    html = map_html(demo_site, INDEX)
    assert '<svg class="portal-map__svg" viewBox="0 0 ' in html
    assert 'role="group" aria-labelledby="area-map-caption"' in html
    assert '<figcaption id="area-map-caption">' in html
    assert "<script" not in html
    assert "hatched" in html  # the signal besides colour is said in words
