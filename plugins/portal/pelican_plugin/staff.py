"""The pages staff write in content/, as generated pages like every other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portal.frontmatter import read_document
from portal.generated import GeneratedPage
from portal.problems import ContentError, Problems


def staff_pages(
    content_dir: Path, wraps: dict[str, Callable[[str, str], str]]
) -> list[GeneratedPage]:
    problems = Problems(content_dir.parent)
    pages = []
    for path in sorted(content_dir.rglob("*.md")):
        document = read_document(path, problems)
        if document is None:
            continue
        src_uri = path.relative_to(content_dir).as_posix()
        meta = {k: v for k, v in document.front.data.items() if k != "form"}
        title = str(meta.pop("title", "") or path.stem.replace("-", " ").capitalize())
        page = GeneratedPage(src_uri, title, document.body, meta)
        if src_uri in wraps:
            page.wrap = wraps[src_uri]
        pages.append(page)
    if problems:
        raise ContentError(problems.items)
    return pages
