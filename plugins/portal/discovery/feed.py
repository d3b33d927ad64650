"""The Atom feed of consultations: opened, closing soon, outcome published (feedgen)."""

from __future__ import annotations

import uuid

from feedgen.feed import FeedGenerator

from portal import urls
from portal.discovery.events import Event, feed_events, stable_id
from portal.discovery.links import absolute
from portal.glossary import Glossary
from portal.i18n import Words
from portal.settings import Settings
from portal.site import Portal

FEED_PATH = urls.FEED


def atom_feed(portal: Portal) -> bytes:
    settings = portal.settings
    events = feed_events(portal.consultations, portal.now, settings)
    _ = portal.words
    feed = FeedGenerator()
    feed.id(absolute(settings, FEED_PATH) if settings.site_url else _feed_urn(settings))
    feed.title(_("{site}: consultations", site=settings.site_name))
    feed.subtitle(
        _(
            "Consultations as they open, when they are closing soon, and when their "
            "outcome is published."
        )
    )
    feed.link(href=absolute(settings, FEED_PATH), rel="self", type="application/atom+xml")
    feed.link(href=absolute(settings, urls.CONSULTATIONS), rel="alternate", type="text/html")
    feed.author({"name": settings.organisation or settings.site_name})
    feed.language(settings.language)
    feed.generator("portal (feedgen)")
    feed.updated(events[0].when if events else portal.now)
    for event in events:
        _entry(feed, event, settings, _, portal.glossary)
    data: bytes = feed.atom_str(pretty=True)
    return data


def _entry(
    feed: FeedGenerator, event: Event, settings: Settings, _: Words, words: Glossary
) -> None:
    c = event.consultation
    entry = feed.add_entry(order="append")
    entry.id(stable_id(settings, c, event.kind))
    entry.title(f"{_(event.label)}: {c.title}")
    entry.link(href=absolute(settings, c.url), rel="alternate", type="text/html")
    entry.published(event.when)
    entry.updated(event.when)
    entry.author({"name": c.organisation})
    entry.summary(f"{c.summary} {_when(event, _)}")
    entry.category(term=event.kind, label=_(event.label))
    for topic in c.topics:  # the term as written (one in every language), labelled in this one
        entry.category(term=topic, label=words(topic))


def _when(event: Event, _: Words) -> str:
    c = event.consultation
    if event.kind == "outcome":
        return _("Read what we decided on the consultation's page.")
    return _(
        "Closes at {time} on {date} ({zone}).",
        time=_.time(c.closes),
        date=_.date(c.closes),
        zone=c.closes.tzname(),
    )


def _feed_urn(settings: Settings) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.site_name}/{FEED_PATH}").urn
