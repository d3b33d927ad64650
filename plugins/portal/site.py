"""Read the whole portal once: every consultation, page form, the programme and datasets.

``load`` never raises for bad content; it collects every problem so that ``portal check``
and the build report all of them together.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from portal import clock, i18n
from portal.areas.read import Areas, check_consultation_areas, read_areas
from portal.checks.environment import environment_problems
from portal.fields import FieldReader
from portal.forms.definition import OptionList, read_form
from portal.frontmatter import Document, read_document
from portal.glossary import Glossary, glossary, note_untranslated
from portal.i18n import Words
from portal.languages import split
from portal.model.consultations import Consultation, read_consultations
from portal.model.figures import Figures, FiguresFrom, read_figures_from, resolve_figures
from portal.model.programme import Programme, read_programme
from portal.model.programme_words import ProgrammeWords, read_programme_words
from portal.model.translations import translation_path
from portal.parallel import Worker, build_worker
from portal.problems import Problem, Problems, show_warnings
from portal.settings import Settings

PROGRAMME_PAGE = "programme/index.md"
# Addresses under consultations/ that the portal's own pages use (the filter pages and the
# index's later pages): no consultation may take them.
RESERVED_SLUGS = {"filter", "page"}
DatasetsRead = tuple[list[Any], list[Problem]]  # the datasets, and the problems found in them


@dataclass
class PageForm:
    """A form written in the front matter of an ordinary content page."""

    src_uri: str
    source: Path
    form: dict[str, Any]


@dataclass
class Portal:
    settings: Settings
    now: datetime
    problems: Problems
    consultations: list[Consultation] = field(default_factory=list)
    page_forms: dict[str, PageForm] = field(default_factory=dict)
    programme: Programme | None = None
    # The programme page's words in each other language it is written in (programme_words).
    programme_words: dict[str, ProgrammeWords] = field(default_factory=dict)
    datasets: list[Any] = field(default_factory=list)
    # Figures pages quote from datasets (``figures_from:``), by page: as written, and read.
    figures_from: dict[str, FiguresFrom] = field(default_factory=dict)
    figures: dict[str, Figures] = field(default_factory=dict)
    # The areas of the map by area (portal.areas), when mkdocs.yml names their package.
    areas: Areas | None = None
    # Consultations published, but not in the language being built: its index says so.
    elsewhere: list[Consultation] = field(default_factory=list)

    @property
    def words(self) -> Words:
        """The portal's own words in the language being built (portal.i18n)."""
        return i18n.words(self.settings.language, self.settings.locale_dir)

    @property
    def glossary(self) -> Glossary:
        """The site's own words (topics, areas) in the language being built."""
        return glossary(self.settings)

    def forms(self) -> list[tuple[str, dict[str, Any]]]:
        """(source file, form) for every form on the site."""
        found = [(c.source.as_posix(), c.form) for c in self.consultations if c.form]
        found += [(p.source.as_posix(), p.form) for p in self.page_forms.values()]
        return found


def build_time(now: datetime | None = None, tz: tzinfo = UTC) -> datetime:
    """The instant statuses are computed for; PORTAL_NOW pins it for previews and tests.

    Like every date staff write, a PORTAL_NOW without an offset is in the site's time zone.
    """
    return now if now is not None else clock.now(tz)


