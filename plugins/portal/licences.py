"""Licences a site may publish its own open data under (``licence:`` in mkdocs.yml).

Named by their SPDX identifier, so a publisher writes one word and every package the portal
writes (the results of a consultation) says the same title and address. A data package that
names one of these (by this identifier, in any case, or by an older name in ``ALIASES``) is
shown with the same title.

On a page in another language a licence's name is the catalogue's, where the licence's own
publisher gives it in that language (the National Archives names the OGL in Welsh); a name
the catalogue leaves as it is stays the English proper name, and the page marks it English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal import i18n

# identifier: (title, address of the licence text). Titles are messages (`make messages`).
KNOWN: dict[str, tuple[str, str]] = {
    "OGL-UK-3.0": (
        i18n.to_translate("Open Government Licence v3.0"),
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
    "CC-BY-4.0": (
        i18n.to_translate("Creative Commons Attribution 4.0"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        i18n.to_translate("Creative Commons Attribution-ShareAlike 4.0"),
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        i18n.to_translate("Creative Commons Zero v1.0 Universal"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC-By-1.0": (
        i18n.to_translate("Open Data Commons Attribution License v1.0"),
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        i18n.to_translate("Open Data Commons Open Database License v1.0"),
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        i18n.to_translate("Open Data Commons Public Domain Dedication and License v1.0"),
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}


# Names packages often give a licence by instead (the "datasets" core collection writes
# ``{"id": "odc-pddl"}``), lower case.
ALIASES = {"odc-pddl": "PDDL-1.0", "odc-by": "ODC-By-1.0", "odc-odbl": "ODbL-1.0"}
_BY_LOWER = {identifier.lower(): identifier for identifier in KNOWN} | ALIASES


@dataclass(frozen=True)
class Name:
    text: str
    lang: str = ""  # the language ``text`` is in when not the page's ('' when it is)


def is_known(identifier: str) -> bool:
    return identifier in KNOWN


def identify(name: str) -> str | None:
    """The identifier of the licence a package names, if it is one of ours."""
    return _BY_LOWER.get(name.strip().lower())


def title(name: str) -> str:
    """The licence's English title, or '' for one the portal does not know."""
    identifier = identify(name)
    return KNOWN[identifier][0] if identifier else ""


def name(identifier: str, _: i18n.Words) -> Name | None:
    """The licence's name in ``_``'s language, or None for one the portal does not know."""
    english = title(identifier)
    if not english:
        return None
    said = _(english)
    return Name(said, _.marks(i18n.SOURCE) if said == english else "")


def for_package(identifier: str) -> dict[str, Any] | None:
    """The Data Package ``licenses`` entry, or None when the site names no licence."""
    if identifier not in KNOWN:
        return None
    title, path = KNOWN[identifier]
    return {"name": identifier, "title": title, "path": path}


def in_package(identifier: str, package_title: str, package_lang: str, _: i18n.Words) -> Name:
    """A data package's licence (its ``name`` or ``id``, and its ``title``) as the package's
    page names it: the portal's name for a licence it knows, where it has one in the page's
    language (the OGL's Welsh name); else the package's own title, marked as English when it
    is the known English name, or as the package's language (``package_lang``)."""
    named = name(identifier, _)
    english = title(identifier)
    if named is not None and (named.text != english or package_title == english):
        return named
    return Name(package_title, _.marks(package_lang))
