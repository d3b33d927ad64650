"""Draw the demo's invented ward boundaries once: datasets/northbridge-wards/data/wards.geojson.

Northbridge is fictional and so are its wards. The boundaries are a Voronoi diagram of one
invented seed point per ward (placed by hand so that Northgate is in the north, Eastgate in
the east and so on, then moved a little by a fixed random seed), clipped to an invented city
outline. The output is committed as data; run this again only to redraw them:

    .venv/bin/python scripts/make_wards.py
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import voronoi_diagram

OUT = Path(__file__).resolve().parent.parent / "datasets/northbridge-wards/data/wards.geojson"
SEED = 22  # issue 22: the map by area
# Where the invented city is drawn (lon, lat of its centre; size in degrees). Nowhere real.
CENTRE = (-1.62, 53.04)
SIZE = (0.20, 0.12)
# Each ward's code (invented, like the wards) and its seed point, in a unit square
# (0, 0 south-west; 1, 1 north-east).
WARDS = {
    "Abbey": ("NB01", 0.56, 0.60),
    "Bankside": ("NB02", 0.66, 0.36),
    "Brookfield": ("NB03", 0.20, 0.28),
    "Castle": ("NB04", 0.43, 0.58),
    "Central": ("NB05", 0.50, 0.48),
    "Cromwell": ("NB06", 0.72, 0.68),
    "Eastgate": ("NB07", 0.88, 0.50),
    "Fairfield": ("NB08", 0.28, 0.62),
    "Harbour": ("NB09", 0.80, 0.24),
    "Hillside": ("NB10", 0.26, 0.84),
    "Kingsmead": ("NB11", 0.36, 0.34),
    "Marshfield": ("NB12", 0.86, 0.78),
    "Millbrook": ("NB13", 0.62, 0.86),
    "Northgate": ("NB14", 0.45, 0.88),
    "Oakwood": ("NB15", 0.12, 0.66),
    "Parkside": ("NB16", 0.60, 0.46),
    "Riverside": ("NB17", 0.52, 0.28),
    "St Anne's": ("NB18", 0.34, 0.14),
    "Southgate": ("NB19", 0.56, 0.10),
    "Westfield": ("NB20", 0.10, 0.44),
}


def outline(rng: random.Random) -> Polygon:
    """A rounded, irregular city outline around the unit square's centre."""
    points = []
    for step in range(48):
        angle = 2 * math.pi * step / 48
        radius = 0.48 + 0.04 * math.sin(3 * angle + 1) + rng.uniform(-0.015, 0.015)
        points.append((0.5 + radius * math.cos(angle), 0.5 + radius * math.sin(angle)))
    return Polygon(points)


def to_lon_lat(x: float, y: float) -> tuple[float, float]:
    lon = CENTRE[0] + (x - 0.5) * SIZE[0]
    lat = CENTRE[1] + (y - 0.5) * SIZE[1]
    return round(lon, 5), round(lat, 5)


def main() -> None:
    rng = random.Random(SEED)
    city = outline(rng)
    seeds = {
        name: Point(x + rng.uniform(-0.02, 0.02), y + rng.uniform(-0.02, 0.02))
        for name, (_, x, y) in WARDS.items()
    }
    cells = voronoi_diagram(MultiPoint(list(seeds.values())), envelope=city.buffer(1))
    features = []
    for name, seed in seeds.items():
        cell = next(c for c in cells.geoms if c.contains(seed))
        ward = cell.intersection(city)
        ring = [to_lon_lat(x, y) for x, y in ward.exterior.coords]
        shape = Polygon(ring)
        assert shape.is_valid, name
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "code": WARDS[name][0]},
                "geometry": mapping(shape),
            }
        )
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert shapely.coverage_is_valid(shapes), "the rounded wards overlap"
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n', encoding="utf-8"
    )


if __name__ == "__main__":
    main()
