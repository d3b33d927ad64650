"""Issue 7, item 1 (long form): N clients for S seconds against a real ``portal endpoint``
(SQLite, 2 workers), then every acknowledged response looked up in the database.

    .venv/bin/python bench/endpoint_load.py [--clients 50] [--seconds 60]

Appends its figures to bench/results/reliability.md. 127.0.0.1 only; bounded in time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reliability")]

from rel_support import (  # noqa: E402
    FORM_ID,
    check_ack_stored,
    machine,
    make_site,
    record,
    run_load,
    sqlite_rows,
    start_endpoint,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "var" / "responses.sqlite3"
        server = start_endpoint(
            make_site(folder), f"sqlite:///{db}", folder / "log", workers=args.workers
        )
        try:
            result = run_load(server.url, args.clients, args.seconds, max_requests=10**6)
        finally:
            server.stop()
        log = (folder / "log").read_text(errors="replace")
        stored = {sid: ref for form, sid, ref in sqlite_rows(db) if form == FORM_ID}
        problems = check_ack_stored(result, stored)
        locked = log.count("database is locked")
    m = machine()
    lines = [
        f"\n## Load: {args.clients} clients × {args.seconds:g} s, SQLite, "
        f"{args.workers} workers ({m['date']})\n",
        f"- machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}",
        f"- command: `.venv/bin/python bench/endpoint_load.py --clients {args.clients} "
        f"--seconds {args.seconds:g} --workers {args.workers}`",
        f"- requests: {result.requests}; statuses: {dict(result.statuses)}; "
        f"throughput: {result.requests / args.seconds:.0f} posts/s",
        f"- server errors: {result.server_errors}; transport errors: "
        f"{result.transport_errors}; 'database is locked' in log: {locked}",
        f"- acknowledged: {len(result.acknowledged)}; rows stored: {len(stored)}; "
        f"problems: {problems or 'none'}",
    ]
    record(lines)
    ok = (
        not problems
        and result.server_errors == 0
        and locked == 0
        and len(stored) == len(result.acknowledged)
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
