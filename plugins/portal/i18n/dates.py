"""Dates and times as each language writes them in public service text.

English follows GOV.UK's style guide ('30 June 2027', '5pm', '11:59pm', 'midnight',
'midday'); Welsh follows the Welsh version of it, as GOV.UK's Welsh pages write them
('30 Mehefin 2027', '5yh', '11:59yh', 'canol nos', 'canol dydd'). Month names come from
Babel (CLDR), so any other language Babel knows gets its own months with the day-month-year
order; its am/pm words and its words for midnight and midday come from CLDR too.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date

# Written out where CLDR's abbreviations differ from what public service text uses: CLDR's
# Welsh "yb"/"yh" are right, its English "AM"/"PM" are upper case where GOV.UK writes "am".
_DAY_HALVES = {"en": ("am", "pm"), "cy": ("yb", "yh")}
_MIDNIGHT_MIDDAY = {"en": ("midnight", "midday"), "cy": ("canol nos", "canol dydd")}


def human_date(moment: date | datetime | None, language: str = "en") -> str:
    if moment is None:
        return ""
    if language == "en":
        return f"{moment.day} {moment:%B %Y}"  # no CLDR lookup on the common path
    return format_date(moment, "d MMMM y", locale=_locale(language))


def human_time(moment: datetime | None, language: str = "en") -> str:
    if moment is None:
        return ""
    midnight, midday = _MIDNIGHT_MIDDAY.get(language) or _cldr_noon_words(language)
    if moment.hour == 0 and moment.minute == 0:
        return midnight
    if moment.hour == 12 and moment.minute == 0:
        return midday
    am, pm = _DAY_HALVES.get(language) or _cldr_day_halves(language)
    hour = moment.hour % 12 or 12
    suffix = am if moment.hour < 12 else pm
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _locale(language: str) -> Locale:
    return Locale.parse(language, sep="-")


def _cldr_day_halves(language: str) -> tuple[str, str]:
    periods = _locale(language).day_periods["format"]["abbreviated"]
    return str(periods["am"]).lower(), str(periods["pm"]).lower()


def _cldr_noon_words(language: str) -> tuple[str, str]:
    periods = _locale(language).day_periods["format"]["wide"]
    return str(periods.get("midnight", "00:00")), str(periods.get("noon", "12:00"))
