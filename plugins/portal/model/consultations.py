"""Consultations: one folder each in consultations/, read from index.md front matter.

Status is never written by staff; it is derived from the dates and from outcome.md, so a
scheduled rebuild is all it takes for a consultation to open, close or show its outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from portal import urls
from portal.fields import FieldReader
from portal.forms.definition import read_form
from portal.forms.languages import WordReader
from portal.frontmatter import read_document
from portal.i18n import to_translate
from portal.model.translations import ConsultationWords, read_words
from portal.problems import Problems
from portal.settings import Settings

# Matched with fullmatch ("$" alone also matches before a final newline); the anchors stay
# for callers that use .match.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
KEYS = {
    "title",
    "summary",
    "organisation",
    "contact",
    "opens",
    "closes",
    "topics",
    "area",
    "documents",
    "draft",
    "form",
    "slug",
    "languages",
}
CONTACT_KEYS = {"name", "email", "phone"}
DOCUMENT_KEYS = {"title", "file"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # fullmatch, as SLUG
FORMATS = {
    "pdf": "PDF",
    "csv": "CSV",
    "odt": "ODT",
    "ods": "ODS",
    "docx": "Word",
    "xlsx": "Excel",
    "txt": to_translate("Text"),  # the one format name a page shows in its own language
    "md": to_translate("Text"),
    "html": "HTML",
    "zip": "ZIP",
    "geojson": "GeoJSON",
    "json": "JSON",
    "png": "PNG",
    "jpg": "JPEG",
    "svg": "SVG",
}


class Status(StrEnum):
    FORTHCOMING = "forthcoming"
    OPEN = "open"
    CLOSED = "closed"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        """The tag's English words; a page shows them through its ``_`` (portal.i18n)."""
        return {
            "forthcoming": to_translate("Forthcoming"),
            "open": to_translate("Open"),
            "closed": to_translate("Closed"),
            "outcome": to_translate("Outcome published"),
        }[self.value]


@dataclass
class Contact:
    email: str
    name: str | None = None
    phone: str | None = None


@dataclass
class Attachment:
    title: str
    file: Path
    name: str
    # Its title in the site's other languages (``title: {en: ..., cy: ...}``), by language.
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.file.stat().st_size

    @property
    def format(self) -> str:
        return FORMATS.get(self.file.suffix.lower().lstrip("."), self.file.suffix.upper()[1:])


@dataclass(eq=False)  # one consultation is one thing: compared by identity, not by field
class Consultation:
    slug: str
    folder: Path
    source: Path
    title: str
    summary: str
    organisation: str
    contact: Contact
    opens: datetime
    closes: datetime
    body: str
    topics: list[str] = field(default_factory=list)
    area: list[str] = field(default_factory=list)
    documents: list[Attachment] = field(default_factory=list)
    draft: bool = False
    form: dict[str, Any] | None = None
    outcome: str | None = None
    outcome_source: Path | None = None
    slug_line: int | None = None  # the line of an explicit 'slug:', for error messages
    # The line of each topic and area in index.md: a missing translation is warned there.
    word_lines: dict[str, int] = field(default_factory=dict)
    # The file lines the body and the outcome start on: the link check reports at them.
    body_line: int = 1
    outcome_line: int = 1
    # The languages it is published in, the site's default first (portal.model.translations),
    # and its words in each language but the default.
    languages: tuple[str, ...] = ()
    translations: dict[str, ConsultationWords] = field(default_factory=dict)
    # Languages it is offered in but lacks a text in: then it is published in none.
    untranslated: list[str] = field(default_factory=list)

    def in_language(self, language: str) -> Consultation:
        """This consultation with its words in ``language`` (facts unchanged)."""
        words = self.translations.get(language)
        if words is None:
            return self
        return replace(
            self,
            source=words.source,
            title=words.title,
            summary=words.summary,
            organisation=words.organisation or self.organisation,
            body=words.body,
            body_line=words.body_line,
            outcome=words.outcome if self.outcome is not None else None,
            outcome_source=words.outcome_source,
            outcome_line=words.outcome_line,
            documents=[replace(d, title=d.titles.get(language, d.title)) for d in self.documents],
        )

    def status(self, now: datetime) -> Status:
        if now < self.opens:
            return Status.FORTHCOMING
        if now < self.closes:
            return Status.OPEN
        return Status.OUTCOME if self.outcome is not None else Status.CLOSED

    def days_left(self, now: datetime) -> int:
        """Calendar days until the closing date in the site's time zone: 0 is 'today',
        1 'tomorrow', as people count days, whatever the hour."""
        local_now = now.astimezone(self.closes.tzinfo)
        return max(0, (self.closes.date() - local_now.date()).days)

    @property
    def url(self) -> str:
        return urls.consultation(self.slug)


