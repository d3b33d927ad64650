"""Dates and times as each language writes them (portal.i18n.dates)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal import i18n

TZ = ZoneInfo("Europe/London")


def test_english_is_written_as_gov_uk_writes_it() -> None:
    english = i18n.ENGLISH
    assert english.date(datetime(2027, 6, 30, 23, 59, tzinfo=TZ)) == "30 June 2027"
    assert english.time(datetime(2027, 6, 30, 23, 59, tzinfo=TZ)) == "11:59pm"
    assert english.time(datetime(2027, 6, 30, 17, 0, tzinfo=TZ)) == "5pm"
    assert english.time(datetime(2027, 6, 30, 9, 30, tzinfo=TZ)) == "9:30am"
    assert english.time(datetime(2027, 6, 30, 0, 0, tzinfo=TZ)) == "midnight"
    assert english.time(datetime(2027, 6, 30, 12, 0, tzinfo=TZ)) == "midday"


def test_welsh_is_written_as_welsh_writes_it() -> None:
    welsh = i18n.words("cy")
    assert welsh.date(datetime(2027, 6, 30, 23, 59, tzinfo=TZ)) == "30 Mehefin 2027"
    assert welsh.date(date(2027, 1, 1)) == "1 Ionawr 2027"
    assert welsh.date(date(2027, 2, 14)) == "14 Chwefror 2027"
    assert welsh.time(datetime(2027, 6, 30, 23, 59, tzinfo=TZ)) == "11:59yh"
    assert welsh.time(datetime(2027, 6, 30, 9, 0, tzinfo=TZ)) == "9yb"
    assert welsh.time(datetime(2027, 6, 30, 0, 0, tzinfo=TZ)) == "canol nos"
    assert welsh.time(datetime(2027, 6, 30, 12, 0, tzinfo=TZ)) == "canol dydd"


def test_welsh_counts_with_its_six_plural_forms() -> None:
    """Babel gives the catalogue Welsh plural rules (zero, one, two, few, many, other)."""
    plural = i18n.words("cy").catalogue.plural  # type: ignore[attr-defined]
    assert [plural(n) for n in (0, 1, 2, 3, 6, 4, 10)] == [0, 1, 2, 3, 4, 5, 5]


def test_a_language_without_our_words_still_gets_its_own_month_names() -> None:
    assert i18n.words("de").date(date(2027, 6, 30)) == "30 Juni 2027"


def test_a_language_without_our_words_takes_its_times_from_cldr() -> None:
    french = i18n.words("fr")
    assert french.time(datetime(2027, 6, 30, 12, 0, tzinfo=TZ)) == "midi"
    assert french.time(datetime(2027, 6, 30, 0, 0, tzinfo=TZ)) == "minuit"


def test_a_count_takes_the_languages_plural_form() -> None:
    english = i18n.ENGLISH
    assert english.plural("{n} response", "{n} responses", 1) == "1 response"
    assert english.plural("{n} response", "{n} responses", 3) == "3 responses"
