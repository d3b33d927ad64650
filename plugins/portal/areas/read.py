"""Reading the areas package: its GeoJSON resource, checked area by area at its line.

Decisions, written down here and in the publishers' guide ("Areas and the map"):

- The site names its areas package with the portal plugin's option ``areas:`` in mkdocs.yml,
  the folder's name in ``datasets/`` (``areas: northbridge-wards``). It is published as a
  dataset like any other; the option only says which one the map is drawn from.
- The areas are the package's first resource whose ``format`` is ``geojson`` (or whose path
  ends in ``.geojson``): a FeatureCollection of Polygon or MultiPolygon features in WGS 84
  longitude and latitude, as GeoJSON (RFC 7946) requires.
- Each feature's name is its ``name`` property (what consultations write in ``area:``) and
  its optional code its ``code`` property: the convention of most published boundary files,
  so a package needs no extra schema to say so.

JSON gives no positions, so a feature's line is found from the text: the n-th
``"type": "Feature"`` is the n-th feature (when the counts agree; else the file's line 1).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.areas.coverage import CITYWIDE, CITYWIDE_SLUG, slug
from portal.fields import did_you_mean
from portal.model.consultations import Consultation
from portal.problems import Problems
from portal.settings import Settings

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from portal.areas.draw import Drawing

CODE = "areas-invalid"
FEATURE = re.compile(r'"type"\s*:\s*"Feature"(?!Collection)')
SHAPES = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class Area:
    name: str
    code: str
    geometry: BaseGeometry  # longitude and latitude, as written
    line: int

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass
class Areas:
    package: str
    source: Path
    areas: list[Area] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.areas]

    @cached_property
    def drawing(self) -> Drawing:
        """The map's shapes, drawn once per build (every page with the map shares them)."""
        from portal.areas.draw import draw

        return draw(self.areas)


def read_areas(settings: Settings, problems: Problems) -> Areas | None:
    """The areas of the package ``areas:`` names, or None (with a problem if it is wrong).

    The package itself is read and validated as a dataset too (portal.datasets); this
    reports only what the map needs, so a missing file is said once, by the dataset reader.
    """
    if not settings.areas:
        return None
    folder = settings.datasets_dir / settings.areas
    descriptor = folder / "datapackage.json"
    config = settings.root / "mkdocs.yml"
    if not descriptor.is_file():
        known = sorted(p.parent.name for p in settings.datasets_dir.glob("*/datapackage.json"))
        problems.add(
            config,
            _option_line(config),
            f"the portal option 'areas' names '{settings.areas}', which is not a data "
            "package in datasets/",
            did_you_mean(settings.areas, known)
            or "name the folder in datasets/ of the package that holds the areas' GeoJSON",
            CODE,
        )
        return None
    try:
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # the dataset reader reports it, with its line
    resources = data.get("resources") if isinstance(data, dict) else None
    found = next((r for r in resources or [] if _is_geojson(r)), None)
    if found is None:
        problems.add(
            descriptor,
            None,
            f"the areas package '{settings.areas}' has no GeoJSON resource",
            'add a resource with "format": "geojson" whose path is a GeoJSON file of the areas',
            CODE,
        )
        return None
    path = folder / str(found["path"])
    if not path.is_file():
        return None  # the dataset reader reports the missing file
    areas = Areas(settings.areas, path)
    areas.areas = read_geojson(path, problems)
    return areas


def _is_geojson(resource: Any) -> bool:
    if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
        return False
    return str(resource.get("format", "")).lower() == "geojson" or resource["path"].endswith(
        ".geojson"
    )


def _option_line(config: Path) -> int | None:
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, text in enumerate(lines, 1) if re.match(r"\s+areas\s*:", text)), None)


