"""The consultation pages: one per consultation, and the index grouped by status.

The index lists what people can act on (open, coming up) in full on its first page; past
consultations pile up over the years, so they are split into pages of ``PAST_PER_PAGE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from portal import languages, urls
from portal.areas.view import area_map, area_names
from portal.discovery.facets import STATUS_ORDER, facet_groups
from portal.discovery.history import History, HistoryIndex
from portal.generated import GeneratedFile, GeneratedPage
from portal.i18n import language_name
from portal.model.consultations import Consultation, Status
from portal.pages.forms import form_block, site_path
from portal.render import render
from portal.site import Portal

OUTCOME_MARK = "<!--portal:outcome-->"
PAST = [Status.CLOSED, Status.OUTCOME]
PAST_PER_PAGE = 20


def sort_key(consultation: Consultation, status: Status) -> float:
    """Open: soonest closing first; coming up: soonest opening; past: most recently closed."""
    if status is Status.OPEN:
        return consultation.closes.timestamp()
    if status is Status.FORTHCOMING:
        return consultation.opens.timestamp()
    return -consultation.closes.timestamp()


def grouped(portal: Portal) -> list[tuple[Status, list[Consultation]]]:
    """Each status in the order the index lists them (what people can act on first)."""
    groups: dict[Status, list[Consultation]] = {s: [] for s in STATUS_ORDER}
    for consultation in portal.consultations:
        groups[consultation.status(portal.now)].append(consultation)
    return [
        (status, sorted(items, key=lambda c: sort_key(c, status)))  # sorted at once
        for status, items in groups.items()
    ]


@dataclass(frozen=True)
class IndexPage:
    """One page of the index: which consultations it shows, and where the others are."""

    number: int
    count: int
    groups: list[tuple[Status, list[Consultation]]]

    @property
    def url(self) -> str:
        return index_url(self.number)


def index_url(number: int) -> str:
    return urls.consultation_index(number)


def paginate(
    groups: list[tuple[Status, list[Consultation]]], per_page: int = PAST_PER_PAGE
) -> list[IndexPage]:
    """Open and coming up in full on page 1; past ones, in order, ``per_page`` at a time."""
    past = [(s, c) for s, items in groups if s in PAST for c in items]
    chunks = [past[i : i + per_page] for i in range(0, len(past), per_page)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        shown = [(s, [c for cs, c in chunk if cs is s]) for s in PAST]
        current = [(s, items) for s, items in groups if s not in PAST] if number == 1 else []
        pages.append(IndexPage(number, len(chunks), current + shown))
    return pages


def consultation_outputs(portal: Portal) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages = index_pages(portal)
    files: list[GeneratedFile] = []
    settings = portal.settings
    changes = HistoryIndex.read(
        settings.consultations_dir, settings.tz, settings.repo_url, settings.default_language
    )
    for consultation in portal.consultations:
        pages.append(consultation_page(portal, consultation, changes))
        files += [
            GeneratedFile(f"{consultation.url}{doc.name}", source=doc.file)
            for doc in consultation.documents
        ]
    return pages, files


def index_pages(portal: Portal) -> list[GeneratedPage]:
    groups = grouped(portal)
    pages = paginate(groups)
    totals = {s: len(items) for s, items in groups}
    # Each status heading links to the page it starts on (past ones may be on page 2).
    starts = {
        s: next((p.url for p in pages if dict(p.groups).get(s)), pages[0].url) for s in STATUS_ORDER
    }
    # Topics and areas (not statuses), in the words of the language being built.
    facets = facet_groups(portal.consultations, portal.now, area_names(portal), portal.glossary)[1:]
    areas_map = area_map(portal, facets)
    _ = portal.words

    elsewhere = other_language_only(portal)

    def wrap(page: IndexPage, html: str, base: str) -> str:
        return render(
            portal.settings.theme_dir,
            "consultations/index.html",
            base=base,
            groups=page.groups,
            totals=totals,
            starts=starts,
            page=page,
            pages=pages,
            facets=facets,
            now=portal.now,
            intro=html,
            settings=portal.settings,
            area_map=areas_map,
            elsewhere=elsewhere,
            glossary=portal.glossary,
            _=_,
        )

    description = _(
        "Every consultation: open now, coming up, closed, and what happened as a result."
    )
    out = []
    for page in pages:
        first = page.number == 1
        out.append(
            GeneratedPage(
                src_uri=f"{page.url}index.md",
                title=_("Consultations")
                if first
                else _(
                    "Past consultations, page {number} of {count}",
                    number=page.number,
                    count=page.count,
                ),
                meta={"description": description}
                if first
                else {"description": description, "search": {"exclude": True}},
                wrap=partial(wrap, page),
            )
        )
    return out


@dataclass(frozen=True)
class Elsewhere:
    """Consultations published in the default language only, for another language's index:
    where they are (from that language's root) and the language they are in."""

    consultations: list[Consultation]
    root: str  # from this language's root to the default's: '../'
    language: str
    name: str  # in the words of the language being built: 'Saesneg'


def other_language_only(portal: Portal) -> Elsewhere | None:
    if not portal.elsewhere:
        return None
    settings = portal.settings
    default = settings.default_language
    up = "../" * languages.root(settings, settings.language).count("/")
    name = language_name(default, settings.language)
    return Elsewhere(sorted(portal.elsewhere, key=lambda c: c.title), up, default, name)


def consultation_page(
    portal: Portal, consultation: Consultation, changes: HistoryIndex
) -> GeneratedPage:
    markdown = consultation.body
    if consultation.outcome is not None:
        markdown = f"{markdown}\n\n{OUTCOME_MARK}\n\n{consultation.outcome}"
    return GeneratedPage(
        src_uri=f"{consultation.url}index.md",
        title=consultation.title,
        markdown=markdown,
        meta={"description": consultation.summary},
        wrap=partial(_wrap_consultation, portal, consultation, changes.of(consultation.folder)),
    )


def results_dataset(portal: Portal, consultation: Consultation) -> Any:
    """The aggregate results 'portal results' published for this consultation, if any."""
    name = f"{consultation.slug}-results"
    return next((d for d in portal.datasets if getattr(d, "name", None) == name), None)


def _wrap_consultation(
    portal: Portal, consultation: Consultation, changes: History, html: str, base: str
) -> str:
    body, _mark, outcome = html.partition(OUTCOME_MARK)
    status = consultation.status(portal.now)
    form = ""
    if consultation.form and status is Status.OPEN:
        form = form_block(
            portal,
            consultation.form,
            site_path(portal, consultation.url),
            opens=consultation.opens,
            closes=consultation.closes,
        )
    return render(
        portal.settings.theme_dir,
        "consultations/page.html",
        base=base,
        c=consultation,
        status=status,
        now=portal.now,
        body=body,
        outcome=outcome if status is Status.OUTCOME else "",
        form=form,
        results=results_dataset(portal, consultation),
        settings=portal.settings,
        history=changes,
        glossary=portal.glossary,
        _=portal.words,
    )
