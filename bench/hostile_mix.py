"""Issue 20, finding 3 (long form): hostile submission ids mixed into normal load on a real
PostgreSQL, as the outside probe did; counts how many normal respondents were refused.

    .venv/bin/python bench/hostile_mix.py [--clients 20] [--seconds 10]

Before the fix (ids matched with ``$``, one failed row failing its whole group commit) the
probe saw 96 of 406 other respondents get 503 in 10 s. Appends its figures to
bench/results/reliability.md. 127.0.0.1 only; bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reliability")]

from rel_support import (  # noqa: E402
    LoadResult,
    load,
    machine,
    make_site,
    postgres_server,
    record,
    start_endpoint,
)
from test_rel_hardening import _hostile  # noqa: E402


async def mixed(url: str, clients: int, seconds: float) -> tuple[LoadResult, list[int]]:
    hostile: list[int] = []
    normal, _ = await asyncio.gather(
        load(url, clients, seconds, 10**6), _hostile(url, seconds, hostile)
    )
    return normal, hostile


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = make_site(folder)
        with postgres_server() as url:
            server = start_endpoint(site, url, folder / "endpoint.log")
            try:
                normal, hostile = asyncio.run(mixed(server.url, args.clients, args.seconds))
            finally:
                server.stop()
    m = machine()
    refused = normal.server_errors
    lines = [
        f"\n## Hostile submission ids mixed into load on PostgreSQL ({m['date']})\n",
        f"- machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}",
        f"- command: `.venv/bin/python bench/hostile_mix.py --clients {args.clients} "
        f"--seconds {args.seconds:g}`",
        f"- normal posts: {normal.requests} (statuses {dict(normal.statuses)}); "
        f"refused with 5xx: {refused}",
        f"- hostile posts: {len(hostile)} (statuses {sorted(set(hostile))})",
    ]
    record(lines)
    return 0 if refused == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
