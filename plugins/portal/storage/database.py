"""Responses in SQLite (default, one file) or PostgreSQL (several endpoint instances).

SQLAlchemy Core, one table. SQLite runs in WAL mode with ``synchronous=FULL``, so a response
acknowledged to the respondent survives a power cut, and with a busy timeout so concurrent
writers wait instead of failing. No IP address or other request data is stored: only the
form, the answers, when they came and the reference given to the respondent.
"""

from __future__ import annotations

import logging
import os
import secrets
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError

from portal import clock
from portal.storage.writer import Writer

if TYPE_CHECKING:
    from portal.storage.outbox import Pending

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
    # The version of the form's questions the respondent answered (portal.forms.versions),
    # so exports read each response with its own version. Null for rows stored before
    # versions were recorded: they are read against the current form, and any answer it
    # does not know stops the export.
    Column("form_version", String(64), nullable=True),
    # The language of the page the response was given on (issue 21), one the form has words
    # in: answers are stored by option value, so they count alike in every language, and
    # this says in which words the respondent read the questions. Null for rows stored
    # before languages were recorded (added to older tables by _add_missing_columns).
    Column("language", String(35), nullable=True),
)

# No 0/O, 1/I/L or U: a reference is read out over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BUSY_TIMEOUT_MS = 10_000
# The key of a row's outbox message in the writer's rows: not a column of the table.
MESSAGE = "_message"
log = logging.getLogger("portal.endpoint")


def new_reference() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PR-{chars[:4]}-{chars[4:]}"


def configured_url(root: Path) -> str:
    """DATABASE_URL, or the portal's own var/responses.sqlite3 (what the endpoint uses)."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{root / 'var' / 'responses.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")
    # Deleted and cleared values (a purged answer, a sent copy's address) are overwritten on
    # disk, not left in the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


class StorageError(RuntimeError):
    """The database is not set up as durability requires, or cannot take a response now."""


def describe(error: BaseException) -> str:
    """What went wrong, for the log, without the values: no answers in the log.

    SQLAlchemy's message has the statement (parameters hidden, see ``hide_parameters``);
    PostgreSQL's DETAIL line can quote a value, so only its primary message is kept.
    """
    original = getattr(error, "orig", None) or error
    diag = getattr(original, "diag", None)
    message = getattr(diag, "message_primary", None) or str(original).split("\n", 1)[0]
    return f"{type(original).__name__}: {message}"


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _queue(conn: Connection, message: Pending, submission_id: str, reference: str) -> None:
    """Queue a response's message in its transaction. A resubmission has the same event
    key, so it queues nothing a second time (portal.storage.outbox.enqueue); the text is
    written from the answers as stored, which a resubmission does not change."""
    from portal.storage.outbox import enqueue

    stored = conn.execute(
        select(responses.c.answers).where(responses.c.submission_id == submission_id)
    ).scalar()
    try:
        subject, body = message.compose(reference, dict(stored or {}))
    except Exception as error:  # a fault in the text must not cost the response itself
        # The type only: a message could quote an answer.
        log.error(
            "the %s message for a response could not be written: %s",
            message.kind,
            type(error).__name__,
        )
        return
    enqueue(
        conn, message.event_key, message.kind, message.form_id, message.recipient, subject, body
    )


def _row_error(error: Exception) -> bool:
    """An error that may be one row's fault, not the database's: worth trying each alone."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return False  # the server or the file is unavailable: every row would fail alike
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return False
    return isinstance(error, StatementError)