def load(
    settings: Settings, *, now: datetime | None = None, include_drafts: bool | None = None
) -> Portal:
    """``include_drafts`` defaults to PORTAL_DRAFTS=1, for previewing on a laptop only."""
    if include_drafts is None:
        include_drafts = os.environ.get("PORTAL_DRAFTS") == "1"
    problems = Problems(settings.root)
    unusable = environment_problems() if now is None else []
    if unusable:
        # A malformed PORTAL_NOW: reported here and by the gate (portal.checks). The data
        # packages ask the clock too (are they out of date?), so they wait until it is fixed.
        problems.items += unusable
        moment = datetime.now(UTC)
    else:
        moment = build_time(now, settings.tz)
    portal = Portal(settings, moment.astimezone(settings.tz), problems)
    with build_worker() as worker:
        datasets = None
        if not unusable:
            datasets = _PENDING.pop(_datasets_key(settings), None) or worker.submit(
                _read_datasets_apart, settings
            )
        portal.consultations = read_consultations(settings, problems, include_drafts=include_drafts)
        _read_content_pages(portal)
        portal.datasets, dataset_problems = datasets.result() if datasets else ([], [])
    problems.items += dataset_problems
    portal.figures = resolve_figures(portal.figures_from, portal.datasets, problems)
    portal.areas = read_areas(settings, problems)
    if portal.areas is not None:
        check_consultation_areas(portal.consultations, portal.areas, problems)
    note_untranslated(settings, portal.consultations, portal.areas, problems)
    # Imported here: portal.checks imports modules that import this one.
    from portal.checks.nav import note_untranslated_titles

    note_untranslated_titles(settings, problems)
    _check_reserved_slugs(portal)
    _check_form_ids(portal)
    _choose_language(portal)
    if settings.language == settings.default_language:  # once, not once per language
        show_warnings(problems.notes)  # in 'portal check' and every build, as they read content
    return portal


# Data packages take the longest to read (validation, charts) and need nothing else, so they
# are read in the build's worker (portal.parallel) while this process reads the rest.
# ``portal build`` starts reading before it imports MkDocs (start_reading_datasets); load()
# then picks up what was started.
_PENDING: dict[tuple[Path, Path, str], Future[DatasetsRead]] = {}


def start_reading_datasets(settings: Settings, worker: Worker) -> None:
    _PENDING[_datasets_key(settings)] = worker.submit(_read_datasets_apart, settings)


def stop_reading_datasets() -> None:
    """At the end of every build: forget a read that a failed build never picked up."""
    _PENDING.clear()


def _read_datasets_apart(settings: Settings) -> DatasetsRead:
    """In a process of its own that ends once they are read: it holds frictionless and a
    JavaScript engine for the charts, 100 MB the build's worker need not carry after."""
    worker = Worker()
    try:
        return worker.submit(_read_datasets, settings).result()
    finally:
        worker.close()


def _datasets_key(settings: Settings) -> tuple[Path, Path, str]:
    # The language too: a package's pages say its charts and notes in the language built.
    return settings.root.resolve(), settings.datasets_dir.resolve(), settings.language


def _read_content_pages(portal: Portal) -> None:
    content = portal.settings.content_dir
    if not content.is_dir():
        portal.problems.add(
            content,
            None,
            "the content/ folder is missing",
            "create it with at least an index.md home page",
            "file-missing",
        )
        return
    languages = portal.settings.all_languages

    def programme_first(path: Path) -> tuple[bool, bool]:
        # The programme, then its translations: page forms may take their options (in
        # each language) from its facts.
        original, language = split(path.relative_to(content).as_posix(), languages)
        return original != PROGRAMME_PAGE, language is not None

    for path in sorted(content.rglob("*.md"), key=programme_first):
        src_uri = path.relative_to(content).as_posix()
        original, language = split(src_uri, languages)
        if language is not None:
            translated = _check_translation(portal, path, content / original)
            if original == PROGRAMME_PAGE and translated is not None and portal.programme:
                portal.programme_words[language] = read_programme_words(
                    path, translated.front, portal.programme, language, portal.problems
                )
            continue  # a page's translation: its words, published with the page's facts
        document = read_document(path, portal.problems)
        if document is None:
            continue
        if src_uri == PROGRAMME_PAGE:
            portal.programme = read_programme(path, document.front, portal.problems)
        if "form" in document.front.data:
            _read_page_form(portal, src_uri, document)
        if "figures_from" in document.front.data:
            page = FieldReader(document.path, document.front, portal.problems)
            if (ref := read_figures_from(page)) is not None:
                portal.figures_from[src_uri] = ref


def _check_translation(portal: Portal, path: Path, original: Path) -> Document | None:
    """A page's translation is read as the page is (its encoding, its front matter), and
    must have its page: the language switch leads from one to the other."""
    document = read_document(path, portal.problems)
    if not original.is_file():
        portal.problems.add(
            path,
            None,
            f"{path.name} is the translation of {original.name}, which does not exist",
            f"write {original.name} beside it in the default language, or rename this file",
            "file-missing",
        )
    return document


