"""A form's words in each language it is published in (issue 21).

A form is written once: its structure (ids, types, limits, option values) has no language.
Its words (labels, hints, the title...) are the default language's in the manifest's usual
places, so that everything reading a manifest today (exports, staff pages, kept versions)
reads them unchanged; the other languages' words sit beside them under ``translations``::

    {"languages": ["en", "cy"],
     "title": "Bus lanes", "translations": {"cy": {"title": "Lonydd bysiau"}},
     "questions": [{"id": "views", "label": "Your views",
                    "translations": {"cy": {"label": "Eich barn"}}}]}

:func:`in_language` gives the manifest with one language's words in those usual places;
the build renders the page's form from it and the endpoint re-renders and validates from it,
so the page and the endpoint cannot disagree on what a question says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.fields import FieldReader, did_you_mean
from portal.forms.validate import LANGUAGE_QUERY
from portal.i18n import language_name

Manifest = dict[str, Any]
# The words of a form, of a question and of a scale question's ends: what a language has.
FORM_WORDS = ("title", "submit_label", "confirmation")
QUESTION_WORDS = ("label", "hint", "min_label", "max_label")


def languages(manifest: Manifest) -> list[str]:
    """The manifest's languages, the default first; [] for a form in one language."""
    found = manifest.get("languages")
    return [str(code) for code in found] if isinstance(found, list) else []


def default(manifest: Manifest) -> str | None:
    found = languages(manifest)
    return found[0] if found else None


def known(manifest: Manifest, language: str) -> str | None:
    """``language`` if the form has words in it, else its default (None: one language)."""
    found = languages(manifest)
    if not found:
        return None
    return language if language in found else found[0]


def query(manifest: Manifest, language: str) -> str:
    """What the endpoint's addresses for this form carry to say the page's language
    (``?language=cy``), for each of the form's languages but its default: the form's action,
    its resume link, the confirmation. The endpoint answers a post it refuses before
    reading it (too long, from another site, a form it does not know) in that language."""
    return f"?{LANGUAGE_QUERY}={language}" if language in languages(manifest)[1:] else ""


def in_language(manifest: Manifest, language: str) -> Manifest:
    """The manifest (or a form, as read_form returns it) with the words of ``language``.

    A word that language lacks is the default language's: ``portal check`` warns of it,
    and the build does not publish a consultation whose form is incomplete. The result has
    the same shape as the manifest; the manifest itself is not changed.
    """
    shown = dict(manifest)
    words = (manifest.get("translations") or {}).get(language) or {}
    for key in FORM_WORDS:
        if words.get(key):
            shown[key] = words[key]
    shown["questions"] = [_question(q, language) for q in manifest.get("questions") or []]
    if language in languages(manifest)[1:] and manifest.get("page_file"):
        shown.update(_page(manifest, language))
    return shown


def _page(manifest: Manifest, language: str) -> dict[str, str]:
    """The form's page in ``language``: each language but the default is built under a
    folder of its code, with the same addresses inside it (portal.languages), so the
    endpoint's pages (a refused post, the confirmation's link back) are that language's."""
    page_file, page_url = str(manifest["page_file"]), str(manifest.get("page_url") or "/")
    folder = page_file.removesuffix("index.html")
    root = page_url.removesuffix(folder) if folder and page_url.endswith(folder) else "/"
    return {
        "page_file": f"{language}/{page_file}",
        "page_url": f"{root}{language}/{page_url.removeprefix(root)}",
    }


def _question(question: dict[str, Any], language: str) -> dict[str, Any]:
    words = (question.get("translations") or {}).get(language)
    if not words:
        return question
    shown = dict(question)
    for key in QUESTION_WORDS:
        if words.get(key):
            shown[key] = words[key]
    labels = words.get("options") or {}
    if labels and question.get("options"):
        shown["options"] = [
            {**option, "label": labels.get(option["value"]) or option["label"]}
            for option in question["options"]
        ]
    return shown


