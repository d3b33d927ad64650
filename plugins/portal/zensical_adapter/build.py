"""The Zensical build: stage a project, let ``zensical build`` render it, add the files.

Zensical runs no MkDocs plugins, so what the portal plugin does inside MkDocs happens
around it instead, in a staging project beside the site (Zensical keeps ``docs_dir`` and
``site_dir`` inside the folder of its configuration):

1. the same gate as every generator (``site_problems``): invalid content builds nothing;
2. ``docs/``: content/'s other files, and every page, staff-written and generated, rendered
   here with the site's own Markdown extensions, wrapped, and handed to Zensical as raw
   HTML, which Python-Markdown passes through as it is (Zensical has no hook after it
   renders a page, where MkDocs' adapter wraps it);
3. ``theme/``: the theme overrides, with the Material templates they extend by the name
   ``material/...`` (MkDocs' adapter gives them that name with a prefix loader);
4. ``mkdocs.yml``: the site's own, with those three folders;
5. after Zensical: Material's search index for the endpoint's search without JavaScript
   (``search.py``), and the extra files (documents, data, manifests, feeds, charts).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from markdown import Markdown
from yaml_env_tag import construct_env_tag

from portal import shipped_assets
from portal.checks.gate import site_problems
from portal.frame import build_frame
from portal.generated import GeneratedPage, Wrap, page_url, relative_root
from portal.languages import split
from portal.mkdocs_plugin.headings import with_title
from portal.pages import refusals as refusal_pages
from portal.pages.content import page_wraps
from portal.pages.discovery import syndication_files
from portal.pelican_plugin.links import RebaseLinks
from portal.problems import ContentError
from portal.settings import load_settings
from portal.site import load
from portal.zensical_adapter import toc
from portal.zensical_adapter.frontmatter import split_front_matter, with_front_matter
from portal.zensical_adapter.search import write_material_index
from portal.zensical_adapter.theme import remove_theme_package, stage_theme


class ZensicalMissing(Exception):
    def __str__(self) -> str:
        return (
            "Zensical is not installed: pip install 'portal[zensical]' (the version pinned in "
            "the engine's constraints.txt)."
        )


def build_zensical(root: Path, site_dir: Path) -> None:
    try:
        import zensical
    except ImportError as error:
        raise ZensicalMissing() from error
    settings = load_settings(root)
    portal = load(settings)
    (pages, extra), found = site_problems(portal)
    if found:
        raise ContentError(found)
    project = Path(tempfile.mkdtemp(prefix=".zensical-", dir=site_dir.parent))
    try:
        config = _read_config(root / "mkdocs.yml")
        docs = project / "docs"
        content = settings.content_dir
        shutil.copytree(content, docs, ignore=shutil.ignore_patterns("*.md"))
        render = _Renderer(config)
        wraps = page_wraps(portal)
        nav_titles = _nav_titles(config.get("nav"))
        for source in sorted(content.rglob("*.md")):
            src_uri = source.relative_to(content).as_posix()
            if split(src_uri, settings.all_languages)[1] is not None:
                continue  # one language only (portal.generators.one_language_note)
            meta, body = split_front_matter(source.read_text(encoding="utf-8"))
            # MkDocs' order: the title in the navigation, then the front matter's.
            title = nav_titles.get(src_uri) or str(meta.get("title") or "")
            unwrapped = GeneratedPage(src_uri, title, body, meta)
            wrap = wraps.get(src_uri)
            _write(docs / staged(src_uri), render.page(unwrapped, wrap))
        for page in pages:
            _write(docs / staged(page.src_uri), render.page(page, page.wrap))
        theme = stage_theme(root, settings, config.get("theme"), project / "theme")
        project_config = project / "mkdocs.yml"
        staged_extra = {
            **(config.get("extra") or {}),
            # What the MkDocs adapter gives templates as globals and plugin config, as data.
            "portal_frame": asdict(build_frame(settings)),
            "portal_endpoint_url": settings.endpoint_url,
        }
        _write(project_config, _staged_config(root / "mkdocs.yml", config, theme, staged_extra))
        zensical.build(str(project_config), {"clean": True, "strict": False})
        remove_theme_package(project / "site")
        for entry in (project / "site").iterdir():
            os.replace(entry, site_dir / entry.name)
        write_material_index(site_dir, config.get("plugins"))
        for item in [*extra, *syndication_files(portal)]:
            item.write_to(site_dir)
        # Stylesheets and scripts at addresses that can be cached for good, as MkDocs' does.
        shipped_assets.finish(site_dir, [settings.theme_dir])
        refusal_pages.write(site_dir, settings)  # the pages nginx answers with itself
    finally:
        shutil.rmtree(project, ignore_errors=True)


def staged(src_uri: str) -> str:
    """Every page as the index.md of its own folder ('about.md' as 'about/index.md').

    Zensical reads a relative link in a page as relative to the page's file, and moves it
    one folder down for 'about.md' (published at about/); the pages here are rendered with
    links relative to their address, as the portal's wraps write them, so that file is the
    address's own index.md.
    """
    return page_url(src_uri) + "index.md"


class _Renderer:
    """Markdown as the MkDocs build renders a page before the portal plugin wraps it."""

    def __init__(self, config: dict[str, Any]) -> None:
        # MkDocs always adds these three (mkdocs.config.defaults: markdown_extensions).
        self.extensions: list[str] = ["toc", "tables", "fenced_code"]
        self.configs: dict[str, Any] = {}
        for entry in config.get("markdown_extensions") or []:
            if isinstance(entry, dict):
                for name, options in entry.items():
                    self._add(name)
                    self.configs[name] = options or {}
            else:
                self._add(str(entry))
        self.site_name = str(config.get("site_name") or "")

    def _add(self, name: str) -> None:
        if name not in self.extensions:
            self.extensions.append(name)

    def page(self, page: GeneratedPage, wrap: Wrap | None) -> str:
        markdown = Markdown(
            extensions=[*self.extensions, RebaseLinks(page.src_uri)],
            extension_configs=self.configs,
        )
        html = markdown.convert(page.markdown)
        if wrap is not None:
            html = wrap(html, relative_root(page.url))
        html = with_title(html, page.title or self.site_name)
        meta: dict[str, Any] = {"title": page.title, **page.meta} if page.title else page.meta
        return with_front_matter(meta, html)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: !ENV read, !!python/name tags kept out of the way."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _read_config(path: Path) -> dict[str, Any]:
    loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return loaded if isinstance(loaded, dict) else {}


def _staged_config(
    original: Path, config: dict[str, Any], theme: dict[str, Any], extra: dict[str, Any]
) -> str:
    """The site's mkdocs.yml as written (its tags and comments), then the staged folders:
    YAML keeps the last of two equal keys, as MkDocs and Zensical read it."""
    staged: dict[str, Any] = {"docs_dir": "docs", "site_dir": "site", "theme": theme}
    staged["extra"] = extra
    staged["markdown_extensions"] = [*(config.get("markdown_extensions") or []), toc.NAME]
    if "nav" in config:
        staged["nav"] = _staged_nav(config["nav"])
    return (
        original.read_text(encoding="utf-8")
        + "\n# Staged by portal.zensical_adapter\n"
        + "".join(f"{key}: {json.dumps(value)}\n" for key, value in staged.items())
    )


def _nav_titles(entry: Any, titles: dict[str, str] | None = None) -> dict[str, str]:
    """The title the navigation gives each page ('- About: about.md')."""
    titles = {} if titles is None else titles
    if isinstance(entry, list):
        for item in entry:
            _nav_titles(item, titles)
    elif isinstance(entry, dict):
        for key, value in entry.items():
            if isinstance(value, str):
                titles.setdefault(value, str(key))
            else:
                _nav_titles(value, titles)
    return titles


def _staged_nav(entry: Any) -> Any:
    """The navigation with each page's file where it was staged."""
    if isinstance(entry, list):
        return [_staged_nav(item) for item in entry]
    if isinstance(entry, dict):
        return {key: _staged_nav(value) for key, value in entry.items()}
    if isinstance(entry, str) and entry.endswith(".md") and "://" not in entry:
        return staged(entry)
    return entry
