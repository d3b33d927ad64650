"""Headings of the final page HTML, for Material's table of contents and skip link."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

HEADING = re.compile(r"<h([1-3])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
ANCHOR = re.compile(r"\bid=\"([^\"]+)\"")
# Headings of parts that are hidden until needed (a form's error summary) are not contents.
NOT_CONTENTS = "portal-error-summary"
TAGS = re.compile(r"<[^>]+>")


def with_title(html: str, title: str) -> str:
    """Give every page one <h1> with an id, so the skip link has somewhere to go."""
    if re.search(r"<h1\b", html, re.I):
        return re.sub(r"<h1\b(?![^>]*\bid=)", '<h1 id="page-title"', html, count=1, flags=re.I)
    return f'<h1 id="page-title">{htmllib.escape(title)}</h1>\n{html}'


def toc_tokens(html: str) -> list[dict[str, Any]]:
    """Nested tokens in the shape Python-Markdown's toc extension gives MkDocs."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for level_text, attributes, inner in HEADING.findall(html):
        found = ANCHOR.search(attributes)
        if found is None or NOT_CONTENTS in attributes:
            continue
        anchor = found.group(1)
        level = int(level_text)
        name = htmllib.unescape(TAGS.sub("", inner)).strip()
        token: dict[str, Any] = {
            "level": level,
            "id": anchor,
            "name": name,
            "html": name,
            "data-toc-label": "",
            "children": [],
        }
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root
