"""Material's search indexing, on the build's second core.

Material's search plugin parses every page's HTML with Python's ``html.parser``: at 1,000
consultations that is about 1.5 s, a sixth of the build. The parse needs only the page's
address, title, HTML, table of contents and front matter, so ``BackgroundIndex`` sends those
to a worker process (``portal.parallel``) in batches while this process goes on rendering,
and gathers the entries, in page order, just before Material writes ``search_index.json``.
The index is the same entry for entry as Material's own (a test compares the two).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from portal.mkdocs_plugin import speedups
from portal.parallel import Worker

BATCH = 50  # pages per message to the worker: fewer, larger messages cost less


@dataclass
class SearchPage:
    """What Material's ``SearchIndex.add_entry_from_context`` reads from a page."""

    url: str
    title: str | None
    content: str
    toc: Any
    meta: dict[str, Any]


def _index(config: dict[str, Any], pages: list[SearchPage]) -> list[dict[str, Any]]:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(**config)
    for page in pages:
        index.add_entry_from_context(page)
    return list(index.entries)


def _index_here(index: Any, pages: list[SearchPage]) -> list[dict[str, Any]]:
    """Material's own indexing of the same pages, in this process, into a fresh index."""
    fresh = type(index)(**index.config)
    for page in pages:
        fresh.add_entry_from_context(page)
    return list(fresh.entries)


class BackgroundIndex:
    """Stands in for the search plugin's ``SearchIndex`` for one build."""

    def __init__(self, index: Any, worker: Worker) -> None:
        self._index = index
        self._worker = worker
        self._batch: list[SearchPage] = []
        self._done: list[Future[list[dict[str, Any]]]] = []
        # Kept for the plain path: if Material's index no longer works this way, Material
        # indexes them itself, in this process (portal.mkdocs_plugin.speedups).
        self._pages: list[SearchPage] = []

    def add_entry_from_context(self, page: Any) -> None:
        entry = SearchPage(page.url, page.title, page.content or "", page.toc, dict(page.meta))
        self._batch.append(entry)
        self._pages.append(entry)
        if len(self._batch) >= BATCH:
            self._send()

    def generate_search_index(self, prev: Any) -> str:
        self._send()
        done, self._done, pages, self._pages = self._done, [], self._pages, []
        entries = speedups.attempt(
            "search index",
            lambda: [entry for batch in done for entry in batch.result()],
            lambda: _index_here(self._index, pages),
        )
        self._index.entries.extend(entries)
        return str(self._index.generate_search_index(prev))

    def _send(self) -> None:
        if self._batch:
            self._done.append(self._worker.submit(_index, self._index.config, self._batch))
            self._batch = []

    def __getattr__(self, name: str) -> Any:  # entries, config, ... for dirty reloads
        return getattr(self._index, name)


def index_in_background(plugins: Any, worker: Worker) -> None:
    """Swap Material's index for one that uses ``worker``, when its search plugin is in use."""
    speedups.attempt("search index", lambda: _swap_index(plugins, worker), lambda: None)


def _swap_index(plugins: Any, worker: Worker) -> None:
    for plugin in plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__ == "material.plugins.search.plugin" and index is not None:
            if isinstance(index, BackgroundIndex):  # a rebuild (mkdocs serve) keeps the plugin
                index = index._index
            plugin.search_index = BackgroundIndex(index, worker)
