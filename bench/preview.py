"""Edit to preview: from a file saved to the new page served by ``portal serve``.

One command, every size in the same run, each with its cold build::

    .venv/bin/python bench/preview.py --n 0 1000 5000 [--tries 5] [--out bench/results/preview.md]

``--n 0`` is the demo content (this repository's consultations, pages and datasets); other
sizes are the build-scale bench's consultations (bench/build_scale.py: forms, documents,
the demo's datasets). For each size: a cold ``portal build`` (timed), then ``portal serve``
on a free 127.0.0.1 port, and, once it says edits show at once:

* edit: a consultation's title changed, written and fsynced, then its page polled over HTTP
  until the new title is served (and, separately, the index page);
* new: a consultation folder written (document first, index.md last, fsynced), then its page,
  the index and its topic's filter page polled until all three show it.

Each is timed from the fsync to the response that shows it, ``--tries`` times (median,
min and max reported), ``--gap`` seconds apart, so the full build each save starts in the
background is still running at the next save, as it would be while someone edits. Nothing
is asserted; tests/preview checks what is shown.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_scale  # the same consultations as the build bench

ROOT = build_scale.ROOT
PORTAL = [sys.executable, "-m", "portal.cli"]
READY = "Edited consultations now show as soon as they are saved."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_site(dest: Path) -> None:
    build_scale.copy_site(dest)
    shutil.copytree(ROOT / "consultations", dest / "consultations")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except urllib.error.URLError:
        return ""


def until(urls: list[str], text: str, cap: float = 120) -> float | None:
    """Seconds until every url serves ``text`` (None past ``cap``, which only stops a hang)."""
    start = time.perf_counter()
    left = list(urls)
    while left and time.perf_counter() - start < cap:
        left = [u for u in left if text not in fetch(u)]
        if left:
            time.sleep(0.03)  # finer polls would take the served process's CPU
    return None if left else time.perf_counter() - start


def save(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def cold_build(root: Path, log: Path) -> float:
    out = root.parent / "cold-site"
    start = time.perf_counter()
    with log.open("w") as sink:
        rc = subprocess.call(
            [*PORTAL, "--root", str(root), "build", "--site-dir", str(out)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    took = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    if rc != 0:
        raise SystemExit(f"the cold build failed: see {log}")
    return took


def serve(root: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    sink = log.open("w")
    process = subprocess.Popen(
        [*PORTAL, "--root", str(root), "serve", "--port", str(port)],
        stdout=sink,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{root / 'responses.sqlite3'}"},
        start_new_session=True,
    )
    start = time.monotonic()
    while READY not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() - start > 1800:
            raise SystemExit(f"portal serve did not get ready: see {log}")
        time.sleep(0.2)
    return process


def edit_tries(root: Path, base: str, tries: int, gap: float) -> tuple[list[float], list[float]]:
    folder = sorted(p for p in (root / "consultations").iterdir() if (p / "index.md").is_file())[0]
    source = folder / "index.md"
    slug = folder.name
    page_times, index_times = [], []
    for i in range(tries):
        title = f"Edited for the preview bench {i}"
        text = re.sub(
            r"^title: .*$", f"title: {title}", source.read_text("utf-8"), count=1, flags=re.M
        )
        save(source, text)
        start = time.perf_counter()
        shown = until([f"{base}/consultations/{slug}/"], title)
        listed = until([f"{base}/consultations/"], title)
        if shown is not None:
            page_times.append(shown)
        if listed is not None and shown is not None:
            index_times.append(time.perf_counter() - start)
        time.sleep(gap)
    return page_times, index_times


def new_tries(root: Path, base: str, tries: int, gap: float) -> list[float]:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    found = []
    for i in range(tries):
        n = 90_001 + 3 * i  # i % 3 == 1: open now, so on the index's first page
        slug, meta, body = build_scale.consultation(n, today)
        folder = root / "consultations" / slug
        (folder / "documents").mkdir(parents=True)
        (folder / "documents" / "proposal.txt").write_text("A document.\n", encoding="utf-8")
        topic = str(meta["topics"][0]).lower().replace(" ", "-")  # type: ignore[index]
        save(folder / "index.md", build_scale.front_matter(meta) + body)
        urls = [
            f"{base}/consultations/{slug}/",
            f"{base}/consultations/",
            f"{base}/consultations/filter/topic/{topic}/",
        ]
        took = until(urls, str(meta["title"]))
        if took is not None:
            found.append(took)
        time.sleep(gap)
    return found


def summary(values: list[float], tries: int) -> str:
    if not values:
        return "not shown"
    shown = f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
    return shown if len(values) == tries else f"{shown}, {tries - len(values)} not shown"


def bench(n: int, tries: int, gap: float, keep: Path | None) -> dict[str, str]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-preview-{n}-", dir=keep))
    root = work / "portal"
    try:
        if n == 0:
            demo_site(root)
        else:
            build_scale.generate(n, work)
            shutil.rmtree(work / "plain")
            shutil.rmtree(work / "pelican")
        consultations = sum(1 for p in (root / "consultations").iterdir() if p.is_dir())
        cold = cold_build(root, work / "cold.log")
        port = free_port()
        start = time.perf_counter()
        process = serve(root, port, work / "serve.log")
        ready = time.perf_counter() - start
        try:
            base = f"http://127.0.0.1:{port}"
            page, index = edit_tries(root, base, tries, gap)
            new = new_tries(root, base, tries, gap)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
        return {
            "content": "demo" if n == 0 else f"{n} generated",
            "consultations": str(consultations),
            "cold build s": f"{cold:.2f}",
            "serve ready s": f"{ready:.1f}",
            "edit: page s": summary(page, tries),
            "edit: page + index s": summary(index, tries),
            "new: page + index + filter s": summary(new, tries),
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def report(rows: list[dict[str, str]], command: str, load: tuple[str, str], gap: float) -> str:
    info = build_scale.machine()
    head = list(rows[0])
    lines = [
        "# Edit to preview (portal serve)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {info['nproc']} cores ({info['cpu']}); Python {info['python']}",
        f"- Load average at start: {load[0]}, end: {load[1]} (other engineers share this machine)",
        f"- Command: `{command}`",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row[h] for h in head) + " |" for row in rows),
        "",
        "Times are from the fsync of the saved file to the HTTP response that shows the change:",
        "median (min–max) of the tries. 'serve ready' is from starting `portal serve` to its",
        "saying edits show at once (its first build, then the warm build of the quick preview).",
        f"Saves are {gap:g} s apart, so the full build the previous save started is usually",
        "still running in the background. Targets (issue 19, at 1,000 consultations): an edit",
        "within 1 s, a new consultation with its place in the index and filter pages within 2 s.",
        "",
    ]
    return "\n".join(lines)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[0, 1000, 5000])
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between saves")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "preview.md")
    parser.add_argument("--keep", type=Path, default=None, help="keep work folders here")
    args = parser.parse_args(argv)
    start_load = loadavg()
    rows = []
    for n in args.n:
        rows.append(bench(n, args.tries, args.gap, args.keep))
        print(rows[-1], flush=True)
    command = "python bench/preview.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report(rows, command.strip(), (start_load, loadavg()), args.gap)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
