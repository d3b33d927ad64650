"""What the map template needs: each area's shape with its filter page and its counts.

The counts are those of the area's filter page (portal.discovery.facets), so the number on
the map and the list on the page it links to come from one list of consultations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal import urls
from portal.areas.coverage import is_citywide
from portal.model.consultations import Status

if TYPE_CHECKING:
    from portal.discovery.facets import FacetGroup
    from portal.site import Portal


@dataclass(frozen=True)
class MapArea:
    name: str  # in the language being built (its filter page's label)
    slug: str
    url: str  # its filter page, relative to the site root
    d: str
    x: int
    y: int
    open: int  # open consultations in it, citywide ones included
    citywide: int  # of which cover every area
    lang: str = ""  # the language the name is written in, when it has no translation


@dataclass(frozen=True)
class AreaMap:
    width: int
    height: int
    font_size: int
    areas: list[MapArea]
    dataset_url: str  # the areas' data package, for the caption

    @property
    def with_open(self) -> int:
        return sum(1 for a in self.areas if a.open)


def area_names(portal: Portal) -> list[str]:
    return portal.areas.names if portal.areas is not None else []


def area_map(portal: Portal, groups: list[FacetGroup]) -> AreaMap | None:
    """None when the site has no areas package (or its areas could not be read)."""
    if portal.areas is None or not portal.areas.areas:
        return None
    facets = {f.slug: f for g in groups if g.kind == "area" for f in g.facets}
    drawing = portal.areas.drawing
    shown = []
    for shape in drawing.shapes:
        facet = facets[shape.slug]
        open_now = [c for c in facet.consultations if c.status(portal.now) is Status.OPEN]
        shown.append(
            MapArea(
                name=facet.label,
                slug=shape.slug,
                url=facet.url,
                d=shape.d,
                x=shape.x,
                y=shape.y,
                open=len(open_now),
                citywide=sum(1 for c in open_now if is_citywide(c)),
                lang=facet.lang,
            )
        )
    return AreaMap(
        drawing.width,
        drawing.height,
        drawing.font_size,
        shown,
        urls.dataset(portal.areas.package),
    )
