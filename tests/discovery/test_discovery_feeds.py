"""The Atom feed and the calendar, read back by a real feed parser and iCalendar parser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
from discovery_sites import SITE_URL
from icalendar import Calendar

LONDON = ZoneInfo("Europe/London")


def read_feed(site: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / "feeds" / "consultations.atom").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_feed_lists_opened_closing_soon_and_outcomes(fixture_site: Path) -> None:
    feed = read_feed(fixture_site)
    assert feed.version == "atom10"
    assert feed.feed.title == "Fixture Portal: consultations"
    titles = [e.title for e in feed.entries]
    # Newest first; forthcoming (School streets) and the draft are not in the feed.
    assert titles == [
        "Open for comments: Library opening hours",
        "Closing soon: Library opening hours",
        "Open for comments: Bus lanes on the ring road",
        "Outcome published: Park lighting",
        "Open for comments: Park lighting",
    ]
    assert not any("School streets" in t or "draft" in t.lower() for t in titles)


def test_feed_entries_link_to_their_pages_with_absolute_urls(fixture_site: Path) -> None:
    feed = read_feed(fixture_site)
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{SITE_URL}feeds/consultations.atom"
    for entry in feed.entries:
        assert entry.link.startswith(f"{SITE_URL}consultations/")
        assert (fixture_site / entry.link.removeprefix(SITE_URL) / "index.html").exists()
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:consult.example.org,") for i in ids)
    closing = next(e for e in feed.entries if e.title.startswith("Closing soon"))
    assert "Closes at 5pm on 20 January 2027 (GMT)." in closing.summary  # the site's zone
    assert {t.term for t in closing.tags} == {"closing-soon", "Libraries"}


def test_feed_without_site_url_is_root_relative_and_still_valid(relative_site: Path) -> None:
    feed = read_feed(relative_site)
    assert all(e.link.startswith("/consultations/") for e in feed.entries)
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)


def read_calendar(site: Path) -> Calendar:
    return Calendar.from_ical((site / "feeds" / "consultations.ics").read_bytes())


def test_calendar_has_each_deadline_and_forthcoming_openings(fixture_site: Path) -> None:
    events = read_calendar(fixture_site).walk("VEVENT")
    summaries = {str(e["SUMMARY"]): e for e in events}
    assert set(summaries) == {
        "Closing date: Park lighting",
        "Closing date: Library opening hours",
        "Closing date: Bus lanes on the ring road",
        "Closing date: School streets",
        "Opens for comments: School streets",
    }
    library = summaries["Closing date: Library opening hours"]
    assert library.decoded("DTSTART") == datetime(2027, 1, 20, 17, 0, tzinfo=LONDON)
    opening = summaries["Opens for comments: School streets"]
    assert opening.decoded("DTSTART") == datetime(2027, 3, 1, 0, 0, tzinfo=LONDON)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_calendar_events_link_to_their_pages(fixture_site: Path) -> None:
    calendar = read_calendar(fixture_site)
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    for event in calendar.walk("VEVENT"):
        url = str(event["URL"])
        assert url.startswith(f"{SITE_URL}consultations/")
        assert (fixture_site / url.removeprefix(SITE_URL) / "index.html").exists()
        assert url in str(event["DESCRIPTION"])


def test_each_consultation_page_offers_its_own_calendar(fixture_site: Path) -> None:
    """The page links calendar.ics beside it; the file holds that consultation's opening
    and closing (past or not), with absolute links, and the same UIDs as the site's."""
    site_wide = {str(e["UID"]): e for e in read_calendar(fixture_site).walk("VEVENT")}
    pages = sorted((fixture_site / "consultations").glob("*/calendar.ics"))
    assert len(pages) == 4, pages
    for path in pages:
        html = (path.parent / "index.html").read_text(encoding="utf-8")
        assert 'href="calendar.ics"' in html
        calendar = Calendar.from_ical(path.read_bytes())
        events = calendar.walk("VEVENT")
        kinds = sorted(str(e["SUMMARY"]).split(":", 1)[0] for e in events)
        assert kinds == ["Closing date", "Opens for comments"], path
        slug = path.parent.name
        for event in events:
            assert str(event["URL"]) == f"{SITE_URL}consultations/{slug}/"
            uid = str(event["UID"])
            if uid in site_wide:
                assert event.decoded("DTSTART") == site_wide[uid].decoded("DTSTART")
        closing = next(e for e in events if str(e["SUMMARY"]).startswith("Closing"))
        assert str(closing["UID"]) in site_wide
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_consultation_calendar_without_site_url_links_root_relative(
    relative_site: Path,
) -> None:
    path = next((relative_site / "consultations").glob("*/calendar.ics"))
    for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        assert str(event["URL"]) == f"/consultations/{path.parent.name}/"
