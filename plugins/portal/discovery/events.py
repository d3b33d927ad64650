"""What happened to each consultation, as dated events for the feed and the calendar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.discovery.history import HistoryIndex
from portal.discovery.links import host, slugify
from portal.i18n import to_translate
from portal.model.consultations import Consultation, Status
from portal.settings import Settings

CLOSING_SOON = timedelta(days=14)  # the feed's "closing soon" entry, two weeks ahead


@dataclass(frozen=True)
class Event:
    kind: str  # "opened", "closing-soon" or "outcome"
    consultation: Consultation
    when: datetime

    @property
    def label(self) -> str:
        """In English; the feed shows it in the site's language (portal.i18n)."""
        return {
            "opened": to_translate("Open for comments"),
            "closing-soon": to_translate("Closing soon"),
            "outcome": to_translate("Outcome published"),
        }[self.kind]


def closing_soon(consultation: Consultation, now: datetime) -> bool:
    return consultation.status(now) is Status.OPEN and consultation.closes - now <= CLOSING_SOON


def feed_events(
    consultations: list[Consultation], now: datetime, settings: Settings
) -> list[Event]:
    """Every event up to ``now``, newest first; forthcoming consultations have none yet."""
    events: list[Event] = []
    changes: HistoryIndex | None = None  # one git log for all outcomes, read if needed
    for c in consultations:
        status = c.status(now)
        if status is Status.FORTHCOMING:
            continue
        events.append(Event("opened", c, c.opens))
        if closing_soon(c, now):
            events.append(Event("closing-soon", c, max(c.opens, c.closes - CLOSING_SOON)))
        if status is Status.OUTCOME:
            if changes is None:
                changes = HistoryIndex.read(settings.consultations_dir, settings.tz)
            events.append(Event("outcome", c, outcome_date(c, now, changes)))
    return sorted(events, key=lambda e: (e.when, e.kind, e.consultation.slug), reverse=True)


def outcome_date(consultation: Consultation, now: datetime, changes: HistoryIndex) -> datetime:
    """When outcome.md first appeared (git, else the file's date), never before closing."""
    if consultation.outcome_source is None:
        return consultation.closes
    first = changes.of(consultation.outcome_source).first_recorded
    return min(max(first or consultation.closes, consultation.closes), now)


def stable_id(settings: Settings, consultation: Consultation, kind: str) -> str:
    """A permanent id: a tag: URI on the site's host, else a name-based UUID URN."""
    name = host(settings)
    if name:
        return f"tag:{name},{consultation.opens:%Y-%m-%d}:consultations/{consultation.slug}/{kind}"
    seed = f"{slugify(settings.site_name)}/consultations/{consultation.slug}/{kind}"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed).urn
