"""A purged answer is gone from the SQLite file itself, not only from the table: SQLite is
run with secure_delete, so the freed page is overwritten (portal.storage.database)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from portal.exports import retention
from portal.storage import Storage

NAME = "Zebediah Quux-Oddname"
# A long answer, as a comment can be: it fills overflow pages, which a purge frees; without
# secure_delete a freed page keeps its old bytes until SQLite reuses it.
COMMENT = " ".join(f"{NAME} wrote line {i} of a long comment." for i in range(300))


def test_a_purged_answer_is_not_left_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "responses.sqlite3"
    storage = Storage(f"sqlite:///{path}")
    storage.create()
    reference = storage.store(
        "form", "secure-delete-0001-abcdef", {"name": NAME, "comment": COMMENT}, 1
    )
    with storage.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert NAME.encode() in path.read_bytes()  # the test can see a name in the file
    due = [
        retention.Due(
            row_id=1,
            form_id="form",
            reference=reference,
            fields=retention.EVERYTHING,
            since=datetime(2026, 1, 1, tzinfo=UTC),
        )
    ]
    assert retention.purge(storage, due) == 1
    with storage.engine.connect() as conn:
        assert conn.execute(text("SELECT answers FROM responses")).scalar() in ({}, "{}")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.dispose()
    leftovers = [p for p in tmp_path.iterdir() if NAME.encode() in p.read_bytes()]
    assert leftovers == []
