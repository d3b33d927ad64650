"""What a build published that subscribers should hear of: new consultations and outcomes.

The built site's api/consultations.json is the record (drafts are never in it). Each
event, a consultation first seen ("new") or its outcome first published ("outcome"), is
written to alert_events in the same transaction as the alerts it makes, with INSERT ... ON
CONFLICT DO NOTHING, so of several endpoint processes exactly one announces it, and the
outbox's event keys make one email per subscriber and event, however often this runs.

The first time a database sees a site, every event already there is recorded without an
email: subscribers hear of what is published after they subscribed, not of the archive.

Each subscriber hears in the language they subscribed in (issue 21): the email's words are
the portal's in it, and the consultation's title, summary and address are its page's in that
language (the language's own api/consultations.json, ``cy/api/...``). A consultation not
published in their language is announced with its default language's words, and says so.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal import clock, i18n, urls
from portal.alerts.subscriptions import Subscriber, confirmed
from portal.endpoint.pages import site_language
from portal.i18n import Words
from portal.storage import Storage
from portal.storage.alerts import alert_events
from portal.storage.outbox import ALERT, enqueue

log = logging.getLogger("portal.alerts")
SEEDED = ("seeded", "")  # the marker that this database has seen a site before


@dataclass(frozen=True)
class Published:
    kind: str  # "new" or "outcome"
    slug: str
    title: str
    summary: str
    url: str
    closes: str
    topics: list[str]
    areas: list[str]


def published(site_dir: Path) -> list[Published]:
    """Every event the built site shows, oldest consultation first."""
    path = site_dir / urls.API_CONSULTATIONS
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # no site yet, or one being replaced: nothing to announce this time
    site = document.get("site") or ""
    events = []
    for c in document.get("consultations", []):
        url = str(c.get("url", ""))
        if url.startswith("/") and isinstance(site, str) and site.startswith("http"):
            url = site.rstrip("/") + url
        base = Published(
            kind="new",
            slug=str(c["slug"]),
            title=str(c["title"]),
            summary=str(c.get("summary", "")),
            url=url,
            closes=str(c.get("closes", "")),
            topics=[str(t) for t in c.get("topics") or []],
            areas=[str(a) for a in c.get("area") or []],
        )
        events.append(base)
        if c.get("outcome_published"):
            events.append(replace(base, kind="outcome"))
    return events


def subject(event: Published, _: Words = i18n.ENGLISH) -> str:
    if event.kind == "outcome":
        return _("Outcome published: {title}", title=event.title)
    return _("New consultation: {title}", title=event.title)


def body(
    event: Published,
    subscriber: Subscriber,
    base_url: str,
    _: Words = i18n.ENGLISH,
    only_in: str = "",
) -> str:
    """The alert; ``only_in``: the language the consultation is published in, when it is
    not the subscriber's (its words are then that language's, and the email says so)."""
    url = event.url if event.url.startswith("http") else base_url + event.url
    lead = (
        _("We have published what we decided after this consultation.")
        if event.kind == "outcome"
        else _("We have published a new consultation.")
    )
    title = event.title
    if only_in:
        name = i18n.language_name(only_in, _.language)
        title += " (" + _("In {language} only", language=name) + ")"
    read = _("Read it: {url}", url=url)
    why = _(
        "You get these emails because you asked for alerts {chosen}.",
        chosen=subscriber.choice.describe(_),
    )
    stop = _("Stop all alerts: {url}", url=subscriber.unsubscribe_url)
    return f"{lead}\n\n{title}\n\n{event.summary}\n\n{read}\n\n{why}\n{stop}\n"


class Translated:
    """The events of each language's build, for the subscribers who read that language."""

    def __init__(self, site_dir: Path, locale_dir: Path | None) -> None:
        self.site_dir = site_dir
        self.locale_dir = locale_dir
        self.default = site_language(site_dir)
        self.events: dict[str, dict[tuple[str, str], Published]] = {}

    def words(self, subscriber: Subscriber) -> Words:
        return i18n.chosen(subscriber.language or self.default, self.locale_dir)

    def event(self, event: Published, language: str) -> tuple[Published, str]:
        """``event`` as the build in ``language`` published it, and ''; or, if that build
        does not have it, the default build's and the default language."""
        if not language or language == self.default or "/" in language or ".." in language:
            return event, ""
        if language not in self.events:
            found = published(self.site_dir / language)
            self.events[language] = {(e.kind, e.slug): e for e in found}
        translated = self.events[language].get((event.kind, event.slug))
        return (translated, "") if translated else (event, self.default)


def announce(storage: Storage, site_dir: Path, locale_dir: Path | None = None) -> int:
    """Queue the alerts for what is new in the built site; how many emails were queued."""
    events = published(site_dir)
    if not events:
        return 0
    languages = Translated(site_dir, locale_dir)
    queued = 0
    now = clock.now().astimezone(UTC)
    with storage.engine.begin() as conn:
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
        first_time = (
            conn.execute(
                select(alert_events.c.kind).where(
                    alert_events.c.kind == SEEDED[0], alert_events.c.slug == SEEDED[1]
                )
            ).first()
            is None
        )
        subscribers = [] if first_time else confirmed(conn)
        rows: list[dict[str, Any]] = [
            {"kind": e.kind, "slug": e.slug, "seen_at": now} for e in events
        ]
        if first_time:
            rows.append({"kind": SEEDED[0], "slug": SEEDED[1], "seen_at": now})
        for event, row in zip(events, rows, strict=False):
            new = conn.execute(dialect_insert(alert_events).on_conflict_do_nothing(), row)
            if not new.rowcount or first_time:
                continue
            for subscriber in subscribers:
                if not subscriber.choice.matches(event.topics, event.areas):
                    continue
                _ = languages.words(subscriber)
                shown, only_in = languages.event(event, _.language)
                queued += enqueue(
                    conn,
                    f"{ALERT}:{subscriber.id}:{event.kind}:{event.slug}",
                    ALERT,
                    None,
                    subscriber.email,
                    subject(shown, _),
                    body(shown, subscriber, subscriber.base_url, _, only_in),
                    unsubscribe_url=subscriber.unsubscribe_url,
                )
        if first_time:
            conn.execute(dialect_insert(alert_events).on_conflict_do_nothing(), rows[-1])
    if queued:
        log.info("queued %d alert emails", queued)
    return queued
