"""Reading datapackage.json: JSON with line numbers for errors, and the metadata it carries.

Data Package v1 and v2 differ in small ways this module absorbs: ``profile`` vs ``$schema``,
contributor ``role`` vs ``roles``, ``licenses[].name`` vs ``id``. The portal's own additions
(``lastModified``, ``updateFrequency``) sit beside the standard keys, as the spec allows.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from portal.datasets.model import Licence, Publisher, Source
from portal.problems import Problems

# Titles for licences that packages often name by id only (the "datasets" core collection
# writes ``{"id": "odc-pddl", "name": "public_domain_dedication_and_license"}``).
KNOWN_LICENCES = {
    "odc-pddl": "Open Data Commons Public Domain Dedication and License",
    "odc-by": "Open Data Commons Attribution License",
    "odc-odbl": "Open Data Commons Open Database License",
    "cc-by-4.0": "Creative Commons Attribution 4.0",
    "cc0-1.0": "Creative Commons Zero 1.0",
    "ogl-uk-3.0": "Open Government Licence v3.0",
}


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
        title = str(item.get("title") or KNOWN_LICENCES.get(ident.lower()) or ident or "Licence")
        found.append(Licence(title=title, url=str(item.get("path") or ""), identifier=ident))
    return found


def sources(descriptor: dict[str, Any]) -> list[Source]:
    return [
        Source(
            title=str(item.get("title") or item.get("name") or item.get("path") or "Source"),
            url=str(item.get("path") or ""),
            email=str(item.get("email") or ""),
        )
        for item in _dicts(descriptor.get("sources"))
    ]


def publisher(descriptor: dict[str, Any]) -> Publisher | None:
    """The contributor with the publisher role (v1 ``role``, v2 ``roles``), else None."""
    for item in _dicts(descriptor.get("contributors")):
        roles = item.get("roles") or [item.get("role")]
        if "publisher" in roles:
            name = item.get("title") or item.get("organization") or item.get("givenName") or ""
            return Publisher(str(name), str(item.get("path") or ""), str(item.get("email") or ""))
    return None


def keywords(descriptor: dict[str, Any]) -> list[str]:
    return [str(k).strip() for k in descriptor.get("keywords") or [] if str(k).strip()]


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
