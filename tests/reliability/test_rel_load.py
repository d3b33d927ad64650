"""Issue 7, items 1, 2 and 10 (log side), fast forms: a real ``portal endpoint`` process
under load, killed with SIGKILL at random moments, and its log and database searched for
the client's address. The long forms are bench/endpoint_load.py and bench/endpoint_faults.py.
"""

from __future__ import annotations

from pathlib import Path

from rel_support import (
    FORM_ID,
    check_ack_stored,
    integrity,
    kill_rounds,
    make_site,
    run_load,
    sqlite_rows,
    start_endpoint,
)

CLIENTS, SECONDS = 10, 5
KILLS = 3


def test_load_loses_nothing_and_never_errs(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    db = tmp_path / "var" / "responses.sqlite3"
    log = tmp_path / "endpoint.log"
    server = start_endpoint(site, f"sqlite:///{db}", log, workers=2)
    try:
        result = run_load(server.url, CLIENTS, SECONDS, max_requests=2000)
    finally:
        server.stop()
    text = log.read_text(encoding="utf-8", errors="replace")
    stored = {sid: ref for form, sid, ref in sqlite_rows(db) if form == FORM_ID}

    assert result.requests > CLIENTS, result
    assert result.server_errors == 0, (result.statuses, text[-3000:])
    assert result.transport_errors == 0
    assert set(result.statuses) == {303}, result.statuses
    assert "database is locked" not in text
    assert check_ack_stored(result, stored) == []
    assert len(stored) == len(result.acknowledged)  # no extra rows
    # Item 10: the client's address is nowhere in the database file or the log.
    assert b"127.0.0.1" not in b"".join(p.read_bytes() for p in db.parent.iterdir())
    assert "127.0.0.1" not in text


def test_sigkill_under_load_loses_no_acknowledged_response(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    db = tmp_path / "var" / "responses.sqlite3"
    total = kill_rounds(site, db, tmp_path, KILLS)

    assert integrity(db) == "ok"
    stored = {sid: ref for form, sid, ref in sqlite_rows(db) if form == FORM_ID}
    assert total.server_errors == 0, total.statuses
    assert len(total.acknowledged) >= KILLS * 5
    assert check_ack_stored(total, stored) == []
