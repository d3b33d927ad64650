"""Storage on SQLite (durability settings) and on a real PostgreSQL server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from endpoint_site import fields, make_client, settings_for
from pg import postgres_server

from portal.storage import Storage, StorageError

FORM = {"content-type": "application/x-www-form-urlencoded"}


def test_sqlite_is_wal_with_full_sync(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'var' / 'r.sqlite3'}")
    storage.create()
    with storage.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    storage.dispose()
    con = sqlite3.connect(tmp_path / "var" / "r.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_in_memory_sqlite_is_refused_as_not_durable() -> None:
    storage = Storage("sqlite:///:memory:")
    with pytest.raises(StorageError, match="journal_mode=memory"):
        storage.create()
    storage.dispose()


def check_idempotent_storage(storage: Storage) -> None:
    first = storage.store("bus-lanes", "s" * 20, {"name": "Ann", "topics": ["a"]}, 1)
    again = storage.store("bus-lanes", "s" * 20, {"name": "Someone else"}, 1)
    assert first == again
    other = storage.store("bus-lanes", "t" * 20, {"name": "Bob"}, 1)
    assert other != first
    rows = storage.rows("bus-lanes")
    assert [r["answers"] for r in rows] == [{"name": "Ann", "topics": ["a"]}, {"name": "Bob"}]
    assert rows[0]["received_at"].tzinfo is not None or storage.is_sqlite
    assert storage.has_reference("bus-lanes", first)
    assert not storage.has_reference("other", first)
    with pytest.raises(ValueError):
        storage.store("other", "s" * 20, {}, 1)
    # Many concurrent resubmissions of one id still make one row.
    with ThreadPoolExecutor(8) as pool:
        refs = set(pool.map(lambda _: storage.store("bus-lanes", "u" * 20, {}, 1), range(16)))
    assert len(refs) == 1 and storage.count() == 3


def test_sqlite_storage_is_idempotent(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    storage.create()
    check_idempotent_storage(storage)
    storage.dispose()


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.mark.postgres
def test_postgres_storage_is_idempotent(postgres_url: str) -> None:
    storage = Storage(postgres_url)
    storage.create()
    storage.create()  # a second instance starting is harmless
    check_idempotent_storage(storage)
    with storage.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE responses")
    storage.dispose()


@pytest.mark.postgres
def test_endpoint_on_postgres(postgres_url: str, site: Path) -> None:
    client = make_client(settings_for(site, database_url=postgres_url))
    body = urlencode(fields(submission_id="p" * 24))
    first = client.post("/responses/bus-lanes", content=body, headers=FORM)
    again = client.post("/responses/bus-lanes", content=body, headers=FORM)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert client.get(first.headers["location"]).status_code == 200
    assert client.get("/health").json() == {"ok": True, "database": "ok", "forms": "ok"}
    [row] = client.storage.rows()
    assert row["answers"]["topics"] == ["safety", "air-quality"]
    assert row["received_at"].tzinfo is not None
    with client.storage.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE responses")
    client.storage.dispose()
