"""Drawing areas: projected into the viewBox, simplified together so neighbours still share
their edges, labelled inside each area."""

from __future__ import annotations

import re
from pathlib import Path

import shapely
from shapely.geometry import Polygon, shape

from portal.areas.draw import WIDTH, draw
from portal.areas.read import Area, read_geojson
from portal.problems import Problems
from tests.areas.sites import feature_collection, voronoi_features


def areas(tmp_path: Path, count: int) -> list[Area]:
    path = tmp_path / "areas.geojson"
    path.write_text(feature_collection(voronoi_features(count)), encoding="utf-8")
    problems = Problems(tmp_path)
    found = read_geojson(path, problems)
    assert problems.items == []
    return found


def polygon(d: str) -> Polygon:
    """An SVG path of the drawing (one ring: M x y, then relative l steps) as a polygon."""
    start, steps = d.removesuffix("z").split("l")
    x, y = (float(v) for v in start[1:].split())
    points = [(x, y)]
    numbers = [float(v) for v in steps.split()]
    for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append((x, y))
    return Polygon(points)


def test_the_drawing_fills_the_viewbox_keeping_proportions(tmp_path: Path) -> None:
    drawing = draw(areas(tmp_path, 50))
    assert drawing.width == WIDTH
    shapes = [polygon(s.d) for s in drawing.shapes]
    min_x, min_y, max_x, max_y = shapely.total_bounds(shapes)
    assert min_x >= 0 and min_y >= 0 and max_x <= WIDTH and max_y <= drawing.height
    # 0.5 degrees of longitude by 0.25 of latitude at 40 degrees south: about 1.53 : 1.
    assert 1.45 < (max_x - min_x) / (max_y - min_y) < 1.6


def test_neighbours_still_share_their_edges_after_simplifying(tmp_path: Path) -> None:
    drawing = draw(areas(tmp_path, 50))
    shapes = [polygon(s.d) for s in drawing.shapes]
    assert all(s.is_valid for s in shapes)
    union = shapely.union_all(shapes)
    # No gaps and no overlaps: the pieces add up to their union, which has no holes.
    assert abs(sum(s.area for s in shapes) - union.area) < 0.001 * union.area
    assert union.geom_type == "Polygon" and not list(union.interiors)


def test_the_simplified_areas_have_far_fewer_points_than_written(tmp_path: Path) -> None:
    found = areas(tmp_path, 50)
    written = sum(shapely.get_num_coordinates(a.geometry) for a in found)
    drawn = sum(len(re.findall(r"-?[\d.]+ -?[\d.]+", s.d)) for s in draw(found).shapes)
    assert drawn < written / 5


def test_each_label_is_inside_its_area(tmp_path: Path) -> None:
    for s in draw(areas(tmp_path, 50)).shapes:
        assert (
            polygon(s.d).buffer(0.5).contains(shape({"type": "Point", "coordinates": [s.x, s.y]}))
        )
