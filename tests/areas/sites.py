"""Sites for the areas tests: the second portal with an areas package of its own.

The 50 areas are a Voronoi diagram of a jittered 10 x 5 grid of seed points (a fixed seed),
clipped to a rectangle of the second portal's district: the size of a large council's wards.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPoint, Point, box, mapping
from shapely.ops import voronoi_diagram

from tests.support import ROOT, copy_site

SECOND_PORTAL = ROOT / "tests" / "fixtures" / "second-portal"
PACKAGE = "district-areas"
GEOJSON = f"datasets/{PACKAGE}/data/areas.geojson"


def area_names(count: int) -> list[str]:
    return [f"Area {n:02d}" for n in range(1, count + 1)]


def voronoi_features(count: int = 50, seed: int = 50) -> list[dict[str, Any]]:
    """``count`` areas tiling a district on New Zealand's coast (about 40 km by 25 km)."""
    rng = random.Random(seed)
    columns = 10
    rows = -(-count // columns)
    west, south, east, north = 175.0, -40.4, 175.5, -40.15
    outline = box(west, south, east, north)
    seeds = [
        Point(
            west + (east - west) * (c + 0.5 + rng.uniform(-0.3, 0.3)) / columns,
            south + (north - south) * (r + 0.5 + rng.uniform(-0.3, 0.3)) / rows,
        )
        for r in range(rows)
        for c in range(columns)
    ][:count]
    cells = voronoi_diagram(MultiPoint(seeds), envelope=outline.buffer(1))
    features = []
    for name, point in zip(area_names(count), seeds, strict=True):
        cell = next(g for g in cells.geoms if g.contains(point)).intersection(outline)
        geometry = mapping(cell.segmentize(0.002))  # real boundaries have many vertices
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "code": name[-2:]},
                "geometry": geometry,
            }
        )
    return features


def feature_collection(features: list[dict[str, Any]]) -> str:
    """One feature per line, as many published files are, so each has its own line."""
    lines = ",\n".join(json.dumps(f) for f in features)
    return f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n'


def site_with_areas(dest: Path, geojson: str, *, areas: dict[str, str] | None = None) -> Path:
    """A copy of the second portal whose ``areas:`` names a package holding ``geojson``;
    ``areas`` sets consultations' ``area:`` lines (folder: value)."""
    root = copy_site(SECOND_PORTAL, dest)
    package = root / "datasets" / PACKAGE
    (package / "data").mkdir(parents=True)
    (package / "data" / "areas.geojson").write_text(geojson, encoding="utf-8")
    descriptor = {
        "name": PACKAGE,
        "title": "Areas of the district (invented for the tests)",
        "description": "Invented boundaries for the portal's tests.",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": [
            {
                "name": "areas",
                "path": "data/areas.geojson",
                "format": "geojson",
                "mediatype": "application/geo+json",
            }
        ],
    }
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "      retention_days: 365\n", f"      retention_days: 365\n      areas: {PACKAGE}\n"
    )
    config.write_text(text, encoding="utf-8")
    for folder, value in (areas or {}).items():
        set_area(root, folder, value)
    return root


def set_area(root: Path, folder: str, value: str) -> None:
    page = root / "consultations" / folder / "index.md"
    text = re.sub(r"(?m)^area: .*$", f"area: {value}", page.read_text(encoding="utf-8"), count=1)
    page.write_text(text, encoding="utf-8")


# The second portal's consultations, in areas of the 50 (water meters is district-wide).
FIFTY_AREAS = {
    "coastal-erosion-kowhai-bay": "[Area 03, Area 04]",
    "rural-library-hours": "Area 41",
    "water-meters": "Citywide",
}
