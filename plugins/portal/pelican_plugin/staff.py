"""The pages staff write in content/, as generated pages like every other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portal.frontmatter import read_document
from portal.generated import GeneratedPage
from portal.languages import split
from portal.problems import ContentError, Problems


def staff_pages(
    content_dir: Path, wraps: dict[str, Callable[[str, str], str]], languages: tuple[str, ...]
) -> list[GeneratedPage]:
    """The pages staff wrote, in the default language: this build publishes one
    (portal.generators.one_language_note), so a page's translations are not pages."""
    problems = Problems(content_dir.parent)
    pages = []
    for path in sorted(content_dir.rglob("*.md")):
        document = read_document(path, problems)
        if document is None:
            continue
        src_uri = path.relative_to(content_dir).as_posix()
        if split(src_uri, languages)[1] is not None:
            continue
        meta = {k: v for k, v in document.front.data.items() if k != "form"}
        title = str(meta.pop("title", "") or path.stem.replace("-", " ").capitalize())
        page = GeneratedPage(src_uri, title, document.body, meta)
        if src_uri in wraps:
            page.wrap = wraps[src_uri]
        pages.append(page)
    if problems:
        raise ContentError(problems.items)
    return pages
