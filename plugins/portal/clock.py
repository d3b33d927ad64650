"""The one clock: every part of the portal asks here what time it is.

The build (statuses, feeds), the endpoint (is a form open? when was a response received?)
and the commands (retention, results) all read ``now()``, so that ``PORTAL_NOW`` previews
the whole portal at another moment, forms included, and tests pin one instant for all of
them instead of depending on the day they run.

``PORTAL_NOW`` is ISO 8601 (``2027-03-01T09:00``, or with an offset). Like every date staff
write, one without an offset is in the site's time zone; the endpoint, which has no site
settings, uses the time zone the form's manifest gives.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo

VARIABLE = "PORTAL_NOW"


class ClockError(ValueError):
    """A pinned time that is not one; the message says what to write instead."""


def parse(text: str, tz: tzinfo = UTC, source: str = VARIABLE) -> datetime:
    """``text`` as an aware instant; ClockError with the expected format if it is not one."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(
            f"{source} '{text}' is not a date and time: write it as ISO 8601, "
            "for example 2027-03-01T09:00 (in the site's time zone) or 2027-03-01T09:00+00:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def pinned(tz: tzinfo = UTC) -> datetime | None:
    """The moment PORTAL_NOW pins, or None when it is not set."""
    text = os.environ.get(VARIABLE, "")
    return parse(text, tz) if text.strip() else None


def now(tz: tzinfo = UTC) -> datetime:
    """The pinned moment if there is one, else the real time; aware either way."""
    return pinned(tz) or datetime.now(UTC)


def problem() -> str | None:
    """What is wrong with PORTAL_NOW, if anything (for ``portal check`` and start-up)."""
    try:
        pinned()
    except ClockError as error:
        return str(error)
    return None
