"""Issue 20: what a probe from outside found, each through the real ``portal endpoint``
(or ``portal serve``) process over a real socket; PostgreSQL's cases on a real PostgreSQL.

Each test here failed on the main branch before the fix it names (see content/reliability.md).
Every wait is bounded; nothing asserts how long something took.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import sqlalchemy as sa
from rel_support import (
    FORM_HEADERS,
    FORM_ID,
    VALID,
    LoadResult,
    body,
    load,
    make_site,
    pg_rows,
    postgres_server,
    sqlite_rows,
    start_endpoint,
    submission_id,
)
from tests.support import FIXTURE_SITE, ROOT, Server, copy_site, endpoint_command, free_port

from portal import clock
from portal.storage import Storage, describe

URL = f"/responses/{FORM_ID}"
SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)
# A free-text answer that must never appear in a log.
MARKER = "Marker answer 7f3a: my neighbour at 12 Elm Road"


def with_marker() -> list[tuple[str, str]]:
    return [(k, MARKER if k == "views" else v) for k, v in VALID]


def assert_security_headers(headers: httpx.Headers | dict[str, str]) -> None:
    lower = {k.lower() for k in headers}
    missing = [h for h in SECURITY_HEADERS if h not in lower]
    assert not missing, f"missing security headers {missing} in {dict(headers)}"


def raw_exchange(port: int, data: bytes, *, chunk: int = 0, wait: float = 30) -> bytes:
    """Send ``data`` on a fresh socket (in chunks, if given) and read until closed."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=wait)
    received = b""
    try:
        try:
            if chunk:
                for start in range(0, len(data), chunk):
                    sock.sendall(data[start : start + chunk])
            else:
                sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused the rest: what it said is still to be read
        try:
            while part := sock.recv(65536):
                received += part
        except ConnectionResetError:
            pass
    finally:
        sock.close()
    return received


def parse_head(raw: bytes) -> tuple[int, dict[str, str]]:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def endpoint(site: Path, tmp_path: Path) -> Server:
    server = start_endpoint(
        site,
        f"sqlite:///{tmp_path / 'var' / 'responses.sqlite3'}",
        tmp_path / "endpoint.log",
        env={"PORTAL_HEADER_TIMEOUT": "1", "PORTAL_BODY_TIMEOUT": "1"},
    )
    yield server  # type: ignore[misc]
    server.stop()


def post(server: Server, fields: list[tuple[str, str]] | None = None) -> httpx.Response:
    return httpx.post(
        server.url + URL, content=body(submission_id(), fields), headers=FORM_HEADERS, timeout=30
    )


# -- 3. one client's submission id failed every other post in its batch (PostgreSQL) ------
HOSTILE_IDS = ["a" * 64 + "\n", "b" * 65, "c" * 16 + "\n", "d" * 200]


async def _hostile(url: str, seconds: float, statuses: list[int]) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        while time.monotonic() < deadline and len(statuses) < 400:
            for sid in HOSTILE_IDS:
                fields = [*with_marker(), ("submission_id", sid)]
                response = await http.post(URL, content=urlencode(fields), headers=FORM_HEADERS)
                statuses.append(response.status_code)


