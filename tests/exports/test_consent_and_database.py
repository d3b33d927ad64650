"""Issue 15, items 2 and 5: consent that holds, and no silent empty database.

Real builds and checks, responses posted over HTTP to the real ``portal endpoint``
(tests/reliability/rel_support.py), and the real ``portal export``, ``results`` and
``purge`` commands.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
from frictionless import validate

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from rel_support import VALID, make_site, start_endpoint

from portal.forms import manifests

REQUIRED_CONSENT = FORM.replace(
    "      label: You may publish my answers\n      required: false\n",
    "      label: You may publish my answers\n      required: true\n",
)


def test_publication_consent_must_name_an_optional_consent_question(tmp_path: Path) -> None:
    root = site_with_form(tmp_path, REQUIRED_CONSENT)
    index = index_file(root)
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 1
    line = line_of(index, "publication_consent: publish")
    out = result.stdout + result.stderr
    assert f"consultations/{FORM_ID}/index.md:{line}: publication_consent names 'publish', a " in (
        out
    )
    assert "add 'required: false' to the question 'publish'" in out
    assert "[form-invalid]" in out
    # Naming a question that is not a consent question is refused at the same line.
    index.write_text(FORM.replace("publication_consent: publish", "publication_consent: email"))
    other = portal("check", root=root, env=NOW, check=False)
    assert other.returncode == 1
    assert f"index.md:{line}: publication_consent names 'email', which is not a consent" in (
        other.stdout + other.stderr
    )
    refused = portal("build", root=root, env=NOW, check=False)
    assert refused.returncode == 1 and not (root / "site").exists()


def test_the_public_package_holds_only_respondents_who_gave_consent(tmp_path: Path) -> None:
    """Posted through the real endpoint: the consent box ticked, unticked, or sent empty."""
    site = make_site(tmp_path)
    manifest = manifests.read(manifests.folder(site) / "bus-lanes.json")
    consent = manifest["publication_consent"]
    assert consent, "the sample form asks for publication consent"
    question = next(q for q in manifest["questions"] if q["id"] == consent)
    assert question["type"] == "consent" and not question["required"]
    db = tmp_path / "responses.sqlite3"
    server = start_endpoint(site, f"sqlite:///{db}", tmp_path / "endpoint.log")
    sent: dict[str, bool] = {}
    try:
        for number, agrees in enumerate([True, False, True, False, False]):
            # A number, not free text: free text waits for staff review (item 3).
            age = str(20 + number)
            fields = [(k, v) for k, v in VALID if k not in (consent, "age")]
            fields.append(("age", age))
            if agrees:
                fields.append((consent, "yes"))
            fields.append(("submission_id", f"consent-test-{number:04d}-abcdefgh"))
            reply = httpx.post(
                f"{server.url}/responses/bus-lanes",
                content=urlencode(fields),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=30,
            )
            assert reply.status_code == 303, (reply.text, server.read_log())
            sent[age] = agrees
    finally:
        server.stop()
    out = tmp_path / "public"
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    portal("export", "bus-lanes", "--public", "--site-dir", str(site), "--out", str(out), env=env)
    assert validate(str(out / "datapackage.json")).valid
    rows = read_csv(out / "responses.csv")
    assert [r["age"] for r in rows] == [age for age, agrees in sent.items() if agrees]
    assert all(r[consent] == "true" for r in rows)
    for field in ("reference", "email", "name"):
        assert field not in rows[0], "personal answers and references stay out"


def test_a_wrong_database_url_is_an_error_naming_the_path(tmp_path: Path) -> None:
    root = site_with_form(tmp_path)
    build(root)
    typo = tmp_path / "respones.sqlite3"
    env = database(typo)
    for command in (
        ["export", FORM_ID, "--out", str(tmp_path / "out")],
        ["results", FORM_ID],
        ["purge", "--dry-run"],
    ):
        result = portal(*command, root=root, env=env, check=False)
        assert result.returncode == 1, command
        assert f"there is no responses database at {typo}" in result.stderr, command
        assert "Traceback" not in result.stderr
    assert not typo.exists(), "no empty database is made"
    assert not (tmp_path / "out").exists()
    assert not (root / "datasets" / f"{FORM_ID}-results").exists()

    # A file that is there but is not the endpoint's database.
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    result = portal("results", FORM_ID, root=root, env=database(other), check=False)
    assert result.returncode == 1
    assert f"{other} has no 'responses' table" in result.stderr


def test_commands_say_which_database_they_read(tmp_path: Path) -> None:
    root = site_with_form(tmp_path)
    build(root)
    db = tmp_path / "responses.sqlite3"
    post_all(root, db, tmp_path / "server.log", [{"support": "yes"}])
    for command in (["export", FORM_ID, "--out", str(tmp_path / "o")], ["purge", "--dry-run"]):
        result = portal(*command, root=root, env=database(db))
        assert f"reading responses from {db}" in result.stderr, command


def test_results_will_not_replace_published_results_with_fewer_respondents(
    tmp_path: Path,
) -> None:
    root = site_with_form(tmp_path)
    build(root)
    full = tmp_path / "full.sqlite3"
    post_all(root, full, tmp_path / "a.log", [{"support": "yes"}, {"support": "no"}])
    portal("results", FORM_ID, "--now", "2099-03-01T00:00", root=root, env=database(full))
    summary = root / "datasets" / f"{FORM_ID}-results" / "data" / "summary.csv"
    assert read_csv(summary)[0]["respondents"] == "2"
    before = summary.read_bytes()

    fewer = tmp_path / "fewer.sqlite3"
    post_all(root, fewer, tmp_path / "b.log", [{"support": "yes"}])
    refused = portal("results", FORM_ID, root=root, env=database(fewer), check=False)
    assert refused.returncode == 1
    assert "already counts 2 respondents" in refused.stderr
    assert f"{fewer} holds 1" in refused.stderr and "--force" in refused.stderr
    assert summary.read_bytes() == before, "the published results are untouched"

    portal("results", FORM_ID, "--force", root=root, env=database(fewer))
    assert read_csv(summary)[0]["respondents"] == "1"


def test_postgresql_without_the_table_is_an_error(tmp_path: Path) -> None:
    from rel_support import postgres_server

    root = site_with_form(tmp_path)
    build(root)
    with postgres_server() as url:
        for args in (
            ["export", FORM_ID, "--out", str(tmp_path / "o")],
            ["results", FORM_ID],
            ["purge", "--dry-run"],
        ):
            result = portal(*args, root=root, env={**NOW, "DATABASE_URL": url}, check=False)
            assert result.returncode == 1, args
            assert "has no 'responses' table" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
        # A table an earlier endpoint made (no form_version): read, and brought up to date.
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(
                "CREATE TABLE responses (id SERIAL PRIMARY KEY, form_id VARCHAR(64) NOT NULL, "
                "submission_id VARCHAR(64) NOT NULL UNIQUE, reference VARCHAR(16) NOT NULL "
                "UNIQUE, received_at TIMESTAMP WITH TIME ZONE NOT NULL, manifest_version "
                "INTEGER NOT NULL, answers JSON NOT NULL)"
            )
            conn.execute(
                "INSERT INTO responses (form_id, submission_id, reference, received_at, "
                "manifest_version, answers) VALUES ('bus-lanes', 'old-submission-00000001', "
                "'PR-AAAA-2222', '2027-01-10T10:00:00+00:00', 1, '{\"support\": \"no\"}')"
            )
        out = tmp_path / "pg-export"
        portal("export", FORM_ID, "--out", str(out), root=root, env={**NOW, "DATABASE_URL": url})
        assert [r["support"] for r in read_csv(out / "responses.csv")] == ["no"]
        with psycopg.connect(url) as conn:
            columns = [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'responses' ORDER BY ordinal_position"
                )
            ]
        assert columns[-2:] == ["form_version", "language"]
