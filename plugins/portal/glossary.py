"""The site's own words in each of its languages: the portal option ``translations:``.

Some words are the site's, not the portal's (portal.i18n holds those): its navigation
titles, its topics and areas, its footer links' labels. mkdocs.yml gives them per language,
once for all of them::

    translations:
      cy: {Home: Hafan, Open data: Data agored, Citywide: Ar draws y ddinas}

Only what people read is translated. Addresses are made from the default language's words
(``consultations/filter/topic/open-data/`` in every language), so the language switch
always finds the same page, and the endpoint and email alerts match the same values.
A word with no translation is shown as written, marked with the default language
(``Word.lang``) so that screen readers say it as it is written; ``portal check`` warns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from portal import slugs
from portal.i18n import language_name
from portal.problems import Problems
from portal.settings import Settings

if TYPE_CHECKING:
    from portal.areas.read import Areas
    from portal.model.consultations import Consultation

OPTION = "translations"


@dataclass(frozen=True)
class Word:
    """One of the site's words as a page in the language being built shows it."""

    text: str
    lang: str = ""  # '' when in the page's language; else the language it is written in


@dataclass(frozen=True)
class Glossary:
    """The site's words in ``language``; the default language's need none."""

    language: str
    default: str
    words: Mapping[str, str] = field(default_factory=dict)

    def word(self, text: str) -> Word:
        found = self.find(text)
        if found is not None:
            return Word(found)
        return Word(text, "" if self.language == self.default else self.default)

    def __call__(self, text: str) -> str:
        """The text to show (plain text: titles, JSON, feeds)."""
        return self.word(text).text

    def find(self, text: str) -> str | None:
        """The translation, written as mkdocs.yml has it or differing only in case and
        punctuation (as topics that share a filter page do); None if there is none. The
        default language's words are the ones written."""
        if self.language == self.default:
            return None
        if text in self.words:
            return self.words[text]
        wanted = slugs.slugify(text, fallback="")
        if not wanted:
            return None
        same = (v for k, v in self.words.items() if slugs.slugify(k, fallback="") == wanted)
        return next(same, None)

    def lacks(self, text: str) -> bool:
        return self.language != self.default and self.find(text) is None


def glossary(settings: Settings, language: str | None = None) -> Glossary:
    """The words of ``language`` (the one being built if None). A value that is not a
    mapping of text to text is left out here; ``portal check`` reports it at its line."""
    language = language or settings.language
    return Glossary(language, settings.default_language, words_of(settings.extra, language))


def words_of(options: Mapping[str, Any], language: str) -> dict[str, str]:
    every = options.get(OPTION)
    words = every.get(language) if isinstance(every, dict) else None
    if not isinstance(words, dict):
        return {}
    return {
        str(text): str(word)
        for text, word in words.items()
        if isinstance(text, (str, int, float))
        and isinstance(word, (str, int, float))
        and str(word).strip()
    }


def note_untranslated(
    settings: Settings,
    consultations: Sequence[Consultation],
    areas: Areas | None,
    problems: Problems,
) -> None:
    """Warn of each topic and area shown in a language that has no word for it: at its
    line in the index.md of a consultation published in that language, and an area of the
    areas package (each has a filter page in every language) at its line in the GeoJSON.
    Until it is added the pages show it as written, marked with the default language."""
    named: set[tuple[str, str]] = set()  # (language, slug) already warned of
    for consultation in consultations:
        for language in consultation.languages[1:]:
            words = glossary(settings, language)
            for text in [*consultation.topics, *consultation.area]:
                if words.lacks(text) and (language, _slug(text)) not in named:
                    named.add((language, _slug(text)))
                    problems.note(
                        consultation.source,
                        consultation.word_lines.get(text),
                        f"'{text}' has no {language_name(language)} ({language}) word, so the "
                        f"{language_name(language)} pages show it in "
                        f"{language_name(settings.default_language)}",
                        _hint(text, language),
                        code="translation-missing",
                    )
    if areas is None:
        return
    for language in settings.all_languages[1:]:
        words = glossary(settings, language)
        for area in areas.areas:
            if words.lacks(area.name) and (language, _slug(area.name)) not in named:
                named.add((language, _slug(area.name)))
                problems.note(
                    areas.source,
                    area.line,
                    f"the area '{area.name}' has no {language_name(language)} ({language}) "
                    f"name, so the {language_name(language)} pages show it in "
                    f"{language_name(settings.default_language)}",
                    _hint(area.name, language),
                    code="translation-missing",
                )


def _slug(text: str) -> str:
    return slugs.slugify(text, fallback=text)


def _hint(text: str, language: str) -> str:
    quoted = f'"{text}"' if ":" in text or "'" in text else text
    return (
        f"add it to mkdocs.yml under the portal plugin's '{OPTION}:', as "
        f"'{OPTION}: {{{language}: {{{quoted}: ...}}}}' (its address stays the same)"
    )