class Storage:
    def __init__(self, url: str, *, make_folder: bool = True) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            # psycopg 3 is the driver we ship; SQLAlchemy's bare default is psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        # The file whose identity is checked before every write (None: not a file).
        self.path: Path | None = None
        self.identity: tuple[int, int] | None = None
        # hide_parameters: an error's message never carries a respondent's answers.
        if self.is_sqlite:
            database = url.split("///", 1)[-1].split("?", 1)[0]
            if database and database != ":memory:" and not database.startswith("file:"):
                self.path = Path(database).absolute()
                if make_folder:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                hide_parameters=True,
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
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
        self._add_missing_columns()
        if self.path is not None:
            self.identity = _file_identity(self.path)

    @classmethod
    def existing(cls, url: str) -> Storage:
        """The responses database at ``url`` if it is there, never a new empty one.

        For staff commands: a typo in DATABASE_URL must be an error, not an empty database
        that exports nothing and publishes "0 respondents". SQLite would create a missing
        file on connecting, so the file is looked for first; a server's database must hold
        the responses table.
        """
        storage = cls(url, make_folder=False)
        if storage.path is not None and not storage.path.is_file():
            raise StorageError(
                f"there is no responses database at {storage.path}; check DATABASE_URL "
                "(or run the command from the portal's folder, whose var/ holds the default)"
            )
        try:
            found = inspect(storage.engine).has_table(responses.name)
        except Exception as error:  # cannot connect: say where and why, without secrets
            storage.engine.dispose()
            raise StorageError(f"cannot open {storage.where}: {describe(error)}") from None
        if not found:
            storage.engine.dispose()
            raise StorageError(
                f"{storage.where} has no '{responses.name}' table: it is not the endpoint's "
                "database; check DATABASE_URL"
            )
        # Tables a later release added (the staff area's, the outbox) are made here too, so
        # a database from an earlier release works with every command.
        metadata.create_all(storage.engine)
        storage._add_missing_columns()
        return storage

    @property
    def where(self) -> str:
        """The database, as staff can find it: the file, or the server without password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    def _add_missing_columns(self) -> None:
        """Bring a table made by an earlier version up to this one, keeping every row.

        Only nullable columns are ever added, so ALTER TABLE ADD COLUMN is all it takes in
        both SQLite and PostgreSQL, and an older endpoint can still write to the table.
        """
        from portal.storage.alerts import alert_subscriptions  # it imports this module

        inspector = inspect(self.engine)
        with self.engine.begin() as conn:
            for table in (responses, alert_subscriptions):
                have = {c["name"] for c in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name in have:
                        continue
                    kind = column.type.compile(dialect=self.engine.dialect)
                    # Several PostgreSQL endpoint instances may start at once: only one adds.
                    guard = "" if self.is_sqlite else "IF NOT EXISTS "
                    add = f"ADD COLUMN {guard}{column.name} {kind}"
                    conn.execute(text(f"ALTER TABLE {table.name} {add}"))

    def file_problem(self) -> str | None:
        """Why the SQLite file in use is no longer the one on disk, if it is not.

        A deleted or replaced file stays open: SQLite would go on committing into the
        unlinked one, and every response acknowledged then is lost at the next restart.
        """
        if self.path is None or self.identity is None:
            return None
        now = _file_identity(self.path)
        if now == self.identity:
            return None
        what = "removed" if now is None else "replaced"
        return (
            f"the database file {self.path} was {what} while the endpoint was running; "
            "restore it, or restart the endpoint to use the file now there"
        )

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

    def check(self) -> str | None:
        """None if a response could be stored now, else why not.

        A write that is rolled back: a read-only file or server, a full disk's refusal to
        start a transaction, a missing table, all show, as a SELECT would not show them.
        """
        problem = self.file_problem()
        if problem:
            return problem
        probe = {
            "form_id": "_health",
            "submission_id": f"_health-{secrets.token_hex(8)}",
            "reference": "_health",
            "received_at": datetime.now(UTC),
            "manifest_version": 0,
            "answers": {},
        }
        try:
            with self.engine.connect() as conn:
                transaction = conn.begin()
                try:
                    conn.execute(insert(responses), probe)
                finally:
                    transaction.rollback()
        except Exception as error:  # whatever the database says, it cannot take a write
            return f"the database cannot take a write: {describe(error)}"
        return None

    def store(
        self,
        form_id: str,
        submission_id: str,
        answers: dict[str, Any],
        manifest_version: int,
        form_version: str | None = None,
        message: Pending | None = None,
        *,
        language: str | None = None,
    ) -> str:
        """Store once per submission id and return its reference (the first one, if seen).

        Returns only after the row is committed: the caller shows success only then.
        """
        return str(
            self.submit(
                form_id,
                submission_id,
                answers,
                manifest_version,
                form_version,
                message,
                language=language,
            ).result()
        )

    def submit(
        self,
        form_id: str,
        submission_id: str,
        answers: dict[str, Any],
        manifest_version: int,
        form_version: str | None = None,
        message: Pending | None = None,
        *,
        language: str | None = None,
    ) -> Future[Any]:
        """``store`` without blocking: the future resolves once the row is committed.

        ``message`` (an email to send because of this response, such as the copy of its
        answers) is queued in the outbox in the same transaction as the row: both or
        neither, so a copy is never lost and never sent for a response that was not kept.
        """
        row: dict[str, Any] = {
            "form_id": form_id,
            "submission_id": submission_id,
            "received_at": clock.now(),
            "manifest_version": manifest_version,
            "form_version": form_version,
            "answers": answers,
            "language": language,
        }
        if message is not None:
            row[MESSAGE] = message
        return self.writer.submit(row)

    def write_batch(self, rows: list[dict[str, Any]]) -> list[Any]:
        """Insert rows in one transaction; each result is its reference or its error.

        A submission id seen before keeps its first reference (idempotent resubmission);
        a reference that collides (1 in 6.5e11) is drawn again.
        """
        problem = self.file_problem()
        if problem:
            raise StorageError(problem)
        try:
            return self._write_together(rows)
        except Exception as error:
            if len(rows) == 1 or not _row_error(error):
                raise
            # One row the database refuses must not fail everyone else's response: store
            # each on its own, so only that row's request hears of the failure.
            log.warning(
                "a batch of %d responses failed (%s); storing each on its own",
                len(rows),
                describe(error),
            )
        results: list[Any] = []
        for row in rows:
            try:
                results.extend(self._write_together([row]))
            except Exception as error:
                results.append(error)
        return results

    def _write_together(self, rows: list[dict[str, Any]]) -> list[Any]:
        results: dict[int, Any] = {}
        pending = list(range(len(rows)))
        for _ in range(5):
            drawn = {i: new_reference() for i in pending}
            with self.engine.begin() as conn:
                for i in pending:
                    values = {k: v for k, v in rows[i].items() if k != MESSAGE}
                    conn.execute(self._insert_once, {**values, "reference": drawn[i]})
                ids = [rows[i]["submission_id"] for i in pending]
                found = {
                    sid: (form, ref)
                    for sid, form, ref in conn.execute(
                        select(
                            responses.c.submission_id, responses.c.form_id, responses.c.reference
                        ).where(responses.c.submission_id.in_(ids))
                    )
                }
                for i in pending:
                    stored = found.get(rows[i]["submission_id"])
                    message = rows[i].get(MESSAGE)
                    if message is not None and stored is not None and stored[0] == message.form_id:
                        _queue(conn, message, rows[i]["submission_id"], str(stored[1]))
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
