"""Issue 7, item 11 (long form): two ``portal endpoint`` instances on one real PostgreSQL
server under load, then every acknowledged response looked up: 0 lost, 0 duplicated.

    .venv/bin/python bench/endpoint_postgres.py [--clients 50] [--seconds 60]

Starts Debian's PostgreSQL as the postgres user in a temporary folder on a free port, and
stops it at the end. Appends its figures to bench/results/reliability.md. 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reliability")]

from rel_support import (  # noqa: E402
    FORM_ID,
    check_ack_stored,
    load_many,
    machine,
    make_site,
    pg_rows,
    postgres_server,
    record,
    start_endpoint,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = make_site(folder)
        with postgres_server() as url:
            servers = [start_endpoint(site, url, folder / f"endpoint-{i}.log") for i in (1, 2)]
            try:
                result = asyncio.run(
                    load_many([s.url for s in servers], args.clients, args.seconds)
                )
            finally:
                for server in servers:
                    server.stop()
            rows = pg_rows(url)
    stored = {sid: ref for form, sid, ref in rows if form == FORM_ID}
    lost = check_ack_stored(result, stored)
    duplicated = sum(n - 1 for n in Counter(sid for _f, sid, _r in rows).values())
    m = machine()
    lines = [
        f"\n## Two instances on one PostgreSQL: {args.clients} clients × {args.seconds:g} s "
        f"({m['date']})\n",
        f"- machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}",
        f"- command: `.venv/bin/python bench/endpoint_postgres.py --clients {args.clients} "
        f"--seconds {args.seconds:g}`",
        f"- requests: {result.requests}; statuses: {dict(result.statuses)}; "
        f"throughput: {result.requests / args.seconds:.0f} posts/s",
        f"- server errors: {result.server_errors}; transport errors: {result.transport_errors}",
        f"- acknowledged: {len(result.acknowledged)}; rows stored: {len(rows)}; "
        f"lost: {len(lost)}; duplicated: {duplicated}",
    ]
    record(lines)
    ok = not lost and not duplicated and result.server_errors == 0
    return 0 if ok and len(rows) == len(result.acknowledged) else 1


if __name__ == "__main__":
    sys.exit(main())
