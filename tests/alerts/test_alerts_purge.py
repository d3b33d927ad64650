"""``portal purge`` removes alert sign-ups never confirmed, after the week their link works;
a confirmed one stays until its owner unsubscribes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from portal.alerts import subscriptions
from portal.alerts.subscriptions import Choice
from portal.storage import Storage
from tests.support import portal


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM alert_subscriptions").fetchone()[0])


def test_unconfirmed_sign_ups_go_after_a_week(tmp_path: Path, demo_site: Path) -> None:
    db = tmp_path / "responses.sqlite3"
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    # Made at the suite's pinned moment (PORTAL_NOW), as the endpoint would have made them.
    assert os.environ["PORTAL_NOW"].startswith("2026-12-01")
    for email in ("never@example.org", "confirmed@example.org"):
        subscriptions.subscribe(storage, email, Choice(), "http://127.0.0.1", "Test portal")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE alert_subscriptions SET confirmed_at = created_at, confirm_hash = NULL "
            "WHERE email = 'confirmed@example.org'"
        )
    storage.dispose()
    env = {"DATABASE_URL": f"sqlite:///{db}"}

    def purge(now: str, *extra: str) -> str:
        args = ("purge", "--site-dir", str(demo_site), "--now", now, *extra)
        return str(portal(*args, env=env).stdout)

    assert "0 unconfirmed alert subscriptions removed" in purge("2026-12-07T12:00")
    dry = purge("2026-12-08T12:01", "--dry-run")
    assert "1 unconfirmed alert subscriptions would be removed" in dry
    assert _count(db) == 2
    assert "1 unconfirmed alert subscriptions removed" in purge("2026-12-08T12:01")
    with sqlite3.connect(db) as conn:
        left = conn.execute("SELECT email FROM alert_subscriptions").fetchall()
    assert left == [("confirmed@example.org",)]
