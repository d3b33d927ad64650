"""A consultation's change history on its Welsh page is Welsh (issue 21): the sentences
from the catalogue, the dates as Welsh writes them, a document's title in Welsh where
``title: {en, cy}`` gives one; the English page says the same in English. Built for real
from a real git history of the second portal in two languages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.frame.html import parse, select, text
from tests.i18n.test_bilingual_site import METERS, make_bilingual
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import portal


def git(root: Path, *args: str, when: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Publisher",
        "GIT_AUTHOR_EMAIL": "publisher@example.org",
        "GIT_COMMITTER_NAME": "Publisher",
        "GIT_COMMITTER_EMAIL": "publisher@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def history(site: Path, page: str) -> list[str]:
    doc = parse(site, page)
    (section,) = doc.xpath("//section[@aria-labelledby='change-history']")
    return [text(li) for li in select(section, "li")]


def test_history_is_said_in_each_pages_language(tmp_path: Path) -> None:
    root = make_bilingual(copy_second_portal(tmp_path / "portal"))
    page = root / METERS / "index.md"
    git(root, "init", "-q", "-b", "main", when="2026-08-20T10:00:00+12:00")
    git(root, "add", ".", when="2026-08-20T10:00:00+12:00")
    git(root, "commit", "-q", "-m", "First", when="2026-08-20T10:00:00+12:00")
    source = page.read_text("utf-8")
    assert "closes: 2027-06-30\n" in source
    documents = (
        "documents:\n  - title: {en: Meter survey, cy: Arolwg mesuryddion}\n    file: survey.pdf\n"
    )
    (page.parent / "survey.pdf").write_bytes(b"%PDF-1.4\n%demo\n")
    page.write_text(
        source.replace("closes: 2027-06-30\n", "closes: 2027-07-14\n" + documents), "utf-8"
    )
    git(root, "add", ".", when="2026-10-20T09:00:00+13:00")
    git(root, "commit", "-q", "-m", "wip", when="2026-10-20T09:00:00+13:00")

    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    assert history(site, f"{METERS}index.html") == [
        "20 October 2026: Closing date extended to 11:59pm on 14 July 2027; "
        "Documents added: Meter survey",
        "20 August 2026: Consultation published",
    ]
    assert history(site, f"cy/{METERS}index.html") == [
        "20 Hydref 2026: Dyddiad cau wedi’i estyn i 11:59yh ar 14 Gorffennaf 2027; "
        "Dogfennau wedi’u hychwanegu: Arolwg mesuryddion",
        "20 Awst 2026: Ymgynghoriad wedi’i gyhoeddi",
    ]
