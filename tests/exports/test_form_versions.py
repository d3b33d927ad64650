"""Issue 15, item 1: a form that changes while it takes responses.

Real builds, responses posted to the real endpoint, the real ``portal check``, ``export``
and ``results``: a renamed question or option is refused by check at its line until staff
say what it was renamed from; then old and new answers export and count together; an answer
that still has no place stops the export and the results, naming form, version and question.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from frictionless import validate

from portal.forms import versions
from tests.exports.conftest import FORM, read_csv
from tests.exports.helpers15 import (
    FORM_ID,
    NOW,
    build,
    database,
    index_file,
    line_of,
    post_all,
    site_with_form,
)
from tests.support import portal

OLD_ANSWERS = [
    {"support": "yes", "modes": ["bus", "bike"], "rating": "4", "publish": "yes"},
    {"support": "no", "modes": ["bike"], "rating": "2"},
    {"support": "yes", "modes": ["car"], "rating": "5", "publish": "yes"},
]
# Staff rename the question 'support' and the option 'Bike' (value bike) of an open form.
RENAMED = FORM.replace("    - id: support\n", "    - id: supports\n").replace(
    "      options: [Bus, Bike, Car]", "      options: [Bus, Bicycle, Car]"
)
MAPPED = FORM.replace(
    "    - id: support\n", "    - id: supports\n      renamed_from: support\n"
).replace(
    "      options: [Bus, Bike, Car]",
    "      options:\n"
    "        - Bus\n"
    "        - {value: bicycle, label: Bicycle, renamed_from: bike}\n"
    "        - Car",
)


def test_a_renamed_question_and_option_need_their_mapping_then_count_together(
    tmp_path: Path,
) -> None:
    root = site_with_form(tmp_path)
    build(root)
    kept = list((root / versions.FOLDER / FORM_ID).glob("*.json"))
    assert len(kept) == 1, "the open form's version is kept in the repository"
    first = kept[0].stem
    assert (root / "site" / "api" / "forms" / FORM_ID / "versions" / f"{first}.json").is_file()
    db = tmp_path / "responses.sqlite3"
    post_all(root, db, tmp_path / "first.log", OLD_ANSWERS)
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT form_version FROM responses")}
    assert stored == {first}, "each response records the version it answered"

    # Renamed without saying so: check refuses, at the question's and the options' lines.
    index = index_file(root)
    index.write_text(RENAMED, encoding="utf-8")
    check = portal("check", root=root, env=NOW, check=False)
    assert check.returncode == 1, check.stdout
    where = f"consultations/{FORM_ID}/index.md"
    question_line = line_of(index, "- id: supports")
    options_line = line_of(index, "options: [Bus, Bicycle, Car]")
    out = check.stdout + check.stderr
    assert f"{where}:{question_line}: " in out and "question 'support'" in out, out
    assert "renamed_from: support" in out
    assert f"{where}:{options_line}: " in out and "option 'bike' of 'modes'" in out, out
    assert "renamed_from: bike" in out
    assert out.count("[form-version-changed]") == 2
    refused = portal("build", root=root, env=NOW, check=False)
    assert refused.returncode == 1 and "renamed_from: support" in refused.stderr

    # With the mapping: check passes, and old and new answers export and count together.
    index.write_text(MAPPED, encoding="utf-8")
    portal("check", root=root, env=NOW)
    build(root)
    assert len(list((root / versions.FOLDER / FORM_ID).glob("*.json"))) == 2
    post_all(
        root,
        db,
        tmp_path / "second.log",
        [{"supports": "no", "modes": ["bicycle", "bus"], "rating": "3", "publish": "yes"}],
    )
    out_dir = tmp_path / "staff"
    env = database(db)
    portal("export", FORM_ID, "--out", str(out_dir), root=root, env=env)
    assert validate(str(out_dir / "datapackage.json")).valid
    rows = read_csv(out_dir / "responses.csv")
    assert [r["supports"] for r in rows] == ["yes", "no", "yes", "no"]
    assert [r["modes.bicycle"] for r in rows] == ["true", "true", "false", "true"]
    assert "support" not in rows[0] and "modes.bike" not in rows[0]

    portal("results", FORM_ID, "--now", "2099-03-01T00:00", root=root, env=env)
    data = root / "datasets" / f"{FORM_ID}-results" / "data"
    summary = read_csv(data / "summary.csv")
    assert int(summary[0]["respondents"]) == 4
    counted = [
        row
        for table in data.glob("*.csv")
        for row in read_csv(table)
        if row.get("option") == "bicycle" or row.get("value") == "bicycle"
    ]
    assert counted and {row.get("count") or row.get("responses") for row in counted} == {"3"}, (
        "the 2 old 'bike' answers and the new 'bicycle' one count as one option"
    )


def test_responses_to_a_version_the_site_lost_stop_export_and_results(tmp_path: Path) -> None:
    """A version file never committed (a clean clone, CI): nothing is read wrongly."""
    root = site_with_form(tmp_path)
    build(root)
    first = next((root / versions.FOLDER / FORM_ID).glob("*.json")).stem
    db = tmp_path / "responses.sqlite3"
    post_all(root, db, tmp_path / "server.log", OLD_ANSWERS[:2])
    for path in (root / versions.FOLDER / FORM_ID).glob("*.json"):
        path.unlink()
    index_file(root).write_text(RENAMED, encoding="utf-8")
    build(root)  # check has no kept version to compare with, so this build goes ahead
    env = database(db)
    out_dir = tmp_path / "out"
    export = portal("export", FORM_ID, "--out", str(out_dir), root=root, env=env, check=False)
    assert export.returncode == 1
    assert f"2 responses answered version {first} of the form '{FORM_ID}'" in export.stderr
    assert not (out_dir / "responses.csv").exists()
    results = portal("results", FORM_ID, root=root, env=env, check=False)
    assert results.returncode == 1 and f"version {first}" in results.stderr
    assert not (root / "datasets" / f"{FORM_ID}-results").exists()
    assert "Traceback" not in export.stderr + results.stderr


# The table as the endpoint made it before versions were recorded (no form_version).
OLD_TABLE = """CREATE TABLE responses (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    form_id VARCHAR(64) NOT NULL,
    submission_id VARCHAR(64) NOT NULL UNIQUE,
    reference VARCHAR(16) NOT NULL UNIQUE,
    received_at DATETIME NOT NULL,
    manifest_version INTEGER NOT NULL,
    answers JSON NOT NULL
)"""


def _old_database(db: Path, answers: list[dict[str, object]]) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(OLD_TABLE)
        for number, answer in enumerate(answers):
            conn.execute(
                "INSERT INTO responses (form_id, submission_id, reference, received_at, "
                "manifest_version, answers) VALUES (?, ?, ?, ?, 1, ?)",
                (
                    FORM_ID,
                    f"old-submission-{number:08d}",
                    f"PR-AAAA-{number:04d}",
                    "2027-01-10 10:00:00.000000",
                    json.dumps(answer),
                ),
            )


def test_a_database_from_before_versions_is_read_and_its_unknown_answers_stop_export(
    tmp_path: Path,
) -> None:
    root = site_with_form(tmp_path)
    build(root)
    good = tmp_path / "good.sqlite3"
    _old_database(good, [{"support": "yes", "modes": ["bus"], "rating": 3}])
    out_dir = tmp_path / "out"
    portal("export", FORM_ID, "--out", str(out_dir), root=root, env=database(good))
    assert [r["support"] for r in read_csv(out_dir / "responses.csv")] == ["yes"]
    with sqlite3.connect(good) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(responses)")]
    # The columns later releases added (the language, issue 21), every row kept.
    assert columns[-2:] == ["form_version", "language"], "the columns are added, rows kept"

    # An answer to a question this form never had (or lost before versions were kept).
    bad = tmp_path / "bad.sqlite3"
    _old_database(bad, [{"support": "yes", "rating": 3, "colour": "blue"}])
    failed = portal(
        "export", FORM_ID, "--out", str(tmp_path / "no"), root=root, env=database(bad), check=False
    )
    assert failed.returncode == 1
    assert f"form '{FORM_ID}', version stored before versions were kept" in failed.stderr
    assert "the question 'colour'" in failed.stderr
    results = portal("results", FORM_ID, root=root, env=database(bad), check=False)
    assert results.returncode == 1 and "the question 'colour'" in results.stderr


def test_a_renamed_personal_question_is_still_emptied_when_retention_ends(
    tmp_path: Path,
) -> None:
    """Old responses keep the old id; the purge finds them through renamed_from."""
    root = site_with_form(tmp_path)
    build(root)
    db = tmp_path / "responses.sqlite3"
    post_all(root, db, tmp_path / "server.log", [{"support": "yes", "email": "ann@example.org"}])
    index_file(root).write_text(
        FORM.replace("    - id: email\n", "    - id: contact_email\n      renamed_from: email\n"),
        encoding="utf-8",
    )
    build(root)
    env = database(db)
    # retention_days is 30 after closing on 2099-02-28.
    dry = portal("purge", "--dry-run", "--now", "2099-04-30T00:00", root=root, env=env)
    assert ": email (retention ended" in dry.stdout, dry.stdout
    portal("purge", "--now", "2099-04-30T00:00", root=root, env=env)
    with sqlite3.connect(db) as conn:
        (answers,) = conn.execute("SELECT answers FROM responses").fetchone()
    assert json.loads(answers)["email"] is None
    assert json.loads(answers)["support"] == "yes"


def test_new_words_for_the_same_questions_are_the_same_version(tmp_path: Path) -> None:
    """Labels and hints change freely: stored answers mean what they meant."""
    root = site_with_form(tmp_path)
    build(root)
    index_file(root).write_text(
        FORM.replace("label: Do you support bus lanes?", "label: Should we build bus lanes?"),
        encoding="utf-8",
    )
    portal("check", root=root, env=NOW)
    build(root)
    assert len(list((root / versions.FOLDER / FORM_ID).glob("*.json"))) == 1


def test_a_forthcoming_form_changes_freely(tmp_path: Path) -> None:
    """Nobody can have answered it yet, so no version is kept and no mapping is asked."""
    root = site_with_form(tmp_path)
    early = {"PORTAL_NOW": "2019-06-01T12:00"}  # before it opens in 2020
    portal("build", root=root, env=early)
    assert not (root / versions.FOLDER).exists()
    index_file(root).write_text(RENAMED, encoding="utf-8")
    portal("check", root=root, env=early)
