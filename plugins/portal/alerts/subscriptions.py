"""Subscribing, confirming and unsubscribing, each one transaction.

The confirmation email is queued in the same transaction as the subscription it confirms
(portal.storage.outbox), so a subscription never waits for an email that was not queued.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from portal import clock, i18n, urls
from portal.forms.validate import LANGUAGE_QUERY
from portal.i18n import Words
from portal.storage import Storage
from portal.storage.alerts import alert_subscriptions
from portal.storage.outbox import ALERT_CONFIRM, enqueue

# How long a confirmation link works; unconfirmed subscriptions go after this (purge).
CONFIRM_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class Choice:
    """What someone asked to hear about: every consultation when both are empty.

    Within topics (or areas) any one matches; when both are chosen, a consultation must
    match one of each, as the combined filters do.
    """

    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def matches(self, topics: list[str], areas: list[str]) -> bool:
        topic_ok = not self.topics or bool(set(self.topics) & set(topics))
        area_ok = not self.areas or bool(set(self.areas) & set(areas))
        return topic_ok and area_ok

    def describe(self, _: Words) -> str:
        """What the alerts are about, in the words of a page or an email's language."""
        topics, areas = ", ".join(self.topics), ", ".join(self.areas)
        if topics and areas:
            return _("about {topics} and in {areas}", topics=topics, areas=areas)
        if topics:
            return _("about {topics}", topics=topics)
        if areas:
            return _("in {areas}", areas=areas)
        return _("about every consultation")


@dataclass(frozen=True)
class Subscriber:
    id: int
    email: str
    choice: Choice
    base_url: str
    unsubscribe_token: str
    language: str = ""  # the page's they subscribed on; '' before it was kept: the site's

    @property
    def unsubscribe_url(self) -> str:
        return in_language(
            f"{self.base_url}{urls.ALERTS_UNSUBSCRIBE}?token={self.unsubscribe_token}",
            self.language,
        )


def in_language(url: str, language: str) -> str:
    """An alerts address that opens its page in ``language`` (``&language=``): the links of
    a subscriber's emails keep to the language they subscribed in."""
    return f"{url}&{LANGUAGE_QUERY}={language}" if language else url


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return clock.now().astimezone(UTC)


def confirmation_body(email: str, choice: Choice, link: str, site_name: str, _: Words) -> str:
    asked = _(
        "Someone, probably you, asked {site} to email {email} when there are new "
        "consultations {chosen}.",
        site=site_name,
        email=email,
        chosen=choice.describe(_),
    )
    confirm = _("To start getting these emails, confirm here:")
    works = _(
        "The link works for 7 days. If you did not ask for this, ignore this email: "
        "nothing will be sent, and we will delete your address after 7 days."
    )
    return f"{asked}\n\n{confirm}\n{link}\n\n{works}\n"


def subscribe(
    storage: Storage,
    email: str,
    choice: Choice,
    base_url: str,
    site_name: str,
    words: Words = i18n.ENGLISH,
    language: str = "",
) -> None:
    """A pending subscription and its confirmation email, together or not at all; the
    email in the language of ``words`` (the page's). ``language``: that language, kept for
    the alerts and named in the links, when it is not the site's own ('' when it is, so
    a site in one language has addresses without it)."""
    _ = words
    token = secrets.token_urlsafe(32)
    link = in_language(f"{base_url}{urls.ALERTS_CONFIRM}?token={token}", language)
    with storage.engine.begin() as conn:
        new_id = conn.execute(
            insert(alert_subscriptions).returning(alert_subscriptions.c.id),
            {
                "email": email,
                "topics": list(choice.topics),
                "areas": list(choice.areas),
                "base_url": base_url,
                "confirm_hash": _hash(token),
                "unsubscribe_token": secrets.token_urlsafe(32),
                "created_at": _now(),
                "confirmed_at": None,
                "language": language or None,
            },
        ).scalar_one()
        enqueue(
            conn,
            f"{ALERT_CONFIRM}:{new_id}",
            ALERT_CONFIRM,
            None,
            email,
            _("Confirm your email alerts from {site}", site=site_name),
            confirmation_body(email, choice, link, site_name, _),
        )


def _row_subscriber(row: Row[Any]) -> Subscriber:
    return Subscriber(
        id=int(row.id),
        email=str(row.email),
        choice=Choice(tuple(row.topics or ()), tuple(row.areas or ())),
        base_url=str(row.base_url),
        unsubscribe_token=str(row.unsubscribe_token),
        language=str(row.language or ""),
    )


def pending(storage: Storage, token: str) -> Subscriber | None:
    """The subscription a confirmation link is for, while the link still works."""
    query = select(alert_subscriptions).where(
        alert_subscriptions.c.confirm_hash == _hash(token),
        alert_subscriptions.c.created_at > _now() - CONFIRM_WITHIN,
    )
    with storage.engine.connect() as conn:
        row = conn.execute(query).first()
    return _row_subscriber(row) if row is not None else None


def confirm(storage: Storage, token: str) -> Subscriber | None:
    """Confirm; the new choice replaces any earlier subscription of the same address."""
    found = pending(storage, token)
    if found is None:
        return None
    with storage.engine.begin() as conn:
        conn.execute(
            delete(alert_subscriptions).where(
                alert_subscriptions.c.email == found.email,
                alert_subscriptions.c.id != found.id,
                alert_subscriptions.c.confirmed_at.is_not(None),
            )
        )
        conn.execute(
            update(alert_subscriptions)
            .where(alert_subscriptions.c.id == found.id)
            .values(confirmed_at=_now(), confirm_hash=None)
        )
    return found


def by_unsubscribe_token(storage: Storage, token: str) -> Subscriber | None:
    query = select(alert_subscriptions).where(alert_subscriptions.c.unsubscribe_token == token)
    with storage.engine.connect() as conn:
        row = conn.execute(query).first()
    return _row_subscriber(row) if row is not None else None


def unsubscribe(storage: Storage, token: str) -> bool:
    """Delete the subscription (its address goes with it); False if it was not there."""
    with storage.engine.begin() as conn:
        gone = conn.execute(
            delete(alert_subscriptions).where(alert_subscriptions.c.unsubscribe_token == token)
        ).rowcount
    return bool(gone)


def confirmed(conn: Connection) -> list[Subscriber]:
    query = select(alert_subscriptions).where(alert_subscriptions.c.confirmed_at.is_not(None))
    return [_row_subscriber(row) for row in conn.execute(query)]


def unconfirmed(storage: Storage, now: datetime, *, remove: bool) -> int:
    """Subscriptions not confirmed within a week of ``now``: how many; removed if asked."""
    stale = (alert_subscriptions.c.confirmed_at.is_(None)) & (
        alert_subscriptions.c.created_at <= now.astimezone(UTC) - CONFIRM_WITHIN
    )
    with storage.engine.begin() as conn:
        if remove:
            return int(conn.execute(delete(alert_subscriptions).where(stale)).rowcount)
        return len(conn.execute(select(alert_subscriptions.c.id).where(stale)).all())