def read_consultations(
    settings: Settings, problems: Problems, *, include_drafts: bool = False
) -> list[Consultation]:
    """Every consultation under consultations/, with problems recorded for bad ones."""
    folder = settings.consultations_dir
    if not folder.is_dir():
        return []
    found: list[Consultation] = []
    slugs: dict[str, Consultation] = {}
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        index = child / "index.md"
        if not index.exists():
            problems.add(
                child,
                None,
                "this consultation folder has no index.md",
                "add index.md (run 'portal new consultation NAME' for a skeleton)",
                "file-missing",
            )
            continue
        consultation = read_consultation(index, settings, problems)
        if consultation is None:
            continue
        if consultation.slug in slugs:
            first = slugs[consultation.slug]
            # Blame the file whose 'slug:' line made the clash, if one of them has it.
            here, other = (
                (first, consultation)
                if first.slug_line and not consultation.slug_line
                else (consultation, first)
            )
            problems.add(
                here.source,
                here.slug_line or 1,
                f"the address '{consultation.slug}' is already used by "
                f"{problems.relative(other.source)}",
                "give one of them a different 'slug:' or folder name",
                "slug-duplicate",
            )
            continue
        slugs[consultation.slug] = consultation
        if consultation.draft and not include_drafts:
            continue
        found.append(consultation)
    return found


def read_consultation(index: Path, settings: Settings, problems: Problems) -> Consultation | None:
    before = len(problems)
    document = read_document(index, problems)
    if document is None:
        return None
    fm = FieldReader(index, document.front, problems)
    fm.check_keys(KEYS, "a consultation")
    slug = fm.text("slug") or index.parent.name
    if not SLUG.fullmatch(slug):
        fm.problem(
            "slug" if fm.has("slug") else None,
            f"'{slug}' cannot be a web address",
            "use lower-case letters, digits and hyphens for the folder name or 'slug:'",
            "slug-invalid",
        )
    title = fm.text("title", required=True, hint="add 'title:' with the consultation's name")
    summary = fm.text("summary", required=True, hint="add 'summary:' with one or two sentences")
    organisation = fm.text(
        "organisation", required=True, hint="add 'organisation:' with who is consulting"
    )
    contact = _contact(fm)
    tz = settings.tz
    opens = fm.instant("opens", tz, required=True)
    closes = fm.instant("closes", tz, required=True, end_of_day=True)
    if opens and closes and closes <= opens:
        fm.problem(
            "closes",
            f"the consultation closes ({closes:%Y-%m-%d %H:%M}) before it "
            f"opens ({opens:%Y-%m-%d %H:%M})",
            "check the 'opens' and 'closes' dates",
            "date-order",
        )
    topics = fm.text_list("topics")
    area = fm.text_list("area")
    word_lines = {
        text: fm.line(key, number)
        for key, texts in (("area", area), ("topics", topics))
        for number, text in enumerate(texts)
    }
    draft = fm.boolean("draft")
    languages = _languages(fm, settings)  # the form must be complete in each
    document_words = WordReader(languages)
    documents = _documents(fm, index.parent, document_words)
    form = None
    form_reader = fm.mapping("form")
    if form_reader is not None:
        form = read_form(
            form_reader,
            default_id=slug,
            default_title=title or slug,
            retention_days=settings.retention_days,
            languages=languages,
        )
    outcome, outcome_source, outcome_line = _outcome(index.parent, problems)
    if len(problems) > before:
        return None
    where = fm.line("languages") if fm.has("languages") else 1
    translations = {
        language: words
        for language in languages[1:]
        if (words := read_words(index, language, outcome is not None, problems, line=where))
    }
    if form is not None and not form_reader_has_title(form_reader):
        # A form with no title of its own takes the consultation's, in each language.
        for language, words in translations.items():
            form.setdefault("translations", {}).setdefault(language, {})["title"] = words.title
    untranslated = sorted(
        {lang for lang in languages[1:] if lang not in translations}
        | {lang for lang in (form or {}).get("untranslated", []) if lang in languages}
        | document_words.untranslated
    )
    assert title and summary and organisation and contact and opens and closes
    return Consultation(
        slug=slug,
        folder=index.parent,
        source=index,
        title=title,
        summary=summary,
        organisation=organisation,
        contact=contact,
        opens=opens,
        closes=closes,
        body=document.body,
        topics=topics,
        area=area,
        documents=documents,
        draft=draft,
        form=form,
        outcome=outcome,
        outcome_source=outcome_source,
        body_line=document.body_line,
        outcome_line=outcome_line,
        slug_line=fm.line("slug") if fm.has("slug") else None,
        word_lines=word_lines,
        languages=languages,
        translations=translations,
        untranslated=untranslated,
    )


