"""A Python-Markdown extension for the Zensical build: the table of contents of the page's
final HTML.

Zensical takes a page's table of contents from Python-Markdown's ``toc`` extension, which
sees only Markdown headings; the portal's pages reach Zensical rendered and wrapped, as raw
HTML (portal.zensical_adapter.build). Run after the raw HTML is back in place, this sets the
tokens from the headings in it, as the MkDocs adapter rebuilds MkDocs' table of contents
(portal.mkdocs_plugin.headings). The adapter adds it to the staged mkdocs.yml's
``markdown_extensions`` by this module's name.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from portal.mkdocs_plugin.headings import toc_tokens

NAME = __name__


class _Contents(Postprocessor):  # type: ignore[misc]  # Markdown has no type hints
    def run(self, text: str) -> str:
        self.md.toc_tokens = toc_tokens(text)
        return text


class FinalHtmlContents(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After raw_html (30), which puts the staged HTML back into the page.
        md.postprocessors.register(_Contents(md), "portal-final-contents", 1)


def makeExtension(**kwargs: Any) -> FinalHtmlContents:
    return FinalHtmlContents(**kwargs)
