"""Versions of a form: what a stored answer means depends on the questions it answered.

A form's *version* is a content hash of what gives stored answers their meaning: each
question's id and type and, for choice questions, its option values. Labels, hints, dates
and limits can change without a new version; renaming an id or an option value makes one.

Every version that has taken responses is kept in the repository, tracked by git, as
``form-versions/FORM_ID/VERSION.json`` (the whole manifest as it was built). ``portal
check`` and ``portal build`` write the current version there whenever the form accepts
responses (it has no opening date, or that date has passed): a forthcoming form changes
freely, since nobody can have answered it. Keeping them in git, not in ``site/``, is what
lets ``portal check`` on a fresh clone (and the build in CI) see what was published; a
version file that git does not yet track was never published, and may be deleted.

The build copies every kept version to ``site/api/forms/FORM_ID/versions/VERSION.json``
beside the current ``FORM_ID.json``; the endpoint stores the version with each response,
and the exports map each response's answers to the current questions through the
``renamed_from`` entries of the current and the kept versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.forms import manifests

Manifest = dict[str, Any]
FOLDER = "form-versions"
# Scale options are the numbers of the scale, stored as integers: their values are the
# scale's range, which the hash covers through min and max.
CHOICE = ("radio", "checkboxes", "select")


def of(manifest: Manifest) -> str:
    """The version of a manifest (or of a form's ``questions`` part): 16 hex digits."""
    shape = [
        {
            "id": q["id"],
            "type": q["type"],
            "options": [o["value"] for o in q.get("options") or []],
        }
        for q in manifest["questions"]
    ]
    text = json.dumps(shape, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def kept_folder(root: Path, form_id: str) -> Path:
    return root / FOLDER / form_id


def kept(root: Path, form_id: str) -> dict[str, Manifest]:
    """The versions of a form kept in the repository, by version."""
    return _read_folder(kept_folder(root, form_id))


def published(site_dir: Path, form_id: str) -> dict[str, Manifest]:
    """The versions of a form in a built site, by version (the current one included)."""
    found = _read_folder(manifests.folder(site_dir) / form_id / "versions")
    current = manifests.folder(site_dir) / f"{form_id}.json"
    if current.is_file():
        manifest = manifests.read(current)
        found[of(manifest)] = manifest
    return found


def _read_folder(folder: Path) -> dict[str, Manifest]:
    found: dict[str, Manifest] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        manifest = manifests.read(path)
        # The hash is computed, not trusted from the name: a file renamed by hand still
        # answers for the questions it holds.
        found[of(manifest)] = manifest
    return found


def record(root: Path, manifest: Manifest) -> Path | None:
    """Keep ``manifest`` as a version of its form unless it is kept already.

    Written atomically: builds and checks may run at once, and a half-written version file
    would stop every later check.
    """
    folder = kept_folder(root, manifest["id"])
    path = folder / f"{of(manifest)}.json"
    if path.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    handle, scratch = tempfile.mkstemp(prefix=".version-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(scratch, 0o644)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return path


def renamed_from(item: dict[str, Any]) -> list[str]:
    value = item.get("renamed_from") or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


@dataclass(frozen=True)
class Unmapped:
    """An answer that has no place in the current form."""

    question: str  # the id the response used
    value: str | None = None  # the option, when the question maps and the option does not


@dataclass
class Renames:
    """Where old question ids and option values went, from every version's renamed_from."""

    current: Manifest
    questions: dict[str, str] = field(default_factory=dict)
    # (current question id, old option value) -> newer option value
    options: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, current: Manifest, others: Iterable[Manifest] = ()) -> Renames:
        renames = cls(current)
        every = [current, *others]
        for manifest in every:
            for q in manifest["questions"]:
                for old in renamed_from(q):
                    renames.questions.setdefault(old, q["id"])
        for manifest in every:
            for q in manifest["questions"]:
                target = renames.question(q["id"])
                for option in q.get("options") or []:
                    for old in renamed_from(option):
                        if target is not None:
                            renames.options.setdefault((target, old), option["value"])
        return renames

    def _ids(self) -> dict[str, Manifest]:
        return {q["id"]: q for q in self.current["questions"]}

    def question(self, old: str) -> str | None:
        """The current question an id names, following renames; None if none."""
        ids = self._ids()
        seen: set[str] = set()
        while old not in ids:
            if old in seen or old not in self.questions:
                return None
            seen.add(old)
            old = self.questions[old]
        return old

    def option(self, question: str, old: str) -> str | None:
        """The current option value of ``question`` an old value names; None if none."""
        q = self._ids()[question]
        values = {o["value"] for o in q.get("options") or []}
        seen: set[str] = set()
        while old not in values:
            if old in seen or (question, old) not in self.options:
                return None
            seen.add(old)
            old = self.options[(question, old)]
        return old

    def translate(self, answers: dict[str, Any]) -> tuple[dict[str, Any], list[Unmapped]]:
        """``answers`` in the current form's ids and values, and what has no place there.

        An empty answer (none given, or removed by retention) carries nothing to map.
        """
        ids = self._ids()
        out: dict[str, Any] = {}
        lost: list[Unmapped] = []
        for key, value in answers.items():
            target = self.question(key)
            if target is None:
                if value not in (None, "", []):
                    lost.append(Unmapped(key))
                continue
            if ids[target]["type"] in CHOICE and value is not None:
                mapped = []
                for item in value if isinstance(value, list) else [value]:
                    new = self.option(target, str(item))
                    if new is None:
                        lost.append(Unmapped(key, str(item)))
                    mapped.append(new if new is not None else item)
                value = mapped if isinstance(value, list) else mapped[0]
            if target in out and out[target] not in (None, "", []):
                continue  # the newer id already answered; a rename never doubles an answer
            out[target] = value
        return out, lost


@dataclass(frozen=True)
class Change:
    """Something a kept version asked that the current form no longer does."""

    version: str
    question: str  # the id in that version
    value: str | None = None  # an option value of that question, when only it went


def changes(current: Manifest, versions: dict[str, Manifest]) -> list[Change]:
    """What answers of the kept ``versions`` could not be placed in ``current``."""
    renames = Renames.of(current, versions.values())
    ids = renames._ids()
    found: dict[tuple[str, str | None], Change] = {}
    for version, manifest in versions.items():
        for q in manifest["questions"]:
            target = renames.question(q["id"])
            if target is None:
                found.setdefault((q["id"], None), Change(version, q["id"]))
                continue
            if q["type"] not in CHOICE or ids[target]["type"] not in CHOICE:
                continue
            for option in q.get("options") or []:
                if renames.option(target, option["value"]) is None:
                    key = (target, option["value"])
                    found.setdefault(key, Change(version, target, option["value"]))
    return list(found.values())
