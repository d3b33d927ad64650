"""The staff area's tables: accounts, sessions, the audit log, tags and review decisions.

They share the responses table's metadata, so ``Storage.create()`` makes them with it (and
adds them to a database made by an earlier version). No client IP address is stored here
either: the audit log says who did what and when, not from where.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from portal.storage.database import metadata

# One row per member of staff who signs in with a password (argon2id hash, never the
# password). Staff who sign in through the council's single sign-on have no row.
staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("email", String(254), primary_key=True),
    Column("password_hash", String(256), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A signed-in browser. The cookie holds the session id, signed; only its SHA-256 is kept
# here, so a copy of the database cannot be used to sign in.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("email", String(254), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Every staff action: sign-in, sign-out, a view of personal data, an export, a tag, a
# review decision. ``detail`` never holds an answer, only what was acted on.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("who", String(254), nullable=False),
    Column("action", String(40), nullable=False),
    Column("form_id", String(64), nullable=True, index=True),
    Column("detail", String(500), nullable=False, default=""),
)

# A theme from the form's codebook attached to one free-text answer of one response.
response_tags = Table(
    "response_tags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("form_id", String(64), nullable=False, index=True),
    Column("reference", String(16), nullable=False),
    Column("question", String(64), nullable=False),
    Column("theme", String(200), nullable=False),
    Column("who", String(254), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("form_id", "reference", "question", "theme"),
)

# A publication decision made in the staff area (portal.exports.review's vocabulary:
# publish, withhold, redact). Downloaded as review.yml, committed, then it is the record.
review_decisions = Table(
    "review_decisions",
    metadata,
    Column("form_id", String(64), primary_key=True),
    Column("reference", String(16), primary_key=True),
    Column("question", String(64), primary_key=True),
    Column("decision", String(16), nullable=False),
    Column("redacted", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("who", String(254), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
