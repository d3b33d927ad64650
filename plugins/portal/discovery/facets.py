"""Ways to narrow the consultations down: by status, by topic and by area, with counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from portal import urls
from portal.areas import coverage
from portal.discovery.links import slugify
from portal.glossary import Glossary
from portal.i18n import to_translate
from portal.model.consultations import Consultation, Status

STATUS_ORDER = [Status.OPEN, Status.FORTHCOMING, Status.CLOSED, Status.OUTCOME]
# In English, as the JSON and the endpoint have them; a page shows a status facet's name
# through its ``_`` (theme/portal/macros.html facet_label).
STATUS_NAMES = {
    Status.OPEN: to_translate("Open now"),
    Status.FORTHCOMING: to_translate("Coming up"),
    Status.CLOSED: to_translate("Closed: reading the responses"),
    Status.OUTCOME: to_translate("Closed: outcome published"),
}
KINDS = {"status": "Status", "topic": "Topic", "area": "Area"}  # pages: macros.html kind_label


@dataclass
class Facet:
    """One value of one kind ('topic' 'Transport'), and the consultations that have it.

    A topic's or area's ``label`` is in the language being built (portal.glossary), its
    ``slug`` from the default language's words, so its address is the same in each;
    ``lang`` is the language the label is written in when it has no translation."""

    kind: str
    label: str
    slug: str
    consultations: list[Consultation] = field(default_factory=list)
    lang: str = ""

    @property
    def url(self) -> str:
        return urls.facet(self.kind, self.slug)

    @property
    def count(self) -> int:
        return len(self.consultations)


@dataclass
class FacetGroup:
    kind: str
    facets: list[Facet]

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def facet_groups(
    consultations: Iterable[Consultation],
    now: datetime,
    areas: Sequence[str] = (),
    words: Glossary | None = None,
) -> list[FacetGroup]:
    """Status (every status, even empty ones), then topics and areas in alphabetical order.

    ``areas``: the names of the site's areas (portal.areas), when it has an areas package;
    ``words``: the site's words in the language being built, for the topics' and areas'
    labels (as written without it)."""
    items = list(consultations)
    statuses = [
        Facet("status", STATUS_NAMES[s], s.value, [c for c in items if c.status(now) is s])
        for s in STATUS_ORDER
    ]
    topics = _by_value(items, "topic", lambda c: c.topics)
    places = _by_area(items, areas) if areas else _by_value(items, "area", lambda c: c.area)
    return [
        FacetGroup("status", statuses),
        FacetGroup("topic", _in_words(topics, words)),
        FacetGroup("area", _in_words(places, words)),
    ]


def _in_words(facets: list[Facet], words: Glossary | None) -> list[Facet]:
    if words is None:
        return facets
    for facet in facets:
        shown = words.word(facet.label)
        facet.label, facet.lang = shown.text, shown.lang
    return sorted(facets, key=lambda f: f.label.casefold())


# -- areas from an areas package (portal.areas) ---------------------------------------------
def _by_area(items: list[Consultation], areas: Sequence[str]) -> list[Facet]:
    """Every area has its page, even with no consultation (the map links to each one); a
    citywide consultation is on every area's page, and on the 'Citywide' page too."""
    citywide = [c for c in items if coverage.is_citywide(c)]
    facets = [
        Facet(
            "area",
            name,
            coverage.slug(name),
            [c for c in items if name in coverage.covered(c, [name])],
        )
        for name in areas
    ]
    if citywide:
        facets.append(Facet("area", coverage.CITYWIDE, coverage.CITYWIDE_SLUG, citywide))
    return sorted(facets, key=lambda f: f.label.casefold())


# -- end of areas ---------------------------------------------------------------------------


def _by_value(
    items: list[Consultation], kind: str, values: Callable[[Consultation], list[str]]
) -> list[Facet]:
    # Values that differ only in case or punctuation share one page; the first spelling wins.
    found: dict[str, Facet] = {}
    members: dict[str, set[str]] = {}
    for consultation in items:
        for value in values(consultation):
            slug = slugify(value)
            facet = found.setdefault(slug, Facet(kind, value, slug))
            if consultation.slug not in members.setdefault(slug, set()):
                members[slug].add(consultation.slug)
                facet.consultations.append(consultation)
    return sorted(found.values(), key=lambda f: f.label.casefold())


def card_data(
    consultation: Consultation, now: datetime, areas: Sequence[str] = ()
) -> dict[str, str]:
    """What the filter script matches a card on: space-separated facet slugs (a citywide
    consultation matches every one of the site's ``areas``, as on the area pages)."""
    area = consultation.area
    if areas and coverage.is_citywide(consultation):
        area = [*area, coverage.CITYWIDE, *areas]
    return {
        "status": consultation.status(now).value,
        "topic": " ".join(slugify(t) for t in consultation.topics),
        "area": " ".join(dict.fromkeys(slugify(a) for a in area)),
    }
