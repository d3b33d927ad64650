"""Consultations by status, topic and area together, without JavaScript.

The "Find a consultation" page filters its cards in the browser (filter.js). Without
JavaScript its form is a plain GET to the endpoint's ``/consultations/filter?status=&topic=
&area=``, answered here from the published ``api/consultations.json``: the same values (the
slugs the filter pages and filter.js use), the same statuses (as of the build, as the pages
show them), in the order the index lists consultations. The address can be shared.

Why the endpoint and not pre-built pages: every combination of (any or one) status, topic
and area is 270 pages for the demo's 8 consultations, and 3,255 for 1,000 consultations with
30 topics and 20 areas (bench/results/search-filters.md), each up to the size of the index.

Like the search index, the JSON is read once per built site (its inode, size and time).

A site in several languages publishes the JSON per language (``cy/api/...``, its addresses
and words that language's); the form on a page in a language other than English says which
(``?language=``, as the search form does), and the page answers in that language's words.
"""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from portal import slugs, urls
from portal.endpoint.built_files import Version, version
from portal.endpoint.config import EndpointSettings
from portal.endpoint.languages import PerLanguage
from portal.endpoint.pages import Pages
from portal.i18n import to_translate
from portal.render import render

API_FILE = Path(urls.API_CONSULTATIONS)
LANGUAGE = "language"  # the language of the page filtered from (filter_form.html)
KINDS = {
    "status": to_translate("Status"),
    "topic": to_translate("Topic"),
    "area": to_translate("Area"),
}
# One message per kind: the words around the kind's name differ by language (Welsh mutates).
UNKNOWN_CHOICE = {
    "status": to_translate("Choose a status from the list, or ‘Any status’"),
    "topic": to_translate("Choose a topic from the list, or ‘Any topic’"),
    "area": to_translate("Choose an area from the list, or ‘Any area’"),
}
PER_PAGE = 50  # consultations to a page of results
# The same words, and the same order, as the filter's own (portal.discovery.facets
# STATUS_NAMES and STATUS_ORDER; tests/search checks they agree).
STATUS_NAMES = {
    "open": "Open now",
    "forthcoming": "Coming up",
    "closed": "Closed: reading the responses",
    "outcome": "Closed: outcome published",
}
STATUS_LABELS = {  # portal.model.consultations.Status.label: the card's tag
    "forthcoming": "Forthcoming",
    "open": "Open",
    "closed": "Closed",
    "outcome": "Outcome published",
}


CITYWIDE = "citywide"  # portal.areas.coverage.CITYWIDE_SLUG
_OPTIONS = re.compile(r'<select[^>]*\bname="area"[^>]*>(.*?)</select>', re.DOTALL)
_OPTION = re.compile(r'<option value="([^"]+)"[^>]*>(.*?) \((\d+)\)</option>', re.DOTALL)


def offered_areas(page: str) -> list[Choice]:
    """The area choices (value, name, count) in the built filter page's own form."""
    found = _OPTIONS.search(page)
    if found is None:
        return []
    return [
        Choice(html.unescape(v), html.unescape(label), int(n))
        for v, label, n in _OPTION.findall(found[1])
    ]


def slugify(text: str) -> str:
    """As portal.discovery.links.slugify: the values of the filter's choices."""
    return slugs.slugify(text, fallback="other")


@dataclass
class Choice:
    slug: str
    label: str
    count: int = 0


@dataclass
class Group:
    kind: str
    label: str
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Card:
    """One consultation as its record in the JSON says, with its filter values."""

    record: dict[str, Any]
    values: dict[str, set[str]]
    opens: datetime
    closes: datetime

    @property
    def status(self) -> str:
        return str(self.record.get("status", ""))

    def order(self) -> tuple[int, float]:
        """The index's order: open (soonest closing), coming up (soonest opening), then past
        ones together, most recently closed first (portal.pages.discovery.in_order)."""
        rank = {"open": 0, "forthcoming": 1}.get(self.status, 2)
        if rank == 0:
            return rank, self.closes.timestamp()
        if rank == 1:
            return rank, self.opens.timestamp()
        return rank, -self.closes.timestamp()


