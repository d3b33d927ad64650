"""A consultation in the site's other languages: ``index.cy.md`` beside ``index.md``.

Only words are translated. ``index.md`` holds every fact (dates, documents, topics, the
form's structure) and the default language's words; ``index.<language>.md`` holds that
language's title and summary in its front matter and its text below, and
``outcome.<language>.md`` the outcome's. A consultation is published in the languages its
``languages:`` lists, or in all the site's; one that lacks a text in one of them is withheld
in every language (nothing half-translated goes live), with a warning at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.fields import FieldReader
from portal.frontmatter import read_document
from portal.i18n import language_name
from portal.problems import Problems

KEYS = {"title", "summary", "organisation"}


@dataclass(frozen=True)
class ConsultationWords:
    """A consultation's words in one language other than the site's default."""

    language: str
    source: Path
    title: str
    summary: str
    organisation: str | None
    body: str
    body_line: int
    outcome: str | None = None
    outcome_source: Path | None = None
    outcome_line: int = 1


def translation_path(index: Path, language: str) -> Path:
    """``index.md`` → ``index.cy.md``: the suffix rule content pages follow too."""
    return index.with_name(f"{index.stem}.{language}{index.suffix}")


def read_words(
    index: Path, language: str, has_outcome: bool, problems: Problems, *, line: int
) -> ConsultationWords | None:
    """The words in ``language``, or None (with a warning) when any are missing.

    ``line``: where in index.md the warning points when the whole file is missing (its
    ``languages:`` line, or its first)."""
    name = language_name(language)
    path = translation_path(index, language)
    if not path.is_file():
        problems.note(
            index,
            line,
            f"this consultation is published in {name} ({language}) but has no "
            f"{path.name}, so it is withheld in every language",
            f"write {path.name} beside index.md with its {name} title, summary and text, or "
            f"list only the languages it is written in ('languages: [...]')",
            code="translation-missing",
        )
        return None
    document = read_document(path, problems)
    if document is None:
        return None
    fm = FieldReader(path, document.front, problems)
    fm.check_keys(KEYS, f"a consultation's {name} words")
    found = True
    for key in ("title", "summary"):
        if not fm.text(key):
            problems.note(
                path,
                fm.line(key) if fm.has(key) else 1,
                f"this {name} version has no '{key}:', so the consultation is withheld in "
                f"every language",
                f"add '{key}:' in {name}",
                code="translation-missing",
            )
            found = False
    if not document.body.strip():
        problems.note(
            path,
            document.body_line,
            f"this {name} version has no text, so the consultation is withheld in every language",
            "write the consultation's text below the front matter",
            code="translation-missing",
        )
        found = False
    outcome, outcome_source, outcome_line = None, None, 1
    if has_outcome:
        outcome_path = translation_path(index.with_name("outcome.md"), language)
        outcome_doc = read_document(outcome_path, problems) if outcome_path.is_file() else None
        if outcome_doc is None:
            problems.note(
                index.with_name("outcome.md"),
                1,
                f"the outcome has no {name} version ({outcome_path.name}), so the "
                f"consultation is withheld in every language",
                f"write {outcome_path.name} beside outcome.md",
                code="translation-missing",
            )
            found = False
        else:
            outcome = outcome_doc.body
            outcome_source, outcome_line = outcome_path, outcome_doc.body_line
    if not found:
        return None
    return ConsultationWords(
        language=language,
        source=path,
        title=str(fm.text("title")),
        summary=str(fm.text("summary")),
        organisation=fm.text("organisation"),
        body=document.body,
        body_line=document.body_line,
        outcome=outcome,
        outcome_source=outcome_source,
        outcome_line=outcome_line,
    )
