"""MkDocs plugin ``portal``: reads the content model and adds its pages and files.

All reading happens in ``on_files`` so that invalid content stops the build before MkDocs
writes anything, with every problem listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from portal import shipped_assets
from portal.checks.gate import site_problems
from portal.frame import FrameError, build_frame
from portal.generated import GeneratedFile, GeneratedPage, relative_root
from portal.i18n import language_name, words
from portal.languages import alternates, missing_pages
from portal.mkdocs_plugin import speedups
from portal.mkdocs_plugin.config import PortalConfig
from portal.mkdocs_plugin.headings import toc_tokens, with_title
from portal.mkdocs_plugin.languages import choose_files
from portal.mkdocs_plugin.navigation import mark_folder, share_navigation
from portal.mkdocs_plugin.search import index_in_background
from portal.pages import refusals as refusal_pages
from portal.pages.content import page_wraps
from portal.pages.discovery import syndication_files
from portal.parallel import build_worker
from portal.problems import ContentError
from portal.settings import Settings, load_settings
from portal.site import load

# json.dumps escapes C0 controls itself; YAML reads NEL and U+2028/9 as line breaks.
NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


class PortalPlugin(BasePlugin[PortalConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.pages: dict[str, GeneratedPage] = {}
        # Pages published in the default language's words in another language's build.
        self.fallback: set[str] = set()
        # Per language, the pages it does not have (portal.languages.alternates).
        self.missing: dict[str, set[str]] = {}
        self.wraps: dict[str, Callable[[str, str], str]] = {}
        # Feed, calendar, API files and search indexing, on a second core (portal.parallel).
        self.worker_scope: ExitStack | None = None
        self.syndication: Future[list[GeneratedFile]] | None = None
        self.nav_urls: set[str] = set()
        # What on_files refused, for 'portal build' to report in its own words.
        self.refused: ContentError | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path).parent
        settings = load_settings(root, dict(self.config))
        # One build per language (portal.mkdocs_plugin.languages): the theme says which.
        built = str(config.theme.get("language") or settings.language)
        if built in settings.all_languages:
            # Its address too (site_url + 'cy/'): feeds, the API and the sitemap use it.
            settings = replace(settings, language=built, site_url=config.site_url or "")
        self.settings = settings
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self._end_worker()
            self.worker_scope = ExitStack()
            index_in_background(config.plugins, self.worker_scope.enter_context(build_worker()))

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        self.nav_urls = {page.url for page in nav.pages}

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> None:
        # Even when disabled: theme/partials/nav.html includes Material's by this name.
        share_navigation(env)
        if self.config.enabled and self.settings is not None:
            try:  # the header, footer and phase banner (theme/partials/footer.html)
                env.globals["portal_frame"] = build_frame(self.settings)
            except FrameError as error:
                raise PluginError(str(error)) from error

    # After Material's search plugin has gathered its index from the worker.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            if self.syndication is not None:
                for item in self.syndication.result():
                    item.write_to(Path(config.site_dir))
            if self.config.enabled and self.settings is not None:
                # Material's CSS trimmed to what the site uses; stylesheets and scripts at
                # addresses that can be cached for good (portal.shipped_assets).
                shipped_assets.finish(Path(config.site_dir), [self.settings.theme_dir])
                # The pages nginx answers with itself, in this build's language.
                refusal_pages.write(Path(config.site_dir), self.settings)
        finally:
            self._end_worker()

    def on_build_error(self, *, error: Exception) -> None:
        self._end_worker()

    def _end_worker(self) -> None:
        self.syndication = None
        if self.worker_scope is not None:
            self.worker_scope.close()
            self.worker_scope = None

    # Run before other plugins see the files, so search and sitemap include our pages.
    @event_priority(50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        self.refused = None
        if not self.config.enabled or self.settings is None:
            return None
        portal = load(self.settings)
        # A page whose form is not in this language yet is published in the default's words.
        untranslated = {
            uri
            for uri, page in portal.page_forms.items()
            if self.settings.language in page.form.get("untranslated", [])
        }
        self.fallback = choose_files(files, self.settings, config, untranslated)
        self.missing = missing_pages(portal)
        # The same gate as 'portal check': content, then every link and image in it.
        (pages, extra), found = site_problems(portal)
        if found:
            self.refused = ContentError(found)
            raise PluginError(self.refused.report()) from self.refused
        # theme/ also holds the Pelican theme, which MkDocs would copy as static files.
        pelican_theme = self.settings.theme_dir / "pelican"
        for theme_file in [f for f in files if f.abs_src_path]:
            if Path(str(theme_file.abs_src_path)).is_relative_to(pelican_theme):
                files.remove(theme_file)
        with build_worker() as worker:
            self.syndication = worker.submit(syndication_files, portal)
        self.pages = {page.src_uri: page for page in pages}
        self.wraps = page_wraps(portal)
        if self.fallback:
            # A page in the default language's words has its form in them too, not a form
            # in Welsh inside an English page.
            default = replace(self.settings, language=self.settings.default_language)
            in_default = page_wraps(replace(portal, settings=default))
            self.wraps |= {uri: wrap for uri, wrap in in_default.items() if uri in self.fallback}
        for page in pages:
            files.append(_generated_file(config, page))
        for item in extra:
            files.append(_file(config, item))
        return files

    def put_page(self, page: GeneratedPage, *, config: MkDocsConfig, files: Files) -> Page:
        """Put ``page`` into this build's ``files`` after on_files, as on_files would have:
        its Markdown in the file of the same source or in a new file, and its HTML wrapped
        as on_files' pages are. Returns its MkDocs Page, to render with MkDocs' functions.

        Called by portal.preview.session, whose build, kept in memory, renders a changed
        consultation's pages again.
        """
        self.pages[page.src_uri] = page
        file = files.get_file_from_path(page.src_uri)
        if file is None:
            file = _generated_file(config, page)
            files.append(file)
        else:
            file.content_string = _source(page)
        # MkDocs gives each file its Page as it makes the navigation; a file added later
        # gets one here.
        return file.page or Page(None, file, config)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        src_uri = page.file.src_uri
        base = relative_root(page.url)
        generated = self.pages.get(src_uri)
        wrap = generated.wrap if generated is not None else self.wraps.get(src_uri)
        if wrap is not None:
            html = wrap(html, base)
        html = with_title(html, page.title or config.site_name)
        if src_uri in self.fallback and self.settings is not None:
            html = _marked(html, self.settings)
        # Material's skip link and "On this page" come from the TOC; generated pages have
        # no Markdown headings, so rebuild it from the final HTML for every page (MkDocs'
        # own TOC, from the Markdown, if MkDocs' get_toc no longer takes these tokens).
        toc = page.toc
        page.toc = speedups.attempt(
            "table of contents",
            lambda: get_toc(toc_tokens(html)),  # type: ignore[arg-type]
            lambda: toc,
            speedup=False,
        )
        return html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        mark_folder(page, self.nav_urls)  # even when disabled, as on_env's navigation
        if self.config.enabled and self.settings is not None:
            # Read by theme/main.html (hreflang) and partials/header.html (the switch).
            cast(dict[str, Any], context)["portal_alternates"] = alternates(
                self.settings, page.url, relative_root(page.url), self.missing
            )
            # Read by partials/nav-item.html: a menu title of a page published in the
            # default language only is in that language, and marked so (as _marked does).
            cast(dict[str, Any], context)["portal_fallback"] = {
                "uris": self.fallback,
                "lang": self.settings.default_language,
            }
        return None


def _marked(html: str, settings: Settings) -> str:
    """A page with no translation, in the default language's words: said, and marked
    with that language (``lang``) so that screen readers read it as it is written."""
    default = settings.default_language
    _ = words(settings.language, settings.locale_dir)
    said = _(
        "This page is published in {language} only.",
        language=language_name(default, settings.language),
    )
    return f'<p class="portal-untranslated">{escape(said)}</p>\n<div lang="{default}">{html}</div>'


def _generated_file(config: MkDocsConfig, page: GeneratedPage) -> File:
    return File.generated(config, page.src_uri, content=_source(page))


def _source(page: GeneratedPage) -> str:
    meta: dict[str, Any] = {"title": page.title, **page.meta}
    # JSON is YAML, and json.dumps is fifty times faster than yaml.safe_dump. Characters
    # YAML would not read back as written are escaped, which both languages read.
    front = NOT_YAML_PRINTABLE.sub(_escape, json.dumps(meta, ensure_ascii=False))
    return f"---\n{front}\n---\n\n{page.markdown}\n"


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def _file(config: MkDocsConfig, item: GeneratedFile) -> File:
    if item.source is not None:
        return File.generated(config, item.dest_uri, abs_src_path=str(item.source))
    return File.generated(config, item.dest_uri, content=item.content or b"")