class Catalogue:
    """The published consultations, and the choices a filter offers."""

    def __init__(self, data: dict[str, Any], offered: list[Choice] | None = None) -> None:
        zone = ZoneInfo(str(data.get("timezone") or "UTC"))
        self.cards: list[Card] = []
        labels: dict[str, dict[str, str]] = {"topic": {}, "area": {}}
        for record in data.get("consultations", []):
            values = {
                "status": {str(record.get("status", ""))},
                "topic": {slugify(t) for t in record.get("topics", [])},
                "area": {slugify(a) for a in record.get("area", [])},
            }
            for kind in ("topic", "area"):
                for label in record.get("topics" if kind == "topic" else "area", []):
                    labels[kind].setdefault(slugify(label), label)  # the first spelling wins
            self.cards.append(
                Card(
                    record,
                    values,
                    datetime.fromisoformat(record["opens"]).astimezone(zone),
                    datetime.fromisoformat(record["closes"]).astimezone(zone),
                )
            )
        self.cards.sort(key=Card.order)
        statuses = [Choice(s, name) for s, name in STATUS_NAMES.items()]
        self.groups = [Group("status", KINDS["status"], statuses)]
        for kind in ("topic", "area"):
            choices = [Choice(slug, label) for slug, label in labels[kind].items()]
            if kind == "area" and offered:
                choices = self._areas(offered, choices)
            self.groups.append(
                Group(kind, KINDS[kind], sorted(choices, key=lambda c: c.label.casefold()))
            )
        for group in self.groups:
            for choice in group.choices:
                choice.count = sum(choice.slug in c.values[group.kind] for c in self.cards)

    def _areas(self, offered: list[Choice], own: list[Choice]) -> list[Choice]:
        """The areas the site's filter offers. A site with an areas package (portal.areas)
        lists every area, and counts a citywide consultation in each: its published counts
        are then higher than the consultations naming the area, and so are ours."""
        citywide = [c for c in self.cards if not c.values["area"] or CITYWIDE in c.values["area"]]
        named = {c.slug: sum(c.slug in card.values["area"] for card in self.cards) for c in own}
        everywhere = any(
            choice.count > named.get(choice.slug, 0)
            for choice in offered
            if choice.slug != CITYWIDE
        )
        if citywide and everywhere:
            for card in citywide:
                card.values["area"] = {c.slug for c in offered}
        return [Choice(c.slug, c.label) for c in offered]

    def choice(self, kind: str, slug: str) -> Choice | None:
        group = next(g for g in self.groups if g.kind == kind)
        return next((c for c in group.choices if c.slug == slug), None)

    def matching(self, chosen: dict[str, str]) -> list[Card]:
        return [
            card
            for card in self.cards
            if all(slug in card.values[kind] for kind, slug in chosen.items() if slug)
        ]


class PublishedConsultations:
    """api/consultations.json of the built site, read again when a build replaces it."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / API_FILE
        self.filter_page = site_dir / urls.FILTERS / "index.html"
        self._lock = threading.Lock()
        self._key: Version | None = None
        self._catalogue: Catalogue | None = None

    def catalogue(self) -> Catalogue | None:
        key = version(self.path)
        if key is None:
            return None
        with self._lock:
            if key != self._key:
                try:
                    page = self.filter_page.read_text(encoding="utf-8")
                except OSError:
                    page = ""  # areas from the JSON alone
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                    catalogue = Catalogue(data, offered_areas(page))
                except (OSError, ValueError, KeyError, TypeError):
                    return self._catalogue
                self._catalogue, self._key = catalogue, key
            return self._catalogue


# -- the page -------------------------------------------------------------------------------
class FilterPage:
    """``GET /consultations/filter?status=&topic=&area=``: the matching consultations."""

    def __init__(self, settings: EndpointSettings) -> None:
        self.settings = settings
        # The consultations published in the page's language (its folder's API).
        self.published = PerLanguage(settings, API_FILE, PublishedConsultations)
        self.pages = Pages(settings.site_dir, settings.theme_dir)

    async def page(self, request: Request) -> Response:
        published, words = self.published.get(request.query_params.get(LANGUAGE, ""))
        _ = words
        catalogue = await run_in_threadpool(published.catalogue)
        if catalogue is None:
            html = self.pages.template(
                "message.html",
                _("Consultations are not available at the moment"),
                words=_,
                paragraphs=[_("Try again later.")],
            )
            return HTMLResponse(html, status_code=503)
        picked: dict[str, str] = {}
        errors: dict[str, str] = {}
        described: list[str] = []
        for kind, label in KINDS.items():
            value = request.query_params.get(kind, "").strip()
            if not value:
                continue
            choice = catalogue.choice(kind, value)
            if choice is None:
                errors[kind] = _(UNKNOWN_CHOICE[kind])
                continue
            picked[kind] = value
            # A status's name is the portal's (translated); a topic's or area's, the council's.
            name = _(choice.label) if kind == "status" else choice.label
            described.append(_("{kind}: {value}", kind=_(label), value=name))
        number = _page_number(request.query_params.get("page", "1"))
        if number is None:
            errors["page"] = _("There is no such page of consultations: start from the first")
        cards = [] if errors else catalogue.matching(picked)
        pages = max(1, -(-len(cards) // PER_PAGE))
        number = min(number or 1, pages)
        start = (number - 1) * PER_PAGE
        # The pages' links keep to the language filtered in.
        language = {LANGUAGE: words.language} if published is not self.published.default else {}
        query = urlencode({**picked, **language})
        title = _("Find a consultation")
        if errors:
            title = _("Error: {title}", title=title)
        elif described:
            title = _("{title}: {filters}", title=title, filters=", ".join(described))
        if pages > 1:
            title = _("{title}, page {number} of {count}", title=title, number=number, count=pages)
        content = render(
            self.pages.theme_dir,
            "endpoint/consultation_filter.html",
            _=words,
            groups=catalogue.groups,
            action=urls.FILTER_RESULTS,
            chosen=picked,
            errors=errors,
            cards=cards[start : start + PER_PAGE],
            total=len(cards),
            start=start,
            number=number,
            pages=pages,
            here=f"{urls.FILTER_RESULTS}?{query}" if query else f"{urls.FILTER_RESULTS}?",
            described=described,
            status_labels=STATUS_LABELS,
        )
        html = self.pages.page(title, content, words)
        return HTMLResponse(html, status_code=400 if errors else 200)


def _page_number(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else None


def routes(settings: EndpointSettings) -> list[BaseRoute]:
    return [Route(urls.FILTER_RESULTS, FilterPage(settings).page, methods=["GET", "HEAD"])]
