"""Issue 7, item 2 (long form): SIGKILL a real ``portal endpoint`` under load at random
moments (count-based), restart, and check PRAGMA integrity_check and that no acknowledged
response is missing.

    .venv/bin/python bench/endpoint_faults.py [--kills 10]

The 10,000-case fuzzing run (item 5) is:
    PORTAL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/reliability/test_rel_fuzz.py
Appends its figures to bench/results/reliability.md. 127.0.0.1 only; bounded.
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
    integrity,
    kill_rounds,
    machine,
    make_site,
    record,
    sqlite_rows,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "var" / "responses.sqlite3"
        total = kill_rounds(
            make_site(folder), db, folder, args.kills, clients=args.clients, max_ack_before_kill=400
        )
        check = integrity(db)
        stored = {sid: ref for form, sid, ref in sqlite_rows(db) if form == FORM_ID}
        problems = check_ack_stored(total, stored)
    m = machine()
    unacked_stored = len(stored) - len(total.acknowledged)
    lines = [
        f"\n## Faults: {args.kills} × SIGKILL under load, {args.clients} clients, SQLite "
        f"({m['date']})\n",
        f"- machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}",
        f"- command: `.venv/bin/python bench/endpoint_faults.py --kills {args.kills} "
        f"--clients {args.clients}`",
        f"- requests answered: {total.requests}; statuses: {dict(total.statuses)}; "
        f"connections cut by the kills: {total.transport_errors}",
        f"- PRAGMA integrity_check: {check}",
        f"- acknowledged: {len(total.acknowledged)}; rows stored: {len(stored)} "
        f"({unacked_stored} stored but cut before the answer reached the client); "
        f"problems: {problems or 'none'}",
    ]
    record(lines)
    return 0 if check == "ok" and not problems and total.server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
