"""The outbox: email waiting to be sent, written in the same transaction as its cause.

Owned by portal.mail (see there for delivery, retries and the digest). ``event_key`` is
unique, so one event (a response's copy, a form's digest for one day) makes one message,
however often it is enqueued.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from portal.storage.database import metadata

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
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(500), nullable=True),
)