async def _mixed(url: str) -> tuple[LoadResult, list[int]]:
    hostile: list[int] = []
    normal, _ = await asyncio.gather(load(url, 8, 4, 200), _hostile(url, 4, hostile))
    return normal, hostile


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_hostile_submission_ids_fail_nobody_else(tmp_path: Path, site: Path, dialect: str) -> None:
    def run(url: str) -> tuple[LoadResult, list[int], str]:
        server = start_endpoint(site, url, tmp_path / "endpoint.log")
        try:
            normal, hostile = asyncio.run(_mixed(server.url))
            return normal, hostile, server.read_log()
        finally:
            server.stop()

    if dialect == "postgresql":
        with postgres_server() as pg:
            normal, hostile, log = run(pg)
            stored = pg_rows(pg)
    else:
        database = tmp_path / "r.sqlite3"
        normal, hostile, log = run(f"sqlite:///{database}")
        stored = sqlite_rows(database)
    assert normal.requests > 0 and hostile
    assert normal.server_errors == 0, (normal.statuses, log)
    assert set(normal.acknowledged) <= {sid for _, sid, _ in stored}
    # An id that is not one of ours is not matched, so the post gets a fresh one.
    assert set(hostile) == {303}, hostile
    assert all(len(sid) <= 64 and "\n" not in sid for _, sid, _ in stored)
    assert MARKER not in log


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_row_the_database_refuses_fails_only_itself(tmp_path: Path, dialect: str) -> None:
    """The group commit, with one row the database refuses among good ones."""

    def rows() -> list[dict[str, object]]:
        good = {"form_id": FORM_ID, "manifest_version": 1, "answers": {"views": MARKER}}
        bad = {**good, "form_id": None}  # NOT NULL, refused by both databases
        return [
            {**good, "submission_id": submission_id(), "received_at": _now()},
            {**bad, "submission_id": submission_id(), "received_at": _now()},
            {**good, "submission_id": submission_id(), "received_at": _now()},
        ]

    def run(url: str) -> list[object]:
        storage = Storage(url)
        storage.create()
        try:
            return storage.write_batch(rows())
        finally:
            storage.dispose()

    if dialect == "sqlite":
        results = run(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    else:
        with postgres_server() as pg:
            results = run(pg)
    assert isinstance(results[0], str) and isinstance(results[2], str)
    assert isinstance(results[1], Exception)
    # What the endpoint logs of it: PostgreSQL's DETAIL line quotes the row, so not that.
    assert MARKER not in describe(results[1])


def _now() -> object:

    return clock.now()


# -- 4. unbounded request heads, no header or body timeouts ------------------------------
def test_an_oversized_header_is_refused_before_it_is_read(endpoint: Server) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    raw = raw_exchange(endpoint.port, head + b"a" * (8 * 1024 * 1024), chunk=65536)
    status, headers = parse_head(raw)
    assert status == 431
    assert_security_headers(headers)
    # Also when the whole head arrives in one read.
    raw = raw_exchange(endpoint.port, head + b"a" * 20_000 + b"\r\n\r\n")
    assert parse_head(raw)[0] == 431
    assert httpx.get(endpoint.url + "/health").status_code == 200


def test_slow_heads_are_closed_and_the_endpoint_still_answers(endpoint: Server) -> None:
    sockets = []
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", endpoint.port), timeout=30)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    closed = 0
    deadline = time.monotonic() + 30  # a bound on waiting, far above the 1 s timeout
    try:
        for sock in sockets:
            while time.monotonic() < deadline:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")  # a byte now and then, never the end
                    sock.settimeout(0.5)
                    if sock.recv(1024) == b"":
                        closed += 1
                        break
                except TimeoutError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    closed += 1
                    break
    finally:
        for sock in sockets:
            sock.close()
    assert closed == 50
    assert httpx.get(endpoint.url + "/health").status_code == 200


def test_a_slow_body_is_answered_408_with_the_headers(endpoint: Server) -> None:
    head = (
        f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", endpoint.port), timeout=30)
    try:
        sock.sendall(head + b"name=Ann")  # and then nothing more
        raw = b""
        while part := sock.recv(65536):
            raw += part
    finally:
        sock.close()
    status, headers = parse_head(raw)
    assert status == 408
    assert_security_headers(headers)
    assert sqlite_rows(Path(endpoint.log.parent / "var" / "responses.sqlite3")) == []


# -- 5. /health said ok when responses could not be kept ---------------------------------
def test_a_deleted_database_is_unhealthy_and_posts_keep_their_answers(
    endpoint: Server, tmp_path: Path
) -> None:
    assert post(endpoint).status_code == 303
    shutil.rmtree(tmp_path / "var")
    health = httpx.get(endpoint.url + "/health")
    assert health.status_code == 503 and health.json()["database"] == "unavailable"
    refused = post(endpoint, with_marker())
    assert refused.status_code == 503
    assert MARKER in refused.text  # the form again, with every answer
    assert_security_headers(refused.headers)
    assert not (tmp_path / "var").exists()  # nothing was acknowledged into a new file
    assert MARKER not in endpoint.read_log()
    assert "was removed" in endpoint.read_log()


def test_a_read_only_sqlite_database_is_unhealthy(site: Path, tmp_path: Path) -> None:
    path = tmp_path / "responses.sqlite3"
    Storage(f"sqlite:///{path}").create()
    server = start_endpoint(
        site, f"sqlite:///file:{path}?mode=ro&uri=true", tmp_path / "endpoint.log", wait="/"
    )
    try:
        assert httpx.get(server.url + "/health").status_code == 503
        refused = post(server, with_marker())
        assert refused.status_code == 503 and MARKER in refused.text
        assert MARKER not in server.read_log()
    finally:
        server.stop()


@pytest.mark.postgres
def test_a_read_only_postgresql_is_unhealthy_and_logs_no_answers(
    site: Path, tmp_path: Path
) -> None:
    with postgres_server() as pg:
        server = start_endpoint(site, pg, tmp_path / "endpoint.log")
        try:
            assert httpx.get(server.url + "/health").status_code == 200
            engine = sa.create_engine(
                "postgresql+psycopg://" + pg.split("://", 1)[1], isolation_level="AUTOCOMMIT"
            )
            with engine.connect() as conn:
                conn.exec_driver_sql("ALTER SYSTEM SET default_transaction_read_only = on")
                conn.exec_driver_sql("SELECT pg_reload_conf()")
                # Connections already open keep their setting: end them, as a failover would.
                conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE pid <> pg_backend_pid() AND datname = current_database()"
                )
            engine.dispose()
            health = httpx.get(server.url + "/health")
            assert health.status_code == 503, health.text
            refused = post(server, with_marker())
            assert refused.status_code == 503 and MARKER in refused.text
            log = server.read_log()
        finally:
            server.stop()
    assert MARKER not in log
    assert "Traceback" not in log


def test_an_unreadable_manifest_is_unhealthy_and_posts_keep_their_answers(
    endpoint: Server, site: Path
) -> None:
    manifest = site / "api" / "forms" / f"{FORM_ID}.json"
    manifest.write_text(manifest.read_text(encoding="utf-8")[:100], encoding="utf-8")  # cut
    health = httpx.get(endpoint.url + "/health")
    assert health.status_code == 503 and health.json()["forms"] == "unreadable"
    refused = post(endpoint, with_marker())
    assert refused.status_code == 503
    assert_security_headers(refused.headers)
    # A page that sends the same answers again, since the form cannot be drawn.
    assert f'value="{MARKER}"' in refused.text.replace("&#39;", "'")
    assert 'name="submission_id"' in refused.text


# -- 6. portal serve believed X-Forwarded-For from 127.0.0.1 ------------------------------
def test_portal_serve_does_not_believe_forwarded_addresses(tmp_path: Path) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    port = free_port()
    server = Server(
        [
            sys.executable,
            "-m",
            "portal.cli",
            "--root",
            str(root),
            "serve",
            "--no-watch",
            "--port",
            str(port),
        ],
        port,
        tmp_path / "serve.log",
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'responses.sqlite3'}",
            "PORTAL_RATE_LIMIT": "2/minute",
            "PORTAL_NOW": "2027-01-15T12:00",  # the fixture's bus-lanes form is open
        },
    )
    try:
        server.wait("/health", seconds=120)
        statuses = [
            httpx.post(
                f"{server.url}/responses/bus-lanes",
                content="support=yes",
                headers={**FORM_HEADERS, "X-Forwarded-For": f"198.51.100.{i}"},
            ).status_code
            for i in range(4)
        ]
    finally:
        server.stop()
    assert statuses == [303, 303, 429, 429], statuses


