"""Reading datapackage.json: JSON with line numbers for errors, and the metadata it carries.

Data Package v1 and v2 differ in small ways this module absorbs: ``profile`` vs ``$schema``,
contributor ``role`` vs ``roles``, ``licenses[].name`` vs ``id``, source ``web`` (before 1.0)
vs ``path``. Properties outside the spec that publishers use are read in every spelling seen
in published packages (``last_updated`` from the datahub core datasets, ``lastModified``,
``updateFrequency`` or ``update_frequency``, ``repository`` as a URL or as npm's object).

A package in several languages (issue 21) has its descriptor translated beside the
original, the language before the suffix as for pages (``datapackage.cy.json`` beside
``datapackage.json``; portal.languages): the same package (name, data, counts) described in
Welsh, whose resources may point at tables of their own with Welsh labels (``data/cy/``).
Data Package has no multilingual title, so each language gets a whole descriptor that any
reader of the spec can read, rather than properties only this portal knows. The Welsh pages
read the Welsh descriptor, where there is one, and the original everywhere else.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from portal import licences as known_licences
from portal.datasets.model import Contributor, Licence, Publisher, Source
from portal.problems import Problems

DESCRIPTOR = "datapackage.json"


def translated_descriptor(language: str) -> str:
    return f"datapackage.{language}.json"


def descriptor_for(folder: Path, language: str, default_language: str) -> Path:
    """The descriptor a page in ``language`` is made from: its translation, else the
    original."""
    if language != default_language:
        translated = folder / translated_descriptor(language)
        if translated.is_file():
            return translated
    return folder / DESCRIPTOR


def translations(folder: Path) -> dict[str, Path]:
    """Every translated descriptor in ``folder``, by the language its name gives."""
    found = {}
    for path in sorted(folder.glob("datapackage.*.json")):
        code = path.name.removeprefix("datapackage.").removesuffix(".json")
        if code and "." not in code:
            found[code] = path
    return found


def load_descriptor(path: Path, problems: Problems) -> dict[str, Any] | None:
    """The descriptor as a dict, or None after adding a problem with the line at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, None, f"cannot read the data package: {error}", "save it as UTF-8")
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(
            path,
            error.lineno,
            f"not valid JSON: {error.msg}",
            "check for a missing comma or quote near this line",
        )
        return None
    if not isinstance(data, dict):
        problems.add(path, 1, "a data package must be a JSON object", 'start it with "{"')
        return None
    return data


def line_of(path: Path, key: str, value: str | None = None) -> int | None:
    """The line where ``"key": "value"`` first appears, to point a publisher at it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    target = re.escape(json.dumps(key)) + r"\s*:"
    if value is not None:
        target += r"\s*" + re.escape(json.dumps(value, ensure_ascii=False))
    match = re.search(target, text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def spec_version(descriptor: dict[str, Any]) -> str:
    schema = str(descriptor.get("$schema", ""))
    return "2" if "/2." in schema or "datapackage.org" in schema else "1"


def licences(descriptor: dict[str, Any]) -> list[Licence]:
    found = []
    for item in _dicts(descriptor.get("licenses")):
        ident = str(item.get("id") or item.get("name") or "")
        title = str(item.get("title") or known_licences.title(ident) or ident or "Licence")
        found.append(Licence(title=title, url=str(item.get("path") or ""), identifier=ident))
    return found


def sources(descriptor: dict[str, Any]) -> list[Source]:
    return [
        Source(
            title=str(item.get("title") or item.get("name") or item.get("path") or "Source"),
            url=str(item.get("path") or item.get("web") or item.get("url") or ""),
            email=str(item.get("email") or ""),
        )
        for item in _dicts(descriptor.get("sources"))
    ]


def contributors(descriptor: dict[str, Any]) -> list[Contributor]:
    found = []
    for item in _dicts(descriptor.get("contributors")):
        given = item.get("roles")
        roles: list[Any] = given if isinstance(given, list) else [item.get("role")]
        person = " ".join(str(item.get(k) or "") for k in ("givenName", "familyName")).strip()
        name = str(item.get("title") or person or item.get("organization") or "").strip()
        if not name:
            continue
        found.append(
            Contributor(
                name=name,
                roles=tuple(str(r) for r in roles if r),
                url=str(item.get("path") or item.get("web") or ""),
                email=str(item.get("email") or ""),
                organisation=str(item.get("organization") or "")
                if name != item.get("organization")
                else "",
            )
        )
    return found


# Every spelling of "when the data last changed" seen in published packages, first wins.
LAST_CHANGED = ("lastModified", "last_modified", "last_updated", "lastUpdated", "modified")


def last_changed(descriptor: dict[str, Any]) -> datetime | None:
    for key in LAST_CHANGED:
        found = instant(descriptor.get(key))
        if found is not None:
            return found
    return None


def update_frequency(descriptor: dict[str, Any]) -> str:
    for key in ("updateFrequency", "update_frequency", "frequency"):
        if descriptor.get(key):
            return str(descriptor[key])
    return ""


def repository(descriptor: dict[str, Any]) -> str:
    """The package's source repository, given as a URL or as ``{"type", "url"}``."""
    value = descriptor.get("repository")
    url = value.get("url") if isinstance(value, dict) else value
    text = str(url or "").removeprefix("git+")
    return text if text.startswith(("https://", "http://")) else ""


def publisher(descriptor: dict[str, Any]) -> Publisher | None:
    """The contributor with the publisher role (v1 ``role``, v2 ``roles``), else None."""
    for item in _dicts(descriptor.get("contributors")):
        roles = item.get("roles") or [item.get("role")]
        if "publisher" in roles:
            name = item.get("title") or item.get("organization") or item.get("givenName") or ""
            return Publisher(str(name), str(item.get("path") or ""), str(item.get("email") or ""))
    return None


def keywords(descriptor: dict[str, Any]) -> list[str]:
    value = descriptor.get("keywords") or []
    if isinstance(value, str):  # some v1 packages write "a, b, c"
        value = value.split(",")
    return [str(k).strip() for k in value if str(k).strip()]


def instant(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time, or None if absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