def form_reader_has_title(form: FieldReader | None) -> bool:
    return form is not None and form.has("title")


def _languages(fm: FieldReader, settings: Settings) -> tuple[str, ...]:
    """``languages: [en]``: the site's languages this consultation is published in (the
    others are then optional for it); all the site's when it does not say."""
    site = settings.all_languages
    if not fm.has("languages"):
        return site
    listed = fm.text_list("languages")
    unknown = [code for code in listed if code not in site]
    if unknown:
        fm.problem(
            "languages",
            f"{', '.join(repr(c) for c in unknown)} is not one of the site's languages "
            f"({', '.join(site)})",
            "list only languages named under 'languages:' in mkdocs.yml",
            "config-value",
        )
    if listed and site[0] not in listed:
        fm.problem(
            "languages",
            f"a consultation is always published in the site's default language ({site[0]}), "
            f"whose words index.md holds",
            f"add {site[0]} to 'languages:'",
            "config-value",
        )
    return tuple(code for code in site if code in listed)


def _contact(fm: FieldReader) -> Contact | None:
    hint = "add 'contact:' with at least an 'email:' line under it"
    value = fm.raw("contact")
    if isinstance(value, str) and EMAIL.fullmatch(value.strip()):
        return Contact(email=value.strip())
    reader = fm.mapping("contact", required=True, hint=hint)
    if reader is None:
        return None
    reader.check_keys(CONTACT_KEYS, "a contact")
    email = reader.text("email", required=True, hint="add 'email:' under 'contact:'")
    if email and not EMAIL.fullmatch(email):
        reader.problem(
            "email",
            f"'{email}' is not an email address",
            "write it like team@council.example.gov.uk",
            "email-invalid",
        )
        return None
    return (
        Contact(email=email, name=reader.text("name"), phone=reader.text("phone"))
        if email
        else None
    )


def _documents(fm: FieldReader, folder: Path, words: WordReader) -> list[Attachment]:
    """Each document's title is a word (portal.forms.languages): plain text in the default
    language, or ``{en: ..., cy: ...}``; one the consultation lacks in a language it is
    offered in is warned at its line, and ``words.untranslated`` then names that language."""
    out = []
    for doc in fm.items("documents", hint="write '- title: ...' and 'file: ...' for each"):
        doc.check_keys(DOCUMENT_KEYS, "a document")
        title, titles = words.text(
            doc, "title", what="this document", required=True, hint="add 'title:' for this document"
        )
        name = doc.text("file", required=True, hint="add 'file:' with the path in this folder")
        if not (title and name):
            continue
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            doc.problem(
                "file",
                f"'{name}' is outside the consultation's folder",
                "put the file in this consultation's folder",
                "document-outside",
            )
        elif not path.is_file():
            doc.problem(
                "file",
                f"the document file '{name}' does not exist",
                f"add it to {folder.name}/ or correct the file name",
                "document-missing",
            )
        else:
            relative = path.relative_to(folder.resolve()).as_posix()
            out.append(Attachment(title, path, relative, titles))
    return out


def _outcome(folder: Path, problems: Problems) -> tuple[str | None, Path | None, int]:
    path = folder / "outcome.md"
    if not path.exists():
        return None, None, 1
    document = read_document(path, problems)
    return (document.body, path, document.body_line) if document else (None, None, 1)
