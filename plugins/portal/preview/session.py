"""One warm MkDocs build kept in memory, to render a few pages again after an edit.

``Session.start`` runs MkDocs' build up to the point where pages are written (config, the
portal plugin's reading and checking of all content, files, navigation, the Jinja
environment), rendering only the pages in the navigation, whose titles every page shows.
``Session.update`` then reads the changed consultation files, checks them, and renders the
pages that show them through the same MkDocs functions a full build uses.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.discovery.history import HistoryIndex
from portal.generated import GeneratedFile, GeneratedPage, page_url
from portal.model.consultations import Consultation, read_consultation
from portal.problems import ContentError, Problems
from portal.site import RESERVED_SLUGS, Portal

if TYPE_CHECKING:  # importing the plugin imports MkDocs, which start() does when it is used
    from portal.mkdocs_plugin.plugin import PortalPlugin

Outputs = tuple[list[GeneratedPage], list[GeneratedFile]]


class NeedsFullBuild(Exception):
    """A change the fast path does not handle; the full build that always follows shows it."""


class _NoSearch:
    """Search entries of re-rendered pages: the full build writes the search index."""

    def add_entry_from_context(self, page: Any) -> None:
        return None


@dataclass
class Session:
    config: Any  # MkDocsConfig
    files: Any  # mkdocs Files
    nav: Any  # mkdocs Navigation
    env: Any  # jinja2 Environment
    plugin: PortalPlugin  # the portal plugin of this config
    portal: Portal
    changes: HistoryIndex
    scratch: Path
    outputs: Outputs  # the generated pages and files, as they are now

    @classmethod
    def start(cls, root: Path, scratch: Path) -> Session:
        from mkdocs.commands.build import _populate_page
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(scratch))
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for page in nav.pages:
            _populate_page(page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        for plugin in config.plugins.values():
            if hasattr(plugin, "search_index"):
                plugin.search_index = _NoSearch()
        portal_plugin: Any = config.plugins["portal"]
        # The plugin keeps no model after on_files: the same content, read once more (the
        # form versions it validated are remembered, so this costs less than its read).
        from portal.site import load

        portal = load(portal_plugin.settings)
        settings = portal.settings
        changes = HistoryIndex.read(settings.consultations_dir, settings.tz, settings.repo_url)
        from portal.pages.outputs import page_outputs

        outputs = page_outputs(portal)
        session = cls(config, files, nav, env, portal_plugin, portal, changes, scratch, outputs)
        session.warm_up()
        return session

    def warm_up(self) -> None:
        """Render a consultation and the index once, into the scratch folder only: Jinja
        compiles their templates now rather than after the first save."""
        from portal.pages.consultations import index_pages

        first = self.portal.consultations[:1]
        pages = [self._consultation_page(c) for c in first] + index_pages(self.portal)[:1]
        self._put(pages, self.scratch / "warm-up")

    def update(self, paths: set[Path], site: Path) -> list[str]:
        """Read, check and render what ``paths`` (consultation index.md files) change.

        Raises ContentError with their problems (the model and the site stay as they were),
        or NeedsFullBuild. Returns the addresses written, the consultations' own pages first.
        """
        from portal.checks.links import link_problems

        changed = self._read(paths)
        before = self.portal.consultations
        for consultation in changed:
            self._replace(consultation)
        pages = [self._consultation_page(c) for c in changed]
        outputs = self._outputs_with(changed, pages)
        # The links written in the changed files, against every address the site will have.
        sources = {c.source for c in changed} | {
            c.outcome_source for c in changed if c.outcome_source is not None
        }
        found = link_problems(self.portal, *outputs, only=sources)
        if found:
            self.portal.consultations = before
            raise ContentError(found)
        self.outputs = outputs
        written: list[str] = []
        for consultation, page in zip(changed, pages, strict=True):
            written += self._put([page], site, only_if_different=False)
            for doc in consultation.documents:
                _replace_copy(doc.file, site / f"{consultation.url}{doc.name}", self.scratch)
        from portal.pages.consultations import index_pages
        from portal.pages.discovery import discovery_pages

        # The index and filter pages list titles, summaries and dates: those that show a
        # changed consultation, as it was or as it is now, are rendered again (at 1,000
        # consultations there are nearly two hundred listing pages, some listing hundreds).
        # The rest (counts, a closed consultation's place on a later page of a filter) are
        # the full build's, seconds later. The model's "now" stays the session's, so that a
        # page is rendered as the last full build rendered it.
        listings = index_pages(self.portal) + discovery_pages(self.portal)
        showing = _showing(self.portal, changed) | _showing(
            replace(self.portal, consultations=before), changed
        )
        written += self._put([p for p in listings if p.url in showing], site)
        return written

    def _outputs_with(self, changed: list[Consultation], pages: list[GeneratedPage]) -> Outputs:
        """The site's pages and files as they will be with ``changed`` (for the link check)."""
        replaced = {page.src_uri: page for page in pages}
        new_pages = [replaced.pop(p.src_uri, p) for p in self.outputs[0]] + list(replaced.values())
        folders = {c.folder for c in changed}
        new_files = [
            f
            for f in self.outputs[1]
            if f.source is None or not any(f.source.is_relative_to(d) for d in folders)
        ]
        new_files += [
            GeneratedFile(f"{c.url}{doc.name}", source=doc.file)
            for c in changed
            for doc in c.documents
        ]
        return new_pages, new_files

    def _read(self, paths: set[Path]) -> list[Consultation]:
        from portal.areas.read import check_consultation_areas

        settings = self.portal.settings
        problems = Problems(settings.root)
        found: list[Consultation] = []
        for changed in sorted(paths):
            # As the full read names it (the watcher gives resolved paths; settings may not).
            path = settings.consultations_dir / changed.parent.name / "index.md"
            if not path.is_file():
                if any(c.source == path for c in self.portal.consultations):
                    raise NeedsFullBuild(f"{path} was removed")
                continue  # a new folder whose index.md is not written yet
            consultation = read_consultation(path, settings, problems)
            if consultation is None:
                continue
            if consultation.draft and os.environ.get("PORTAL_DRAFTS") != "1":
                raise NeedsFullBuild(f"{path} is a draft")
            if consultation.slug in RESERVED_SLUGS:
                raise NeedsFullBuild(f"{path} takes a reserved address")
            found.append(consultation)
        if self.portal.areas is not None:
            check_consultation_areas(found, self.portal.areas, problems)
        if problems.items:
            raise ContentError(problems.items)
        for consultation in found:
            self._replace(consultation)
        return found

    def _replace(self, consultation: Consultation) -> None:
        """Put ``consultation`` in the model in place of the one read from the same file."""
        others = [c for c in self.portal.consultations if c.source != consultation.source]
        old = [c for c in self.portal.consultations if c.source == consultation.source]
        if old and old[0].slug != consultation.slug:
            raise NeedsFullBuild(f"'{old[0].slug}' moved to '{consultation.slug}'")
        if any(c.slug == consultation.slug for c in others):
            raise NeedsFullBuild(f"the address '{consultation.slug}' is taken")
        if any(
            c.form and consultation.form and c.form["id"] == consultation.form["id"] for c in others
        ):
            raise NeedsFullBuild("a form id is taken")
        # In the order read_consultations gives: by folder name.
        self.portal.consultations = sorted([*others, consultation], key=lambda c: c.folder.name)

    def _consultation_page(self, consultation: Consultation) -> GeneratedPage:
        from portal.pages.consultations import consultation_page

        return consultation_page(self.portal, consultation, self.changes)

    def _put(
        self, pages: list[GeneratedPage], site: Path, *, only_if_different: bool = True
    ) -> list[str]:
        from mkdocs.commands.build import _build_page, _populate_page

        written = []
        doc_files = self.files.documentation_pages()
        for generated in pages:
            new = self.files.get_file_from_path(generated.src_uri) is None
            page = self.plugin.put_page(generated, config=self.config, files=self.files)
            if new:
                doc_files = self.files.documentation_pages()
            _populate_page(page, self.config, self.files)
            _build_page(page, self.config, doc_files, self.nav, self.env)
            file = page.file
            made = Path(file.abs_dest_path)
            target = site / file.dest_uri
            if only_if_different and target.is_file() and _same(made, target):
                made.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(made, target)  # one rename: the page is wholly old or wholly new
            written.append(file.url)
        return written

    def close(self) -> None:
        try:
            self.config.plugins.on_shutdown()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _replace_copy(source: Path, target: Path, scratch: Path) -> None:
    if target.is_file() and _same(source, target):
        return
    temporary = scratch / f".copy-{target.name}"
    shutil.copyfile(source, temporary)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, target)


def _showing(portal: Portal, changed: list[Consultation]) -> set[str]:
    """Addresses of the listing pages that show one of ``changed``: the index page it is on,
    the filter page, and the first page of each of its statuses, topics and areas (where a
    consultation that is open or coming up always is)."""
    from portal.areas.view import area_names
    from portal.discovery.facets import facet_groups
    from portal.pages.consultations import grouped, paginate
    from portal.pages.discovery import BROWSE

    slugs = {c.slug for c in changed}
    found = {page_url(f"{BROWSE}index.md")}
    for page in paginate(grouped(portal)):
        if any(c.slug in slugs for _, items in page.groups for c in items):
            found.add(page.url)
    for group in facet_groups(portal.consultations, portal.now, area_names(portal)):
        for facet in group.facets:
            if any(c.slug in slugs for c in facet.consultations):
                found.add(facet.url)
    return found
