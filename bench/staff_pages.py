"""Benchmark: the staff pages with 1,000, 10,000 and 100,000 responses to one form.

Builds the demo portal once (PORTAL_NOW pinned), then for each size fills a fresh SQLite
file with generated responses to the smart-parking form, inserted in bulk in the shape the
endpoint stores them (Storage.write_batch's rows: form id, submission id, reference,
received_at in UTC, manifest and form versions, answers as JSON), adds a staff account
with the real ``portal staff add``, starts the real endpoint (tests/serve_built.py), signs
in over HTTP and times, as the median of several requests after one warm-up: the
dashboard, the form's summary page, the first page of the list, a search of the written
answers (a common word and a rare one), a deep page of the list and the watching script's
JSON count.

    .venv/bin/python bench/staff_pages.py                         # 1,000 / 10,000 / 100,000
    .venv/bin/python bench/staff_pages.py --sizes 500 --out -     # smoke run, print only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests.support import Server, free_port, portal  # noqa: E402

from build_scale import machine  # noqa: E402  (bench/ is not a package)
from portal.storage import Storage, responses  # noqa: E402
from portal.storage.database import ALPHABET  # noqa: E402

PORTAL = [sys.executable, "-m", "portal.cli", "--root", str(ROOT)]
RESULTS = ROOT / "bench" / "results" / "staff-pages.md"
FORM = "smart-parking-sensors"
NOW = "2026-12-01T12:00:00+00:00"
EMAIL = "bench@council.example"
PASSWORD = "a long bench password for the staff area"
SECRET = "bench-secret-" + "0123456789abcdef" * 3
COMMON, RARE = "surveillance", "zebra"
WORDS = [
    *("parking", "sensors", "town", "centre", "bays", "drivers", "space", "delivery"),
    *("loading", "data", "council", "privacy", "cost", "money", "buses", "shops"),
    *("residents", "street", "signs", "map", "phone", "permit", "evening", "weekend"),
]


def answers(rng: random.Random, manifest: dict[str, Any]) -> dict[str, Any]:
    """One plausible response: every question answered in its stored shape, or left empty."""
    out: dict[str, Any] = {}
    for q in manifest["questions"]:
        kind, values = q["type"], [o["value"] for o in q.get("options") or []]
        if kind in ("radio", "select", "scale"):
            out[q["id"]] = rng.choice(values) if q["required"] or rng.random() < 0.8 else None
        elif kind == "checkboxes":
            chosen = set(rng.sample(values, rng.randint(0, q.get("max_selected") or 3)))
            out[q["id"]] = [v for v in values if v in chosen]
        elif kind == "textarea":
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
            if rng.random() < 0.1:
                text += f" I am worried about {COMMON}."
            out[q["id"]] = text.capitalize() if rng.random() < 0.7 else None
        elif kind in ("text", "email"):
            personal = {"full_name": "Sam Example", "email": "sam@mail.example"}
            given = rng.random() < 0.3
            out[q["id"]] = personal.get(q["id"], "NB1 2AB") if given else None
        elif kind == "consent":
            out[q["id"]] = True if q["required"] else rng.random() < 0.6
    return out


def reference(rng: random.Random) -> str:
    chars = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"PR-{chars[:4]}-{chars[4:]}"


def fill(db: Path, manifest: dict[str, Any], count: int, seed: int = 16) -> float:
    """``count`` responses over the month before NOW, in batches; seconds taken."""
    rng = random.Random(seed)
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    start = time.perf_counter()
    end = datetime.fromisoformat(NOW).astimezone(UTC)
    span = timedelta(days=29).total_seconds()
    seen: set[str] = set()
    batch: list[dict[str, Any]] = []
    moments = sorted(end - timedelta(seconds=rng.random() * span) for _ in range(count))
    with storage.engine.begin() as conn:
        for n, moment in enumerate(moments):
            ref = reference(rng)
            while ref in seen:
                ref = reference(rng)
            seen.add(ref)
            batch.append(
                {
                    "form_id": FORM,
                    "submission_id": f"bench-{n:08d}-{rng.getrandbits(64):016x}",
                    "reference": ref,
                    "received_at": moment,
                    "manifest_version": manifest["manifest_version"],
                    "form_version": manifest["version"],
                    "answers": answers(rng, manifest),
                }
            )
            if len(batch) == 5000:
                conn.execute(insert(responses), batch)
                batch = []
        if batch:
            conn.execute(insert(responses), batch)
    with storage.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(responses)).scalar()
    storage.dispose()
    assert stored == count, (stored, count)
    return time.perf_counter() - start


def timed(client: httpx.Client, path: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds of ``repeat`` GETs after one warm-up; status and size."""
    warm = client.get(path)
    assert warm.status_code == 200, (path, warm.status_code, warm.text[:500])
    took = []
    for _ in range(repeat):
        start = time.perf_counter()
        reply = client.get(path)
        took.append((time.perf_counter() - start) * 1000)
        assert reply.status_code == 200, (path, reply.status_code)
    return statistics.median(took), warm.status_code, len(warm.content)


