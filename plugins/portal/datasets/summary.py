"""Short plain text from a package's long Markdown description, for the catalogue."""

from __future__ import annotations

import re

SUMMARY_LENGTH = 240


def first_paragraph(markdown: str) -> str:
    """The first paragraph of prose: headings, HTML (badges) and code are skipped."""
    for block in re.split(r"\n\s*\n", markdown):
        text = block.strip()
        if not text or text.startswith(("#", "<", "```", "|", ">", "[")):
            continue
        text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]|\[([^\]]+)\]\([^)]*\)", r"\1\2", text)
        text = re.sub(r"[*_`]", "", " ".join(text.split()))
        if len(text) > SUMMARY_LENGTH:
            text = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
        return text
    return ""


def without_title(markdown: str) -> str:
    """README.md usually starts with '# Title'; the page has its own h1 from the package."""
    return re.sub(r"\A\s*#\s[^\n]*\n+", "", markdown)


def title_lines(markdown: str) -> int:
    """How many lines ``without_title`` takes off, so checks can count lines as written."""
    return markdown.count("\n") - without_title(markdown).count("\n")
