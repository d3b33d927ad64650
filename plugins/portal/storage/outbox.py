"""The outbox: email waiting to be sent, written in the same transaction as its cause.

Owned by portal.mail (see there for delivery, retries and the digest). ``event_key`` is
unique, so one event (a response's copy, a contact's digest for one day) makes one message,
however often it is enqueued: a resubmitted response, or the digest command run twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, Text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal import clock
from portal.storage.database import metadata

COPY = "copy"
DIGEST = "digest"
ALERT = "alert"
ALERT_CONFIRM = "alert-confirm"
# A draft's resume link, asked for when saving a form to finish later (portal.endpoint.drafts).
RESUME = "resume"
# Messages to members of the public: their address (and a copy's answers) is cleared once
# the message is sent. A digest goes to a team's contact address and is kept as sent.
PERSONAL_KINDS = (COPY, ALERT, ALERT_CONFIRM, RESUME)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("form_id", String(64), nullable=True, index=True),
    # Cleared once sent: a copy's address and answers are kept only until then.
    Column("recipient", String(254), nullable=True),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=True),
    # Stamps (created, sent) come from portal.clock, as every other stamp does; the
    # schedule (next attempt, claim) is real time: see portal.mail.deliver.
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(500), nullable=True),
    # For alerts (portal.alerts): the address that stops them, sent as List-Unsubscribe.
    Column("unsubscribe_url", String(500), nullable=True),
)


@dataclass(frozen=True)
class Pending:
    """A message to queue with a response, written once the row has its reference.

    ``compose`` takes the reference and the answers as stored and returns the subject and
    body: the reference is drawn inside the write (portal.storage.database), so the text
    cannot be made before; and a resubmission keeps the first answers, which the copy of
    it must show, not the ones sent again.
    """

    event_key: str
    kind: str
    form_id: str
    recipient: str
    compose: Callable[[str, dict[str, Any]], tuple[str, str]]


def utc(moment: datetime) -> datetime:
    """An instant as stored: UTC (SQLite keeps no offset, so every value must share one)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def real_now() -> datetime:
    """The real time, for the delivery schedule only (see portal.mail.deliver)."""
    return datetime.now(UTC)


def enqueue(
    conn: Connection,
    event_key: str,
    kind: str,
    form_id: str | None,
    recipient: str,
    subject: str,
    body: str,
    *,
    unsubscribe_url: str | None = None,
) -> bool:
    """Queue one message on ``conn``, in its caller's transaction; False if the event
    already made one (INSERT ... ON CONFLICT (event_key) DO NOTHING)."""
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
    statement = dialect_insert(outbox).on_conflict_do_nothing(index_elements=["event_key"])
    result = conn.execute(
        statement,
        {
            "event_key": event_key[:200],
            "kind": kind,
            "form_id": form_id,
            "recipient": recipient[:254],
            "subject": subject[:300],
            "body": body,
            "created_at": utc(clock.now()),
            "attempts": 0,
            "next_attempt_at": real_now(),
            "claimed_until": None,
            "sent_at": None,
            "last_error": None,
            "unsubscribe_url": unsubscribe_url,
        },
    )
    return bool(result.rowcount)
