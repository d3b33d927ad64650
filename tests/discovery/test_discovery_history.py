"""Change history on consultation pages, from a git repository with known commits."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from discovery_sites import REPO_URL, build, fixture_copy, git

from portal.discovery.history import history


def history_section(site: Path, slug: str) -> str:
    html = (site / "consultations" / slug / "index.html").read_text("utf-8")
    start = html.index('<section aria-labelledby="change-history"')
    return html[start : html.index("</section>", start)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_page_lists_each_commit_with_date_message_and_link(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src", repo_url=REPO_URL)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Publish the fixture portal", when="2026-08-20T10:00:00+01:00")
    first = git(root, "rev-parse", "HEAD")
    page = root / "consultations" / "bus-lanes" / "index.md"
    page.write_text(page.read_text("utf-8").replace("7am to 7pm", "7am to 8pm"), "utf-8")
    git(
        root,
        "commit",
        "-q",
        "-am",
        "Bus lanes: correct the hours",
        when="2026-12-03T16:30:00+00:00",
    )
    second = git(root, "rev-parse", "HEAD")
    (root / "consultations" / "library-hours" / "index.md").write_text(
        (root / "consultations" / "library-hours" / "index.md").read_text("utf-8") + "\nMore.\n",
        "utf-8",
    )
    git(root, "commit", "-q", "-am", "Library: add a paragraph", when="2027-01-05T09:00:00+00:00")

    build(root, tmp_path / "site")
    section = history_section(tmp_path / "site", "bus-lanes")
    assert "Last changed on 3 December 2026." in text(section)
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    assert [text(i) for i in items] == [
        # What changed, in plain words: an edit to the text, then the first publication.
        f"3 December 2026: Page updated (change {second[:7]})",
        f"20 August 2026: Consultation published (change {first[:7]})",
    ]
    assert f'href="{REPO_URL}/commit/{second}"' in items[0]
    assert f'href="{REPO_URL}/commit/{first}"' in items[1]
    assert "without its change history" not in section
    # Another consultation's commits are not in this one's history.
    assert "Library" not in section
    assert "5 January 2027" in text(history_section(tmp_path / "site", "library-hours"))


def test_without_repo_url_the_changes_are_listed_without_links(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "First publication", when="2026-08-20T10:00:00+01:00")
    build(root, tmp_path / "site")
    section = history_section(tmp_path / "site", "park-lighting")
    assert "20 August 2026: Consultation published" in text(section)
    assert "<a " not in section


def test_plain_copy_falls_back_to_file_dates_and_says_so(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src")
    known = datetime(2026, 11, 2, 12, 0, tzinfo=UTC).timestamp()
    for path in (root / "consultations" / "park-lighting").iterdir():
        os.utime(path, (known, known))
    build(root, tmp_path / "site")
    section = text(history_section(tmp_path / "site", "park-lighting"))
    assert "built without its change history" in section
    assert "Last changed on 2 November 2026." in section
    assert "2 November 2026: Consultation page updated" in section
    assert "2 November 2026: Outcome updated" in section
    assert ".md" not in section  # no file names


def test_uncommitted_edits_are_mentioned(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "First publication", when="2026-08-20T10:00:00+01:00")
    page = root / "consultations" / "park-lighting" / "index.md"
    page.write_text(page.read_text("utf-8") + "\nAn edit.\n", "utf-8")
    found = history(root / "consultations" / "park-lighting", UTC)
    assert found.source == "git" and found.uncommitted and not found.shallow
    assert [c.message for c in found.changes] == ["First publication"]


def test_feed_dates_an_outcome_from_the_commit_that_added_it(tmp_path: Path) -> None:
    import feedparser

    root = fixture_copy(tmp_path / "src")
    outcome = root / "consultations" / "park-lighting" / "outcome.md"
    text_of_outcome = outcome.read_text("utf-8")
    outcome.unlink()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Publish", when="2026-08-20T10:00:00+01:00")
    outcome.write_text(text_of_outcome, "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Park lighting: outcome", when="2026-11-12T09:30:00+00:00")
    build(root, tmp_path / "site")
    feed = feedparser.parse(str(tmp_path / "site" / "feeds" / "consultations.atom"))
    entry = next(e for e in feed.entries if e.title == "Outcome published: Park lighting")
    assert entry.updated == "2026-11-12T09:30:00+00:00"
