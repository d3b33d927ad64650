"""Reading the map back out of built pages: what a reader of the HTML gets, nothing more."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

MAP = re.compile(r'<section class="portal-map".*?</section>', re.S)
AREA = re.compile(
    r'<a href="(?P<href>[^"]+)" class="portal-map__area[^"]*"[^>]*>'
    r'<path d="[^"]+"[^>]*/><text[^>]*><tspan[^>]*>(?P<name>[^<]+)</tspan>'
    r" ?<tspan[^>]*>(?P<open>\d+) open</tspan></text></a>"
)
ROW = re.compile(
    r'<tr><th scope="row"><a href="(?P<href>[^"]+)"[^>]*>(?P<name>[^<]+)</a></th>'
    r"<td>(?P<open>\d+)"
)
OPEN_CARD = 'class="portal-tag portal-tag--open"'


@dataclass(frozen=True)
class MapLink:
    name: str
    open: int
    page: str  # the built file it links to, relative to the site


def map_html(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    found = MAP.search(html)
    assert found, f"no map on {page}"
    return found.group(0)


def _target(page: str, href: str) -> str:
    here = posixpath.dirname(page)
    return posixpath.normpath(posixpath.join(here, href)) + "/index.html"


def map_links(site: Path, page: str) -> list[MapLink]:
    """Every area of the map on ``page`` (a built file, such as consultations/index.html)."""
    html = map_html(site, page)
    return [
        MapLink(m["name"].replace("&#39;", "'"), int(m["open"]), _target(page, m["href"]))
        for m in AREA.finditer(html)
    ]


def table_rows(site: Path, page: str) -> list[MapLink]:
    html = map_html(site, page)
    return [
        MapLink(m["name"].replace("&#39;", "'"), int(m["open"]), _target(page, m["href"]))
        for m in ROW.finditer(html)
    ]


def open_listed(site: Path, page: str) -> int:
    """The open consultations a filter page lists (its cards' status tags)."""
    html = (site / page).read_text(encoding="utf-8")
    return html.count(OPEN_CARD)
