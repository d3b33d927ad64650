"""Responses in SQLite (default, one file) or PostgreSQL (several endpoint instances).

SQLAlchemy Core, one table. SQLite runs in WAL mode with ``synchronous=FULL``, so a response
acknowledged to the respondent survives a power cut, and with a busy timeout so concurrent
writers wait instead of failing. No IP address or other request data is stored: only the
form, the answers, when they came and the reference given to the respondent.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.endpoint.writer import Writer

metadata = MetaData()
responses = Table(
    "responses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("form_id", String(64), nullable=False, index=True),
    # Unique: a resubmission (double click, back button) cannot make a second row.
    Column("submission_id", String(64), nullable=False, unique=True),
    Column("reference", String(16), nullable=False, unique=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("manifest_version", Integer, nullable=False),
    Column("answers", JSON, nullable=False),
)

# No 0/O, 1/I/L or U: a reference is read out over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BUSY_TIMEOUT_MS = 10_000


def new_reference() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PR-{chars[:4]}-{chars[4:]}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


class StorageError(RuntimeError):
    """The database is not set up as durability requires."""


class Storage:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            # psycopg 3 is the driver we ship; SQLAlchemy's bare default is psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        if self.is_sqlite:
            database = url.split("///", 1)[-1]
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        # Insert unless the submission id (or, rarely, the reference) is already there.
        dialect_insert = sqlite_insert if self.is_sqlite else postgresql_insert
        self._insert_once = dialect_insert(responses).on_conflict_do_nothing()
        self.writer = Writer(self.write_batch)

    def create(self) -> None:
        """Create the schema and check durability settings; run once before workers start."""
        if self.is_sqlite:
            with self.engine.connect() as conn:
                mode = conn.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
                sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
                busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            if str(mode).lower() != "wal" or sync != 2 or not busy:
                raise StorageError(
                    f"SQLite at {self.url} is not durable: journal_mode={mode}, "
                    f"synchronous={sync}, busy_timeout={busy}; "
                    "expected wal, 2 (FULL) and a timeout"
                )
        else:
            self._check_postgresql()
        metadata.create_all(self.engine)

    def _check_postgresql(self) -> None:
        """Refuse a server that may lose a committed response in a crash."""
        with self.engine.connect() as conn:
            for setting in ("fsync", "synchronous_commit"):
                value = str(conn.exec_driver_sql(f"SHOW {setting}").scalar()).lower()
                if value == "off":
                    raise StorageError(
                        f"PostgreSQL at {self.engine.url.render_as_string(hide_password=True)} "
                        f"is not durable: {setting}=off; set {setting} = on in postgresql.conf "
                        "(or for this database) so an acknowledged response survives a crash"
                    )

    def check(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1

    def store(
        self, form_id: str, submission_id: str, answers: dict[str, Any], manifest_version: int
    ) -> str:
        """Store once per submission id and return its reference (the first one, if seen).

        Returns only after the row is committed: the caller shows success only then.
        """
        return str(self.submit(form_id, submission_id, answers, manifest_version).result())

    def submit(
        self, form_id: str, submission_id: str, answers: dict[str, Any], manifest_version: int
    ) -> Future[Any]:
        """``store`` without blocking: the future resolves once the row is committed."""
        return self.writer.submit(
            {
                "form_id": form_id,
                "submission_id": submission_id,
                "received_at": datetime.now(UTC),
                "manifest_version": manifest_version,
                "answers": answers,
            }
        )

    def write_batch(self, rows: list[dict[str, Any]]) -> list[Any]:
        """Insert rows in one transaction; each result is its reference or its error.

        A submission id seen before keeps its first reference (idempotent resubmission);
        a reference that collides (1 in 6.5e11) is drawn again.
        """
        results: dict[int, Any] = {}
        pending = list(range(len(rows)))
        for _ in range(5):
            drawn = {i: new_reference() for i in pending}
            with self.engine.begin() as conn:
                for i in pending:
                    conn.execute(self._insert_once, {**rows[i], "reference": drawn[i]})
                ids = [rows[i]["submission_id"] for i in pending]
                found = {
                    sid: (form, ref)
                    for sid, form, ref in conn.execute(
                        select(
                            responses.c.submission_id, responses.c.form_id, responses.c.reference
                        ).where(responses.c.submission_id.in_(ids))
                    )
                }
            retry = []
            for i in pending:
                stored = found.get(rows[i]["submission_id"])
                if stored is None:
                    retry.append(i)  # its reference collided with another row's
                elif stored[0] != rows[i]["form_id"]:
                    results[i] = ValueError("submission id belongs to another form")
                else:
                    results[i] = str(stored[1])
            pending = retry
            if not pending:
                break
        for i in pending:
            results[i] = StorageError("could not draw a free reference")
        return [results[i] for i in range(len(rows))]

    def has_reference(self, form_id: str, reference: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(responses.c.id).where(
                    responses.c.form_id == form_id, responses.c.reference == reference
                )
            ).first()
        return found is not None

    def rows(self, form_id: str | None = None) -> list[dict[str, Any]]:
        query = select(responses).order_by(responses.c.id)
        if form_id is not None:
            query = query.where(responses.c.form_id == form_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(responses)).scalar() or 0)

    def dispose(self) -> None:
        self.writer.stop()
        self.engine.dispose()
