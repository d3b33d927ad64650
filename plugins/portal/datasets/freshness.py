"""Whether a package's stated update frequency and its last change agree, as of the build.

"Update frequency: daily" beside a last change two years old misleads a reader into trusting
the figures are current; the page says so instead. A package is late once it is past twice
its period (and at least a week), so a weekend or a holiday does not raise the note.

Both the note and the frequency are said in the language being built (issue 21): a
frequency the portal knows (DCAT's or plain English, below) has its words in the catalogue;
any other is the publisher's own, shown as written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from portal.i18n import Words, to_translate

# Days between updates and the words a page says them in, for the words publishers use
# (DCAT frequencies and plain English).
_HOURLY = (1 / 24, to_translate("hourly"))
_DAILY = (1.0, to_translate("daily"))
_WEEKLY = (7.0, to_translate("weekly"))
_FORTNIGHTLY = (14.0, to_translate("fortnightly"))
_MONTHLY = (31.0, to_translate("monthly"))
_TWO_MONTHS = (62.0, to_translate("every two months"))
_QUARTERLY = (92.0, to_translate("quarterly"))
_SIX_MONTHS = (183.0, to_translate("every six months"))
_YEARLY = (366.0, to_translate("yearly"))
PERIODS: dict[str, tuple[float, str]] = {
    "hourly": _HOURLY,
    "daily": _DAILY,
    "weekly": _WEEKLY,
    "fortnightly": _FORTNIGHTLY,
    "biweekly": _FORTNIGHTLY,
    "monthly": _MONTHLY,
    "bimonthly": _TWO_MONTHS,
    "quarterly": _QUARTERLY,
    "biannually": _SIX_MONTHS,
    "semiannually": _SIX_MONTHS,
    "halfyearly": _SIX_MONTHS,
    "annually": _YEARLY,
    "annual": _YEARLY,
    "yearly": _YEARLY,
}


def _known(frequency: str) -> tuple[float, str] | None:
    word = re.sub(r"[^a-z]", "", frequency.lower().split("/")[-1])  # ".../frequency/DAILY"
    return PERIODS.get(word)


def period(frequency: str) -> float | None:
    known = _known(frequency)
    return known[0] if known else None


def said(frequency: str, _: Words) -> str:
    """A frequency the portal knows, in the page's language; '' for any other."""
    known = _known(frequency)
    return _(known[1]) if known else ""


def out_of_date_note(frequency: str, last_changed: datetime | None, now: datetime, _: Words) -> str:
    """A sentence for the page, or '' when they agree or cannot be compared."""
    days = period(frequency)
    if days is None or last_changed is None:
        return ""
    changed = last_changed if last_changed.tzinfo else last_changed.replace(tzinfo=UTC)
    age = now - changed
    if age <= max(timedelta(days=2 * days), timedelta(days=7)):
        return ""
    frequency_words = said(frequency, _)  # not inside the call: pybabel would lose the plural
    return _.plural(
        "This dataset says it is updated {frequency}, but it last changed {count} day before "
        "this page was built, so it may be out of date.",
        "This dataset says it is updated {frequency}, but it last changed {count} days before "
        "this page was built, so it may be out of date.",
        age.days,
        frequency=frequency_words,
        count=f"{age.days:,}",
    )
