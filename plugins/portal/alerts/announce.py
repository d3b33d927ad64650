"""What a build published that subscribers should hear of: new consultations and outcomes.

The built site's api/consultations.json is the record (drafts are never in it). Each
event, a consultation first seen ("new") or its outcome first published ("outcome"), is
written to alert_events in the same transaction as the alerts it makes, with INSERT ... ON
CONFLICT DO NOTHING, so of several endpoint processes exactly one announces it, and the
outbox's event keys make one email per subscriber and event, however often this runs.

The first time a database sees a site, every event already there is recorded without an
email: subscribers hear of what is published after they subscribed, not of the archive.
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

from portal import clock, urls
from portal.alerts.subscriptions import Subscriber, confirmed
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


def subject(event: Published) -> str:
    if event.kind == "outcome":
        return f"Outcome published: {event.title}"
    return f"New consultation: {event.title}"


def body(event: Published, subscriber: Subscriber, base_url: str) -> str:
    url = event.url if event.url.startswith("http") else base_url + event.url
    lead = (
        "We have published what we decided after this consultation."
        if event.kind == "outcome"
        else "We have published a new consultation."
    )
    return (
        f"{lead}\n\n{event.title}\n\n{event.summary}\n\nRead it: {url}\n\n"
        f"You get these emails because you asked for alerts {subscriber.choice.describe()}.\n"
        f"Stop all alerts: {subscriber.unsubscribe_url}\n"
    )


def announce(storage: Storage, site_dir: Path) -> int:
    """Queue the alerts for what is new in the built site; how many emails were queued."""
    events = published(site_dir)
    if not events:
        return 0
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
                queued += enqueue(
                    conn,
                    f"{ALERT}:{subscriber.id}:{event.kind}:{event.slug}",
                    ALERT,
                    None,
                    subscriber.email,
                    subject(event),
                    body(event, subscriber, subscriber.base_url),
                    unsubscribe_url=subscriber.unsubscribe_url,
                )
        if first_time:
            conn.execute(dialect_insert(alert_events).on_conflict_do_nothing(), rows[-1])
    if queued:
        log.info("queued %d alert emails", queued)
    return queued