# -- reading a form's words from front matter ---------------------------------------------
Translations = dict[str, dict[str, Any]]  # language: {word field: text}


def put(translations: Translations, key: str, found: dict[str, str]) -> None:
    """Add one word field's other-language texts to ``translations``."""
    for code, text in found.items():
        translations.setdefault(code, {})[key] = text


@dataclass
class WordReader:
    """Reads a form's word fields in the site's languages, the default first.

    A word field is plain text (the default language's words, as a single-language site
    writes it) or a map of language to text (``label: {en: Your views, cy: Eich barn}``).
    A language the site publishes in and the field lacks is a warning at the field's line
    (a consultation whose form lacks a language is not published in it: the build's part);
    a language the site does not publish in is an error at its key's line.
    """

    languages: tuple[str, ...]
    # The languages some word of the form is missing in.
    untranslated: set[str] = field(default_factory=set)

    @property
    def default(self) -> str:
        return self.languages[0]

    @property
    def others(self) -> tuple[str, ...]:
        return self.languages[1:]

    def text(
        self,
        reader: FieldReader,
        key: str,
        *,
        what: str,
        required: bool = False,
        hint: str = "",
        fallback: str | None = None,
    ) -> tuple[str | None, dict[str, str]]:
        """The default language's text and the others' found, by language.

        ``fallback`` is what the field is when not written (a label of the portal's own,
        already in each language): nothing is missing then.
        """
        raw = reader.raw(key)
        if isinstance(raw, dict):
            words = FieldReader(
                reader.path, reader.located, reader.problems, (*reader.prefix, key), raw
            )
            return self.each(words, what=what, word=key, required=required, hint=hint)
        text = reader.text(key, required=required and fallback is None, hint=hint)
        if text is not None:
            example = f'{key}: {{{self.default}: "{_short(text)}", {{code}}: "..."}}'
            self.note_missing(reader, reader.line(key), what, key, list(self.others), example)
        return text, {}

    def each(
        self,
        words: FieldReader,
        *,
        what: str,
        word: str,
        required: bool = False,
        hint: str = "",
        example: str = "",
    ) -> tuple[str | None, dict[str, str]]:
        """A map of language to text, read by ``words`` (its keys must be languages)."""
        listed = ", ".join(self.languages)
        for code in words.data:
            if str(code) not in self.languages:
                words.problem(
                    str(code),
                    f"'{words.name(str(code))}' gives words in '{code}', which is not one of "
                    f"the site's languages ({listed})",
                    " ".join(
                        filter(
                            None,
                            [
                                did_you_mean(str(code), self.languages),
                                "write the words in one of the site's languages, or add the "
                                "language to the portal plugin's 'languages:' in mkdocs.yml",
                            ],
                        )
                    ),
                    code="language-unknown",
                )
        found = {code: words.text(code) for code in self.others}
        given = {code: text for code, text in found.items() if text}
        default = words.text(self.default)
        if default is None and (required or given):
            words.problem(
                None,
                f"{what} has no {language_name(self.default)} ({self.default}) {_word(word)}",
                hint
                or f"add '{self.default}: ...' with the {_word(word)} in "
                f"{language_name(self.default)}, the site's default language: exports and staff "
                "pages show that one",
                code="field-missing",
            )
        if default is not None:
            missing = [code for code in self.others if code not in given]
            shown = example or (f'{word}: {{{self.default}: "{_short(default)}", {{code}}: "..."}}')
            self.note_missing(words, words.line(), what, word, missing, shown)
        return default, given

    def note_missing(
        self, reader: FieldReader, line: int, what: str, word: str, missing: list[str], example: str
    ) -> None:
        for code in missing:
            self.untranslated.add(code)
            reader.problems.note(
                reader.path,
                line,
                f"{what} has no {language_name(code)} ({code}) {_word(word)}",
                f"write it in each of the site's languages: {example.replace('{code}', code)}; "
                f"until then the consultation is not published in {language_name(code)}",
                code="translation-missing",
            )


def _word(key: str) -> str:
    return key.replace("_", " ")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
