"""The audit log: who did what in the staff area, and when; never from where.

Every sign-in (and refused sign-in), sign-out, view of personal data, export, tag and
review decision is one row. ``portal purge`` removes rows older than the audit retention
(portal.exports.retention), so the log is not kept forever either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from portal import clock
from portal.storage import Storage
from portal.storage.staff import audit_log

SIGN_IN = "sign-in"
SIGN_IN_REFUSED = "sign-in-refused"
SIGN_OUT = "sign-out"
VIEW_PERSONAL = "view-personal"
EXPORT = "export"
TAG = "tag"
UNTAG = "untag"
REVIEW = "review"
ACCOUNT_ADDED = "account-added"
ACCOUNT_REMOVED = "account-removed"
DETAIL_LIMIT = 500


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    action: str
    form_id: str | None
    detail: str


def record(
    storage: Storage, who: str, action: str, *, form_id: str | None = None, detail: str = ""
) -> None:
    """Write one entry now. ``detail`` names what was acted on, never an answer."""
    with storage.engine.begin() as conn:
        conn.execute(
            insert(audit_log),
            {
                "at": clock.now().astimezone(UTC),
                "who": who[:254],
                "action": action,
                "form_id": form_id,
                "detail": detail[:DETAIL_LIMIT],
            },
        )


def recent(storage: Storage, *, form_id: str | None = None, limit: int = 50) -> list[Entry]:
    """The newest entries first, all of them or one form's."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if form_id is not None:
        query = query.where(audit_log.c.form_id == form_id)
    with storage.engine.connect() as conn:
        return [
            Entry(r.at, r.who, r.action, r.form_id, r.detail) for r in conn.execute(query).all()
        ]
