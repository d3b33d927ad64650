"""Whether a package's stated update frequency and its last change agree, as of the build.

"Update frequency: daily" beside a last change two years old misleads a reader into trusting
the figures are current; the page says so instead. A package is late once it is past twice
its period (and at least a week), so a weekend or a holiday does not raise the note.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# Days between updates for the words publishers use (DCAT frequencies and plain English).
PERIODS = {
    "hourly": 1 / 24,
    "daily": 1,
    "weekly": 7,
    "fortnightly": 14,
    "biweekly": 14,
    "monthly": 31,
    "bimonthly": 62,
    "quarterly": 92,
    "biannually": 183,
    "semiannually": 183,
    "halfyearly": 183,
    "annually": 366,
    "annual": 366,
    "yearly": 366,
}


def period(frequency: str) -> float | None:
    word = re.sub(r"[^a-z]", "", frequency.lower().split("/")[-1])  # ".../frequency/DAILY"
    return PERIODS.get(word)


def out_of_date_note(frequency: str, last_changed: datetime | None, now: datetime) -> str:
    """A sentence for the page, or '' when they agree or cannot be compared."""
    days = period(frequency)
    if days is None or last_changed is None:
        return ""
    changed = last_changed if last_changed.tzinfo else last_changed.replace(tzinfo=UTC)
    age = now - changed
    if age <= max(timedelta(days=2 * days), timedelta(days=7)):
        return ""
    return (
        f"This dataset says it is updated {frequency.lower()}, but its last change was "
        f"{age.days:,} days before this page was built, so it may be out of date."
    )
