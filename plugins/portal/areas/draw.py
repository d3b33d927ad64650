"""The areas drawn as SVG shapes: projected, simplified with their shared edges kept, rounded.

- Projection: GeoJSON is longitude and latitude (WGS 84). A city or county is small enough
  for the plain equirectangular projection with longitude scaled by the cosine of the middle
  latitude: shapes keep their proportions, and nothing is needed beyond arithmetic.
- Simplification: the areas tile the city, so they are simplified together as a coverage
  (``shapely.coverage_simplify``), which moves a shared boundary once for both neighbours:
  no gaps or slivers appear between them. Areas that are not a clean coverage (they overlap)
  are simplified one by one with ``simplify(preserve_topology=True)`` instead.
- Size: the map is ``WIDTH`` units wide and coordinates are whole units, so a map of 50
  areas stays well under 60 KB (tests/areas/test_map_size.py draws 50 and measures).
- Labels: at each area's ``representative_point()``, which is always inside the area (a
  centroid may fall outside a crescent-shaped one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray

if TYPE_CHECKING:
    from portal.areas.read import Area

WIDTH = 1000  # viewBox units; the page scales the map to its column
MARGIN = 8
TOLERANCE = 1.5  # viewBox units a simplified edge may stray from the boundary
SNAP = 0.01  # viewBox units: vertices this close are one


@dataclass(frozen=True)
class Shape:
    name: str
    slug: str
    d: str  # the SVG path
    x: int  # where its label goes
    y: int


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    font_size: int
    shapes: list[Shape]

    def shape(self, slug: str) -> Shape | None:
        return next((s for s in self.shapes if s.slug == slug), None)


def draw(areas: Sequence[Area]) -> Drawing:
    if not areas:
        return Drawing(WIDTH, 0, 0, [])
    geometries = [a.geometry for a in areas]
    min_x, min_y, max_x, max_y = shapely.total_bounds(geometries)
    squash = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * squash, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / span_x
    height = round((max_y - min_y) * scale + 2 * MARGIN)

    def project(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x = (coords[:, 0] - min_x) * squash * scale + MARGIN
        y = (max_y - coords[:, 1]) * scale + MARGIN  # SVG's y grows downwards
        return np.column_stack([x, y])

    # Snapped to a fine grid first: boundaries drawn from two sides rarely agree to the last
    # decimal, and only a clean coverage can be simplified as one.
    projected = [shapely.set_precision(shapely.transform(g, project), SNAP) for g in geometries]
    simplified = _simplify(projected)
    rounded = [_rounded(s, p) for s, p in zip(simplified, projected, strict=True)]
    sizes = [math.sqrt(g.area) for g in projected]
    font_size = round(min(26.0, max(11.0, median(sizes) / 8)))  # two lines fit a typical area
    shapes = []
    for area, shape in zip(areas, rounded, strict=True):
        point = shape.representative_point()
        shapes.append(Shape(area.name, area.slug, _path(shape), round(point.x), round(point.y)))
    return Drawing(WIDTH, height, font_size, shapes)


def _simplify(geometries: list[shapely.Geometry]) -> list[shapely.Geometry]:
    if bool(shapely.coverage_is_valid(geometries)):
        return list(shapely.coverage_simplify(geometries, TOLERANCE))
    return [g.simplify(TOLERANCE, preserve_topology=True) for g in geometries]


def _rounded(shape: shapely.Geometry, original: shapely.Geometry) -> shapely.Geometry:
    """On the whole-unit grid; a sliver of an area that rounding would lose keeps its shape."""
    snapped = shapely.set_precision(shape, 1.0)
    return snapped if not snapped.is_empty else shapely.set_precision(original, 0.1)


def _path(shape: shapely.Geometry) -> str:
    """Absolute move, then relative lines: short numbers, since neighbours are close."""
    polygons = getattr(shape, "geoms", [shape])
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [(_num(x), _num(y)) for x, y in ring.coords[:-1]]
            if len(coords) < 3:
                continue
            (x0, y0), rest = coords[0], coords[1:]
            steps = []
            px, py = x0, y0
            for x, y in rest:
                steps.append(f"{_fmt(x - px)} {_fmt(y - py)}")
                px, py = x, y
            parts.append(f"M{_fmt(x0)} {_fmt(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def _num(value: float) -> float:
    return round(value, 1)


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
