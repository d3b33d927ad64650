"""The readers: every bad consultation is reported with its file, line and a fix."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal.frontmatter import read_document
from portal.model.consultations import Status, read_consultations
from portal.problems import Problems
from portal.settings import load_settings
from tests.foundation.bad_content import BAD, DUPLICATE_SLUG, GOOD
from tests.support import FIXTURE_SITE, copy_site

LONDON = ZoneInfo("Europe/London")


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURE_SITE, tmp_path / "site")


def write(site: Path, slug: str, text: str) -> Path:
    folder = site / "consultations" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(text, encoding="utf-8")
    return folder / "index.md"


def read(site: Path) -> tuple[list, Problems]:
    problems = Problems(site)
    return read_consultations(load_settings(site), problems), problems


@pytest.mark.parametrize(("name", "text", "line", "code"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_consultation_names_file_line_and_problem(
    site: Path, name: str, text: str, line: int, code: str
) -> None:
    write(site, name, text)
    consultations, problems = read(site)
    mine = [p for p in problems.items if p.path == f"consultations/{name}/index.md"]
    assert mine, f"no problem reported for {name}"
    assert (line, code) in {(p.line, p.code) for p in mine}, [str(p) for p in mine]
    assert all(p.hint for p in mine), "every problem says what to do"
    assert name not in {c.slug for c in consultations}


def test_good_consultation_reads_with_dates_in_site_time_zone(site: Path) -> None:
    write(site, "cycle-lanes", GOOD)
    consultations, problems = read(site)
    assert not problems, [str(p) for p in problems.items]
    lanes = next(c for c in consultations if c.slug == "cycle-lanes")
    assert lanes.opens == datetime(2027, 1, 1, 0, 0, tzinfo=LONDON)
    # A bare closing date means the end of that day, not its first second.
    assert lanes.closes == datetime(2027, 2, 1, 23, 59, 59, tzinfo=LONDON)


def test_status_is_derived_from_dates_and_outcome(site: Path) -> None:
    consultations, problems = read(site)
    assert not problems
    now = datetime(2027, 1, 15, 12, tzinfo=LONDON)
    status = {c.slug: c.status(now) for c in consultations}
    assert status == {
        "bus-lanes": Status.OPEN,
        "library-hours": Status.OPEN,
        "park-lighting": Status.OUTCOME,
        "school-streets": Status.FORTHCOMING,
    }
    later = datetime(2027, 1, 21, tzinfo=LONDON)
    assert {c.slug: c.status(later) for c in consultations}["library-hours"] is Status.CLOSED


def test_drafts_are_left_out_unless_asked_for(site: Path) -> None:
    consultations, _ = read(site)
    assert "secret-plan" not in {c.slug for c in consultations}
    problems = Problems(site)
    with_drafts = read_consultations(load_settings(site), problems, include_drafts=True)
    assert "secret-plan" in {c.slug for c in with_drafts}


def test_duplicate_slug_is_reported(site: Path) -> None:
    write(site, "cycle-lanes-2", DUPLICATE_SLUG)
    _, problems = read(site)
    assert any(
        "already used by consultations/bus-lanes/index.md" in p.message
        and p.path == "consultations/cycle-lanes-2/index.md"
        and p.line == 3  # the 'slug:' line
        for p in problems.items
    ), [str(p) for p in problems.items]


def test_days_left_counts_calendar_days(site: Path) -> None:
    consultations, _ = read(site)
    lanes = next(c for c in consultations if c.slug == "bus-lanes")
    assert lanes.days_left(datetime(2027, 2, 28, 23, 0, tzinfo=LONDON)) == 0
    assert lanes.days_left(datetime(2027, 2, 27, 0, 1, tzinfo=LONDON)) == 1
    assert lanes.days_left(datetime(2027, 2, 20, 23, 59, tzinfo=LONDON)) == 8
    assert lanes.days_left(datetime(2027, 3, 5, tzinfo=LONDON)) == 0


def test_yes_and_no_stay_text(tmp_path: Path) -> None:
    """YAML 1.1 would read the options Yes/No as true/false; staff mean the words."""
    path = tmp_path / "page.md"
    path.write_text("---\noptions: [Yes, No, On]\nflag: true\n---\nx\n", encoding="utf-8")
    document = read_document(path, Problems(tmp_path))
    assert document is not None
    assert document.front.data == {"options": ["Yes", "No", "On"], "flag": True}
    assert document.front.line("flag") == 3
    assert document.body_line == 5


def test_enquiry_form_takes_its_options_from_the_programme_facts() -> None:
    from portal.site import load
    from tests.support import ROOT

    portal = load(load_settings(ROOT))
    assert portal.programme is not None
    form = portal.page_forms["programme/enquire.md"].form
    interests = next(q for q in form["questions"] if q["id"] == "interests")
    assert [o["label"] for o in interests["options"]] == [m.title for m in portal.programme.modules]


def test_options_from_an_unknown_list_is_reported(site: Path) -> None:
    text = GOOD.replace(
        "---\nBody.",
        "form:\n  questions:\n    - id: q1\n      type: radio\n"
        "      label: A?\n      options_from: programme.modlues\n---\nBody.",
    )
    write(site, "bad-source", text)
    _, problems = read(site)
    assert any(
        p.line == 14 and "no list called 'programme.modlues'" in p.message for p in problems.items
    ), [str(p) for p in problems.items]


def test_site_url_can_come_from_the_environment_as_mkdocs_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        'site_name: X\nsite_url: !ENV [SITE_URL, ""]\ntheme:\n  name: material\n'
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("SITE_URL", raising=False)
    assert load_settings(tmp_path).site_url == ""
    monkeypatch.setenv("SITE_URL", "https://portal.example.gov.uk/")
    assert load_settings(tmp_path).site_url == "https://portal.example.gov.uk/"


def test_plugin_options_from_the_environment_are_typed_as_mkdocs_types_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: X\nplugins:\n  - portal:\n      retention_days: !ENV [RETENTION, 730]\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("RETENTION", raising=False)
    assert load_settings(tmp_path).retention_days == 730
    monkeypatch.setenv("RETENTION", "365")
    assert load_settings(tmp_path).retention_days == 365


def test_a_misspelt_field_is_answered_with_the_field_meant(site: Path) -> None:
    write(site, "typo", GOOD.replace("summary:", "summry:"))
    _consultations, problems = read(site)
    unknown = [p for p in problems.items if p.code == "key-unknown"]
    assert [p.hint for p in unknown] == ["did you mean 'summary'?"]
