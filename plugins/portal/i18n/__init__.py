"""The portal's own words in the languages a site publishes in (issue 21).

The words the engine itself writes (validation messages, the "(optional)" marker, dates and
times) come from gettext catalogues read with Babel, which also knows each language's plural
rules and month names. English is the source language: every message id *is* the English
text, so English needs no catalogue, and a message missing from another language's catalogue
shows in English rather than as a code. tests/i18n holds every shipped catalogue to
completeness, so that fallback is a guard, never how a page is meant to read.

Where catalogues live:

* the engine's, in ``portal/i18n/locale/<language>/LC_MESSAGES/portal.po`` (Welsh today);
* a portal's own, in ``locale/<language>/LC_MESSAGES/portal.po`` beside its mkdocs.yml: it
  adds a language the engine lacks, or rewords one of the engine's messages for that portal.
  Its entries win over the engine's.

What goes through the catalogue: every fixed word the portal writes on the pages citizens
read, in the language being built (templates under theme/portal/ call ``_``; the pages'
titles and descriptions, status names, the frame around each page, the scripts' words, which
the page hands them). The staff area (theme/portal/staff/, portal.staff) stays in English:
its users are the council's own staff, who work in the portal's source language, and its
messages name files and settings written in English.

The ``.po`` files are read directly (compiled in memory, once per process), so there is no
``.mo`` build step to forget. ``make messages`` re-extracts the English ids from the code and
templates and merges them into every catalogue (see the Makefile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup

from portal.i18n import dates

SOURCE = "en"
DOMAIN = "portal"
ENGINE_LOCALE = Path(__file__).resolve().parent / "locale"


def to_translate(message: str) -> str:
    """Marks a message kept in a constant for the catalogue (``make messages`` finds it);
    the code that shows it translates it then, with ``Words``."""
    return message


def is_known(language: str) -> bool:
    """Whether Babel knows ``language`` (a BCP 47 tag such as ``cy`` or ``pt-BR``)."""
    try:
        Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def language_name(language: str, in_language: str = SOURCE) -> str:
    """'Welsh' (for staff's messages, in English) or, with ``in_language='cy'``, 'Cymraeg'
    (what a language switch shows: each language in its own words)."""
    try:
        name = Locale.parse(language, sep="-").get_display_name(Locale.parse(in_language, sep="-"))
    except (UnknownLocaleError, ValueError, TypeError):
        return language
    return str(name or language)


def is_source(language: str) -> bool:
    """English in any variety ('en', 'en-GB'): the message ids themselves."""
    return language == SOURCE or language.startswith(SOURCE + "-")


def _folders(site_locale: Path | None) -> list[Path]:
    """Where catalogues are looked for, the engine's first: a portal's own entries win."""
    return [ENGINE_LOCALE] + ([site_locale] if site_locale else [])


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def has_catalogue(language: str, site_locale: Path | None = None) -> bool:
    """Whether the portal's words exist in ``language`` (English always does)."""
    if is_source(language):
        return True
    return any(catalogue_path(folder, language).is_file() for folder in _folders(site_locale))


def available(site_locale: Path | None = None) -> list[str]:
    """Every language the portal's words exist in: English and each catalogue found."""
    found = {SOURCE}
    for folder in _folders(site_locale):
        if folder.is_dir():
            found |= {p.parts[-3] for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found)


def _compiled(path: Path, language: str) -> Translations:
    with path.open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"), domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy guess is not a translation
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: str, site_locale: Path | None = None) -> NullTranslations:
    """The catalogue for ``language``: the engine's, then the portal's own on top."""
    found: NullTranslations = NullTranslations()
    if is_source(language):
        return found
    for folder in _folders(site_locale):
        path = catalogue_path(folder, language)
        if not path.is_file():
            continue
        compiled = _compiled(path, language)
        if isinstance(found, Translations):
            found.merge(compiled)  # the later (the portal's) entries win
        else:
            found = compiled
    return found


@dataclass(frozen=True)
class Words:
    """The portal's words in one language, for one site: what code that writes text is given.

    Passed explicitly (not a global "current language"), because one build writes pages in
    several languages and one endpoint answers forms in any of them.
    """

    language: str
    catalogue: NullTranslations

    def __call__(self, message: str, /, **values: object) -> str:
        """``message`` in this language, ``{name}`` placeholders filled from ``values``."""
        text = self.catalogue.gettext(message)
        if any(hasattr(value, "__html__") for value in values.values()):
            # A template passed markup (a <span> the script fills): the message's own words
            # are escaped, the markup is kept, any other value is escaped (markupsafe).
            return Markup.escape(text).format(**values)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of the message for ``n`` (Welsh has six), ``{n}`` filled with ``n``;
        markup among the values is kept, as ``__call__`` keeps it."""
        text = self.catalogue.ngettext(singular, plural, n)
        if any(hasattr(value, "__html__") for value in values.values()):
            return Markup.escape(text).format(n=n, **values)
        return text.format(n=n, **values)

    def plural_forms(self, singular: str, plural: str, /) -> dict[str, str]:
        """Every form of a plural message, unfilled, by CLDR plural category ('one',
        'few', 'other'...): for a script, which picks one with the browser's
        ``Intl.PluralRules`` for the page's language and fills ``{n}`` itself. A template
        calls it by the name ``plural`` (``{% set plural = _.plural_forms %}``), so
        ``make messages`` finds the message."""
        locale = Locale.parse(SOURCE if is_source(self.language) else self.language, sep="-")
        forms: dict[str, str] = {}
        for n in range(200):  # a sample of each category: CLDR's are all below 200
            category = str(locale.plural_form(n))
            if category not in forms:
                forms[category] = self.catalogue.ngettext(singular, plural, n)
        return forms

    def marks(self, language: str) -> str:
        """The ``lang`` a passage in ``language`` needs on a page in this one: ``language``,
        or '' when none is needed (no language given, or the page's own). One rule for the
        templates' marks (datasets/_macros.html), the charts' readings and licence names.
        Compared by primary subtag: an English passage on an en-GB page needs no mark."""
        if not language or _primary(language) == _primary(self.language):
            return ""
        return language

    def date(self, moment: date | datetime | None) -> str:
        """'30 June 2027' / '30 Mehefin 2027': day, month name, year (GOV.UK style)."""
        return dates.human_date(moment, self.language)

    def time(self, moment: datetime | None) -> str:
        """'11:59pm', 'midnight' / '11:59yh', 'canol nos'."""
        return dates.human_time(moment, self.language)


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


@cache
def words(language: str = SOURCE, site_locale: Path | None = None) -> Words:
    return Words(language, translations(language, site_locale))


ENGLISH = words(SOURCE)


def chosen(language: str, site_locale: Path | None = None) -> Words:
    """The words for a language a visitor's page named (a form's hidden field): that
    language's when the portal has them, else English. Never raises: the value is posted."""
    if not isinstance(language, str) or len(language) > 35 or not is_known(language):
        return ENGLISH
    return words(language, site_locale) if has_catalogue(language, site_locale) else ENGLISH