def _read_page_form(portal: Portal, src_uri: str, document: Document) -> None:
    page = FieldReader(document.path, document.front, portal.problems)
    reader = page.mapping("form")
    if reader is None:
        return
    stem = src_uri.removesuffix(".md").removesuffix("/index").replace("/", "-")
    form = read_form(
        reader,
        default_id=stem or "home",
        default_title=page.text("title") or stem,
        retention_days=portal.settings.retention_days,
        option_sources=option_sources(portal.programme, portal.programme_words),
        languages=page_languages(portal.settings, document.path),
    )
    if form is not None:
        portal.page_forms[src_uri] = PageForm(src_uri, document.path, form)


def page_languages(settings: Settings, path: Path) -> tuple[str, ...]:
    """The languages a page is offered in: the default, and each it has a translation in."""
    default, *others = settings.all_languages
    return (default, *(lang for lang in others if translation_path(path, lang).is_file()))


def option_sources(
    programme: Programme | None, translated: dict[str, ProgrammeWords] | None = None
) -> dict[str, OptionList]:
    """Lists of facts a form question can use as its options (``options_from``), with
    each language's words where the programme page has them (item for item)."""
    if programme is None:
        return {}

    def lists(p: Programme) -> dict[str, list[str]]:
        return {
            "programme.modules": [m.title for m in p.modules],
            "programme.outcomes": p.outcomes,
            "programme.roles": p.roles,
            "programme.delivery": p.delivery,
            "programme.sectors": p.sectors,
            "programme.audience": p.audience,
        }

    others = {
        language: (lists(words.programme), words.untranslated)
        for language, words in (translated or {}).items()
    }
    return {
        name: OptionList(
            labels,
            {
                language: found[name]
                for language, (found, untranslated) in others.items()
                if name.removeprefix("programme.") not in untranslated
            },
        )
        for name, labels in lists(programme).items()
    }


def _read_datasets(settings: Settings) -> DatasetsRead:
    """Every data package and the problems found in them (run in the worker process)."""
    from portal.datasets.reader import read_datasets as read  # here: heavy, and in the worker

    problems = Problems(settings.root)
    try:
        return read(settings, problems), problems.items
    except Exception as error:
        # The last line of defence of "never a traceback": a reader or chart library that
        # fails on a package it should have reported (a view's spec that Vega-Lite cannot
        # draw) still gives staff a message, with the library's own words.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        problems.add(
            settings.datasets_dir,
            None,
            f"the data packages could not be read: {reason}",
            "check the package's resources and views (charts); if this does not say what "
            "is wrong, report it as a bug in the portal",
            "dataset-invalid",
        )
        return [], problems.items


def _choose_language(portal: Portal) -> None:
    """The consultations as the language being built publishes them (portal.languages):
    in its words; none that lacks a translation (in no language); those not offered in it
    kept apart, for its index to name."""
    language = portal.settings.language
    published = [c for c in portal.consultations if not c.untranslated]
    if language == portal.settings.default_language:
        portal.consultations = published
        return
    portal.consultations = [c.in_language(language) for c in published if language in c.languages]
    portal.elsewhere = [c for c in published if language not in c.languages]


def _check_reserved_slugs(portal: Portal) -> None:
    for c in portal.consultations:
        if c.slug in RESERVED_SLUGS:
            portal.problems.add(
                c.source,
                c.slug_line,
                f"the address 'consultations/{c.slug}/' is used by the portal's own pages",
                "give this consultation a different folder name or 'slug:'",
                "slug-reserved",
            )


def _check_form_ids(portal: Portal) -> None:
    seen: dict[str, str] = {}
    for source, form in portal.forms():
        if form["id"] in seen:
            portal.problems.add(
                source,
                None,
                f"form id '{form['id']}' is also used by "
                f"{portal.problems.relative(seen[form['id']])}",
                "give one of the forms a different 'id:'",
                "form-id-duplicate",
            )
        seen.setdefault(form["id"], source)
