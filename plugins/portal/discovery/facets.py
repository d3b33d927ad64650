"""Ways to narrow the consultations down: by status, by topic and by area, with counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from portal import urls
from portal.discovery.links import slugify
from portal.model.consultations import Consultation, Status

STATUS_ORDER = [Status.OPEN, Status.FORTHCOMING, Status.CLOSED, Status.OUTCOME]
STATUS_NAMES = {
    Status.OPEN: "Open now",
    Status.FORTHCOMING: "Coming up",
    Status.CLOSED: "Closed: reading the responses",
    Status.OUTCOME: "Closed: outcome published",
}
KINDS = {"status": "Status", "topic": "Topic", "area": "Area"}


@dataclass
class Facet:
    """One value of one kind ('topic' 'Transport'), and the consultations that have it."""

    kind: str
    label: str
    slug: str
    consultations: list[Consultation] = field(default_factory=list)

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


def facet_groups(consultations: Iterable[Consultation], now: datetime) -> list[FacetGroup]:
    """Status (every status, even empty ones), then topics and areas in alphabetical order."""
    items = list(consultations)
    statuses = [
        Facet("status", STATUS_NAMES[s], s.value, [c for c in items if c.status(now) is s])
        for s in STATUS_ORDER
    ]
    return [
        FacetGroup("status", statuses),
        FacetGroup("topic", _by_value(items, "topic", lambda c: c.topics)),
        FacetGroup("area", _by_value(items, "area", lambda c: c.area)),
    ]


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


def card_data(consultation: Consultation, now: datetime) -> dict[str, str]:
    """What the filter script matches a card on: space-separated facet slugs."""
    return {
        "status": consultation.status(now).value,
        "topic": " ".join(slugify(t) for t in consultation.topics),
        "area": " ".join(slugify(a) for a in consultation.area),
    }
