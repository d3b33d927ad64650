"""What a commit changed in a consultation, in a resident's words.

From the files the commit touched (git's name-status) and, when it edited the
consultation's index.md, from the front matter before and after: a later closing date is
"Closing date extended to ...", a new outcome.md is "Outcome published", a new entry under
``documents:`` is "Documents added: ...". Anything else is "Page updated": the page never
shows file names or commit messages, which are staff's words.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

from portal.i18n import to_translate
from portal.render import human_date, human_time

OUTCOME = "outcome.md"
# Summaries in English, as stored; a page shows one through its ``_`` (a summary that names a
# date or a title is not in the catalogue and stays as written).
PUBLISHED = to_translate("Consultation published")
PAGE = "index.md"


@dataclass(frozen=True)
class Touched:
    status: str  # git's letter: A added, M modified, D deleted
    name: str  # from the repository's top folder
    parent: str = ""  # the commit's first parent ("" for the first commit)


def describe(touched: list[Touched], sha: str, blobs: dict[str, bytes], tz: tzinfo) -> str:
    """One commit's changes to one consultation folder, as a sentence (or several)."""
    said: list[str] = []
    for item in touched:
        base = item.name.rsplit("/", 1)[-1]
        if base == PAGE and item.status == "A":
            said.append(PUBLISHED)
        elif base == PAGE and item.status == "M":
            before = front_matter(blobs.get(f"{item.parent}:{item.name}", b""))
            after = front_matter(blobs.get(f"{sha}:{item.name}", b""))
            said += front_matter_changes(before, after, tz)
        elif base == OUTCOME:
            said.append(
                {"A": "Outcome published", "D": "Outcome withdrawn"}.get(
                    item.status, "Outcome updated"
                )
            )
    # Documents a commit added without naming them in index.md (the files alone).
    if not any(s.startswith("Documents added") for s in said):
        files = [t for t in touched if t.status == "A" and not t.name.endswith(".md")]
        if files and not any(s == PUBLISHED for s in said):
            said.append("Documents added: " + ", ".join(t.name.rsplit("/", 1)[-1] for t in files))
    unique = list(dict.fromkeys(said))
    return "; ".join(unique) if unique else "Page updated"


def front_matter_changes(before: dict[str, Any], after: dict[str, Any], tz: tzinfo) -> list[str]:
    said: list[str] = []
    if before.get("draft") is True and not after.get("draft"):
        said.append(PUBLISHED)
    old_closes = instant(before.get("closes"), tz, end_of_day=True)
    new_closes = instant(after.get("closes"), tz, end_of_day=True)
    if new_closes and old_closes != new_closes:
        verb = "extended" if old_closes and new_closes > old_closes else "changed"
        said.append(f"Closing date {verb} to {words(new_closes)}")
    old_opens = instant(before.get("opens"), tz)
    new_opens = instant(after.get("opens"), tz)
    if new_opens and old_opens != new_opens:
        said.append(f"Opening date changed to {words(new_opens)}")
    if after.get("title") and before.get("title") != after.get("title"):
        said.append(f"Title changed to “{after['title']}”")
    added = [d for d in _documents(after) if d not in _documents(before)]
    if added:
        said.append("Documents added: " + ", ".join(added))
    removed = [d for d in _documents(before) if d not in _documents(after)]
    if removed:
        said.append("Documents removed: " + ", ".join(removed))
    return said


def file_summary(name: str) -> str:
    """Without git: what a file's date says, by the file it is."""
    base = name.rsplit("/", 1)[-1]
    if base == PAGE:
        return to_translate("Consultation page updated")
    if base == OUTCOME:
        return to_translate("Outcome updated")
    return to_translate("Documents updated")


def words(moment: datetime) -> str:
    return f"{human_time(moment)} on {human_date(moment)}"


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


def _documents(fm: dict[str, Any]) -> list[str]:
    docs = fm.get("documents")
    if not isinstance(docs, list):
        return []
    return [str(d.get("title") or d.get("file")) for d in docs if isinstance(d, dict)]


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
