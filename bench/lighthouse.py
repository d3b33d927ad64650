"""Benchmark: Lighthouse (mobile) on the five pages of issue 17, behind the shipped nginx.

    .venv/bin/python bench/lighthouse.py                  # before and after, 3 runs each
    .venv/bin/python bench/lighthouse.py --before none    # this tree only
    .venv/bin/python bench/lighthouse.py --runs 1 --out - # a quick look, printed

"After" is this working tree: its demo built with ``portal build`` (SITE_URL set to the
address it is served at) and served by nginx with its deploy/nginx/portal.conf, the endpoint
behind (tests/a11y/test_lighthouse.py's ``behind_nginx``). "Before" is the same for another
commit (``--before REV``; by default 62afeae, the last before this work): its tree is
exported with ``git archive``, built with its own code (PYTHONPATH), and served with its own
nginx configuration. Every run measures all four
categories (Lighthouse's default mobile emulation and simulated throttling: a mid-range
phone on a slow 4G connection); runs alternate between the two sites page by page so both
see the same load. Performance moves with the machine's load, so each figure is the median
of ``--runs`` runs, and the load average is written beside each run. The performance target
(>= 95) is not in a test for that reason.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import tests.deploy.test_nginx as nginx_config  # noqa: E402
from tests.a11y.test_lighthouse import (  # noqa: E402
    CATEGORIES,
    CHROME_FLAGS,
    LIGHTHOUSE,
    PAGES,
    behind_nginx,
    build,
    run_lighthouse,
)
from tests.support import CHROMIUM  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lighthouse.md"
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
COMMAND = ".venv/bin/python bench/lighthouse.py"
NOTES = [
    "## Notes",
    "",
    "- Issue 17 reported, before this work: performance 80-96, accessibility 96-97, best "
    "practices 96, SEO 100; search_index.json (136 KB) on every page; 113 KB of unused CSS. "
    "By 62afeae best practices was already 100 (the 404 for /feeds/sitemap.xml was gone).",
    "- What changed for speed (see content/publishers/deploy.md, 'What nginx does for "
    "speed'): Material's stylesheets trimmed to the rules the site can use, under their own "
    "hashed names (plugins/portal/shipped_assets.py); the search index and search worker "
    "fetched on the first focus, click or key in the search box (theme/main.html); nginx "
    "compresses at level 6 with Vary and lets browsers keep fingerprinted and ?v= files for "
    "a year. Accessibility 100: Material's search dialog named, the map areas' visible text "
    "part of their accessible names.",
    "- 'After' is the whole working tree, so it also holds everything else merged since "
    "62afeae (the council header and its header.js, save and return, ...): a difference "
    "between the two sites is not all this work's.",
    "- Performance is decided almost wholly by Total Blocking Time, which Lighthouse "
    "estimates from the main thread's tasks slowed down four times; on this shared "
    "two-core machine those tasks take longer whenever other work runs, so one page's "
    "score moves by 20 points between runs (see the load averages and Lighthouse's "
    "benchmark index beside each run). The runs with the machine least loaded are the "
    "closest to a real phone's figures.",
]


def sh(*command: str, cwd: Path = ROOT) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (done.stdout or done.stderr).strip()


def machine() -> str:
    cpu = sh("grep", "-m1", "model name", "/proc/cpuinfo").partition(":")[2].strip()
    memory = sh("free", "-g").splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    return f"{cpu}, {os.cpu_count()} cores, {total} GB; {platform.system()} {platform.release()}"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# The last commit before this work (issue 17: the trimmed CSS, search on demand, nginx's
# caching and compression level): the "before" of bench/results/lighthouse.md.
BEFORE = "62afeae"


def export_tree(rev: str, dest: Path) -> str:
    """``rev``'s files in ``dest`` (git archive), and its short hash."""
    commit = sh("git", "rev-parse", "--short", rev)
    archive = dest.with_suffix(".tar")
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", rev], stdout=out, check=True, cwd=ROOT, timeout=300)
    dest.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()
    return commit


