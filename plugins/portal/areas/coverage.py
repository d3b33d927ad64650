"""Which areas a consultation covers: the areas its ``area:`` names, or every one.

A consultation whose ``area:`` says ``Citywide`` (in any case), or that names no area at all,
covers every area of the site: it is counted on every area's filter page and in every area
on the map, and the pages say it is citywide. Without an areas package (``areas:`` unset)
``area:`` is free text, as it always was.
"""

from __future__ import annotations

from collections.abc import Sequence

from portal import slugs
from portal.model.consultations import Consultation

CITYWIDE = "Citywide"


def slug(text: str) -> str:
    """The filter-page slug of an area name (the same rule as every filter page)."""
    return slugs.slugify(text, fallback="other")


CITYWIDE_SLUG = slug(CITYWIDE)


def is_citywide(consultation: Consultation) -> bool:
    return not consultation.area or any(slug(a) == CITYWIDE_SLUG for a in consultation.area)


def covered(consultation: Consultation, areas: Sequence[str]) -> list[str]:
    """The names (of ``areas``) that ``consultation`` counts in."""
    if is_citywide(consultation):
        return list(areas)
    named = {slug(a) for a in consultation.area}
    return [a for a in areas if slug(a) in named]