# -- 7. multipart posts held to the urlencoded rules -------------------------------------
BOUNDARY = "portal-boundary"


def multipart(parts: list[bytes], closed: bool = True) -> bytes:
    out = b"".join(f"--{BOUNDARY}\r\n".encode() + p + b"\r\n" for p in parts)
    return out + (f"--{BOUNDARY}--\r\n".encode() if closed else b"")


def field(name: str, value: bytes, filename: str | None = None) -> bytes:
    extra = f'; filename="{filename}"' if filename else ""
    return f'Content-Disposition: form-data; name="{name}"{extra}\r\n\r\n'.encode() + value


@pytest.mark.parametrize(
    "case",
    ["file named after a question", "invalid UTF-8", "no closing boundary"],
)
def test_multipart_is_held_to_the_same_rules(endpoint: Server, tmp_path: Path, case: str) -> None:
    parts = [field(k, v.encode()) for k, v in VALID if k != "views"]
    parts.append(field("submission_id", submission_id().encode()))
    if case == "file named after a question":
        parts.append(field("views", b"file contents", filename="views.txt"))
    elif case == "invalid UTF-8":
        parts.append(field("views", "café au lait".encode("latin-1")))
    else:
        parts.append(field("views", b"fine"))
    content = multipart(parts, closed=case != "no closing boundary")
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    response = httpx.post(endpoint.url + URL, content=content, headers=headers)
    assert response.status_code == 400
    assert sqlite_rows(tmp_path / "var" / "responses.sqlite3") == []
    # The same body, well formed, is taken.
    good = [*parts[:-1], field("views", "café au lait".encode())]
    response = httpx.post(endpoint.url + URL, content=multipart(good), headers=headers)
    assert response.status_code == 303
    assert len(sqlite_rows(tmp_path / "var" / "responses.sqlite3")) == 1


