"""Benchmark: a 1,000,000-row data package through the portal versus `frictionless validate`.

Generates a footfall-sensor package in a temporary folder, then, in separate child
processes so each peak memory figure is its own, runs
  1. `frictionless validate datapackage.json` (the floor: validation alone), and
  2. the portal's read_datasets + dataset_outputs + rendering every page (validation,
     preview, chart, zip, HTML),
and writes time and peak resident memory (from wait4's rusage) to bench/results/.

    .venv/bin/python bench/datasets_1m.py              # the recorded run
    .venv/bin/python bench/datasets_1m.py --rows 10000 --out -   # smoke test, print only
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "datasets-1m.md"
PACKAGE = "footfall-sensors"

PORTAL_RUN = """
import sys
from pathlib import Path
from portal.datasets.pages import dataset_outputs
from portal.datasets.reader import read_datasets
from portal.problems import Problems
from portal.settings import Settings
settings = Settings(root=Path(sys.argv[1]))
problems = Problems(settings.root)
datasets = read_datasets(settings, problems)
assert not problems, [str(p) for p in problems.items]
pages, files = dataset_outputs(datasets, settings)
html = sum(len(page.wrap("<p>readme</p>", "../../")) for page in pages)
rows = datasets[0].resources[0].rows
print(f"pages={len(pages)} files={len(files)} html_chars={html} rows={rows}")
"""


def make_package(root: Path, rows: int) -> Path:
    folder = root / "datasets" / PACKAGE
    (folder / "data").mkdir(parents=True)
    rng = random.Random(1)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    sensors = [f"FS{n:03d}" for n in range(40)]
    with (folder / "data" / "counts.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["timestamp", "sensor_id", "count", "temperature_c"])
        for i in range(rows):
            moment = start + timedelta(minutes=15 * (i // len(sensors)))
            temperature = "" if i % 997 == 0 else f"{rng.gauss(11, 5):.1f}"
            writer.writerow(
                [
                    moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    sensors[i % len(sensors)],
                    rng.randint(0, 900),
                    temperature,
                ]
            )
    descriptor = {
        "name": PACKAGE,
        "title": "Footfall sensor counts (benchmark)",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "keywords": ["footfall"],
        "resources": [
            {
                "name": "counts",
                "path": "data/counts.csv",
                "format": "csv",
                "schema": {
                    "fields": [
                        {
                            "name": "timestamp",
                            "type": "datetime",
                            "constraints": {"required": True},
                        },
                        {
                            "name": "sensor_id",
                            "type": "string",
                            "constraints": {"pattern": "FS[0-9]{3}"},
                        },
                        {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
                        {"name": "temperature_c", "type": "number"},
                    ]
                },
            }
        ],
        "views": [
            {
                "name": "counts",
                "title": "Footfall",
                "resources": ["counts"],
                "specType": "vegalite",
                "spec": {
                    "mark": "line",
                    "encoding": {
                        "x": {"field": "timestamp", "type": "temporal"},
                        "y": {"field": "count", "type": "quantitative", "aggregate": "sum"},
                    },
                },
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (root / "theme").symlink_to(ROOT / "theme")
    return folder


def measure(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB, and the last line of output, for one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return seconds, usage.ru_maxrss // 1024, (lines[-1] if lines else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", default=str(RESULTS), help="results file, or - to print only")
    args = parser.parse_args()
    python = Path(sys.executable)
    frictionless = python.parent / "frictionless"
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        folder = make_package(tmp, args.rows)
        size = (folder / "data" / "counts.csv").stat().st_size
        floor = measure([str(frictionless), "validate", str(folder / "datapackage.json")])
        portal = measure([str(python), "-c", PORTAL_RUN, str(tmp)])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = render_report(args.rows, size, floor, portal)
    print(report)
    if args.out != "-":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(report, encoding="utf-8")


def render_report(
    rows: int, size: int, floor: tuple[float, int, str], portal: tuple[float, int, str]
) -> str:
    cpu = platform.processor() or platform.machine()
    return "\n".join(
        [
            f"# Datasets benchmark: {rows:,} rows",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}",
            f"- Command: `.venv/bin/python bench/datasets_1m.py --rows {rows}`",
            f"- Data: one CSV resource, {rows:,} rows x 4 typed fields (datetime, string with "
            f"pattern, integer with minimum, number with missing values), {size / 2**20:.1f} MiB, "
            "no primary key; one chart view",
            "- Peak memory is the child process's maximum resident set size (wait4 rusage).",
            "",
            "| Run | Time (s) | Peak memory (MiB) |",
            "| --- | ---: | ---: |",
            f"| `frictionless validate datapackage.json` | {floor[0]:.1f} | {floor[1]} |",
            f"| portal: read_datasets + dataset_outputs + render pages | {portal[0]:.1f} | "
            f"{portal[1]} |",
            "",
            "The portal run includes validation (frictionless, streamed), the 50-row preview, the",
            "chart from the first 5,000 rows (vl-convert), the zip of the package and every page's",
            f"HTML. Portal output: `{portal[2]}`.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
