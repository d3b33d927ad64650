"""Shared by the reliability tests and the bench scripts: a built form site, a real
``portal endpoint`` process, and an asyncio httpx load generator that records every
acknowledged submission.

Everything talks to 127.0.0.1 only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import signal
import sqlite3
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
for extra in (TESTS / "endpoint", TESTS / "forms"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from endpoint_site import PAGE, SITE_NAME, Client, make_client, settings_for, write_form  # noqa: E402
from form_sample import THEME_DIR, VALID, sample_manifest  # noqa: E402
from pg import postgres_server  # noqa: E402
from tests.support import ROOT, Server, endpoint_command, free_port  # noqa: E402

from portal import clock  # noqa: E402

FORM_ID = "bus-lanes"
__all__ = [
    "FORM_ID",
    "THEME_DIR",
    "VALID",
    "Client",
    "LoadResult",
    "make_client",
    "make_site",
    "postgres_server",
    "run_load",
    "settings_for",
    "sqlite_rows",
    "start_endpoint",
    "submission_id",
]


def make_site(folder: Path) -> Path:
    """A built site holding one open form with a question of every type, and the shell."""
    site = folder / "site"
    now = clock.now()
    write_form(
        site, sample_manifest(opens=now - timedelta(days=1), closes=now + timedelta(days=365))
    )
    shell = site / "_portal" / "page" / "index.html"
    shell.parent.mkdir(parents=True, exist_ok=True)
    shell.write_text(
        PAGE.format(title="Your response", site=SITE_NAME, content="<!--portal:slot-->"),
        encoding="utf-8",
    )
    return site


def start_endpoint(
    site: Path,
    database_url: str,
    log: Path,
    *,
    workers: int = 1,
    rate_limit: str = "1000000/minute",
    env: dict[str, str] | None = None,
    port: int | None = None,
    wait: str = "/health",
) -> Server:
    """The real ``portal endpoint`` command (uvicorn, uvloop, httptools) on 127.0.0.1."""
    port = port or free_port()
    server_env = {
        "PORTAL_SITE_DIR": str(site),
        "PORTAL_THEME_DIR": str(THEME_DIR),
        "DATABASE_URL": database_url,
        "PORTAL_RATE_LIMIT": rate_limit,
        **(env or {}),
    }
    args = endpoint_command(port, workers)
    server = Server(args, port, log, server_env)
    try:
        server.wait(wait)
    except BaseException:
        server.stop()  # one that never answered must not outlive the test
        raise
    return server


FORM_HEADERS = {"content-type": "application/x-www-form-urlencoded"}


def body(sid: str, fields: list[tuple[str, str]] | None = None) -> str:
    return urlencode([*(VALID if fields is None else fields), ("submission_id", sid)])


def submission_id() -> str:
    return "load-" + secrets.token_urlsafe(18)


@dataclass
class LoadResult:
    statuses: Counter[int] = field(default_factory=Counter)
    acknowledged: dict[str, str] = field(default_factory=dict)  # submission id -> reference
    attempted: set[str] = field(default_factory=set)  # every id sent, answered or not
    transport_errors: int = 0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


async def _client(
    url: str, deadline: float, max_requests: int, result: LoadResult, stop: asyncio.Event
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        for _ in range(max_requests):
            if stop.is_set() or time.monotonic() >= deadline:
                return
            sid = submission_id()
            result.attempted.add(sid)
            try:
                response = await http.post(
                    f"/responses/{FORM_ID}", content=body(sid), headers=FORM_HEADERS
                )
            except httpx.HTTPError:
                # The server went away (fault tests): this one was never acknowledged.
                result.transport_errors += 1
                if stop.is_set():
                    return
                await asyncio.sleep(0.05)
                continue
            result.statuses[response.status_code] += 1
            if response.status_code == 303:
                reference = response.headers["location"].split("#")[0].rsplit("/", 1)[-1]
                result.acknowledged[sid] = reference


async def load(
    url: str,
    clients: int,
    seconds: float,
    max_requests: int = 100_000,
    stop: asyncio.Event | None = None,
    result: LoadResult | None = None,
) -> LoadResult:
    """``clients`` concurrent clients, each posting valid responses with unique ids."""
    result = result if result is not None else LoadResult()
    stop = stop or asyncio.Event()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_client(url, deadline, max_requests, result, stop) for _ in range(clients))
    )
    return result


def run_load(url: str, clients: int, seconds: float, max_requests: int = 100_000) -> LoadResult:
    return asyncio.run(load(url, clients, seconds, max_requests))


def sqlite_rows(db_path: Path) -> list[tuple[str, str, str]]:
    """(form_id, submission_id, reference) of every stored row, read with plain sqlite3."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT form_id, submission_id, reference FROM responses")
        return [tuple(r) for r in rows]  # type: ignore[misc]