def test_percent_encoded_invalid_utf8_is_unreadable_as_raw_is(
    endpoint: Server, tmp_path: Path
) -> None:
    for content in (
        body(submission_id()).encode() + b"&x=%FF",
        body(submission_id()).encode() + b"\xff",
    ):
        response = httpx.post(endpoint.url + URL, content=content, headers=FORM_HEADERS)
        assert response.status_code == 400
    assert sqlite_rows(tmp_path / "var" / "responses.sqlite3") == []


# -- 8. wrong export tokens were not limited ---------------------------------------------
def test_wrong_export_tokens_are_limited(site: Path, tmp_path: Path) -> None:
    server = start_endpoint(
        site,
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        tmp_path / "endpoint.log",
        env={"PORTAL_EXPORT_TOKEN": "right-token-" + "x" * 20},
    )
    try:
        with httpx.Client(base_url=server.url) as http:
            statuses = [
                http.get(
                    f"/exports/{FORM_ID}.zip", headers={"Authorization": f"Bearer guess-{i}"}
                ).status_code
                for i in range(30)
            ]
            last = http.get(f"/exports/{FORM_ID}.zip", headers={"Authorization": "Bearer x"})
    finally:
        server.stop()
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    assert int(last.headers["retry-after"]) > 0
    assert_security_headers(last.headers)


# -- 9. every answer with the security headers -------------------------------------------
def test_the_servers_own_400_carries_the_security_headers(endpoint: Server) -> None:
    raw = raw_exchange(endpoint.port, b"GET /health HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n")
    status, headers = parse_head(raw)
    assert status == 400
    assert_security_headers(headers)


def test_an_unexpected_error_is_a_500_with_the_headers_and_the_answers(
    site: Path, tmp_path: Path
) -> None:
    # A council's theme override whose form template is broken: drawing the form fails.
    # (A template it lacks altogether is taken from the engine's theme instead.)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "portal" / "forms.html").write_text("{{ no_such_value.here }}", encoding="utf-8")
    server = start_endpoint(
        site,
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        tmp_path / "log",
        env={"PORTAL_THEME_DIR": str(theme)},
    )
    try:
        wrong = [*(p for p in with_marker() if p[0] != "age"), ("age", "old")]
        response = post(server, wrong)  # a 422 would draw the form again
    finally:
        server.stop()
    assert response.status_code == 500
    assert_security_headers(response.headers)
    assert f'value="{MARKER}"' in response.text.replace("&#39;", "'")


