"""Retention: personal answers are removed once a form's retention period has passed.

The period is ``retention_days`` in the form manifest (the site default, overridable per
form), counted from the form's closing instant, or from when the response was received for
a form that never closes. When it has passed, every personal answer of the response is set
to null (anonymised); the rest of the response stays, for the published results.

A response to a form the site no longer has cannot be told apart into personal and other
answers, so once the site's default period has passed since it was received, all of its
answers are removed: the privacy notice promises deletion, not a best effort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from portal.exports.export import load_manifests
from portal.storage import Storage, responses

EVERYTHING = ("*",)  # every answer: the form, and so which answers are personal, is gone


@dataclass(frozen=True)
class Due:
    row_id: int
    form_id: str
    reference: str
    fields: tuple[str, ...]
    since: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expiry(manifest: dict[str, Any], received_at: datetime) -> datetime:
    closes = manifest.get("closes")
    start = _aware(datetime.fromisoformat(closes) if closes else received_at)
    return start + timedelta(days=int(manifest["retention_days"]))


def due(
    storage: Storage, site_dir: Path, now: datetime, default_days: int
) -> tuple[list[Due], set[str]]:
    """What would be anonymised now, and the ids of stored forms the site lacks."""
    manifests = load_manifests(site_dir)
    found: list[Due] = []
    unknown: set[str] = set()
    for row in storage.rows():
        manifest = manifests.get(row["form_id"])
        if manifest is None:
            unknown.add(row["form_id"])
            until = _aware(row["received_at"]) + timedelta(days=default_days)
            if now >= until and row["answers"]:
                found.append(Due(row["id"], row["form_id"], row["reference"], EVERYTHING, until))
            continue
        until = expiry(manifest, row["received_at"])
        if now < until:
            continue
        answers = row["answers"] or {}
        fields = tuple(
            q["id"]
            for q in manifest["questions"]
            if q.get("personal") and answers.get(q["id"]) not in (None, "", [])
        )
        if fields:
            found.append(Due(row["id"], row["form_id"], row["reference"], fields, until))
    return found, unknown


def purge(storage: Storage, items: list[Due]) -> int:
    with storage.engine.begin() as conn:
        for item in items:
            answers = (
                conn.execute(responses.select().where(responses.c.id == item.row_id))
                .mappings()
                .one()["answers"]
            )
            if item.fields == EVERYTHING:
                cleaned: dict[str, Any] = {}
            else:
                cleaned = {k: (None if k in item.fields else v) for k, v in answers.items()}
            conn.execute(
                update(responses).where(responses.c.id == item.row_id).values(answers=cleaned)
            )
    return len(items)