def pg_rows(url: str) -> list[tuple[str, str, str]]:
    """(form, submission id, reference) of every stored row in a PostgreSQL database."""
    import sqlalchemy as sa

    engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    try:
        with engine.connect() as conn:
            result = conn.execute(
                sa.text("SELECT form_id, submission_id, reference FROM responses")
            )
            return [(str(f), str(s), str(r)) for f, s, r in result]
    finally:
        engine.dispose()


async def load_many(urls: list[str], clients: int, seconds: float) -> LoadResult:
    """``clients`` split across several endpoint instances, counted together."""
    result = LoadResult()
    share = max(1, clients // len(urls))
    await asyncio.gather(*(load(u, share, seconds, 10**6, result=result) for u in urls))
    return result


def integrity(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def check_ack_stored(result: LoadResult, stored: dict[str, str]) -> list[str]:
    """Problems: acknowledged ids missing, references differing, rows never attempted."""
    problems = []
    missing = [sid for sid in result.acknowledged if sid not in stored]
    if missing:
        problems.append(f"{len(missing)} acknowledged responses missing, e.g. {missing[:3]}")
    wrong = [
        sid for sid, ref in result.acknowledged.items() if sid in stored and stored[sid] != ref
    ]
    if wrong:
        problems.append(f"{len(wrong)} stored with another reference than acknowledged")
    extra = [sid for sid in stored if sid not in result.attempted]
    if extra:
        problems.append(f"{len(extra)} rows nobody sent")
    return problems


RESULTS = ROOT / "bench" / "results" / "reliability.md"


def record(lines: list[str]) -> None:
    """Append a long run's figures to bench/results/reliability.md and show them."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def machine() -> dict[str, Any]:
    import os
    import platform

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),  # the real date of a run
    }


def _load_in_thread(
    url: str,
    clients: int,
    seconds: float,
    max_requests: int,
    stop: asyncio.Event,
    result: LoadResult,
) -> threading.Thread:
    def run() -> None:
        asyncio.run(load(url, clients, seconds, max_requests, stop=stop, result=result))

    runner = threading.Thread(target=run)
    runner.start()
    return runner


def kill_rounds(
    site: Path,
    db: Path,
    folder: Path,
    kills: int,
    *,
    clients: int = 8,
    seed: int = 7,
    max_ack_before_kill: int = 120,
) -> LoadResult:
    """``kills`` rounds of: start the endpoint, load it, SIGKILL it after a random number
    of acknowledged responses (count-based), restart. Each round at most 400 posts per
    client and 30 s."""
    rng = random.Random(seed)
    total = LoadResult()
    for kill in range(kills):
        server = start_endpoint(site, f"sqlite:///{db}", folder / f"endpoint-{kill}.log")
        stop = asyncio.Event()
        runner = _load_in_thread(server.url, clients, 30, 400, stop, total)
        target = len(total.acknowledged) + rng.randint(5, max_ack_before_kill)
        while runner.is_alive() and len(total.acknowledged) < target:
            runner.join(0.002)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()  # clients see the connection refused and stop
        runner.join(60)
        server.stop()
        if runner.is_alive():
            raise AssertionError("load generator did not stop")
    # Restart once more: the database opens and the endpoint is healthy again.
    start_endpoint(site, f"sqlite:///{db}", folder / "endpoint-final.log").stop()
    return total
