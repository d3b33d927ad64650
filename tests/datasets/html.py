"""Render generated pages as an adapter would, and parse them for structural assertions."""

from __future__ import annotations

from itertools import pairwise

import markdown
from lxml import html as lxml_html

from portal.generated import GeneratedPage, relative_root


def page_html(page: GeneratedPage) -> str:
    body = markdown.markdown(page.markdown, extensions=["tables", "fenced_code"])
    return page.wrap(body, relative_root(page.url))


def parse(page: GeneratedPage) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(f"<main>{page_html(page)}</main>")


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def assert_accessible_structure(doc: lxml_html.HtmlElement) -> None:
    """The checks axe would make that a parser can: headings, tables, images."""
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for table in doc.iter("table"):
        assert table.find("caption") is not None and text(table.find("caption"))
        assert all(th.get("scope") in {"col", "row"} for th in table.iter("th"))
    for img in doc.iter("img"):
        assert img.get("alt") is not None
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
