"""Retention: personal answers are removed once a form's retention period has passed.

The period is ``retention_days`` in the form manifest (the site default, overridable per
form), counted from the form's closing instant, or from when the response was received for
a form that never closes. When it has passed, every personal answer of the response is set
to null (anonymised); the rest of the response stays, for the published results.

A response to a form the site no longer has cannot be told apart into personal and other
answers, so once the site's default period has passed since it was received, all of its
answers are removed: the privacy notice promises deletion, not a best effort.

The outbox and the audit log are purged too (:func:`records_due`): sent email once its
form's retention has passed since it was sent (a digest's after DIGEST_DAYS), a copy of
answers never sent once its form's retention has ended, and audit entries after AUDIT_DAYS.

Drafts (forms saved to finish later, portal.storage.drafts) go once they expire: when their
consultation closes or their form's retention has passed since the first save, whichever
is first (:func:`drafts_due`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from portal.exports.export import ExportError, load_manifests
from portal.forms import manifests as manifest_files
from portal.forms import versions
from portal.storage import Storage, responses
from portal.storage import drafts as saved_drafts
from portal.storage.outbox import DIGEST, outbox
from portal.storage.staff import audit_log

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


# -- the outbox and the audit log ------------------------------------------------------
# A digest holds counts and links only; a month of them answers "did the contact hear?".
DIGEST_DAYS = 30
# About 13 months: a question about a year's work ("who exported these responses last
# spring?", an annual audit, a complaint about a consultation that closed a year ago) can
# still be answered, with a month for the question to arrive. PORTAL_AUDIT_DAYS changes it.
AUDIT_DAYS = 400


@dataclass(frozen=True)
class Records:
    """What the outbox and the audit log would lose now (ids, and the audit cut-off)."""

    sent_emails: tuple[int, ...]
    unsent_copies: tuple[int, ...]
    audit_before: datetime
    audit_entries: int
    audit_days: int


def audit_days(environ: dict[str, str] | None = None) -> int:
    value = (environ if environ is not None else os.environ).get("PORTAL_AUDIT_DAYS", "").strip()
    if not value:
        return AUDIT_DAYS
    if not value.isdigit() or int(value) < 1:
        raise ExportError(
            f"PORTAL_AUDIT_DAYS={value!r} is not a number of days; give a whole number such "
            f"as 400, or leave it unset for {AUDIT_DAYS} (about 13 months)"
        )
    return int(value)


def records_due(
    storage: Storage, site_dir: Path, now: datetime, default_days: int, audit_days: int
) -> Records:
    """Sent email past its form's retention (a digest's: DIGEST_DAYS), copies never sent
    whose form's retention has ended (they hold the answers, which cannot outlive it), and
    audit log entries older than ``audit_days``."""
    manifests = load_manifests(site_dir)
    sent: list[int] = []
    unsent: list[int] = []
    columns = (outbox.c.id, outbox.c.kind, outbox.c.form_id, outbox.c.created_at, outbox.c.sent_at)
    cutoff = now.astimezone(UTC) - timedelta(days=audit_days)
    with storage.engine.connect() as conn:
        rows = conn.execute(select(*columns)).all()
        entries = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.at < cutoff)
        ).scalar()
    for row in rows:
        manifest = manifests.get(row.form_id or "")
        if row.sent_at is not None:
            days = (
                DIGEST_DAYS
                if row.kind == DIGEST
                else int(manifest["retention_days"])
                if manifest
                else default_days
            )
            if now >= _aware(row.sent_at) + timedelta(days=days):
                sent.append(row.id)
        elif row.kind != DIGEST:
            created = _aware(row.created_at)
            until = (
                expiry(manifest, created) if manifest else created + timedelta(days=default_days)
            )
            if now >= until:
                unsent.append(row.id)
    return Records(tuple(sent), tuple(unsent), cutoff, int(entries or 0), audit_days)


def purge_records(storage: Storage, records: Records) -> tuple[int, int, int]:
    """Remove them: (sent emails, unsent copies, audit entries) removed."""
    with storage.engine.begin() as conn:
        # Only rows still as they were read: a copy sent meanwhile is a sent email now.
        removed_sent = (
            conn.execute(
                delete(outbox).where(
                    outbox.c.id.in_(records.sent_emails), outbox.c.sent_at.is_not(None)
                )
            ).rowcount
            if records.sent_emails
            else 0
        )
        removed_unsent = (
            conn.execute(
                delete(outbox).where(
                    outbox.c.id.in_(records.unsent_copies), outbox.c.sent_at.is_(None)
                )
            ).rowcount
            if records.unsent_copies
            else 0
        )
        audit = conn.execute(delete(audit_log).where(audit_log.c.at < records.audit_before))
    return int(removed_sent), int(removed_unsent), int(audit.rowcount)


# -- drafts (save and return) ------------------------------------------------------------
def drafts_due(storage: Storage, site_dir: Path, now: datetime) -> tuple[int, ...]:
    """The ids of drafts expired at ``now``: past the expiry stored when they were saved,
    or past the one their form gives now (a closing date brought forward counts)."""
    manifests = load_manifests(site_dir)
    due: list[int] = []
    for draft in saved_drafts.rows(storage):
        until = draft.expires_at
        manifest = manifests.get(draft.form_id)
        if manifest is not None:
            closes = manifest.get("closes")
            until = min(
                until,
                saved_drafts.expiry(
                    draft.created_at,
                    datetime.fromisoformat(closes) if closes else None,
                    int(manifest["retention_days"]),
                ),
            )
        if now >= until:
            due.append(draft.id)
    return tuple(due)


def purge_drafts(storage: Storage, ids: tuple[int, ...]) -> int:
    return saved_drafts.remove_ids(storage, list(ids))
