"""One MkDocs build per language (portal.languages): its files, its navigation, its sitemap.

``build_mkdocs`` builds the default language into the site's folder and each other language
into a folder of its code, with ``theme.language`` (Material's words), ``site_url`` and the
navigation's titles set for it; the portal plugin reads the language from the theme. Each
build has its own search index, feeds, calendar and API, in its own words.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from portal import languages
from portal.glossary import words_of
from portal.settings import Settings


def configure(config: MkDocsConfig, settings: Settings, language: str) -> None:
    """Make ``config`` (the default language's, as loaded) the build of ``language``."""
    config.theme["language"] = language
    if config.site_url:
        config.site_url = config.site_url.rstrip("/") + "/" + languages.root(settings, language)
    if config.nav:
        config.nav = _nav(config.nav, words_of(settings.extra, language))


def _nav(items: Any, words: dict[str, str]) -> Any:
    """A page's title as its translation gives it (``Home: index.md`` becomes ``index.md``),
    unless the site's ``translations`` word it (portal.glossary); a section's title from
    ``translations``."""
    if isinstance(items, list):
        return [_nav(item, words) for item in items]
    if isinstance(items, dict) and len(items) == 1:
        ((title, target),) = items.items()
        if isinstance(target, list):
            return {words.get(str(title), title): _nav(target, words)}
        if isinstance(target, str) and target.endswith(".md"):
            return {words[str(title)]: target} if str(title) in words else target
        return {words.get(str(title), title): target}
    return items


def choose_files(
    files: Files, settings: Settings, config: MkDocsConfig, untranslated: set[str]
) -> set[str]:
    """Keep the pages of the language being built: ``about.cy.md`` published as ``about/``
    in the Welsh build, in place of ``about.md``; in no other build. ``untranslated``:
    pages whose translation is not to be used (its form lacks words in this language).
    Returns the pages published in the default language's words for want of a translation."""
    if len(settings.all_languages) < 2:
        return set()
    chosen: dict[str, File] = {}
    for file in [f for f in files if f.src_uri.endswith(".md")]:
        base, language = languages.split(file.src_uri, settings.all_languages)
        if language is None:
            continue
        files.remove(file)
        if language == settings.language and base not in untranslated:
            chosen[base] = file
    for base, file in chosen.items():
        original = files.get_file_from_path(base)
        if original is not None:
            files.remove(original)
        files.append(File.generated(config, base, abs_src_path=str(file.abs_src_path)))
    if settings.language == settings.default_language:
        return set()
    return {
        f.src_uri
        for f in files
        if f.src_uri.endswith(".md") and f.src_uri not in chosen and f.abs_src_path
    }


SITEMAP_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>(.*?)</url>", re.S)


def merge_sitemaps(site_dir: Path, settings: Settings) -> None:
    """One sitemap for every language, each address with its alternates (``hreflang``), as
    search engines read them; the language folders' own sitemaps are taken out. The
    addresses are MkDocs' own, already escaped for XML."""
    found: dict[str, list[tuple[str, str]]] = {}  # language: [(address, rest of <url>)]
    for language in settings.all_languages:
        folder = site_dir / languages.root(settings, language)
        path = folder / "sitemap.xml"
        if not path.is_file():
            continue
        found[language] = SITEMAP_URL.findall(path.read_text(encoding="utf-8"))
        if language != settings.default_language:
            path.unlink()
            (folder / "sitemap.xml.gz").unlink(missing_ok=True)
    if not any(found.values()):
        return
    base = settings.site_url.rstrip("/") + "/"
    by_page: dict[str, dict[str, str]] = {}  # page within its language: language: address
    for language, entries in found.items():
        prefix = base + languages.root(settings, language)
        for address, _rest in entries:
            by_page.setdefault(address.removeprefix(prefix), {})[language] = address
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for language, entries in found.items():
        prefix = base + languages.root(settings, language)
        for address, rest in entries:
            lines.append(f"<url><loc>{address}</loc>{rest.strip()}")
            versions = by_page.get(address.removeprefix(prefix), {})
            for other, link in versions.items() if len(versions) > 1 else []:
                lines.append(f'<xhtml:link rel="alternate" hreflang="{other}" href="{link}"/>')
            lines.append("</url>")
    lines.append("</urlset>")
    (site_dir / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _gzip(site_dir / "sitemap.xml")


def _gzip(path: Path) -> None:
    import gzip

    Path(f"{path}.gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))
