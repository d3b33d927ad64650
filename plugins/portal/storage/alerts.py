"""Email alerts' tables: who asked to hear of new consultations, and what has been announced.

A subscription is personal data (an email address): it is kept only while it is wanted.
An unconfirmed one goes after a week, an unsubscribed one at once (portal.alerts). The
confirmation token is kept as its SHA-256 only; the unsubscribe token is kept as it is,
because every alert must carry it, and it can do nothing but unsubscribe.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table

from portal.storage.database import metadata

alert_subscriptions = Table(
    "alert_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, index=True),
    # The topics and areas chosen; both empty: every new consultation and outcome.
    Column("topics", JSON, nullable=False),
    Column("areas", JSON, nullable=False),
    # The public address the person subscribed at, for the links in their emails.
    Column("base_url", String(300), nullable=False),
    Column("confirm_hash", String(64), nullable=True, index=True),
    Column("unsubscribe_token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    # The language of the page the person subscribed on (issue 21): their emails, and the
    # pages their links open, are in it. None for subscriptions made before it was kept
    # (added to older tables by Storage._add_missing_columns): the site's own language.
    Column("language", String(35), nullable=True),
)

# Each consultation event (kind "new" or "outcome", by slug) the alerts have seen in a
# built site, so that each is announced once, by whichever endpoint process sees it first.
alert_events = Table(
    "alert_events",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("slug", String(200), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