def measure(site: Path, work: Path, count: int, repeat: int) -> dict[str, Any]:
    manifest = json.loads((site / "api" / "forms" / f"{FORM}.json").read_text("utf-8"))
    db = work / f"responses-{count}.sqlite3"
    filled = fill(db, manifest, count)
    env = {"DATABASE_URL": f"sqlite:///{db}", "PORTAL_NOW": NOW}
    result = subprocess.run(
        [*PORTAL, "staff", "add", EMAIL, "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"portal staff add failed: {result.stderr}")
    port = free_port()
    server_env = {
        **env,
        "PORTAL_SITE_DIR": str(site),
        "PORTAL_THEME_DIR": str(ROOT / "theme"),
        "PORTAL_SECRET_KEY": SECRET,
    }
    server = Server(
        [sys.executable, "-m", "tests.serve_built", str(site), str(port)],
        port,
        work / f"server-{count}.log",
        server_env,
    )
    try:
        server.wait()
        with httpx.Client(base_url=server.url, timeout=120) as client:
            reply = client.post(
                "/staff/sign-in", data={"email": EMAIL, "password": PASSWORD, "next": "/staff/"}
            )
            assert reply.status_code == 303, reply.text[:500]
            oldest = client.get(f"/staff/forms/{FORM}/count.json").json()["newest"] - count + 1
            base = f"/staff/forms/{FORM}"
            paths = {
                "dashboard": "/staff/",
                "form summary": base,
                "list, first page": f"{base}/responses",
                f"search '{COMMON}' (~7%)": f"{base}/responses?search={COMMON}",
                f"search '{RARE}' (none)": f"{base}/responses?search={RARE}",
                "list, last page": f"{base}/responses?before={oldest + 20}",
                "count.json": f"{base}/count.json",
            }
            figures = {name: timed(client, path, repeat) for name, path in paths.items()}
    finally:
        server.stop()
    return {"count": count, "fill_s": filled, "db_mb": db.stat().st_size / 1e6, **figures}


def report(results: list[dict[str, Any]], repeat: int, build_s: float) -> str:
    info = machine()
    command = " ".join(["python bench/staff_pages.py", *sys.argv[1:]])
    names = [k for k in results[0] if k not in ("count", "fill_s", "db_mb")]
    lines = [
        "# Staff pages benchmark: one form with many responses",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['cpu'].strip()}, {info['nproc']} CPUs shared with other work (load "
        f"at start {info['loadavg_start']}), Python {info['python']}",
        f"- Command: `{command}`",
        f"- The demo portal built once ({build_s:.1f} s, PORTAL_NOW={NOW}); for each size a "
        "fresh SQLite file (WAL, synchronous=FULL) filled in bulk with generated responses to "
        f"`{FORM}` over the 29 days before that moment; the real endpoint "
        "(tests/serve_built.py, one process) on 127.0.0.1; signed in over HTTP.",
        f"- Each figure is the median of {repeat} GETs after one warm-up, in milliseconds, "
        "measured by the client (httpx, keep-alive), so it includes rendering the page.",
        "",
        "| responses | DB MB | " + " | ".join(names) + " |",
        "| ---: | ---: | " + " | ".join("---:" for _ in names) + " |",
    ]
    for r in results:
        cells = [f"{r[n][0]:.0f}" for n in names]
        lines.append(f"| {r['count']:,} | {r['db_mb']:.1f} | " + " | ".join(cells) + " |")
    lines += ["", "Page sizes (bytes) at the largest size:", ""]
    last = results[-1]
    lines += [f"- {n}: {last[n][2]:,}" for n in names]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(RESULTS), help="'-' prints only")
    args = parser.parse_args()
    os.environ["PORTAL_NOW"] = NOW
    with tempfile.TemporaryDirectory(prefix="staff-bench-") as scratch:
        work = Path(scratch)
        site = work / "site"
        start = time.perf_counter()
        portal("build", "--site-dir", str(site), env={"PORTAL_NOW": NOW})
        build_s = time.perf_counter() - start
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(measure(site, work, size, args.repeat))
            print(json.dumps(results[-1], default=str), flush=True)
    text = report(results, args.repeat, build_s)
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
