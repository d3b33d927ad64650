"""The consultations calendar (iCalendar): each closing deadline, and each opening to come.

Calendar apps subscribe to the file, so people see deadlines next to their own plans. Every
event links to its consultation's page, in URL and in the description for apps that hide URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from portal import urls
from portal.discovery.links import absolute, host, slugify
from portal.glossary import Glossary
from portal.i18n import Words
from portal.model.consultations import Consultation, Status
from portal.site import Portal

CALENDAR_PATH = urls.CALENDAR


def calendar(portal: Portal) -> bytes:
    """Every consultation's closing date, and the openings still to come."""
    upcoming = [c for c in portal.consultations if c.status(portal.now) is Status.FORTHCOMING]
    _ = portal.words
    return _calendar(
        portal,
        portal.consultations,
        _("{site}: consultation deadlines", site=portal.settings.site_name),
        with_opening=lambda c: c in upcoming,
    )


def consultation_calendar(portal: Portal, c: Consultation) -> bytes:
    """One consultation's own calendar: when it opens and when it closes, offered on its
    page. The events have the same UIDs as in the site-wide calendar, so an app that has
    both shows each date once."""
    _ = portal.words
    name = _("{title}: consultation dates", title=c.title)
    return _calendar(portal, [c], name, with_opening=lambda _c: True)


def _calendar(
    portal: Portal,
    consultations: list[Consultation],
    name: str,
    *,
    with_opening: Callable[[Consultation], bool],
) -> bytes:
    settings = portal.settings
    _ = portal.words
    cal = Calendar()
    cal.add("prodid", f"-//{settings.organisation or settings.site_name}//Participation portal//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.timezone)
    domain = host(settings) or f"{slugify(settings.site_name)}.portal"
    for c in sorted(consultations, key=lambda c: (c.closes, c.slug)):
        page = absolute(settings, c.url)
        if with_opening(c):
            summary = _("Opens for comments: {title}", title=c.title)
            cal.add_component(
                _event(c, "opens", c.opens, summary, page, domain, portal.now, _, portal.glossary)
            )
        summary = _("Closing date: {title}", title=c.title)
        cal.add_component(
            _event(c, "closes", c.closes, summary, page, domain, portal.now, _, portal.glossary)
        )
    # Only the years the events span: the full 1970-2038 table would dwarf the events.
    years = [c.opens.year for c in consultations] + [c.closes.year for c in consultations]
    cal.add_missing_timezones(
        date(min(years, default=portal.now.year), 1, 1),
        date(max(years, default=portal.now.year) + 1, 1, 1),
    )
    data: bytes = cal.to_ical()
    return data


def _event(
    c: Consultation,
    kind: str,
    when: datetime,
    summary: str,
    page: str,
    domain: str,
    now: datetime,
    _: Words,
    words: Glossary,
) -> Event:
    event = Event()
    event.add("uid", f"{c.slug}-{kind}@{domain}")
    event.add("dtstamp", now.astimezone(UTC))  # the build time: stable for a pinned build
    event.add("dtstart", when)  # no DTEND: a deadline is an instant (RFC 5545, 3.6.1)
    event.add("summary", summary)
    deadline = _(
        "Responses close at {time} on {date}.", time=_.time(c.closes), date=_.date(c.closes)
    )
    respond = _("Read and respond: {page}", page=page)
    event.add("description", f"{c.summary}\n\n{deadline}\n\n{respond}")
    event.add("url", page)
    event.add("organizer", f"mailto:{c.contact.email}", parameters={"cn": c.organisation})
    for topic in c.topics:  # in the calendar's language (portal.glossary)
        event.add("categories", [words(topic)])
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event
