"""Licences a site may publish its own open data under (``licence:`` in mkdocs.yml).

Named by their SPDX identifier, so a publisher writes one word and every package the portal
writes (the results of a consultation) says the same title and address.
"""

from __future__ import annotations

from typing import Any

# identifier: (title, address of the licence text)
KNOWN: dict[str, tuple[str, str]] = {
    "OGL-UK-3.0": (
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License v1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}


def is_known(identifier: str) -> bool:
    return identifier in KNOWN


def for_package(identifier: str) -> dict[str, Any] | None:
    """The Data Package ``licenses`` entry, or None when the site names no licence."""
    if identifier not in KNOWN:
        return None
    title, path = KNOWN[identifier]
    return {"name": identifier, "title": title, "path": path}
