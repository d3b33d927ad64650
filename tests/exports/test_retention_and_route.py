"""Retention purge, the spreadsheet unit rules, and GET /exports/FORM_ID.zip."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from frictionless import validate

from portal import clock
from portal.exports.export import columns
from portal.exports.spreadsheet import neutralise
from portal.storage import Storage
from tests.support import portal, serve_portal

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd", "\ncmd"])
def test_neutralise_prefixes_formula_starts(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "1", "a=b", " =x", ""])
def test_neutralise_keeps_other_cells(value: str) -> None:
    assert neutralise(value) == value


def test_required_personal_fields_may_be_empty_after_purge() -> None:
    manifest = {
        "id": "f",
        "questions": [
            {
                "id": "name",
                "type": "text",
                "label": "Name",
                "required": True,
                "personal": True,
                "max_length": 50,
            },
            {"id": "view", "type": "text", "label": "View", "required": True, "max_length": 50},
        ],
    }
    fields = {c.field["name"]: c.field for c in columns(manifest, public=False)}
    assert "required" not in fields["name"]["constraints"]
    assert fields["view"]["constraints"]["required"] is True


def emails(db: Path) -> list[object]:
    storage = Storage(f"sqlite:///{db}")
    try:
        return [r["answers"].get("email") for r in storage.rows("bus-lanes")]
    finally:
        storage.dispose()


def test_purge_dry_run_changes_nothing_and_purge_waits_for_the_period(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.sqlite3"
    shutil.copy(posted, db)
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    before = emails(db)
    assert before == ["a@example.org", "b@example.org", None]
    # Closes 2099-02-28; retention 30 days: not yet due on 2099-03-20.
    early = portal("purge", "--now", "2099-03-20T00:00", root=built, env=env)
    assert "0 responses anonymised" in early.stdout
    assert emails(db) == before
    dry = portal("purge", "--dry-run", "--now", "2099-04-30T00:00", root=built, env=env)
    assert "2 responses would be anonymised" in dry.stdout
    assert dry.stdout.count("bus-lanes PR-") == 2 and "email" in dry.stdout
    assert emails(db) == before
    storage = Storage(f"sqlite:///{db}")
    kept = [r["answers"] for r in storage.rows("bus-lanes")]
    storage.dispose()
    done = portal("purge", "--now", "2099-04-30T00:00", root=built, env=env)
    assert "2 responses anonymised" in done.stdout
    storage = Storage(f"sqlite:///{db}")
    after = [r["answers"] for r in storage.rows("bus-lanes")]
    storage.dispose()
    assert [a["email"] for a in after] == [None, None, None]
    for old, new in zip(kept, after, strict=True):
        assert {k: v for k, v in old.items() if k != "email"} == {
            k: v for k, v in new.items() if k != "email"
        }
    again = portal("purge", "--now", "2099-04-30T00:00", root=built, env=env)
    assert "0 responses anonymised" in again.stdout
    # The anonymised responses still export as a valid package.
    portal("export", "bus-lanes", "--out", str(tmp_path / "out"), root=built, env=env)
    assert validate(str(tmp_path / "out" / "datapackage.json")).valid


class Http:
    """Requests over real HTTP to the endpoint, served as ``portal serve`` serves it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)


@contextmanager
def client(built: Path, db: Path, token: str | None) -> Iterator[Http]:
    env = {"PORTAL_EXPORT_TOKEN": token} if token else {}
    log = db.with_name(f"export-server-{'token' if token else 'none'}.log")
    with serve_portal(built / "site", db, log, env=env) as server:
        yield Http(server.url)


def test_export_zip_needs_the_bearer_token(built: Path, posted: Path) -> None:
    with client(built, posted, TOKEN) as http:
        missing = http.get("/exports/bus-lanes.zip")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = http.get("/exports/bus-lanes.zip", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        in_url = http.get(f"/exports/bus-lanes.zip?token={TOKEN}&access_token={TOKEN}")
        assert in_url.status_code == 401
        basic = http.get("/exports/bus-lanes.zip", headers={"Authorization": f"Basic {TOKEN}"})
        assert basic.status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert http.get("/exports/no-such-form.zip", headers=auth).status_code == 404
        ok = http.get("/exports/bus-lanes.zip", headers=auth)
        assert ok.status_code == 200
        assert ok.headers["content-type"] == "application/zip"
        assert ok.headers["cache-control"] == "no-store"
        names = zipfile.ZipFile(io.BytesIO(ok.content)).namelist()
        assert sorted(names) == [
            "bus-lanes/datapackage.json",
            "bus-lanes/responses-spreadsheet.csv",
            "bus-lanes/responses.csv",
        ]
        csv_text = zipfile.ZipFile(io.BytesIO(ok.content)).read("bus-lanes/responses.csv")
        assert b"a@example.org" in csv_text  # the staff export keeps everything


def test_export_zip_is_off_without_a_configured_token(built: Path, posted: Path) -> None:
    with client(built, posted, None) as http:
        reply = http.get("/exports/bus-lanes.zip", headers={"Authorization": "Bearer x"})
        assert reply.status_code == 404


def test_responses_to_a_removed_form_lose_all_answers_after_the_default_period(
    built: Path, posted: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.sqlite3"
    shutil.copy(posted, db)
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    (site / "api" / "forms" / "bus-lanes.json").unlink()  # the consultation was deleted
    # The responses were received now (in real time); the site default is 730 days.
    in_a_year = (clock.now() + timedelta(days=365)).isoformat()
    soon = portal("purge", "--site-dir", str(site), "--now", in_a_year, root=built, env=env)
    assert "0 responses anonymised" in soon.stdout
    assert "no longer has the form 'bus-lanes'" in soon.stderr
    late = portal(
        "purge", "--site-dir", str(site), "--now", "2099-01-01T00:00", root=built, env=env
    )
    assert "3 responses anonymised" in late.stdout and "all answers" in late.stdout
    storage = Storage(f"sqlite:///{db}")
    try:
        assert [r["answers"] for r in storage.rows("bus-lanes")] == [{}, {}, {}]
    finally:
        storage.dispose()
