"""A consultation's change history says what changed, in words, from a real git history:
published, closing date extended, documents added, outcome published."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.frame.conftest import NOW, SECOND_PORTAL
from tests.frame.html import parse, select, text
from tests.support import copy_site, portal

SLUG = "rural-library-hours"  # closed, with an outcome


def git(root: Path, *args: str, when: str = "") -> None:
    env = {
        "GIT_AUTHOR_NAME": "Publisher",
        "GIT_AUTHOR_EMAIL": "publisher@example.org",
        "GIT_COMMITTER_NAME": "Publisher",
        "GIT_COMMITTER_EMAIL": "publisher@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "PATH": "/usr/bin:/bin",
    }
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_history_lists_what_changed_in_words(tmp_path: Path) -> None:
    root = copy_site(SECOND_PORTAL, tmp_path / "portal")
    folder = root / "consultations" / SLUG
    outcome = (folder / "outcome.md").read_text("utf-8")
    (folder / "outcome.md").unlink()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "First commit", when="2026-08-20T10:00:00+12:00")
    page = folder / "index.md"
    source = page.read_text("utf-8")
    assert "closes: 2026-10-31\n" in source
    page.write_text(source.replace("closes: 2026-10-31\n", "closes: 2026-11-14\n"), "utf-8")
    git(root, "commit", "-q", "-am", "wip", when="2026-10-20T09:00:00+13:00")
    (folder / "opening-hours-survey.pdf").write_bytes(b"%PDF-1.4\n%demo\n")
    documents = (
        "documents:\n  - title: Survey of library users\n    file: opening-hours-survey.pdf\n"
    )
    page.write_text(page.read_text("utf-8").replace("topics:", documents + "topics:", 1), "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "index.md", when="2026-10-25T09:00:00+13:00")
    (folder / "outcome.md").write_text(outcome, "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "add outcome.md", when="2026-12-01T09:00:00+13:00")

    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    doc = parse(site, f"consultations/{SLUG}/index.html")
    (section,) = doc.xpath("//section[@aria-labelledby='change-history']")
    items = [text(li) for li in select(section, "li")]
    assert items == [
        "1 December 2026: Outcome published",
        "25 October 2026: Documents added: Survey of library users",
        "20 October 2026: Closing date extended to 11:59pm on 14 November 2026",
        "20 August 2026: Consultation published",
    ]
    words = text(section)
    assert not re.search(r"\.md|modified|wip", words), words