def read_geojson(path: Path, problems: Problems) -> list[Area]:
    """Every area of a GeoJSON FeatureCollection; each problem at its feature's line."""
    from shapely.errors import GEOSException
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, None, f"cannot read the areas' GeoJSON: {error}", "save it as UTF-8")
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(
            path,
            error.lineno,
            f"the areas' GeoJSON is not valid JSON: {error.msg}",
            "check for a missing comma, bracket or quote near this line",
            CODE,
        )
        return []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.add(
            path,
            1,
            "the areas' GeoJSON must be a FeatureCollection",
            'write it as {"type": "FeatureCollection", "features": [...]}, one Feature per area',
            CODE,
        )
        return []
    features = data.get("features")
    if not isinstance(features, list) or not features:
        problems.add(
            path,
            _key_line(text, "features"),
            "the areas' GeoJSON has no features",
            'add one Feature per area under "features"',
            CODE,
        )
        return []
    starts = [text.count("\n", 0, m.start()) + 1 for m in FEATURE.finditer(text)]
    lines = starts if len(starts) == len(features) else [1] * len(features)
    areas: list[Area] = []
    seen: dict[str, Area] = {}
    for number, (feature, line) in enumerate(zip(features, lines, strict=True), start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.add(
                path, line, f"{where} is not a GeoJSON Feature", 'give it "type": "Feature"', CODE
            )
            continue
        properties = feature.get("properties")
        name = properties.get("name") if isinstance(properties, dict) else None
        if not isinstance(name, str) or not name.strip():
            problems.add(
                path,
                line,
                f"{where} has no name",
                "give it a \"name\" property: the name consultations use in 'area:'",
                CODE,
            )
            continue
        name = name.strip()
        where = f"area '{name}'"
        code = properties.get("code") if isinstance(properties, dict) else None
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict):
            problems.add(
                path,
                line,
                f"{where} has no geometry",
                "give it its boundary as a Polygon or MultiPolygon geometry",
                CODE,
            )
            continue
        try:
            geom = shape(geometry)
        except (GEOSException, ValueError, TypeError, AttributeError, KeyError, IndexError):
            problems.add(
                path,
                line,
                f"the geometry of {where} cannot be read",
                "write it as a GeoJSON Polygon or MultiPolygon with [longitude, latitude] "
                "coordinates",
                CODE,
            )
            continue
        if geom.geom_type not in SHAPES or geom.is_empty:
            problems.add(
                path,
                line,
                f"the geometry of {where} is a {geom.geom_type}, not an area",
                "give it its boundary as a Polygon or MultiPolygon",
                CODE,
            )
            continue
        if not geom.is_valid:
            problems.add(
                path,
                line,
                f"the boundary of {where} is not a valid polygon: {explain_validity(geom)}",
                "redraw the boundary so its edges do not cross (QGIS's 'Fix geometries' or "
                "shapely's make_valid can repair it)",
                CODE,
            )
            continue
        if slug(name) == CITYWIDE_SLUG:
            problems.add(
                path,
                line,
                f"an area cannot be called '{name}': '{CITYWIDE}' means every area",
                "give the area another name",
                CODE,
            )
            continue
        if (first := seen.get(slug(name))) is not None:
            problems.add(
                path,
                line,
                f"{where} is named twice (also at line {first.line} as '{first.name}')",
                "give each area a different name, or join the two into one MultiPolygon",
                CODE,
            )
            continue
        area = Area(name, str(code) if code is not None else "", geom, line)
        seen[slug(name)] = area
        areas.append(area)
    return sorted(areas, key=lambda a: a.name.casefold())


def _key_line(text: str, key: str) -> int:
    match = re.search(re.escape(json.dumps(key)) + r"\s*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def check_consultation_areas(
    consultations: list[Consultation], areas: Areas, problems: Problems
) -> None:
    """Every name in a consultation's ``area:`` is one of the areas, or ``Citywide``."""
    known = {a.slug for a in areas.areas}
    if not known:
        return  # the GeoJSON's own problems say why
    choices = [*areas.names, CITYWIDE]
    for consultation in consultations:
        for value in consultation.area:
            if slug(value) in known or slug(value) == CITYWIDE_SLUG:
                continue
            problems.add(
                consultation.source,
                _area_line(consultation.source, value),
                f"'{value}' is not one of the areas in datasets/{areas.package}/",
                _which(value, choices, areas.names),
                "area-unknown",
            )


def _which(value: str, choices: list[str], names: list[str]) -> str:
    every = f"'{CITYWIDE}' for a consultation that covers every area"
    if close := did_you_mean(value, choices):
        return f"{close} Or write {every}"
    return f"write one of: {', '.join(names)}; or {every}"


def _area_line(source: Path, value: str) -> int | None:
    """The line of ``value`` under ``area:`` in the front matter (``area: X`` or a list)."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    start = next((n for n, text in enumerate(lines) if text.startswith("area:")), None)
    if start is None:
        return None
    for n in range(start, len(lines)):
        if n > start and lines[n] and not lines[n].startswith((" ", "-")):
            break
        if value in lines[n]:
            return n + 1
    return start + 1
