"""A map of 50 areas stays under 60 KB, drawn by either generator: the second portal with a
Voronoi diagram of 50 areas, built with MkDocs and with Pelican."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.areas.pages import map_html, map_links, open_listed
from tests.areas.sites import (
    FIFTY_AREAS,
    area_names,
    feature_collection,
    site_with_areas,
    voronoi_features,
)
from tests.support import portal

LIMIT = 60 * 1024
NOW = {"PORTAL_NOW": "2026-12-01T12:00:00+00:00"}


@pytest.fixture(scope="module")
def fifty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fifty")
    return site_with_areas(
        folder / "src", feature_collection(voronoi_features(50)), areas=FIFTY_AREAS
    )


@pytest.mark.parametrize("generator", ["mkdocs", "pelican"])
def test_fifty_areas_stay_under_60_kb(fifty: Path, tmp_path: Path, generator: str) -> None:
    geojson = fifty / "datasets/district-areas/data/areas.geojson"
    assert geojson.stat().st_size > 3 * LIMIT  # the boundaries as written are far larger
    site = tmp_path / "site"
    portal("build", "--generator", generator, "--site-dir", str(site), root=fifty, env=NOW)
    index = "consultations/index.html"
    html = map_html(site, index)
    assert len(html.encode("utf-8")) < LIMIT, len(html.encode("utf-8"))
    links = map_links(site, index)
    assert [link.name for link in links] == area_names(50)
    for link in links:
        assert open_listed(site, link.page) == link.open, link
    # A page of an area with a consultation of its own, in both generators.
    assert "Area 03" in map_html(site, "consultations/filter/area/area-03/index.html")