def test_the_endpoint_refuses_to_start_on_a_manifest_it_cannot_read(
    site: Path, tmp_path: Path
) -> None:
    manifest = site / "api" / "forms" / f"{FORM_ID}.json"
    manifest.write_text('{"id": "bus-lanes", "manifest_version": 1}', encoding="utf-8")
    result = subprocess.run(
        endpoint_command(free_port()),
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PORTAL_SITE_DIR": str(site),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
        },
    )
    assert result.returncode == 2
    assert str(manifest) in result.stderr and "not a form manifest" in result.stderr
    assert "Traceback" not in result.stderr


# -- 10. log hygiene ---------------------------------------------------------------------
def test_a_client_that_leaves_mid_body_logs_no_traceback(endpoint: Server) -> None:
    head = (
        f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
    ).encode()
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", endpoint.port), timeout=10)
        sock.sendall(head + urlencode(with_marker()).encode()[:200])
        sock.close()
    time.sleep(0.5)  # let the server notice; then it must still answer, and quietly
    assert httpx.get(endpoint.url + "/health").status_code == 200
    log = endpoint.read_log()
    assert "Traceback" not in log
    assert "Marker" not in log


def test_asked_to_wait_a_respondent_keeps_every_answer(site: Path, tmp_path: Path) -> None:
    """Not one of the ten, but the same rule: no refusal loses what was typed (429)."""
    server = start_endpoint(
        site, f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path / "log", rate_limit="1/minute"
    )
    try:
        assert post(server).status_code == 303
        refused = post(server, with_marker())
    finally:
        server.stop()
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert MARKER in refused.text and "Wait" in refused.text
    assert_security_headers(refused.headers)


def test_every_json_refusal_carries_its_code(site: Path, tmp_path: Path) -> None:
    """Issue 14, item 7: scripts act on codes, never on the words (endpoint/codes.py)."""
    server = start_endpoint(
        site, f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path / "log", rate_limit="2/minute"
    )
    json_form = {**FORM_HEADERS, "accept": "application/json"}
    sent = {
        "not_found": ("/responses/no-such-form", body(submission_id()), json_form),
        "cross_site": (URL, body(submission_id()), {**json_form, "sec-fetch-site": "cross-site"}),
        "too_large": (URL, body(submission_id(), [("views", "x" * 200_000)]), json_form),
        "unreadable": (URL, b"\xff\xfe", json_form),
        "invalid": (URL, body(submission_id(), [("age", "old")]), json_form),
        "ok": (URL, body(submission_id()), json_form),  # the first of the two allowed
        "ok again": (URL, body(submission_id()), json_form),
        "rate_limited": (URL, body(submission_id()), json_form),
    }
    try:
        with httpx.Client(base_url=server.url) as http:
            answers = {
                code: http.post(path, content=content, headers=headers)
                for code, (path, content, headers) in sent.items()
            }
    finally:
        server.stop()
    assert answers.pop("ok").json()["ok"] and answers.pop("ok again").json()["ok"]
    assert {code: r.json()["code"] for code, r in answers.items()} == {c: c for c in answers}
    assert [r.status_code for r in answers.values()] == [404, 403, 413, 400, 422, 429]


def test_the_endpoint_says_why_it_cannot_reach_its_database(site: Path) -> None:
    result = subprocess.run(
        endpoint_command(free_port()),
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PORTAL_SITE_DIR": str(site),
            "DATABASE_URL": "postgresql://portal@127.0.0.1:1/responses",  # nothing listens
        },
    )
    assert result.returncode == 2
    assert "The endpoint did not start" in result.stderr and "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr
