"""Issue 8: ``portal endpoint`` vs a bare Starlette ceiling under wrk, in the same run.

(bench/endpoint_load.py is the reliability engineer's issue 7 load test; this is the
throughput/latency comparison with the framework's ceiling.)

    .venv/bin/python bench/endpoint_ceiling.py [--duration 30] [--connections 50] \
        [--out bench/results/endpoint.md]

Builds tests/fixtures/site into a temporary copy whose bus-lanes consultation is open now
(opens 2020-01-01, closes 2099-01-01), then for each server in turn (never both at once):
starts it on 127.0.0.1 with uvicorn + uvloop + httptools and a fresh SQLite file (WAL,
synchronous=FULL), runs wrk (urlencoded POST of a valid answer, a unique submission_id per
request from a per-thread counter in Lua), stops it, and counts the rows stored. Every
acknowledged response (2xx/3xx) must be a row: rows >= acknowledged, and the difference is at
most the requests in flight when wrk stopped. No timing is asserted; the smoke test runs this
for 2 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
FORM = "bus-lanes"

LUA = r"""
-- setup() runs in the main Lua state; thread:set() makes a *global* "tid" in each thread's
-- own state, so tid must not be declared local here (a local would shadow it as 0 in every
-- thread and the threads would send the same submission ids).
local counter = 0
local nthreads = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  counter = counter + 1
  local sid = string.format("bench-%s-%s-%012d", RUN, tid, counter)
  local body = "support=yes&website=&submission_id=" .. sid
  return wrk.format("POST", PATH, nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"mean_ms":%.2f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_fixture(work: Path) -> Path:
    """A copy of the fixture site with the bus-lanes form open now, built."""
    root = work / "site-src"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("site", "var", ".site-*"))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("custom_dir: ../../../theme", f"custom_dir: {ROOT / 'theme'}")
    )
    page = root / "consultations" / FORM / "index.md"
    text = page.read_text()
    text = text.replace("opens: 2027-01-01T09:00", "opens: 2020-01-01T09:00")
    text = text.replace("closes: 2027-02-28", "closes: 2099-01-01")
    assert "2099-01-01" in text and "2020-01-01" in text, "fixture dates changed; update me"
    page.write_text(text)
    site = work / "site"
    subprocess.run(
        [str(BIN / "portal"), "--root", str(root), "build", "--site-dir", str(site)],
        check=True,
        capture_output=True,
        text=True,
    )
    return site


def wait_up(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def smoke_post(url: str) -> int:
    """One valid post first: the load test is only meaningful if it is accepted."""
    r = httpx.post(
        url,
        data={"support": "yes", "website": "", "submission_id": "bench-smoke-000000000001"},
        follow_redirects=False,
        timeout=10,
    )
    return r.status_code


def run_wrk(port: int, args: argparse.Namespace, work: Path, name: str) -> dict[str, object]:
    path = f"/responses/{FORM}"
    script = work / f"{name}.lua"
    run_id = f"{name}{int(time.time())}"
    script.write_text(f'RUN = "{run_id}"\nPATH = "{path}"\n' + LUA)
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 120)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("JSON")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{out.stdout}\n{out.stderr}")
    stats: dict[str, object] = json.loads(line[4:])
    stats["rps"] = round(int(stats["requests"]) / (int(stats["duration_us"]) / 1e6), 1)
    stats["errors"] = sum(int(stats[k]) for k in ("connect", "read", "write", "status", "timeout"))
    stats["acknowledged"] = int(stats["requests"]) - int(stats["status"])
    stats["wrk_command"] = " ".join(cmd)
    return stats


def count_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        n = conn.execute(
            "SELECT count(*) FROM responses WHERE submission_id LIKE 'bench-%' "
            "AND submission_id NOT LIKE 'bench-smoke-%'"
        ).fetchone()[0]
    return int(n)


