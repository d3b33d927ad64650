"""The pages ``nav:`` in mkdocs.yml names: MkDocs warns of a missing one, and strict builds
fail on the warning."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal.checks.sitemap import NO_SUGGESTION, SiteMap, suggest
from portal.frontmatter import Located, parse_yaml
from portal.problems import Problem, Problems
from portal.settings import _LenientLoader


def nav_problems(root: Path, site: SiteMap) -> list[Problem]:
    path = root / "mkdocs.yml"
    problems = Problems(root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the mkdocs.yml check reports it
    # Its own problems (malformed YAML) are the mkdocs.yml check's to report.
    located = parse_yaml(text, path, Problems(root), loader_class=_LenientLoader)
    if located is None:
        return []
    for where, entry in _nav_entries(located.data.get("nav"), ("nav",)):
        parts = urlsplit(entry)
        if parts.scheme or parts.netloc or entry.startswith("/"):
            continue
        name = posixpath.normpath(entry)
        if name not in site.pages and name not in site.files:
            problems.add(
                path,
                _line(located, where),
                f"the navigation names '{entry}', which is not a page of the site",
                suggest(name, site).replace(NO_SUGGESTION, "correct it, or add the page"),
                "nav-missing",
            )
    return problems.items


def _nav_entries(node: Any, where: tuple[str | int, ...]) -> Iterator[tuple[Any, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nav_entries(item, (*where, index))
    elif isinstance(node, dict):
        for title, value in node.items():
            yield from _nav_entries(value, (*where, str(title)))


def _line(located: Located, where: tuple[str | int, ...]) -> int:
    return located.line(*where)
