"""A site in several languages: which file is which language, and where each language lives.

The layout (issue 21), written down here because every adapter follows it:

* mkdocs.yml lists the languages under the portal plugin (``languages: [en, cy]``); the
  default is ``theme.language`` and its pages sit at the site's root, each other language's
  under a folder of its code (``/cy/``), with the same addresses inside it.
* A page's translation sits beside it with the language before the suffix (``about.cy.md``
  beside ``about.md``), the layout of mkdocs-static-i18n's "suffix" mode; so does a
  consultation's (``index.cy.md``, portal.model.translations).
* The site is built once per language (portal.mkdocs_plugin.build), each build in its own
  words: Material's, the portal's (portal.i18n), the content's. A page with no translation
  is published in the default language's words, marked as such (``lang``), so that every
  address exists in every language and the language switch always has somewhere to go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.i18n import language_name
from portal.settings import Settings

if TYPE_CHECKING:
    from portal.model.consultations import Consultation
    from portal.site import Portal


def split(src_uri: str, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """'about.cy.md' → ('about.md', 'cy'); 'about.md' → ('about.md', None).

    Only the site's languages other than the default count as suffixes, so a page named
    'notes.v2.md' is just a page."""
    stem, dot, suffix = src_uri.rpartition(".")
    base, dot2, code = stem.rpartition(".")
    if dot and dot2 and code in languages[1:] and "/" not in code:
        return f"{base}.{suffix}", code
    return src_uri, None


def root(settings: Settings, language: str) -> str:
    """Where ``language``'s pages live, relative to the site's root: '' or 'cy/'."""
    return "" if language == settings.default_language else f"{language}/"


@dataclass(frozen=True)
class Alternate:
    """The same page in another language, for the language switch and ``hreflang``."""

    language: str
    name: str  # in its own words: 'Cymraeg', 'English'
    href: str  # relative to the page: the switch works wherever the site is put
    # For hreflang: the full address, which search engines (and Lighthouse) require; so
    # without site_url there is none, and no hreflang link (the sitemap is empty then too).
    absolute: str
    current: bool = False  # the page itself (hreflang lists it too; the switch does not)


def alternates(
    settings: Settings, url: str, base: str, missing: dict[str, set[str]]
) -> list[Alternate]:
    """Every language's version of the page at ``url`` (relative to its language's root),
    the page itself among them (``current``). ``base`` is the relative path from the page to its
    language's root; ``missing`` the addresses a language does not have (a consultation
    published in English only), whose switch goes to that language's home page instead."""
    if len(settings.all_languages) < 2:
        return []
    # Up from this language's root to the site's: '' for the default, '../' for 'cy/'.
    up = "../" * root(settings, settings.language).count("/")
    found = []
    for language in settings.all_languages:
        target = "" if url in missing.get(language, set()) else url
        path = root(settings, language) + target
        href = (base.removeprefix("./") + up + path) or "./"
        full = site_root_url(settings) + path if settings.site_url else ""
        current = language == settings.language
        if current:
            href = "./"
        name = language_name(language, language)
        found.append(Alternate(language, name, href, full, current))
    return found


def site_root_url(settings: Settings) -> str:
    """The site's own address, whichever language's build ``settings`` are for (a
    language's build has its folder in ``site_url``)."""
    here = settings.site_url.rstrip("/") + "/"
    return here.removesuffix(root(settings, settings.language))


def missing_pages(portal: Portal) -> dict[str, set[str]]:
    """Per language, the addresses it does not have: the pages of consultations not
    published in it, and filter pages only those consultations fill."""
    from portal.areas.view import area_names
    from portal.discovery.facets import facet_groups

    everyone = portal.consultations + portal.elsewhere

    def addresses(consultations: list[Consultation]) -> set[str]:
        groups = facet_groups(consultations, portal.now, area_names(portal))
        return {c.url for c in consultations} | {f.url for g in groups for f in g.facets}

    every = addresses(everyone)
    return {
        language: every - addresses([c for c in everyone if language in c.languages])
        for language in portal.settings.all_languages
    }
