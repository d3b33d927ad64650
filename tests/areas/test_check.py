"""``portal check`` on areas that cannot be mapped: every problem at its file and line, with
what to do, from the real command on a copy of the second portal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.areas.sites import (
    GEOJSON,
    PACKAGE,
    feature_collection,
    site_with_areas,
    voronoi_features,
)
from tests.support import portal

SQUARE = [[[175.0, -40.4], [175.1, -40.4], [175.1, -40.3], [175.0, -40.3], [175.0, -40.4]]]
BOWTIE = [[[175.2, -40.4], [175.3, -40.3], [175.3, -40.4], [175.2, -40.3], [175.2, -40.4]]]


def feature(name: str | None, coordinates: object = SQUARE, kind: str = "Polygon") -> dict:
    properties = {"name": name} if name is not None else {"code": "X1"}
    geometry = {"type": kind, "coordinates": coordinates} if coordinates is not None else None
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def check(root: Path) -> str:
    result = portal("check", root=root, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_each_bad_feature_is_reported_at_its_line(tmp_path: Path) -> None:
    features = [
        feature("Harbour"),  # line 2: fine
        feature(None),  # line 3
        feature("Hills", None),  # line 4
        feature("Crossing", BOWTIE),  # line 5
        feature("harbour"),  # line 6: Harbour again, in another case
        feature("Point", [175.0, -40.4], "Point"),  # line 7
    ]
    root = site_with_areas(tmp_path / "src", feature_collection(features))
    out = check(root)
    assert f'{GEOJSON}:3: feature 2 has no name (give it a "name" property' in out
    assert f"{GEOJSON}:4: area 'Hills' has no geometry (give it its boundary" in out
    assert (
        f"{GEOJSON}:5: the boundary of area 'Crossing' is not a valid polygon: "
        "Self-intersection[175.25 -40.35]"
    ) in out
    assert f"{GEOJSON}:6: area 'harbour' is named twice (also at line 2 as 'Harbour')" in out
    assert f"{GEOJSON}:7: the geometry of area 'Point' is a Point, not an area" in out
    assert out.count("[areas-invalid]") == 5
    assert f"{GEOJSON}:2:" not in out


def test_geojson_that_is_not_json_is_reported_at_its_line(tmp_path: Path) -> None:
    text = feature_collection([feature("Harbour"), feature("Hills")])
    root = site_with_areas(tmp_path / "src", text.replace('"name": "Hills"', '"name" "Hills"'))
    out = check(root)
    assert f"{GEOJSON}:3: the areas' GeoJSON is not valid JSON: Expecting ':' delimiter" in out
    assert "(check for a missing comma, bracket or quote near this line) [areas-invalid]" in out


def test_geojson_that_is_not_a_feature_collection(tmp_path: Path) -> None:
    root = site_with_areas(tmp_path / "src", json.dumps(feature("Harbour"), indent=2))
    out = check(root)
    assert f"{GEOJSON}:1: the areas' GeoJSON must be a FeatureCollection" in out


def test_a_consultation_naming_an_area_the_package_lacks(tmp_path: Path) -> None:
    features = voronoi_features(4)  # Area 01 to Area 04
    root = site_with_areas(
        tmp_path / "src",
        feature_collection(features),
        areas={"rural-library-hours": "[Area 01, Aera 02]", "water-meters": "Everywhere"},
    )
    out = check(root)
    page = "consultations/rural-library-hours/index.md:10"
    assert (
        f"{page}: 'Aera 02' is not one of the areas in datasets/{PACKAGE}/ (did you mean "
        "'Area 02'? Or write 'Citywide' for a consultation that covers every area) "
        "[area-unknown]"
    ) in out
    assert "'Area 01' is not one" not in out
    assert "consultations/water-meters/index.md:11: 'Everywhere' is not one of the areas" in out
    assert "(write one of: Area 01, Area 02, Area 03, Area 04; or 'Citywide' for" in out
    # The Kōwhai Bay consultation still says "Kōwhai Bay", which is none of them either.
    assert "coastal-erosion-kowhai-bay/index.md:13: 'Kōwhai Bay' is not one" in out


def test_an_areas_option_naming_no_package(tmp_path: Path) -> None:
    root = site_with_areas(tmp_path / "src", feature_collection(voronoi_features(4)))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"areas: {PACKAGE}", "areas: district-area"),
        encoding="utf-8",
    )
    out = check(root)
    assert (
        "mkdocs.yml:39: the portal option 'areas' names 'district-area', which is not a data "
        f"package in datasets/ (did you mean '{PACKAGE}'?) [areas-invalid]"
    ) in out


def test_valid_areas_pass(tmp_path: Path) -> None:
    root = site_with_areas(
        tmp_path / "src",
        feature_collection(voronoi_features(4)),
        areas={
            "coastal-erosion-kowhai-bay": "Area 02",
            "rural-library-hours": "[Area 01, area 03]",
            "water-meters": "citywide",
        },
    )
    result = portal("check", root=root, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