def bench_server(name: str, args: argparse.Namespace, work: Path, site: Path) -> dict[str, object]:
    port = free_port()
    db = work / f"{name}.sqlite3"
    log = work / f"{name}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if name == "portal":
        env.update(
            {
                "PORTAL_SITE_DIR": str(site),
                "PORTAL_THEME_DIR": str(ROOT / "theme"),
                "DATABASE_URL": f"sqlite:///{db}",
                "PORTAL_RATE_LIMIT": "1000000/second",
            }
        )
        cmd = [
            str(BIN / "portal"),
            "--root",
            str(work),
            "endpoint",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        probe = f"http://127.0.0.1:{port}/health"
    else:
        env["CEILING_DB"] = str(db)
        cmd = [
            str(BIN / "uvicorn"),
            "bench.ceiling_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--log-level",
            "warning",
            "--no-proxy-headers",
        ]
        probe = f"http://127.0.0.1:{port}/"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        wait_up(probe, proc, log)
        status = smoke_post(f"http://127.0.0.1:{port}/responses/{FORM}")
        if status != 303:
            raise RuntimeError(f"{name}: a valid post got {status}:\n{log.read_text()[-3000:]}")
        stats = run_wrk(port, args, work, name)
    finally:
        stop(proc)
    stats["rows_stored"] = count_rows(db)
    stats["every_ack_stored"] = stats["rows_stored"] >= stats["acknowledged"]
    stats["server_command"] = " ".join(cmd)
    return stats


def report(results: dict[str, dict[str, object]], info: dict[str, str], command: str) -> str:
    p, c = results["portal"], results["ceiling"]
    ratio = float(p["rps"]) / float(c["rps"]) if float(c["rps"]) else 0.0
    lines = [
        "# Endpoint load benchmark",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['nproc']} cores, `free -g` Mem row: `{info['free_g']}`; "
        f"Python {info['python']}",
        f"- Load average at start: {info['load_start']}, end: {info['load_end']} "
        "(wrk, the server and other engineers' test runs share these 2 cores)",
        f"- Command: `{command}`",
        f"- wrk: `{p['wrk_command']}` (Lua: urlencoded `support=yes&website=&"
        "submission_id=<unique>`)",
        "- Portal: `portal endpoint` (uvicorn, uvloop, httptools, 1 worker), SQLite WAL "
        "synchronous=FULL, PORTAL_RATE_LIMIT=1000000/second",
        "- Ceiling: bench/ceiling_app.py (bare Starlette, parse form, one INSERT, "
        "same pragmas, same uvicorn options)",
        "",
        "| server | requests/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors "
        "(connect/read/write/status/timeout) | acknowledged | rows stored | all stored |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        lines.append(
            f"| {name} | {s['rps']} | {s['p50_ms']} | {s['p90_ms']} | {s['p99_ms']} | "
            f"{s['max_ms']} | {s['requests']} | {s['errors']} ({s['connect']}/"
            f"{s['read']}/{s['write']}/{s['status']}/{s['timeout']}) | "
            f"{s['acknowledged']} | {s['rows_stored']} | {s['every_ack_stored']} |"
        )
    ok = lambda b: "MET" if b else "MISSED"  # noqa: E731
    lines += [
        "",
        "## Targets (issue 8)",
        "",
        f"- portal / ceiling requests/s = {ratio:.2f} (target >= 0.8): {ok(ratio >= 0.8)}",
        f"- portal p99 = {p['p99_ms']} ms (target < 50 ms): {ok(float(p['p99_ms']) < 50)}",
        f"- portal errors = {p['errors']} (target 0): {ok(p['errors'] == 0)}",
        f"- every acknowledged response stored: {ok(bool(p['every_ack_stored']))} "
        f"({p['rows_stored']} rows for {p['acknowledged']} acknowledged; extra rows are "
        "requests in flight when wrk stopped)",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "endpoint.md")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"),
        "free_g": sh("free -g | sed -n 2p"),
        "python": platform.python_version(),
        "load_start": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }
    work = Path(tempfile.mkdtemp(prefix="bench-endpoint-"))
    try:
        site = build_fixture(work)
        results = {}
        for name in ("portal", "ceiling"):
            results[name] = bench_server(name, args, work, site)
            print(name, json.dumps(results[name]), flush=True)
        info["load_end"] = sh("cut -d' ' -f1-3 /proc/loadavg")
        command = " ".join([".venv/bin/python bench/endpoint_ceiling.py", *sys.argv[1:]])
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report(results, info, command), encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps({"machine": info, **results}, indent=1), encoding="utf-8"
        )
        print(f"wrote {args.out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
