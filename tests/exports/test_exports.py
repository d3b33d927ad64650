"""Round trip: posted over HTTP, exported, validated; public rules; injection; results."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from frictionless import validate

from tests.exports.conftest import PAYLOADS, read_csv
from tests.support import portal


def env(db: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{db}"}


def test_staff_export_is_a_valid_package_with_everything(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    portal("export", "bus-lanes", "--out", str(tmp_path), root=built, env=env(posted))
    assert validate(str(tmp_path / "datapackage.json")).valid
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["support"]["constraints"] == {"required": True, "enum": ["yes", "no"]}
    assert fields["rating"]["type"] == "integer"
    assert fields["rating"]["constraints"] == {"minimum": 1, "maximum": 5}
    assert fields["modes.bus"]["type"] == "boolean"
    assert fields["email"]["format"] == "email"
    assert fields["publish"]["type"] == "boolean"
    # Labels carrying formulas are kept as they are, as JSON strings.
    assert fields["comment"]["title"].startswith('=HYPERLINK("http://evil.example"')
    assert fields["staff_note"]["title"] == "@SUM(A1) Internal"
    rows = read_csv(tmp_path / "responses.csv")
    assert len(rows) == 3
    assert [r["email"] for r in rows] == ["a@example.org", "b@example.org", ""]
    # Answers unchanged in the package (quoted by the csv module where needed).
    assert [r["comment"] for r in rows] == [PAYLOADS[0], PAYLOADS[2], 'Fine, "quoted"\nlines']
    assert [r["staff_note"] for r in rows] == [PAYLOADS[1], PAYLOADS[3], ""]
    assert [r["modes.bike"] for r in rows] == ["true", "false", "false"]
    assert all(r["reference"].startswith("PR-") for r in rows)
    assert "OWASP" in package["description"]
    # The responses came from 127.0.0.1; no address is in any exported file.
    portal(
        "export",
        "bus-lanes",
        "--out",
        str(tmp_path / "sheet"),
        "--spreadsheet",
        root=built,
        env=env(posted),
    )
    assert (tmp_path / "sheet" / "responses-spreadsheet.csv").exists()
    for exported in [*tmp_path.rglob("*.csv"), *tmp_path.rglob("*.json")]:
        assert "127.0.0.1" not in exported.read_text(encoding="utf-8"), exported


def test_public_export_leaves_out_personal_unpublished_and_non_consenting(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    portal("export", "bus-lanes", "--out", str(tmp_path), "--public", root=built, env=env(posted))
    assert validate(str(tmp_path / "datapackage.json")).valid
    rows = read_csv(tmp_path / "responses.csv")
    assert len(rows) == 2  # the second respondent did not consent
    assert set(rows[0]) == {
        "response",
        "received_on",
        "support",
        "modes.bus",
        "modes.bike",
        "modes.car",
        "rating",
        "comment",
        "publish",
    }
    text = (tmp_path / "responses.csv").read_text(encoding="utf-8")
    text += (tmp_path / "datapackage.json").read_text(encoding="utf-8")
    for secret in ("a@example.org", "b@example.org", PAYLOADS[1], PAYLOADS[2], "PR-"):
        assert secret not in text


def test_spreadsheet_copy_neutralises_formulas_in_answers_and_labels(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    portal(
        "export", "bus-lanes", "--out", str(tmp_path), "--spreadsheet", root=built, env=env(posted)
    )
    sheet = tmp_path / "responses-spreadsheet.csv"
    raw = sheet.read_text(encoding="utf-8-sig")
    rows = read_csv(sheet, encoding="utf-8-sig")
    header = list(rows[0])
    assert '\'=HYPERLINK("http://evil.example","Click") Any comments?' in header
    assert "'@SUM(A1) Internal" in header
    assert [r['\'=HYPERLINK("http://evil.example","Click") Any comments?'] for r in rows] == [
        "'" + PAYLOADS[0],
        "'" + PAYLOADS[2],
        'Fine, "quoted"\nlines',
    ]
    assert [r["'@SUM(A1) Internal"] for r in rows] == ["'" + PAYLOADS[1], "'" + PAYLOADS[3], ""]
    assert raw.startswith('"')  # RFC 4180, every cell quoted
    # No line of the file starts a cell with a formula character.
    for line in raw.splitlines():
        assert not line.startswith(('"=', '"+', '"-', '"@'))


def test_results_dataset_counts_what_was_posted(built: Path, posted: Path) -> None:
    portal("results", "bus-lanes", "--now", "2099-03-01T00:00", root=built, env=env(posted))
    folder = built / "datasets" / "bus-lanes-results"
    assert validate(str(folder / "datapackage.json")).valid
    summary = read_csv(folder / "data" / "summary.csv")
    assert summary[0]["respondents"] == "3"
    options = {
        (r["question"], r["option"]): int(r["count"])
        for r in read_csv(folder / "data" / "options.csv")
    }
    assert options == {
        ("support", "yes"): 2,
        ("support", "no"): 1,
        ("modes", "bus"): 1,
        ("modes", "bike"): 1,
        ("modes", "car"): 1,
    }
    scales = {r["value"]: int(r["count"]) for r in read_csv(folder / "data" / "scales.csv")}
    assert scales == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 0}
    days = read_csv(folder / "data" / "days.csv")
    assert sum(int(d["responses"]) for d in days) == 3
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["views"][0]["specType"] == "vegalite"
    assert package["views"][0]["spec"]["mark"] == "bar"
    # No answer text and no personal data in the published results.
    text = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.*"))
    assert "example.org" not in text and PAYLOADS[0] not in text


def test_results_dataset_builds_into_a_dataset_page(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    portal("results", "bus-lanes", "--now", "2099-03-01T00:00", root=built, env=env(posted))
    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=built, env={"PORTAL_NOW": "2027-01-15T12:00"})
    page = site / "datasets" / "bus-lanes-results" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Results: Bus lanes on the ring road" in html
    assert "Responses per option" in html
    options = read_csv(site / "datasets" / "bus-lanes-results" / "data" / "options.csv")
    assert {(r["option"], r["count"]) for r in options if r["question"] == "support"} == {
        ("yes", "2"),
        ("no", "1"),
    }


def test_outcome_page_shows_results_beside_the_written_response(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    portal("results", "bus-lanes", "--now", "2099-03-01T00:00", root=built, env=env(posted))
    outcome = built / "consultations" / "bus-lanes" / "outcome.md"
    outcome.write_text("We will build the bus lanes in 2100.\n", encoding="utf-8")
    try:
        site = tmp_path / "site"
        portal("build", "--site-dir", str(site), root=built, env={"PORTAL_NOW": "2099-03-01T00:00"})
        html = (site / "consultations" / "bus-lanes" / "index.html").read_text("utf-8")
    finally:
        outcome.unlink()
    outcome_part = html[html.index('id="outcome"') : html.index('id="details"')]
    assert "We will build the bus lanes in 2100." in outcome_part
    assert "What people told us" in outcome_part
    chart = re.search(r'<img src="([^"]+\.svg)"', outcome_part)
    assert chart, outcome_part
    assert (site / "consultations" / "bus-lanes" / chart.group(1)).resolve().exists()
    assert 'href="../../datasets/bus-lanes-results/"' in outcome_part


def test_public_export_of_a_form_without_publication_consent_has_no_respondents(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    manifest_path = site / "api" / "forms" / "bus-lanes.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["publication_consent"] = None
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path / "public"
    portal(
        "export",
        "bus-lanes",
        "--out",
        str(out),
        "--public",
        "--site-dir",
        str(site),
        root=built,
        env=env(posted),
    )
    assert validate(str(out / "datapackage.json")).valid
    assert read_csv(out / "responses.csv") == []


def test_commands_name_what_they_cannot_find_and_write_nothing(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export = portal(
        "export", "no-such-form", "--out", str(out), root=built, env=env(posted), check=False
    )
    assert export.returncode == 1
    assert "portal export: no form 'no-such-form'" in export.stderr
    assert "build the site first or pass --site-dir" in export.stderr
    assert not out.exists()
    results = portal("results", "no-such-consultation", root=built, env=env(posted), check=False)
    assert results.returncode == 1
    assert "no form for consultation 'no-such-consultation'" in results.stderr
    assert "Traceback" not in export.stderr + results.stderr


def test_an_instant_that_is_not_a_date_is_refused_with_the_format(
    built: Path, posted: Path
) -> None:
    for command in (["purge", "--dry-run"], ["results", "bus-lanes"]):
        result = portal(*command, "--now", "next tuesday", root=built, env=env(posted), check=False)
        assert result.returncode == 1, command
        assert "--now 'next tuesday' is not a date and time" in result.stderr
        assert "2027-03-01T09:00" in result.stderr and "Traceback" not in result.stderr
