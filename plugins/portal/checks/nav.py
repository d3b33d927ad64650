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
from portal.glossary import glossary
from portal.i18n import language_name
from portal.problems import Problem, Problems
from portal.settings import Settings, _LenientLoader


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


def note_untranslated_titles(settings: Settings, problems: Problems) -> None:
    """Warn of each title of a menu section or web address (``nav:``) and each footer link
    (the portal plugin's ``footer_links:``) that a language of the site has no word for, at
    its line in mkdocs.yml: until it is added to ``translations:``, that language's pages
    show it as written, marked with the default language. A menu entry for a page takes
    its page's title in each language, so it needs none."""
    others = settings.all_languages[1:]
    if not others:
        return
    path = settings.root / "mkdocs.yml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return  # the mkdocs.yml check reports it
    located = parse_yaml(text, path, Problems(settings.root), loader_class=_LenientLoader)
    if located is None:
        return
    titles = list(_nav_titles(located.data.get("nav"), ("nav",)))
    titles += _footer_titles(located.data.get("plugins"))
    for language in others:
        words = glossary(settings, language)
        name, default = language_name(language), language_name(settings.default_language)
        for where, title in titles:
            if words.lacks(title):
                problems.note(
                    path,
                    _line(located, where),
                    f"the {'footer link' if 'footer_links' in where else 'menu title'} "
                    f"'{title}' has no {name} ({language}) word, so the {name} pages show it "
                    f"in {default}",
                    f"add it under the portal plugin's 'translations:', as "
                    f"'translations: {{{language}: {{{title}: ...}}}}'",
                    code="translation-missing",
                )


Where = tuple[str | int, ...]  # the keys of a value in mkdocs.yml, for its line


def _nav_titles(node: Any, where: Where) -> Iterator[tuple[Where, str]]:
    """The menu's titles that only ``translations:`` can word in another language: a
    section's (``- Title:`` over a list) and a web address's. A page's title
    (``- Title: page.md``) is its translation's title there (mkdocs_plugin.languages)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nav_titles(item, (*where, index))
    elif isinstance(node, dict):
        for title, value in node.items():
            page = isinstance(value, str) and value.endswith(".md")
            if isinstance(title, str) and title.strip() and not page:
                yield (*where, title), title
            yield from _nav_titles(value, (*where, str(title)))


def _footer_titles(plugins: Any) -> list[tuple[Where, str]]:
    """The footer links' words, where the portal plugin's settings give them."""
    if not isinstance(plugins, list):
        return []
    for index, item in enumerate(plugins):
        if isinstance(item, dict) and isinstance(item.get("portal"), dict):
            links = item["portal"].get("footer_links")
            if isinstance(links, dict):
                where = ("plugins", index, "portal", "footer_links")
                return [((*where, t), t) for t in links if isinstance(t, str) and t.strip()]
    return []
