"""The links, images and anchors of a Markdown file, found as the build's parser finds them.

Python-Markdown with the extensions mkdocs.yml lists does the parsing (so a link in a code
block is no link, and a heading's id is the one ``toc`` gives it); a treeprocessor gathers
what the Markdown made, and ``html.parser`` reads the raw HTML blocks, which MkDocs leaves as
written. Python-Markdown keeps no source positions, so a link's line is where its address
first appears in the file after the links before it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

ATTRIBUTES = {"a": "href", "img": "src"}
# What MkDocs itself always enables, whatever mkdocs.yml lists.
DEFAULT_EXTENSIONS: dict[str, dict[str, Any]] = {"toc": {}, "tables": {}, "fenced_code": {}}


@dataclass(frozen=True)
class Link:
    tag: str  # "a" or "img"
    url: str
    line: int
    raw_html: bool  # MkDocs leaves these as written: the browser resolves them


@dataclass
class Parsed:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Gather(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    def __init__(self, md: Markdown, found: list[tuple[str, str, bool]], ids: set[str]) -> None:
        super().__init__(md)
        self.found = found
        self.ids = ids

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.get("id"):
                self.ids.add(str(element.get("id")))
            attribute = ATTRIBUTES.get(str(element.tag))
            value = element.get(attribute) if attribute else None
            if attribute and value is not None:
                self.found.append((str(element.tag), value, False))


class _GatherExtension(Extension):  # type: ignore[misc]
    def __init__(self, found: list[tuple[str, str, bool]], ids: set[str]) -> None:
        super().__init__()
        self.found = found
        self.ids = ids

    def extendMarkdown(self, md: Markdown) -> None:
        # After toc (5) and attr_list (8) have given the ids; MkDocs' own link rewriting
        # runs at 0, on the same tree.
        md.treeprocessors.register(_Gather(md, self.found, self.ids), "portal-gather", 1)


class _RawHTML(HTMLParser):
    def __init__(self, found: list[tuple[str, str, bool]], ids: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.found = found
        self.ids = ids

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        attribute = ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) is not None:
            self.found.append((tag, str(values[attribute]), True))


class MarkdownLinks:
    """One Markdown engine, configured once, reused for every file of a check."""

    def __init__(self, extension_configs: dict[str, dict[str, Any]]) -> None:
        self.found: list[tuple[str, str, bool]] = []
        self.ids: set[str] = set()
        gather = _GatherExtension(self.found, self.ids)
        configs = {**DEFAULT_EXTENSIONS, **extension_configs}
        try:
            self.md = Markdown(extensions=[*configs, gather], extension_configs=configs)
        except Exception:  # an extension MkDocs will refuse: the mkdocs.yml check says so
            self.md = Markdown(extensions=[*DEFAULT_EXTENSIONS, gather])

    def parse(self, text: str, first_line: int) -> Parsed:
        self.found.clear()
        self.ids.clear()
        self.md.reset()
        self.md.convert(text)
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str):
                reader = _RawHTML(self.found, self.ids)
                reader.feed(block)
                reader.close()
        places = _Places(text, first_line)
        links = [Link(tag, url, places.line_of(url), raw) for tag, url, raw in self.found]
        return Parsed(links, set(self.ids))


class _Places:
    """Where each address is written: the first use not already taken by a link before."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.taken: dict[str, int] = {}

    def line_of(self, url: str) -> int:
        for written in dict.fromkeys([url, html.escape(url), html.escape(url, quote=False)]):
            start = self.taken.get(written, 0)
            index = self.text.find(written, start) if written else -1
            if index < 0 and start:
                index = self.text.find(written)
            if index >= 0:
                self.taken[written] = index + len(written)
                return self.first_line + self.text.count("\n", 0, index)
        return self.first_line
