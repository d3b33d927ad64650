"""The endpoint's search and filter, without a browser: Material's query rules, the marked
words, reloading when a build replaces the site, and clear answers to odd requests."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from portal.discovery import facets
from portal.endpoint import filtering, search
from portal.endpoint.config import ENGINE_THEME, EndpointSettings
from portal.model.consultations import Status

SEPARATOR = re.compile(r"[\s\-]+")
CONFIG = {
    "lang": ["en"],
    "separator": r"[\s\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}},
}


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        # Material's transformSearchQuery (query/transform, query/_), worked by hand.
        ("parking", "parking*"),
        ("  charging   points ", "charging* points*"),
        # lunr's lexer splits at "-" too, and Material keeps the rest of the word around
        # each piece; lunr then reads "bus-lanes*" as "bus" and "lanes*".
        ("bus-lanes", "bus-lanes* bus-lanes*"),
        ('"open data"', "+open +data"),
        ("-parking", "-parking"),
        ("parking~", "parking~1"),
        ("title:parking", "title:parking*"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_queries_are_transformed_as_material_does(typed: str, sent: str) -> None:
    assert search.transform_query(typed, SEPARATOR) == sent


def write_index(site: Path, docs: list[dict[str, Any]]) -> None:
    """As a build does: a new file put in place whole."""
    (site / "search").mkdir(parents=True, exist_ok=True)
    fresh = site / "search" / "search_index.json.new"
    fresh.write_text(json.dumps({"config": CONFIG, "docs": docs}), encoding="utf-8")
    os.replace(fresh, site / search.INDEX_FILE)


DOCS = [
    {"location": "bus/", "title": "Bus lanes", "text": "<p>New bus lanes on the ring road.</p>"},
    {"location": "bus/#when", "title": "When", "text": "<p>Works start in May.</p><p>Buses.</p>"},
    {"location": "parks/", "title": "Parks", "text": "<p>Trees, lanes and benches.</p>"},
]


def test_pages_in_materials_order_with_their_words_marked(tmp_path: Path) -> None:
    write_index(tmp_path, DOCS)
    engine = search.SiteSearch(tmp_path).engine()
    assert engine is not None
    results = engine.search("lanes")
    assert [r.location for r in results] == ["bus/", "parks/"]  # the title match first
    assert results[0].title == "Bus <mark>lanes</mark>"
    assert results[0].teaser == "New bus <mark>lanes</mark> on the ring road."
    assert results[1].teaser == "Trees, <mark>lanes</mark> and benches."
    # A section that matches better than its page is shown under it, with the page first.
    when = engine.search("may")
    assert [r.location for r in when] == ["bus/"]
    assert [(s.location, s.teaser) for s in when[0].sections] == [
        ("bus/#when", "Works start in <mark>May.</mark>")  # Material's token: "may."
    ]
    assert engine.search("xylophone") == []
    assert engine.search("bu")[0].title == "<mark>Bus</mark> lanes"  # the start of a word


def test_the_index_is_read_again_when_a_build_replaces_it(tmp_path: Path) -> None:
    write_index(tmp_path, DOCS)
    site_search = search.SiteSearch(tmp_path)
    first = site_search.engine()
    assert first is not None and site_search.engine() is first  # not read twice
    write_index(tmp_path, [{"location": "trams/", "title": "Trams", "text": "<p>Lanes.</p>"}])
    assert site_search.engine() is first  # still answering while the new one loads
    site_search.wait()
    second = site_search.engine()
    assert second is not first and second is not None
    assert [r.location for r in second.search("lanes")] == ["trams/"]


def test_the_filters_words_are_the_build_filters_words() -> None:
    assert {s.value: n for s, n in facets.STATUS_NAMES.items()} == filtering.STATUS_NAMES
    assert list(filtering.STATUS_NAMES) == [s.value for s in facets.STATUS_ORDER]
    assert {s.value: s.label for s in Status} == filtering.STATUS_LABELS
    assert filtering.KINDS == facets.KINDS


async def get(site: Path, url: str) -> httpx.Response:
    settings = EndpointSettings(site_dir=site, theme_dir=ENGINE_THEME)
    app = Starlette(routes=[*search.routes(settings), *filtering.routes(settings)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://portal.test"
    ) as http:
        return await http.get(url)


def run(site: Path, url: str) -> httpx.Response:
    return asyncio.run(get(site, url))


def test_without_a_built_site_both_pages_say_so(tmp_path: Path) -> None:
    assert run(tmp_path, "/search?query=bus").status_code == 503
    assert "not available" in run(tmp_path, "/search?query=bus").text
    assert run(tmp_path, "/consultations/filter?topic=x").status_code == 503


def test_odd_searches_get_pages_not_errors(tmp_path: Path) -> None:
    write_index(tmp_path, DOCS)
    for query in ["%22", "*", "title:", "~", "^", "+", "-", "a:b:c", "%00", "%F0%9F%9A%8C"]:
        response = run(tmp_path, f"/search?query={query}")
        assert response.status_code == 200, query
    long = run(tmp_path, "/search?query=" + "a" * 201)
    assert long.status_code == 400
    assert "at most 200 characters" in long.text
    assert "<script>" not in run(tmp_path, "/search?query=%3Cscript%3E").text


def test_odd_filters_get_a_message_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    record = {
        "slug": "bus",
        "title": "Bus lanes",
        "summary": "Where the lanes go.",
        "url": "/consultations/bus/",
        "status": "open",
        "opens": "2026-11-01T09:00:00+00:00",
        "closes": "2027-01-31T23:59:59+00:00",
        "topics": ["Transport"],
        "area": ["Town centre"],
    }
    (tmp_path / filtering.API_FILE).write_text(
        json.dumps({"timezone": "Europe/London", "consultations": [record]}), encoding="utf-8"
    )
    good = run(tmp_path, "/consultations/filter?topic=transport&area=town-centre&status=open")
    assert good.status_code == 200
    assert "1 consultation matches: Status: Open now, Topic: Transport, Area: Town centre." in (
        good.text
    )
    assert "Closes at 11:59pm on 31 January 2027" in good.text
    for query in ["topic=%3Cb%3E", "status=OPEN", "area=town+centre", "topic=transport&area=x"]:
        response = run(tmp_path, f"/consultations/filter?{query}")
        assert response.status_code == 400, query
        assert "There is a problem" in response.text
        assert "<b>" not in response.text


def test_long_result_lists_come_in_pages(tmp_path: Path) -> None:
    docs = [
        {"location": f"p{i:02d}/", "title": f"Bus stop {i}", "text": "<p>A bus stop.</p>"}
        for i in range(45)
    ]
    write_index(tmp_path, docs)
    first = run(tmp_path, "/search?query=bus")
    assert first.status_code == 200
    assert "<strong>45</strong> results for ‘bus’, page 1 of 3" in first.text
    assert first.text.count('class="portal-search-result"') == search.PER_PAGE
    assert 'href="/search?query=bus&amp;page=2" rel="next"' in first.text
    last = run(tmp_path, "/search?query=bus&page=3")
    assert last.text.count('class="portal-search-result"') == 45 - 2 * search.PER_PAGE
    assert '<ol class="portal-search-results" aria-labelledby="search-count" start="41">' in (
        last.text
    )
    assert run(tmp_path, "/search?query=bus&page=0").status_code == 400
    assert run(tmp_path, "/search?query=bus&page=x").status_code == 400
    assert run(tmp_path, "/search?query=bus&page=9").status_code == 200  # the last page


def test_long_filter_lists_come_in_pages(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    records = [
        {
            "slug": f"c{i:03d}",
            "title": f"Consultation {i}",
            "summary": "A summary.",
            "url": f"/consultations/c{i:03d}/",
            "status": "outcome",
            "opens": "2026-01-01T09:00:00+00:00",
            "closes": f"2026-03-{1 + i % 28:02d}T23:59:59+00:00",
            "topics": ["Transport"],
            "area": ["Citywide"],
        }
        for i in range(60)
    ]
    (tmp_path / filtering.API_FILE).write_text(
        json.dumps({"timezone": "UTC", "consultations": records}), encoding="utf-8"
    )
    first = run(tmp_path, "/consultations/filter?topic=transport")
    assert "60 consultations match: Topic: Transport. Page 1 of 2." in first.text
    assert first.text.count('class="portal-card"') == filtering.PER_PAGE
    assert 'href="/consultations/filter?topic=transport&amp;page=2" rel="next"' in first.text
    second = run(tmp_path, "/consultations/filter?topic=transport&page=2")
    assert second.text.count('class="portal-card"') == 60 - filtering.PER_PAGE
    assert run(tmp_path, "/consultations/filter?page=-1").status_code == 400
