"""What a commit changed in a consultation, in a resident's words, in any language.

From the files the commit touched (git's name-status) and, when it edited the
consultation's index.md, from the front matter before and after: a later closing date is
"Closing date extended to ...", a new outcome.md is "Outcome published", a new entry under
``documents:`` is "Documents added: ...". Anything else is "Page updated": the page never
shows file names or commit messages, which are staff's words.

A summary is kept as phrases (:class:`Said`: an English message id and its values), not as
a sentence, because one build writes the same history on every language's page: each page
says it with its own ``Words`` (portal.i18n), the dates as that language writes them
(portal.i18n.dates). The values that are staff's words keep the language they were written
in: a document's title is the page's language's when ``title: {en: ..., cy: ...}`` gave one
(as the document list shows it), else the default language's, marked ``lang`` on a page in
another language; a new consultation title is the one written in index.md, the default
language's (index.cy.md's own title changes are not described: they read as "Page
updated"), marked the same way.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from portal.i18n import Words, to_translate
from portal.i18n.dates import human_date, human_time

OUTCOME = "outcome.md"
PAGE = "index.md"
PUBLISHED = to_translate("Consultation published")
OUTCOME_PUBLISHED = to_translate("Outcome published")
OUTCOME_WITHDRAWN = to_translate("Outcome withdrawn")
OUTCOME_UPDATED = to_translate("Outcome updated")
PAGE_UPDATED = to_translate("Page updated")
CLOSING_EXTENDED = to_translate("Closing date extended to {time} on {date}")
CLOSING_CHANGED = to_translate("Closing date changed to {time} on {date}")
OPENING_CHANGED = to_translate("Opening date changed to {time} on {date}")
TITLE_CHANGED = to_translate("Title changed to “{title}”")
DOCUMENTS_ADDED = to_translate("Documents added: {documents}")
DOCUMENTS_REMOVED = to_translate("Documents removed: {documents}")


@dataclass(frozen=True)
class Named:
    """Staff's words inside a phrase: by language, the language they were written in first."""

    texts: tuple[tuple[str, str], ...]  # (language, text); the first is the written one

    @classmethod
    def of(cls, value: Any, default: str) -> Named:
        if isinstance(value, Mapping):
            texts = [(str(k), str(v)) for k, v in value.items() if v]
            first = [t for t in texts if t[0] == default] or texts[:1]
            return cls(tuple(first + [t for t in texts if t not in first]))
        return cls(((default, str(value)),))

    @property
    def text(self) -> str:
        return self.texts[0][1] if self.texts else ""

    def shown(self, language: str) -> Markup:
        found = dict(self.texts)
        if language in found:
            return escape(found[language])
        written, text = self.texts[0] if self.texts else (language, "")
        if written == language:
            return escape(text)
        return Markup('<span lang="{}">{}</span>').format(written, text)


Value = datetime | Named | tuple[Named, ...] | str


@dataclass(frozen=True)
class Said:
    """One thing a change did: the catalogue's message (English) and what fills it."""

    message: str
    values: tuple[tuple[str, Value], ...] = ()

    def __str__(self) -> str:  # in English, as it was stored before phrases
        return str(self.shown(None))

    def shown(self, words: Words | None) -> Markup:
        language = words.language if words else "en"
        text = words.catalogue.gettext(self.message) if words else self.message
        filled: dict[str, Markup] = {}
        for name, value in self.values:
            if isinstance(value, datetime):
                filled["time"] = escape(words.time(value) if words else human_time(value))
                filled["date"] = escape(words.date(value) if words else human_date(value))
            elif isinstance(value, Named):
                filled[name] = value.shown(language)
            elif isinstance(value, tuple):
                filled[name] = Markup(", ").join(v.shown(language) for v in value)
            else:
                filled[name] = escape(value)
        return escape(text).format(**filled) if filled else escape(text)


@dataclass(frozen=True)
class Summary:
    """Everything one change did to one consultation, said in a page's language."""

    said: tuple[Said, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.said)

    def __str__(self) -> str:
        return "; ".join(str(s) for s in self.said) or PAGE_UPDATED

    def shown(self, words: Words) -> Markup:
        """For a page: escaped markup (a title in another language carries its ``lang``)."""
        if not self.said:
            return escape(words.catalogue.gettext(PAGE_UPDATED))
        return Markup("; ").join(s.shown(words) for s in self.said)


@dataclass(frozen=True)
class Touched:
    status: str  # git's letter: A added, M modified, D deleted
    name: str  # from the repository's top folder
    parent: str = ""  # the commit's first parent ("" for the first commit)


