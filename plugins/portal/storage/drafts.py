"""Drafts: a long form saved half-way ("Save and come back later"), to be finished later.

A draft is held on the server, never in the page, and found again by its resume code. Only
the code's SHA-256 is kept, so a copy of the database cannot be used to open a draft; the
code itself is shown once, to the respondent, and sent in an email only if they ask.

A draft expires when its consultation closes or when the form's retention period has
passed since it was first saved, whichever comes first (:func:`expiry`); ``portal purge``
removes expired drafts (portal.exports.retention). Submitting the finished form deletes it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, delete, select, update

from portal import clock
from portal.storage.database import ALPHABET, Storage, metadata

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("form_id", String(64), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    # The answers as posted, by field name (lists of strings): partial, never validated as
    # complete; the form page re-renders them as they were typed.
    Column("answers", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# 12 characters in 3 groups of 4 from the references' alphabet (no 0/O, 1/I/L, U): read out
# over the phone. 30**12 is about 2**59; wrong codes are rate limited (endpoint/drafts.py).
CODE_LENGTH = 12


def new_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(chars[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(typed: str) -> str | None:
    """The code as issued from what a person typed (any case, spaces or dashes), or None
    when it cannot be one."""
    chars = "".join(c for c in typed.upper() if c not in " -\t")
    if len(chars) != CODE_LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def expiry(created_at: datetime, closes: datetime | None, retention_days: int) -> datetime:
    """When a draft first saved at ``created_at`` expires: the form's close, or the end of
    its retention period counted from the first save, whichever is first."""
    until = _utc(created_at) + timedelta(days=retention_days)
    return min(until, _utc(closes)) if closes is not None else until


@dataclass(frozen=True)
class Draft:
    id: int
    form_id: str
    answers: dict[str, list[str]]
    created_at: datetime
    expires_at: datetime


def _draft(row: Any) -> Draft:
    return Draft(
        int(row.id),
        str(row.form_id),
        dict(row.answers or {}),
        _utc(row.created_at),
        _utc(row.expires_at),
    )


def find(storage: Storage, form_id: str, code: str) -> Draft | None:
    """The draft of ``form_id`` with this code (expired or not), or None."""
    with storage.engine.connect() as conn:
        row = conn.execute(
            select(drafts).where(drafts.c.code_hash == code_hash(code), drafts.c.form_id == form_id)
        ).first()
    return _draft(row) if row is not None else None


def save(
    storage: Storage,
    form_id: str,
    answers: dict[str, list[str]],
    closes: datetime | None,
    retention_days: int,
    code: str | None = None,
) -> tuple[str, Draft]:
    """Keep ``answers``: under ``code`` when it opens a live draft of this form (saved again
    after resuming), else as a new draft with a new code. Returns the code and the draft.
    An expired draft's code is not reused: saving then starts a new draft."""
    now = _utc(clock.now())
    with storage.engine.begin() as conn:
        existing = None
        if code is not None:
            existing = conn.execute(
                select(drafts).where(
                    drafts.c.code_hash == code_hash(code), drafts.c.form_id == form_id
                )
            ).first()
        if code is not None and existing is not None and _utc(existing.expires_at) > now:
            created = _utc(existing.created_at)
            expires = expiry(created, closes, retention_days)
            conn.execute(
                update(drafts)
                .where(drafts.c.id == existing.id)
                .values(answers=answers, updated_at=now, expires_at=expires)
            )
            draft = Draft(int(existing.id), form_id, answers, created, expires)
        else:
            code = new_code()
            expires = expiry(now, closes, retention_days)
            result = conn.execute(
                drafts.insert().values(
                    form_id=form_id,
                    code_hash=code_hash(code),
                    answers=answers,
                    created_at=now,
                    updated_at=now,
                    expires_at=expires,
                )
            )
            key = result.inserted_primary_key
            draft = Draft(int(key[0]) if key else 0, form_id, answers, now, expires)
    return code, draft


def remove(storage: Storage, form_id: str, code: str) -> int:
    """Delete the draft with this code (its response is stored); how many went (0 or 1)."""
    with storage.engine.begin() as conn:
        result = conn.execute(
            delete(drafts).where(drafts.c.code_hash == code_hash(code), drafts.c.form_id == form_id)
        )
    return int(result.rowcount)


def rows(storage: Storage) -> list[Draft]:
    with storage.engine.connect() as conn:
        return [_draft(r) for r in conn.execute(select(drafts).order_by(drafts.c.id))]


def remove_ids(storage: Storage, ids: list[int]) -> int:
    if not ids:
        return 0
    with storage.engine.begin() as conn:
        return int(conn.execute(delete(drafts).where(drafts.c.id.in_(ids))).rowcount)
