"""What the content model hands to a site generator: pages and files, nothing more.

An adapter (MkDocs, Pelican) turns each ``GeneratedPage`` into one of its pages: it renders
``markdown`` with its own Markdown engine, then calls ``wrap`` with the HTML and the relative
path back to the site root, and uses what ``wrap`` returns as the page content.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal import urls

Wrap = Callable[[str, str], str]


def _unwrapped(html: str, base: str) -> str:
    return html


@dataclass
class GeneratedPage:
    """A page at ``url`` (e.g. ``consultations/bus-lanes/``), from ``src_uri`` (its .md name)."""

    src_uri: str
    title: str
    markdown: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    wrap: Wrap = _unwrapped

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


@dataclass
class GeneratedFile:
    """A file copied (``source``) or written (``content``) to ``dest_uri`` in the site."""

    dest_uri: str
    source: Path | None = None
    content: bytes | None = None

    def write_to(self, site: Path) -> None:
        """For an adapter that writes files itself rather than through its generator."""
        target = site / self.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.source is not None:
            shutil.copyfile(self.source, target)
        else:
            target.write_bytes(self.content or b"")


def page_url(src_uri: str) -> str:
    """The address of the page made from ``src_uri``: 'a/b.md' and 'a/b/index.md' are 'a/b/'."""
    return urls.page(src_uri)


def relative_root(url: str) -> str:
    """The relative path from a page at ``url`` back to the site root ('' or '../..')."""
    depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
    return "/".join([".."] * depth) + "/" if depth else "./"
