"""Discovery pages and files: browse-and-filter pages, feeds, calendar and JSON API.

Filter pages are static (one per status, topic and area, with counts, paginated like the
index) so they work without JavaScript; the browse page lists the current and the most
recently closed consultations with data attributes that ``filter.js`` uses to filter in
place.
"""

from __future__ import annotations

from functools import partial

from portal import urls
from portal.areas.view import area_map, area_names
from portal.discovery import api
from portal.discovery.facets import STATUS_ORDER, Facet, FacetGroup, card_data, facet_groups
from portal.discovery.feed import FEED_PATH, atom_feed
from portal.discovery.ical import CALENDAR_PATH, calendar, consultation_calendar
from portal.generated import GeneratedFile, GeneratedPage
from portal.i18n import Words, to_translate
from portal.model.consultations import Consultation
from portal.pages.consultations import PAST, PAST_PER_PAGE, sort_key
from portal.render import render
from portal.site import Portal

BROWSE = urls.FILTERS
TITLES = {
    "status": to_translate("{label}: consultations"),
    "topic": to_translate("Consultations about {label}"),
    "area": to_translate("Consultations in {label}"),
}
NOT_SEARCHED = {"search": {"exclude": True}}  # lists that repeat what the pages themselves say


def discovery_pages(portal: Portal) -> list[GeneratedPage]:
    groups = facet_groups(portal.consultations, portal.now, area_names(portal), portal.glossary)
    pages = [browse_page(portal, groups)]
    for group in groups:
        for facet in group.facets:
            pages += facet_pages(portal, groups, facet)
    return pages


def syndication_files(portal: Portal) -> list[GeneratedFile]:
    """Feed, calendar and API: no page links to them from Markdown, and no page needs them."""
    return [
        GeneratedFile(FEED_PATH, content=atom_feed(portal)),
        GeneratedFile(CALENDAR_PATH, content=calendar(portal)),
        GeneratedFile(
            urls.API_CONSULTATIONS, content=api.json_bytes(api.consultations_document(portal))
        ),
        GeneratedFile(urls.API_DATASETS, content=api.json_bytes(api.datasets_document(portal))),
        GeneratedFile(
            urls.api_schema("consultations"), content=api.json_bytes(api.schema("consultations"))
        ),
        GeneratedFile(urls.api_schema("datasets"), content=api.json_bytes(api.schema("datasets"))),
        *(
            GeneratedFile(
                urls.consultation_calendar(c.slug), content=consultation_calendar(portal, c)
            )
            for c in portal.consultations
        ),
    ]


def filter_action(portal: Portal) -> str:
    """Where the filter form goes without JavaScript: the endpoint's combined filter."""
    return portal.settings.endpoint_url.rstrip("/") + urls.FILTER_RESULTS


def in_order(portal: Portal, consultations: list[Consultation]) -> list[Consultation]:
    """Open first (soonest closing), then coming up, then past ones together, most recently
    closed first whether or not their outcome is out."""

    def key(c: Consultation) -> tuple[int, float]:
        status = c.status(portal.now)
        return min(STATUS_ORDER.index(status), STATUS_ORDER.index(PAST[0])), sort_key(c, status)

    return sorted(consultations, key=key)


def browse_page(portal: Portal, groups: list[FacetGroup]) -> GeneratedPage:
    """Open and coming up in full, then the ``PAST_PER_PAGE`` most recently closed: what the
    filter works on in the browser. Older ones are on the status, topic and area pages, so
    the page stays the same size however many years of consultations a portal holds."""
    ordered = in_order(portal, portal.consultations)
    current = [c for c in ordered if c.status(portal.now) not in PAST]
    listed = ordered[: len(current) + PAST_PER_PAGE]
    cards = [(c, card_data(c, portal.now, area_names(portal))) for c in listed]
    past = {status.value for status in PAST}
    closed = [f for g in groups if g.kind == "status" for f in g.facets if f.slug in past]

    def wrap(html: str, base: str) -> str:
        return render(
            portal.settings.theme_dir,
            "discovery/browse.html",
            base=base,
            groups=groups,
            cards=cards,
            total=len(ordered),
            current_count=len(current),
            per_page=PAST_PER_PAGE,
            closed=closed,
            now=portal.now,
            current=None,
            filter_action=filter_action(portal),
            glossary=portal.glossary,
            _=_,
        )

    _ = portal.words
    return GeneratedPage(
        src_uri=f"{BROWSE}index.md",
        title=_("Find a consultation"),
        meta={"description": _("Find consultations by status, topic or area."), **NOT_SEARCHED},
        wrap=wrap,
    )


def facet_pages(portal: Portal, groups: list[FacetGroup], facet: Facet) -> list[GeneratedPage]:
    """One facet's consultations, paginated as the index is: what people can act on (open,
    coming up) in full on the first page, past ones ``PAST_PER_PAGE`` to a page after them."""
    _ = portal.words
    name = facet_name(_, facet)
    title = _(TITLES[facet.kind], label=name)
    if facet.kind == "status":
        description = _.plural(
            "{n} consultation: {status}",
            "{n} consultations: {status}",
            facet.count,
            status=name.lower(),
        )
    else:
        description = _.plural(
            "{n} consultation. {title}.", "{n} consultations. {title}.", facet.count, title=title
        )
    items = in_order(portal, facet.consultations)
    current = [c for c in items if c.status(portal.now) not in PAST]
    past = items[len(current) :]
    chunks = [past[i : i + PAST_PER_PAGE] for i in range(0, len(past), PAST_PER_PAGE)] or [[]]
    chunks[0] = current + chunks[0]
    urls = [facet.url] + [f"{facet.url}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [
        GeneratedPage(
            src_uri=f"{url}index.md",
            title=title
            if number == 1
            else _(
                "{title}, page {number} of {count}", title=title, number=number, count=len(urls)
            ),
            meta={"description": description, **NOT_SEARCHED},
            wrap=partial(_wrap_facet, portal, groups, facet, title, chunk, urls, number),
        )
        for number, (url, chunk) in enumerate(zip(urls, chunks, strict=True), start=1)
    ]


def _wrap_facet(
    portal: Portal,
    groups: list[FacetGroup],
    facet: Facet,
    title: str,
    items: list[Consultation],
    urls: list[str],
    number: int,
    html: str,
    base: str,
) -> str:
    return render(
        portal.settings.theme_dir,
        "discovery/facet.html",
        base=base,
        title=title,
        groups=groups,
        current=facet,
        items=items,
        urls=urls,
        number=number,
        per_page=PAST_PER_PAGE,
        now=portal.now,
        filter_action=filter_action(portal),
        area_map=area_map(portal, groups) if facet.kind == "area" else None,
        glossary=portal.glossary,
        _=portal.words,
    )


def facet_name(_: Words, facet: Facet) -> str:
    """A status's name in the page's language; a topic or an area in the site's words in it
    (the facet's label, portal.glossary)."""
    return _(facet.label) if facet.kind == "status" else facet.label