def build_with_its_code(tree: Path, site: Path, site_url: str) -> None:
    """``portal build`` of an older tree with that tree's own plugin code."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree / "plugins") + (os.pathsep + old if old else "")
    try:
        build(site, site_url, root=tree)
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old


def summary(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    return {
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "metrics": {short: audits[a].get("numericValue") for a, short in METRICS.items()},
        # Lighthouse's own measure of this machine's speed at that moment (higher: faster).
        "benchmark": round(report["environment"].get("benchmarkIndex") or 0),
        "bytes": sum(r.get("transferSize") or 0 for r in requests),
        "search_index": any("search_index.json" in r.get("url", "") for r in requests),
        "unused_css": (audits.get("unused-css-rules", {}).get("details") or {}).get(
            "overallSavingsBytes", 0
        ),
        "failing": {
            c: [
                ref["id"]
                for ref in report["categories"][c]["auditRefs"]
                if ref["weight"]
                and audits[ref["id"]]["score"] is not None
                and audits[ref["id"]]["score"] < 1
            ]
            for c in CATEGORIES
            if c != "performance"
        },
    }


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(runs: dict[str, dict[str, list[dict[str, Any]]]], variants: list[str]) -> list[str]:
    lines = [
        "| page | site | "
        + " | ".join(CATEGORIES)
        + " | FCP s | LCP s | TBT ms | CLS | SI s | KB sent | index at load |"
    ]
    lines.append("|---" * (len(CATEGORIES) + 9) + "|")
    for page in PAGES:
        for variant in variants:
            done = runs[variant][page]
            if not done:
                continue
            cells = [str(round(median([r["scores"][c] for r in done]))) for c in CATEGORIES]
            m = {k: median([r["metrics"][k] for r in done]) for k in METRICS.values()}
            kb = median([r["bytes"] for r in done]) / 1024
            index = "yes" if any(r["search_index"] for r in done) else "no"
            lines.append(
                f"| {page} | {variant} | "
                + " | ".join(cells)
                + f" | {m['FCP'] / 1000:.1f} | {m['LCP'] / 1000:.1f} | {m['TBT']:.0f}"
                + f" | {m['CLS']:.3f} | {m['SI'] / 1000:.1f} | {kb:.0f} | {index} |"
            )
    return lines


def every_run(runs: dict[str, dict[str, list[dict[str, Any]]]], variants: list[str]) -> list[str]:
    lines = [
        "| page | site | run | load average (1, 5, 15 min) | benchmark index | "
        + " | ".join(CATEGORIES)
        + " | TBT ms | LCP s | failing audits (not performance) |"
    ]
    lines.append("|---" * (len(CATEGORIES) + 8) + "|")
    for page in PAGES:
        for variant in variants:
            for i, r in enumerate(runs[variant][page], 1):
                failing = "; ".join(
                    f"{c}: {', '.join(ids)}" for c, ids in r["failing"].items() if ids
                )
                lines.append(
                    f"| {page} | {variant} | {i} | {r['load']} | {r.get('benchmark', '?')} | "
                    + " | ".join(str(r["scores"][c]) for c in CATEGORIES)
                    + f" | {r['metrics']['TBT']:.0f} | {r['metrics']['LCP'] / 1000:.1f}"
                    + f" | {failing or '-'} |"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=None, help="a commit to compare with, or 'none'")
    parser.add_argument("--out", default=str(RESULTS), help="a file, or - to print")
    args = parser.parse_args()
    # Stopped with SIGTERM: still stop nginx and the endpoints (the contexts below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    assert LIGHTHOUSE.is_file(), "run 'make test' first (npm ci in tools/lighthouse)"

    started = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load": loadavg()}
    before = None if args.before == "none" else (args.before or BEFORE)
    after_label = f"after ({sh('git', 'rev-parse', '--short', 'HEAD')} + working tree)"
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        sites: dict[str, str] = {}
        if before is not None:
            tree = folder / "before-tree"
            commit = export_tree(before, tree)
            # Its own nginx configuration, templated as the tests template this tree's.
            shipped = nginx_config.PORTAL_CONF
            nginx_config.PORTAL_CONF = tree / "deploy/nginx/portal.conf"
            try:
                served = stack.enter_context(
                    behind_nginx(
                        folder / "before",
                        tree,
                        lambda site, url: build_with_its_code(tree, site, url),
                    )
                )
            finally:
                nginx_config.PORTAL_CONF = shipped
            before_label = f"before ({commit})"
            sites[before_label] = served.url
        after = stack.enter_context(behind_nginx(folder / "after"))
        sites[after_label] = after.url
        variants = list(sites)
        runs: dict[str, dict[str, list[dict[str, Any]]]] = {
            v: {p: [] for p in PAGES} for v in variants
        }
        for run in range(args.runs):
            for page, path in PAGES.items():
                for variant in variants:
                    load = loadavg()
                    report = run_lighthouse(
                        sites[variant] + path, folder / "report.json", CATEGORIES
                    )
                    result = summary(report)
                    result["load"] = load
                    runs[variant][page].append(result)
                    print(run + 1, page, variant, result["scores"], load, flush=True)
        lighthouse_version = report["lighthouseVersion"]
        user_agent = report["environment"]["hostUserAgent"]

    lines = [
        "# Lighthouse on five pages, behind the shipped nginx",
        "",
        f"- Date: {started['date']}",
        f"- Command: `{COMMAND}`" + (f" (before: `--before {args.before}`)" if args.before else ""),
        f"- Machine: {machine()}; shared with other work (see the load averages)",
        f"- Load average at the start: {started['load']}; at the end: {loadavg()}",
        f"- Lighthouse {lighthouse_version} (tools/lighthouse), Chromium "
        f"{[*sh(CHROMIUM, '--version').split(), '?', '?'][1]} "
        f"({user_agent.split(' ')[-2] if user_agent else ''}); flags `{' '.join(CHROME_FLAGS)}`",
        f"- {sh('/usr/sbin/nginx', '-v').removeprefix('nginx version: ')}; each site with its "
        "own tree's deploy/nginx/portal.conf (only root, ports and log paths changed, as "
        "tests/deploy does)",
        "- Lighthouse's default mobile run: emulated mid-range phone, simulated slow 4G and 4x CPU "
        "slowdown; categories performance, accessibility, best-practices, seo",
        f"- Runs: {args.runs} per page and site, alternating between the sites page by page; "
        "figures below are medians",
        "",
        "## Medians",
        "",
        *table(runs, variants),
        "",
        "KB sent: bytes over the wire during the load (compressed). Index at load: whether "
        "search/search_index.json was fetched while the page loaded.",
        "",
        *NOTES,
        "",
        "## Every run",
        "",
        *every_run(runs, variants),
        "",
    ]
    text = "\n".join(lines)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