def describe(
    touched: list[Touched], sha: str, blobs: dict[str, bytes], tz: tzinfo, default: str = "en"
) -> Summary:
    """One commit's changes to one consultation folder; ``default``: the language index.md
    is written in (the site's default)."""
    said: list[Said] = []
    for item in touched:
        base = item.name.rsplit("/", 1)[-1]
        if base == PAGE and item.status == "A":
            said.append(Said(PUBLISHED))
        elif base == PAGE and item.status == "M":
            before = front_matter(blobs.get(f"{item.parent}:{item.name}", b""))
            after = front_matter(blobs.get(f"{sha}:{item.name}", b""))
            said += front_matter_changes(before, after, tz, default)
        elif base == OUTCOME:
            message = {"A": OUTCOME_PUBLISHED, "D": OUTCOME_WITHDRAWN}.get(
                item.status, OUTCOME_UPDATED
            )
            said.append(Said(message))
    # Documents a commit added without naming them in index.md (the files alone: their
    # names are no language's words, so they are shown as they are).
    if not any(s.message == DOCUMENTS_ADDED for s in said):
        files = [t for t in touched if t.status == "A" and not t.name.endswith(".md")]
        if files and Said(PUBLISHED) not in said:
            names = ", ".join(t.name.rsplit("/", 1)[-1] for t in files)
            said.append(Said(DOCUMENTS_ADDED, (("documents", names),)))
    unique = tuple(dict.fromkeys(said))
    return Summary(unique or (Said(PAGE_UPDATED),))


def front_matter_changes(
    before: dict[str, Any], after: dict[str, Any], tz: tzinfo, default: str = "en"
) -> list[Said]:
    said: list[Said] = []
    if before.get("draft") is True and not after.get("draft"):
        said.append(Said(PUBLISHED))
    old_closes = instant(before.get("closes"), tz, end_of_day=True)
    new_closes = instant(after.get("closes"), tz, end_of_day=True)
    if new_closes and old_closes != new_closes:
        later = old_closes and new_closes > old_closes
        said.append(Said(CLOSING_EXTENDED if later else CLOSING_CHANGED, (("when", new_closes),)))
    old_opens = instant(before.get("opens"), tz)
    new_opens = instant(after.get("opens"), tz)
    if new_opens and old_opens != new_opens:
        said.append(Said(OPENING_CHANGED, (("when", new_opens),)))
    if after.get("title") and before.get("title") != after.get("title"):
        said.append(Said(TITLE_CHANGED, (("title", Named.of(after["title"], default)),)))
    old, new = _documents(before, default), _documents(after, default)
    added = tuple(d for d in new if d.text not in {o.text for o in old})
    if added:
        said.append(Said(DOCUMENTS_ADDED, (("documents", added),)))
    removed = tuple(d for d in old if d.text not in {n.text for n in new})
    if removed:
        said.append(Said(DOCUMENTS_REMOVED, (("documents", removed),)))
    return said


def file_summary(name: str) -> Summary:
    """Without git: what a file's date says, by the file it is."""
    base = name.rsplit("/", 1)[-1]
    if base == PAGE:
        return Summary((Said(to_translate("Consultation page updated")),))
    if base == OUTCOME:
        return Summary((Said(OUTCOME_UPDATED),))
    return Summary((Said(to_translate("Documents updated")),))


def instant(value: Any, tz: tzinfo, *, end_of_day: bool = False) -> datetime | None:
    """A front-matter date as the model reads it (portal.fields.FieldReader.instant)."""
    if isinstance(value, str):
        try:
            text = value.strip()
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59, 59) if end_of_day else time(0), tzinfo=tz)
    return None


def _documents(fm: dict[str, Any], default: str) -> list[Named]:
    """Each document's title (``title: {en: ..., cy: ...}`` in each language given)."""
    docs = fm.get("documents")
    if not isinstance(docs, list):
        return []
    return [Named.of(d.get("title") or d.get("file"), default) for d in docs if isinstance(d, dict)]


def front_matter(text: bytes) -> dict[str, Any]:
    """The YAML between the first two '---' lines; {} for anything unreadable (a history is
    no place to report a past mistake: portal check reports the current file)."""
    content = text.decode("utf-8", "replace")
    if not content.startswith("---"):
        return {}
    _, _, rest = content.partition("\n")
    head, found, _ = rest.partition("\n---")
    if not found:
        return {}
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_blobs(top: Path, wanted: list[str]) -> dict[str, bytes]:
    """Many 'commit:path' contents from one ``git cat-file --batch`` (one process per build,
    not two per edit)."""
    git = shutil.which("git")
    if git is None:
        return {}
    try:
        result = subprocess.run(
            [git, "-C", str(top), "cat-file", "--batch"],
            input=("\n".join(wanted) + "\n").encode(),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    out = result.stdout
    blobs: dict[str, bytes] = {}
    position = 0
    for request in wanted:
        end = out.find(b"\n", position)
        if end < 0:
            break
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<request> missing"
            continue
        size = int(header[2])
        blobs[request] = out[position : position + size]
        position += size + 1  # the content, then a newline
    return blobs
