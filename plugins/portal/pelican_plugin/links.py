"""Relative links as MkDocs writes them, so a page's links work the same in both builds.

Staff link to other pages by their file (``[privacy notice](../privacy.md)``); MkDocs turns
that into the page's address. With directory URLs every page also moves one folder down
(``about.md`` becomes ``about/index.html``), so other relative links are rebased too.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from portal.generated import page_url, relative_root

ATTRIBUTES = {"a": "href", "img": "src"}


def site_link(link: str, src_uri: str) -> str:
    """``link`` as written in ``src_uri``, made relative to that page's published URL."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return link
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), parts.path))
    if target.endswith(".md"):
        target = page_url(target)
    base = relative_root(page_url(src_uri))
    path = base + target if target != "." else base
    return urlunsplit(("", "", path, parts.query, parts.fragment))


class _Rebase(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    def __init__(self, md: Markdown, src_uri: str) -> None:
        super().__init__(md)
        self.src_uri = src_uri

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = ATTRIBUTES.get(element.tag)
            value = element.get(attribute) if attribute else None
            if attribute and value is not None:
                element.set(attribute, site_link(value, self.src_uri))


class RebaseLinks(Extension):  # type: ignore[misc]
    def __init__(self, src_uri: str) -> None:
        super().__init__()
        self.src_uri = src_uri

    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline patterns have made the links, before serialising.
        md.treeprocessors.register(_Rebase(md, self.src_uri), "portal-rebase-links", 5)
