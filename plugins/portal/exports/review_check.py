"""``portal check`` on review files, and on the written answers a results dataset publishes.

A review lives in git, so a decision changed there must hold on the next build: when the
results dataset still publishes an answer the review now withholds (or no longer lists),
the check fails at that row until ``portal results`` is run again. The build runs the same
check (portal.checks.gate), so it never publishes what the review does not allow.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from portal.problems import Problem, Problems


def review_problems(portal: Any) -> list[Problem]:
    """Every problem in the consultations' review files and the answers their results
    publish. ``portal`` is a portal.site.Portal (not imported: the site imports checks)."""
    problems = Problems(portal.settings.root)
    for consultation in portal.consultations:
        if not consultation.form:
            continue
        path = consultation.folder / "review.yml"
        published = (
            portal.settings.datasets_dir / f"{consultation.slug}-results" / "data" / "answers.csv"
        )
        if not path.is_file() and not published.is_file():
            continue
        from portal.exports import review  # here: most sites and builds have no review yet

        reviewed = review.read(path, consultation.form, problems)
        allowed = {(e.question, e.published) for e in reviewed.entries if e.published}
        for line, row in _rows(published):
            if (row.get("question"), row.get("answer")) not in allowed:
                problems.add(
                    published,
                    line,
                    f"this answer to '{row.get('question')}' is published, but "
                    f"{problems.relative(path)} does not allow it (withheld, undecided or no "
                    "longer listed)",
                    f"run 'portal results {consultation.slug}' again: it publishes only what "
                    "the review allows",
                    review.STALE,
                )
    return problems.items


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line where the row starts, row) for every row; none when there is no file."""
    if not path.is_file():
        return []
    found = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        start = 2
        for row in reader:
            found.append((start, row))
            start = reader.line_num + 1
    return found
