"""``portal purge`` also removes sent email past its form's retention (a digest's after 30
days), copies never sent once their form's retention has ended, and old audit entries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from portal.storage import Storage
from portal.storage.outbox import COPY, DIGEST, enqueue, outbox
from portal.storage.staff import audit_log
from tests.mail.conftest import SMART_PARKING
from tests.support import portal

SENT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """An endpoint's database holding two sent emails, one unsent copy and two audit entries."""
    path = tmp_path / "responses.sqlite3"
    storage = Storage(f"sqlite:///{path}")
    storage.create()
    with storage.engine.begin() as conn:
        enqueue(conn, "copy:sent", COPY, SMART_PARKING, "", "Your response (PR-1)", "")
        enqueue(conn, "digest:sent", DIGEST, SMART_PARKING, "c@x.example", "1 new", "counts")
        enqueue(conn, "copy:unsent", COPY, SMART_PARKING, "r@x.example", "Yours", "answers")
        conn.execute(update(outbox).where(outbox.c.event_key.like("%:sent")).values(sent_at=SENT))
        conn.execute(
            update(outbox).where(outbox.c.event_key == "copy:unsent").values(created_at=SENT)
        )
        for at in (datetime(2025, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)):
            conn.execute(
                insert(audit_log),
                {"at": at, "who": "jo@council.example", "action": "export", "detail": ""},
            )
    storage.dispose()
    return path


def kept(path: Path) -> tuple[list[str], int]:
    with sqlite3.connect(path) as conn:
        keys = [r[0] for r in conn.execute("SELECT event_key FROM outbox ORDER BY id")]
        audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return keys, int(audit)


def purge(db: Path, site: Path, now: str, *extra: str, env: dict[str, str] | None = None) -> str:
    result = portal(
        "purge",
        "--site-dir",
        str(site),
        "--now",
        now,
        *extra,
        env={"DATABASE_URL": f"sqlite:///{db}", **(env or {})},
    )
    return result.stdout


def test_purge_removes_old_email_and_audit_entries_and_keeps_the_rest(
    db: Path, demo_site: Path
) -> None:
    # A month on: the digest (30 days) goes, the copy (the form's 730 days) stays; the audit
    # entry of October 2025 is over 400 days old, November 2026's is not.
    month = purge(db, demo_site, "2027-01-01T00:00")
    assert "1 sent emails removed" in month
    assert "0 unsent copies of answers removed" in month
    assert "1 audit log entries removed (older than 400 days)" in month
    assert kept(db) == (["copy:sent", "copy:unsent"], 1)

    # Past the form's retention (it closes 15 March 2027, then 730 days): the sent copy and
    # the copy never sent both go, the latter because it holds the answers. A dry run first.
    later = "2029-04-01T00:00"
    dry = purge(db, demo_site, later, "--dry-run")
    assert "1 sent emails would be removed" in dry
    assert "1 unsent copies of answers would be removed" in dry
    assert "1 audit log entries would be removed" in dry
    assert kept(db) == (["copy:sent", "copy:unsent"], 1)
    done = purge(db, demo_site, later)
    assert "1 sent emails removed" in done and "1 unsent copies of answers removed" in done
    assert kept(db) == ([], 0)


def test_the_audit_period_is_a_setting(db: Path, demo_site: Path) -> None:
    short = purge(db, demo_site, "2026-12-01T12:00", env={"PORTAL_AUDIT_DAYS": "10"})
    assert "2 audit log entries removed (older than 10 days)" in short
    result = portal(
        "purge",
        "--site-dir",
        str(demo_site),
        env={"DATABASE_URL": f"sqlite:///{db}", "PORTAL_AUDIT_DAYS": "a year"},
        check=False,
    )
    assert result.returncode == 1
    assert "PORTAL_AUDIT_DAYS='a year' is not a number of days" in result.stderr
    assert "Traceback" not in result.stderr
