"""Issue 7, items 11 and 3 (PostgreSQL side): two real ``portal endpoint`` instances on one
real PostgreSQL 15 server under load, 0 lost and 0 duplicated; unsafe server settings."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from rel_support import (
    FORM_ID,
    check_ack_stored,
    load_many,
    make_site,
    pg_rows,
    postgres_server,
    start_endpoint,
)

from portal.storage import Storage, StorageError

CLIENTS, SECONDS = 10, 5


@pytest.mark.postgres
def test_two_instances_on_one_postgresql_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with postgres_server() as url:
        servers = [start_endpoint(site, url, tmp_path / f"endpoint-{i}.log") for i in (1, 2)]
        try:
            result = asyncio.run(load_many([s.url for s in servers], CLIENTS, SECONDS))
        finally:
            for server in servers:
                server.stop()
        rows = pg_rows(url)
    logs = "".join(s.log.read_text(errors="replace") for s in servers)
    stored = {sid: ref for form, sid, ref in rows if form == FORM_ID}
    assert result.requests > CLIENTS
    assert result.server_errors == 0 and result.transport_errors == 0, result.statuses
    assert set(result.statuses) == {303}
    assert check_ack_stored(result, stored) == []  # 0 lost
    assert len(rows) == len(stored) == len(result.acknowledged)  # 0 duplicated, no extra
    assert max(Counter(sid for _f, sid, _r in rows).values()) == 1
    assert "127.0.0.1" not in logs


@pytest.mark.postgres
@pytest.mark.parametrize("setting", ["fsync", "synchronous_commit"])
def test_postgresql_without_durability_is_refused(setting: str) -> None:
    with postgres_server() as url:
        engine = sa.create_engine(
            "postgresql+psycopg://" + url.split("://", 1)[1], isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            conn.execute(sa.text(f"ALTER SYSTEM SET {setting} = off"))
            conn.execute(sa.text("SELECT pg_reload_conf()"))
        engine.dispose()
        storage = Storage(url)
        try:
            with pytest.raises(StorageError, match=setting):
                storage.create()
        finally:
            storage.dispose()
