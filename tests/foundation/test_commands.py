"""The portal command as staff meet it: check, build and new, on real folders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.foundation.bad_content import BAD
from tests.support import FIXTURE_SITE, copy_site, portal

NOW = {"PORTAL_NOW": "2027-01-15T12:00:00+00:00"}


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURE_SITE, tmp_path / "site")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("fx") / "site")
    portal("build", root=root, env=NOW)
    return root / "site"


def test_check_reports_every_problem_in_one_run(site: Path) -> None:
    for name, text, _line, _words in BAD:
        folder = site / "consultations" / name
        folder.mkdir()
        (folder / "index.md").write_text(text, encoding="utf-8")
    result = portal("check", root=site, check=False)
    assert result.returncode == 1
    report = result.stderr
    for name, _text, line, code in BAD:
        pattern = rf"^consultations/{name}/index\.md:{line}: .*"
        matches = re.findall(pattern, report, flags=re.MULTILINE)
        assert matches, f"{name} not reported at line {line}:\n{report}"
        assert any(m.endswith(f"[{code}]") for m in matches), f"{name}: {matches}"
    assert f"{len(BAD)} problems found" in report or "problems found" in report


def test_check_passes_good_content(site: Path) -> None:
    result = portal("check", root=site)
    assert "All content is valid: 4 consultations, 1 forms" in result.stdout


def test_build_refuses_bad_content_and_keeps_the_previous_site(site: Path) -> None:
    portal("build", root=site, env=NOW)
    before = (site / "site" / "consultations" / "index.html").read_bytes()
    (site / "consultations" / "bus-lanes" / "index.md").write_text(BAD[0][1], encoding="utf-8")
    result = portal("build", root=site, env=NOW, check=False)
    assert result.returncode == 1
    assert "consultations/bus-lanes/index.md:3: the YAML is malformed" in result.stderr
    assert (site / "site" / "consultations" / "index.html").read_bytes() == before
    assert not list(site.glob(".site-*")), "no half-built folder is left behind"


def test_index_groups_by_status_open_first_soonest_closing_first(built: Path) -> None:
    html = (built / "consultations" / "index.html").read_text(encoding="utf-8")
    order = [
        html.find(f'href="../consultations/{slug}/"')
        for slug in ("library-hours", "bus-lanes", "school-streets", "park-lighting")
    ]
    assert all(i > 0 for i in order), order
    assert order == sorted(order), "open (soonest closing first), forthcoming, then closed"
    assert "Closes in 5 days, at 5pm on 20 January 2027" in html
    assert "Opens at midnight on 1 March 2027" in html
    assert "Closed on 31 October 2026" in html
    assert "secret-plan" not in html
    assert not (built / "consultations" / "secret-plan").exists()


def test_consultation_page_shows_facts_documents_and_form(built: Path) -> None:
    html = (built / "consultations" / "bus-lanes" / "index.html").read_text(encoding="utf-8")
    assert "11:59pm on 28 February 2027" in html
    assert "Europe/London" in html
    assert "transport@fixture.example" in html
    assert '<a href="documents/proposal.txt">Proposal</a>' in html
    assert "(Text, 22 bytes)" in html
    assert (built / "consultations" / "bus-lanes" / "documents" / "proposal.txt").exists()
    assert 'action="/responses/bus-lanes#bus-lanes-errors"' in html
    assert "<!--portal:form:bus-lanes-->" in html


def test_outcome_and_closed_pages(built: Path) -> None:
    park = (built / "consultations" / "park-lighting" / "index.html").read_text("utf-8")
    assert "Outcome published" in park
    assert "we will install lighting on the main path" in park
    assert park.find('id="outcome"') < park.find('id="details"'), "outcome comes first"
    assert "portal-form" not in park and "You can no longer respond" in park
    school = (built / "consultations" / "school-streets" / "index.html").read_text("utf-8")
    assert "not open yet" in school and "portal-form" not in school


def test_form_manifest_is_written_for_the_endpoint(built: Path) -> None:
    manifest = json.loads((built / "api" / "forms" / "bus-lanes.json").read_text("utf-8"))
    assert manifest["id"] == "bus-lanes"
    assert manifest["page_url"] == "/consultations/bus-lanes/"
    assert manifest["page_file"] == "consultations/bus-lanes/index.html"
    assert manifest["closes"] == "2027-02-28T23:59:59+00:00"
    assert manifest["timezone"] == "Europe/London"
    assert manifest["questions"][0]["options"] == [
        {"value": "yes", "label": "Yes"},
        {"value": "no", "label": "No"},
    ]
    shell = (built / "_portal" / "page" / "index.html").read_text("utf-8")
    assert shell.count("<!--portal:slot-->") == 1


def test_new_consultation_writes_a_valid_commented_skeleton(site: Path) -> None:
    result = portal("new", "consultation", "bus-gates-2027", root=site)
    assert "consultations/bus-gates-2027/index.md" in result.stdout
    text = (site / "consultations" / "bus-gates-2027" / "index.md").read_text("utf-8")
    assert text.count("# ") > 5, "the skeleton explains its fields"
    assert "draft: true" in text
    portal("check", root=site)
    again = portal("new", "consultation", "bus-gates-2027", root=site, check=False)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = portal("new", "consultation", "Bus Gates!", root=site, check=False)
    assert bad.returncode == 2 and "cannot be a web address" in bad.stderr


def test_drafts_preview_only_when_asked(site: Path) -> None:
    portal("build", root=site, env={**NOW, "PORTAL_DRAFTS": "1"})
    page = site / "site" / "consultations" / "secret-plan" / "index.html"
    assert "Draft preview" in page.read_text("utf-8")
    portal("build", root=site, env=NOW)
    assert not page.exists()


def test_portal_now_without_offset_is_site_time(site: Path) -> None:
    # 20 January 2027 16:30 in London: library hours closes at 17:00 that day.
    portal("build", root=site, env={"PORTAL_NOW": "2027-01-20T16:30"})
    html = (site / "site" / "consultations" / "index.html").read_text("utf-8")
    assert "Closes today, at 5pm on 20 January 2027" in html


def test_privacy_notice_states_the_retention_the_code_applies(root: Path) -> None:
    from portal.settings import load_settings

    days = load_settings(root).retention_days
    notice = (root / "content" / "privacy.md").read_text("utf-8")
    assert f"({days} days) after the\nconsultation closes" in notice
    assert f"({days} days)\nafter we receive it" in notice
    assert "portal purge" in notice
    timer = (root / "deploy" / "portal-purge.timer").read_text("utf-8")
    assert "OnCalendar=*-*-* 03:30:00" in timer, "the purge runs every day"


def test_why_this_course_takes_its_figures_from_the_dataset(root: Path, tmp_path: Path) -> None:
    import shutil

    site = tmp_path / "portal"
    site.mkdir()
    for name in ("content", "consultations", "datasets"):
        shutil.copytree(root / name, site / name)
    config = (root / "mkdocs.yml").read_text("utf-8")
    (site / "mkdocs.yml").write_text(
        config.replace("custom_dir: theme", f"custom_dir: {root / 'theme'}"), "utf-8"
    )
    data = site / "datasets" / "uk-digital-skills-gap" / "data" / "skills-gap.csv"
    data.write_text(data.read_text("utf-8").replace("Digital literacy,17", "Digital literacy,23"))
    portal("build", root=site)
    html = (site / "site" / "programme" / "index.html").read_text("utf-8")
    assert "found that 23% of UK workers" in html
    assert '<th scope="row">Digital literacy</th><td class="portal-num">23%</td>' in html
    assert "17%" not in html.split('id="why-this-course"')[1]


def test_the_mkdocs_site_does_not_carry_the_pelican_theme(demo_site: Path) -> None:
    assert (demo_site / "assets" / "portal" / "portal.css").exists()
    assert not (demo_site / "pelican").exists()
