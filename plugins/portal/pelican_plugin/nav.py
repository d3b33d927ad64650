"""The main navigation, from mkdocs.yml's ``nav``: its top level, one link per section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.generated import page_url


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str  # from the site root, e.g. "programme/"


def nav_links(nav: list[Any], titles: dict[str, str]) -> list[NavLink]:
    links = []
    for entry in nav:
        title, target = _entry(entry)
        src_uri = _first_page(target)
        if src_uri is None:
            continue
        links.append(NavLink(title or titles.get(src_uri, src_uri), page_url(src_uri)))
    return links


def is_current(link: NavLink, url: str) -> bool:
    """Whether the page at ``url`` belongs to the link's section."""
    return url == link.url if not link.url else url.startswith(link.url)


def _entry(entry: Any) -> tuple[str, Any]:
    if isinstance(entry, dict) and len(entry) == 1:
        title, target = next(iter(entry.items()))
        return str(title), target
    return "", entry


def _first_page(target: Any) -> str | None:
    """A section links to its first page (Material's section index pages do the same)."""
    if isinstance(target, str):
        return target if target.endswith(".md") else None
    if isinstance(target, list):
        for child in target:
            found = _first_page(_entry(child)[1])
            if found:
                return found
    return None
