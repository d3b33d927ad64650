"""A page or file staff put in content/ at an address the portal's own pages use.

Both generators let the generated page win without a word (MkDocs replaces a file of the
same name), so the staff page would silently vanish from the site.
"""

from __future__ import annotations

from collections.abc import Iterable

from portal.generated import GeneratedFile, GeneratedPage, page_url
from portal.problems import Problem, Problems
from portal.site import Portal


def address_problems(
    portal: Portal, pages: Iterable[GeneratedPage], files: Iterable[GeneratedFile]
) -> list[Problem]:
    content = portal.settings.content_dir
    problems = Problems(portal.settings.root)
    if not content.is_dir():
        return []
    taken = {page_url(p.src_uri): p.src_uri for p in pages}
    taken_files = {f.dest_uri for f in files}
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in relative.split("/")):
            continue
        address = page_url(relative) if path.suffix == ".md" else relative
        if (path.suffix == ".md" and address in taken) or relative in taken_files:
            problems.add(
                path,
                None,
                f"the portal publishes its own page or file at /{address}, so this one "
                "would not be published",
                "move or rename it (the portal makes the consultation, dataset and index "
                "pages itself)",
                "address-taken",
            )
    return problems.items
