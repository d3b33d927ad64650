"""What the outbox holds, for the staff area's email page and ``portal mail status``.

Never a recipient's address or a message's body: the kind, the form, the attempts and the
last error (which delivery already keeps free of addresses) are enough to act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import func, select

from portal import clock
from portal.storage import Storage
from portal.storage.outbox import ALERT, ALERT_CONFIRM, COPY, DIGEST, outbox, utc

KINDS = {
    COPY: "Copy of answers",
    DIGEST: "Daily digest",
    ALERT: "Email alert",
    ALERT_CONFIRM: "Alert sign-up confirmation",
}


@dataclass(frozen=True)
class Failing:
    kind: str
    form_id: str | None
    attempts: int
    last_error: str
    next_attempt_at: datetime
    created_at: datetime

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Summary:
    waiting: int  # not sent yet, never failed
    failing: tuple[Failing, ...]
    sent_today: int


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def summary(storage: Storage, tz: tzinfo = UTC, limit: int = 100) -> Summary:
    """The outbox now; "today" is the portal's day (portal.clock, in its time zone)."""
    today = clock.now(tz).date()
    start = utc(datetime.combine(today, time(0), tzinfo=tz))
    end = utc(datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz))
    unsent = outbox.c.sent_at.is_(None)
    with storage.engine.connect() as conn:
        waiting = conn.execute(select(func.count()).where(unsent, outbox.c.attempts == 0)).scalar()
        sent = conn.execute(
            select(func.count()).where(outbox.c.sent_at >= start, outbox.c.sent_at < end)
        ).scalar()
        rows = conn.execute(
            select(
                outbox.c.kind,
                outbox.c.form_id,
                outbox.c.attempts,
                outbox.c.last_error,
                outbox.c.next_attempt_at,
                outbox.c.created_at,
            )
            .where(unsent, outbox.c.attempts > 0)
            .order_by(outbox.c.created_at, outbox.c.id)
            .limit(limit)
        ).all()
    failing = tuple(
        Failing(
            r.kind,
            r.form_id,
            int(r.attempts),
            r.last_error or "",
            _aware(r.next_attempt_at),
            _aware(r.created_at),
        )
        for r in rows
    )
    return Summary(int(waiting or 0), failing, int(sent or 0))
