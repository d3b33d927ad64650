"""Discovery across the built site: search index, sitemap, metadata and links to the feeds."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

from discovery_sites import SITE_URL

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def search_docs(site: Path) -> dict[str, dict[str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    return {d["location"]: d for d in index["docs"]}


def test_search_covers_consultations_datasets_and_programme(pinned_demo: Path) -> None:
    docs = search_docs(pinned_demo)
    consultation = docs["consultations/smart-parking-sensors/"]
    assert consultation["title"] == "Smart parking sensors in the town centre"
    assert "Closes" in consultation["text"]  # the status line is part of the snippet
    assert any(
        loc.startswith("datasets/") and loc.count("/") == 2 and "#" not in loc for loc in docs
    )
    assert docs["programme/"]["title"]
    assert any(loc.startswith("consultations/smart-parking-sensors/#") for loc in docs)


def test_filter_and_extra_index_pages_stay_out_of_search(pinned_demo: Path) -> None:
    assert not [loc for loc in search_docs(pinned_demo) if "/filter/" in loc]


def sitemap_locations(site: Path) -> list[str]:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_consultations_and_filter_pages(fixture_site: Path) -> None:
    locations = sitemap_locations(fixture_site)
    assert f"{SITE_URL}consultations/bus-lanes/" in locations
    assert f"{SITE_URL}consultations/filter/topic/transport/" in locations
    assert f"{SITE_URL}consultations/secret-plan/" not in locations  # drafts stay private


def test_sitemap_without_site_url_is_still_well_formed(relative_site: Path) -> None:
    # The sitemaps protocol needs absolute addresses, so MkDocs lists none without site_url.
    assert sitemap_locations(relative_site) == []


def test_pages_have_description_open_graph_and_feed_link(fixture_site: Path) -> None:
    for name in [
        "consultations/index.html",
        "consultations/bus-lanes/index.html",
        "consultations/filter/index.html",
        "consultations/filter/area/city-centre/index.html",
    ]:
        html = (fixture_site / name).read_text("utf-8")
        assert re.search(r'<meta name="description" content="[^"]+">', html), name
        assert re.search(r'<meta property="og:title" content="[^"]+">', html), name
        assert re.search(r'<meta property="og:description" content="[^"]+">', html), name
        assert re.search(r'<meta property="og:url" content="https://consult[^"]+">', html), name
        feed = re.search(
            r'<link rel="alternate feed" type="application/atom\+xml"[^>]*'
            r'href="([^"]+)"',
            html,
        )
        assert feed, name
        target = urljoin(f"{SITE_URL}{name}", feed.group(1)).removeprefix(SITE_URL)
        assert target == "feeds/consultations.atom", name


def test_home_and_index_link_to_feed_calendar_and_api(fixture_site: Path) -> None:
    for name, wanted in [
        (
            "index.html",
            ["feeds/consultations.atom", "feeds/consultations.ics", "consultations/filter/"],
        ),
        (
            "consultations/index.html",
            [
                "feeds/consultations.atom",
                "feeds/consultations.ics",
                "api/consultations.json",
                "api/datasets.json",
                "consultations/filter/topic/transport/",
            ],
        ),
    ]:
        html = (fixture_site / name).read_text("utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        hrefs = {
            urljoin(f"{SITE_URL}{name}", h).removeprefix(SITE_URL)
            for h in re.findall(r'href="([^"#]+)', article)
        }
        for target in wanted:
            assert target in hrefs, (name, target)
            assert (fixture_site / target).exists() or (
                fixture_site / target / "index.html"
            ).exists()


def test_home_page_description_falls_back_to_the_site_description(
    pinned_demo: Path, relative_site: Path
) -> None:
    html = (pinned_demo / "index.html").read_text("utf-8")
    assert re.search(r'<meta name="description" content="Have your say[^"]+">', html)
    assert re.search(r'<meta property="og:description" content="Have your say[^"]+">', html)
    # No description anywhere (the fixture has no site_description): no empty og:description.
    bare = (relative_site / "index.html").read_text("utf-8")
    assert 'og:description" content=""' not in bare
