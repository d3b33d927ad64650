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

from portal.exports.export import ExportError, load_manifests
from portal.forms import manifests as manifest_files
from portal.forms import versions
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
    renames: dict[str, versions.Renames] = {}
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
        if row["form_id"] not in renames:
            renames[row["form_id"]] = _renames(site_dir, manifest)
        personal = _personal(manifest, renames[row["form_id"]], answers)
        fields = tuple(k for k in personal if answers.get(k) not in (None, "", []))
        if fields:
            found.append(Due(row["id"], row["form_id"], row["reference"], fields, until))
    return found, unknown


def _renames(site_dir: Path, manifest: dict[str, Any]) -> versions.Renames:
    try:
        kept = versions.published(site_dir, manifest["id"])
    except (OSError, manifest_files.ManifestError) as error:
        message = f"the versions of the form '{manifest['id']}' cannot be read: {error}"
        raise ExportError(message) from None
    return versions.Renames.of(manifest, kept.values())


def _personal(
    manifest: dict[str, Any], renames: versions.Renames, answers: dict[str, Any]
) -> list[str]:
    """The keys of ``answers`` that hold personal data, under whatever id they were sent.

    A response to an earlier version keeps that version's ids: a personal question renamed
    since must still be emptied when its time comes (portal.forms.versions).
    """
    ids = {q["id"]: q for q in manifest["questions"]}
    keys = []
    for key in answers:
        current = renames.question(key)
        if current is not None and ids[current].get("personal"):
            keys.append(key)
    return keys


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
