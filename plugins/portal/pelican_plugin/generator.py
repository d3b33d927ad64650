"""The Pelican generator that writes the portal: generated pages, staff pages and files.

Everything is read in ``generate_context``, before Pelican writes anything, so invalid
content stops the build with every problem listed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from markdown import Markdown
from pelican.generators import Generator

from portal.checks.gate import site_problems
from portal.frame import build_frame
from portal.generated import GeneratedFile, GeneratedPage, relative_root
from portal.pages.content import page_wraps
from portal.pages.discovery import syndication_files
from portal.pelican_plugin.links import RebaseLinks
from portal.pelican_plugin.nav import NavLink, is_current, nav_links
from portal.pelican_plugin.staff import staff_pages
from portal.problems import ContentError
from portal.settings import Settings, load_settings
from portal.site import load

TEMPLATE = "page"  # Pelican adds the extension
META = "markdown.extensions.meta"
NOT_FOUND = """\
If you typed the web address, check it is correct. If you pasted it, check you copied the
whole address.

You can go to the [home page]({home}) or see [all consultations]({consultations}).
"""


class PortalGenerator(Generator):  # type: ignore[misc]  # Pelican has no type hints
    portal_settings: Settings
    pages: list[GeneratedPage]
    files: list[GeneratedFile]
    nav: list[NavLink]

    def generate_context(self) -> None:
        self.portal_settings = load_settings(Path(self.settings["PORTAL_ROOT"]))
        portal = load(self.portal_settings)
        # The same gate as 'portal check': content, then every link and image in it.
        (self.pages, self.files), found = site_problems(portal)
        if found:
            raise ContentError(found)
        self.files += syndication_files(portal)
        self.pages += staff_pages(
            self.portal_settings.content_dir, page_wraps(portal), self.portal_settings.all_languages
        )
        titles = {page.src_uri: page.title for page in self.pages}
        self.nav = nav_links(self.settings["PORTAL_NAV"], titles)
        # The council's frame (footer links, licence, phase banner) from the same facts as
        # the MkDocs build's (portal.frame); 'portal check' has named any bad option.
        self.context["PORTAL_FRAME"] = build_frame(self.portal_settings)

    def generate_output(self, writer: Any) -> None:
        template = self.get_template(TEMPLATE)
        for page in self.pages:
            self._write_page(writer, template, page)
        self._write_not_found(writer, template)
        output = Path(self.output_path)
        # The files staff keep beside the pages (the logo, images), as MkDocs copies its
        # docs_dir's; the portal's own files after them, so a generated file wins.
        copy_static_files(self.portal_settings.content_dir, output)
        for item in self.files:
            item.write_to(output)
        # The portal's CSS and JavaScript, at the same addresses as in the MkDocs site.
        assets = self.portal_settings.theme_dir / "assets"
        if assets.is_dir():
            shutil.copytree(assets, output / "assets", dirs_exist_ok=True)

    def _write_page(self, writer: Any, template: Any, page: GeneratedPage) -> None:
        base = relative_root(page.url)
        html = page.wrap(self._markdown(page), base)
        nav = [(link, is_current(link, page.url)) for link in self.nav]
        writer.write_file(
            f"{page.url}index.html",
            template,
            self.context,
            page=page,
            content=html,
            base=base,
            nav=nav,
            description=page.meta.get("description") or self.settings["PORTAL_DESCRIPTION"],
        )

    def _write_not_found(self, writer: Any, template: Any) -> None:
        """404.html, which static hosts and the endpoint serve at any address: so its links
        start from the site's root path, not from its own place."""
        base = urlparse(self.portal_settings.site_url).path.rstrip("/") + "/"
        text = NOT_FOUND.format(home=base, consultations=f"{base}consultations/")
        page = GeneratedPage("404.md", "Page not found", text)
        nav = [(link, False) for link in self.nav]
        writer.write_file(
            "404.html",
            template,
            self.context,
            page=page,
            content=self._markdown(page),
            base=base,
            nav=nav,
            description="",
        )

    def _markdown(self, page: GeneratedPage) -> str:
        """The page's Markdown through Pelican's Markdown settings, as its reader would."""
        options = dict(self.settings["MARKDOWN"])
        configs: dict[str, Any] = options.pop("extension_configs", {})
        names = dict.fromkeys([*options.pop("extensions", []), *configs])
        # Pelican's reader adds ``meta`` for its own front matter; our bodies have none, and
        # it would swallow a first line such as "Note: ...".
        names.pop(META, None)
        extensions = [*names, RebaseLinks(page.src_uri)]
        markdown = Markdown(extensions=extensions, extension_configs=configs, **options)
        html: str = markdown.convert(page.markdown)
        return html


def copy_static_files(content: Path, output: Path) -> None:
    """Every file in content/ but the Markdown pages and hidden files, as MkDocs publishes
    them (its default ``exclude_docs`` leaves out names that start with a dot)."""
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if not path.is_file() or path.suffix == ".md":
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
