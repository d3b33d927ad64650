"""Additions to staff-written pages: the home page's lists, the programme's facts, figures
a page quotes from a dataset, page forms, and the page shell the endpoint fills for its own
pages."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from portal.generated import GeneratedPage, page_url
from portal.i18n import Words
from portal.model.consultations import Status
from portal.model.figures import Figures
from portal.model.programme import Programme
from portal.model.programme_words import WORDS
from portal.pages.forms import form_block, site_path
from portal.render import render
from portal.site import PROGRAMME_PAGE, Portal

HOME_PAGE = "index.md"
SHELL_SLOT = "<!--portal:slot-->"
SHELL_SLOT_END = "<!--/portal:slot-->"
SOONEST_CLOSING = 3  # open consultations the home page lists


def closing_soonest(portal: Portal, count: int = SOONEST_CLOSING) -> list[Any]:
    open_now = [c for c in portal.consultations if c.status(portal.now) is Status.OPEN]
    return sorted(open_now, key=lambda c: c.closes)[:count]


def figures_section(portal: Portal, figures: Figures | None, base: str) -> str:
    """The figures a page names in ``figures_from:`` (never retyped in prose), or ''."""
    if figures is None:
        return ""
    return render(portal.settings.theme_dir, "figures.html", f=figures, base=base, _=portal.words)


def enquiry_page(portal: Portal) -> str | None:
    """The address of the form about the programme (a page form under programme/), if any."""
    under = PROGRAMME_PAGE.removesuffix("index.md")
    return next((page_url(uri) for uri in sorted(portal.page_forms) if uri.startswith(under)), None)


def programme_shown(portal: Portal, programme: Programme) -> tuple[Programme, frozenset[str]]:
    """The programme in the words of the language being built (programme_words), and
    which of them are still the default language's."""
    if portal.settings.language == portal.settings.default_language:
        return programme, frozenset()
    words = portal.programme_words.get(portal.settings.language)
    if words is None:  # no translation of the programme page: all of it is the default's
        return programme, WORDS
    return words.programme, words.untranslated


def page_wraps(portal: Portal) -> dict[str, Callable[[str, str], str]]:
    """Wraps for staff-written pages, keyed by their path in content/."""
    theme = portal.settings.theme_dir
    wraps: dict[str, Callable[[str, str], str]] = {}

    programme, untranslated = (
        programme_shown(portal, portal.programme) if portal.programme else (None, frozenset())
    )

    def home(html: str, base: str) -> str:
        return render(
            theme,
            "home.html",
            base=base,
            intro=html,
            now=portal.now,
            consultations=closing_soonest(portal),
            programme=programme,
            untranslated=untranslated,
            default_language=portal.settings.default_language,
            enquiry=enquiry_page(portal),
            datasets=portal.datasets[:3],
            settings=portal.settings,
            glossary=portal.glossary,
            _=portal.words,
        )

    wraps[HOME_PAGE] = home

    if portal.programme is not None:
        programme, untranslated = programme_shown(portal, portal.programme)

        def programme_page(html: str, base: str) -> str:
            url = portal.settings.site_url.rstrip("/") + "/" + page_url(PROGRAMME_PAGE)
            return render(
                theme,
                "programme.html",
                base=base,
                p=programme,
                # Words still in the default language, marked with its code (lang).
                untranslated=untranslated,
                default_language=portal.settings.default_language,
                enquiry=enquiry_page(portal),  # where "ask us" points when no contact is given
                body=html,
                figures=figures_section(portal, portal.figures.get(PROGRAMME_PAGE), base),
                jsonld=programme.course_jsonld(
                    url, portal.settings.organisation or portal.settings.site_name
                ),
                _=portal.words,
            )

        wraps[PROGRAMME_PAGE] = programme_page

    # Other pages that name figures show them right after their own text (on the home page,
    # before its lists; everywhere, before a form), so the wrap runs before any other.
    for src_uri, figures in portal.figures.items():
        if src_uri == PROGRAMME_PAGE:
            continue  # programme.html places them among the course's facts

        earlier = wraps.get(src_uri)

        def with_figures(
            html: str,
            base: str,
            figures: Figures = figures,
            previous: Callable[[str, str], str] | None = earlier,
        ) -> str:
            html = f"{html}\n{figures_section(portal, figures, base)}"
            return previous(html, base) if previous else html

        wraps[src_uri] = with_figures

    for src_uri, page_form in portal.page_forms.items():
        previous = wraps.get(src_uri)
        url = site_path(portal, page_url(src_uri))
        block = form_block(portal, page_form.form, url)

        def with_form(
            html: str,
            base: str,
            block: str = block,
            previous: Callable[[str, str], str] | None = previous,
        ) -> str:
            inner = previous(html, base) if previous else html
            return f"{inner}\n{block}"

        wraps[src_uri] = with_form
    return wraps


def shell_page(_: Words) -> GeneratedPage:
    """The page the endpoint fills (confirmation, closed, errors): it replaces everything
    between the slot markers, so the shell is also a sensible page on its own, in the
    language of its build."""
    heading = html.escape(_("Response service"))
    says = html.escape(
        _(
            "This page shows the result of sending a form: a confirmation with your reference "
            "number, or what to do next."
        )
    )
    return GeneratedPage(
        src_uri="_portal/page/index.md",
        # The endpoint knows this title (endpoint/pages.py) and puts its own in its place,
        # in the language of its answer: a placeholder, in every language's build.
        title="Your response",
        markdown=f"{SHELL_SLOT}\n<h1>{heading}</h1>\n<p>{says}</p>\n{SHELL_SLOT_END}",
        meta={"search": {"exclude": True}, "hide": ["toc"]},
    )
