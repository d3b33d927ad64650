"""Build time at scale: ``portal build`` vs plain MkDocs + Material vs plain Pelican.

One command, all three generators in the same run, on the same generated Markdown::

    .venv/bin/python bench/build_scale.py --n 100 1000 [--out bench/results/build-scale.md]

For each N it writes N synthetic consultations (each with a form and a document) plus the
demo datasets into a temporary copy of the site (mkdocs.yml, content/, datasets/, theme
custom_dir pointed at this repository's theme/), then times, each in its own child process:

* ``portal --root DIR build --site-dir OUT``;
* plain MkDocs + Material, no portal plugin, consultations as plain docs pages listed in the
  nav: once with Material's default features ("default") and once with the portal's own
  ``navigation.sections`` + ``navigation.prune`` ("pruned");
* plain Pelican 4 (articles, default theme, pagination 20).

Wall time, peak RSS of the child (``os.wait4`` rusage, so per child), output size, HTML
files and mean HTML bytes per consultation page. No timing is asserted anywhere; the
smoke test runs this at N=5 with ``--out`` in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
BIN = PYTHON.parent
TOPICS = [
    "Transport",
    "Housing",
    "Climate and environment",
    "Data and privacy",
    "Digital services",
    "Parks and open spaces",
]
# Areas of the demo's wards package (datasets/northbridge-wards), which the demo's
# mkdocs.yml names: a consultation naming any other area is refused by the build.
AREAS = ["Citywide", "Central", "Northgate", "Southgate", "Riverside"]

BODY = """## Background

{title} is proposal {i} of this synthetic benchmark. The council wants to hear from residents,
businesses and visitors before it decides. We have published a consultation document with
the detail, and a summary of the evidence we have so far.

Most of the people who wrote to us last year asked for clearer information and more time to
respond. This consultation runs for eight weeks and every response is read.

## What we propose

We propose to:

- start a 12 month pilot in the {area} area
- publish the data the pilot collects, every month, as open data
- report back on what we heard and what we will do

| Option | Cost | Start |
|---|---|---|
| Pilot | 120,000 pounds | Spring |
| Full scheme | 900,000 pounds | Next year |

## What happens next

We will publish a summary of the responses within 12 weeks of the consultation closing.
"""


# -- generating the content --------------------------------------------------------------
def consultation(i: int, today: datetime) -> tuple[str, dict[str, object], str]:
    """Slug, front matter (as YAML text built by hand) and body of synthetic consultation i."""
    slug = f"bench-consultation-{i:05d}"
    title = f"Benchmark proposal {i}"
    # A third closed, a third open, a third upcoming: all listing states are exercised.
    phase = i % 3
    opens = today + timedelta(days=(-120, -10, 30)[phase])
    closes = opens + timedelta(days=56)
    area = AREAS[i % len(AREAS)]
    topics = [TOPICS[i % len(TOPICS)], TOPICS[(i + 2) % len(TOPICS)]]
    meta = {
        "title": title,
        "slug": slug,
        "area": area,
        "topics": topics,
        "opens": opens.strftime("%Y-%m-%dT09:00"),
        "closes": closes.strftime("%Y-%m-%d"),
        "summary": f"We want your views on benchmark proposal {i} in the {area} area.",
    }
    return slug, meta, BODY.format(title=title, i=i, area=area)


def front_matter(meta: dict[str, object]) -> str:
    topics = ", ".join(str(t) for t in meta["topics"])  # type: ignore[attr-defined]
    return f"""---
title: {meta["title"]}
summary: {meta["summary"]}
organisation: Northbridge City Council
contact:
  name: Benchmark Team
  email: bench@northbridge.example.gov.uk
opens: {meta["opens"]}
closes: {meta["closes"]}
topics: [{topics}]
area: {meta["area"]}
documents:
  - title: Consultation document
    file: documents/proposal.txt
form:
  questions:
    - id: support
      type: radio
      label: Do you support the proposal?
      required: true
      options: ["Yes", "No", "Not sure"]
    - id: connection
      type: checkboxes
      label: How are you connected to the area?
      options: [I live there, I work there, I visit, None of these]
    - id: comments
      type: textarea
      label: Tell us why
      max_length: 2000
---
"""


def copy_site(dest: Path) -> None:
    """mkdocs.yml, content/ and datasets/ of the demo site; theme from this repository."""
    dest.mkdir(parents=True)
    # In one language, as the plain Material and Pelican sites it is compared with: the
    # demo's Welsh pages and its languages and translations options are left out (a second
    # language is one more build: bench/results/languages.md).
    shutil.copytree(ROOT / "content", dest / "content", ignore=shutil.ignore_patterns("*.cy.md"))
    shutil.copytree(ROOT / "datasets", dest / "datasets")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (dest / "mkdocs.yml").write_text(one_language(text), encoding="utf-8")


def one_language(config: str) -> str:
    """mkdocs.yml without the portal's ``languages:`` and ``translations:`` options (and the
    lines indented under them)."""
    kept: list[str] = []
    dropping = ""
    for line in config.splitlines(keepends=True):
        indent = line[: len(line) - len(line.lstrip())]
        if dropping and (not line.strip() or len(indent) > len(dropping)):
            continue
        dropping = ""
        if line.lstrip().startswith(("languages:", "translations:")):
            dropping = indent
            continue
        kept.append(line)
    return "".join(kept)


def generate(n: int, work: Path) -> list[str]:
    """The portal site (work/portal), the plain MkDocs docs and the Pelican content."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    portal_root = work / "portal"
    copy_site(portal_root)
    plain_docs = work / "plain" / "docs"
    shutil.copytree(ROOT / "content", plain_docs, ignore=shutil.ignore_patterns("*.cy.md"))
    (plain_docs / "consultations").mkdir()
    pelican_content = work / "pelican" / "content"
    pelican_content.mkdir(parents=True)
    slugs = []
    for i in range(n):
        slug, meta, body = consultation(i, today)
        slugs.append(slug)
        folder = portal_root / "consultations" / slug
        (folder / "documents").mkdir(parents=True)
        (folder / "documents" / "proposal.txt").write_text(
            f"Consultation document for {meta['title']}.\n" * 20, encoding="utf-8"
        )
        (folder / "index.md").write_text(front_matter(meta) + body, encoding="utf-8")
        # The same Markdown as a plain page: title, summary and the same body.
        plain = f"# {meta['title']}\n\n{meta['summary']}\n\n{body}"
        (plain_docs / "consultations" / f"{slug}.md").write_text(plain, encoding="utf-8")
        (pelican_content / f"{slug}.md").write_text(
            f"Title: {meta['title']}\nDate: {meta['opens'].replace('T', ' ')}\n"  # type: ignore[union-attr]
            f"Slug: {slug}\nCategory: {meta['topics'][0]}\n"  # type: ignore[index]
            f"Summary: {meta['summary']}\n\n{meta['summary']}\n\n{body}",
            encoding="utf-8",
        )
    (plain_docs / "consultations" / "index.md").write_text(
        "# Consultations\n\n" + "\n".join(f"- [{s}]({s}.md)" for s in slugs) + "\n",
        encoding="utf-8",
    )
    write_plain_configs(work / "plain", slugs)
    (work / "pelican" / "pelicanconf.py").write_text(
        "AUTHOR = 'Northbridge City Council'\nSITENAME = 'Northbridge (Pelican baseline)'\n"
        "SITEURL = ''\nPATH = 'content'\nTIMEZONE = 'Europe/London'\n"
        "DEFAULT_LANG = 'en'\nDEFAULT_PAGINATION = 20\nFEED_ALL_ATOM = None\n"
        "CATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "ARTICLE_URL = '{slug}/'\nARTICLE_SAVE_AS = '{slug}/index.html'\n",
        encoding="utf-8",
    )
    return slugs


def write_plain_configs(plain: Path, slugs: list[str]) -> None:
    """mkdocs.yml without the portal plugin; the same theme and Markdown extensions."""
    nav_consultations = "\n".join(f"      - consultations/{s}.md" for s in slugs)
    common = f"""site_name: Northbridge (plain Material baseline)
docs_dir: docs
strict: false
use_directory_urls: true
markdown_extensions: [attr_list, md_in_html, tables, toc, admonition]
plugins: [search]
nav:
  - Home: index.md
  - Consultations:
      - consultations/index.md
{nav_consultations}
  - About: about.md
  - Privacy notice: privacy.md
  - Accessibility: accessibility.md
"""
    (plain / "default.yml").write_text(
        common + "theme:\n  name: material\n  font: false\n", encoding="utf-8"
    )
    (plain / "pruned.yml").write_text(
        common + "theme:\n  name: material\n  font: false\n  features:\n"
        "    - navigation.sections\n    - navigation.prune\n    - navigation.top\n",
        encoding="utf-8",
    )


# -- running and measuring ---------------------------------------------------------------
def session_pss_mb(session: int) -> float:
    """Memory of every process in a session, each shared page counted once (PSS)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[3]) != session:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total / 1024


class TreeMemory(threading.Thread):
    """Samples a build's whole process tree (the portal forks a worker) every 20 ms."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session, self.peak, self.done = session, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, session_pss_mb(self.session))


def run(args: list[str], log: Path, timeout: float, cwd: Path | None = None) -> dict[str, object]:
    """Run one child: wall time; peak RSS of its largest process (wait4 rusage) and peak
    memory of its whole process tree (PSS, sampled), which counts a forked worker too."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        memory = TreeMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        memory.done.set()
        memory.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_mb": round(memory.peak, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "rc": proc.returncode,
        "timed_out": timed_out.is_set(),
        "log": str(log),
    }


def measure_output(out: Path, pages: list[Path]) -> dict[str, object]:
    if not out.exists():
        return {}
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    html = list(out.rglob("*.html"))
    found = [p for p in pages if p.exists()]
    per_page = sum(p.stat().st_size for p in found) / len(found) if found else 0
    return {
        "output_mb": round(total / 1e6, 2),
        "html_files": len(html),
        "html_mb": round(sum(f.stat().st_size for f in html) / 1e6, 2),
        "consultation_pages_found": len(found),
        "html_kb_per_consultation": round(per_page / 1024, 1),
    }


# The portal's other generators (issue 19): variants that run when `portal build
# --generator` offers them, and are skipped, with the reason, when it does not.
GENERATORS = {
    "portal-pelican": "pelican",
    "portal-properdocs": "properdocs",
    "portal-zensical": "zensical",
}
# Every portal variant and the generator it builds with.
PORTAL_GENERATORS = {"portal": "mkdocs", **GENERATORS}
PORTAL_VARIANTS = tuple(PORTAL_GENERATORS)


def generators_offered() -> str:
    """What `portal build --help` says --generator takes."""
    done = subprocess.run(
        [str(BIN / "portal"), "build", "--help"], capture_output=True, text=True, timeout=120
    )
    return done.stdout


def skipped_generators(variants: list[str]) -> dict[str, str]:
    """Variants that cannot run here, with the reason."""
    offered = generators_offered()
    return {
        name: f"`portal build --generator {GENERATORS[name]}` is not offered by this engine"
        for name in variants
        if name in GENERATORS and GENERATORS[name] not in offered
    }


def portal_command(work: Path, *words: str) -> list[str]:
    """``portal`` on the generated portal site."""
    return [str(BIN / "portal"), "--root", str(work / "portal"), *words]


def commands(work: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each variant's command line (the output folder is appended) and working folder."""
    mkdocs = [str(BIN / "mkdocs"), "build", "-q", "-f"]
    return {
        **{
            name: (portal_command(work, "build", "--generator", generator, "--site-dir"), None)
            for name, generator in PORTAL_GENERATORS.items()
        },
        "material-default": ([*mkdocs, str(work / "plain" / "default.yml"), "-d"], None),
        "material-pruned": ([*mkdocs, str(work / "plain" / "pruned.yml"), "-d"], None),
        "pelican": (
            [
                str(BIN / "pelican"),
                str(work / "pelican" / "content"),
                "-s",
                str(work / "pelican" / "pelicanconf.py"),
                "-q",
                "-o",
            ],
            work / "pelican",
        ),
    }


def bench_n(
    n: int, keep: Path | None, timeout: float, variants: list[str], repeat: int = 1
) -> dict[str, object]:
    """Each variant ``repeat`` times, taking turns, so that a busy spell on the shared
    machine falls on all of them alike; the run with the median wall time is reported."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-build-{n}-", dir=keep))
    try:
        t0 = time.perf_counter()
        slugs = generate(n, work)
        # As a portal of this size has them in git: the kept versions of its open and closed
        # forms (portal.forms.versions), written once here so that every timed build, of
        # every generator, reads the same repository.
        subprocess.run(portal_command(work, "check"), capture_output=True, timeout=timeout)
        result: dict[str, object] = {"n": n, "generate_s": round(time.perf_counter() - t0, 2)}
        skipped = skipped_generators(variants)
        result["skipped"] = skipped
        variants = [v for v in variants if v not in skipped]
        tries: dict[str, list[dict[str, object]]] = {name: [] for name in variants}
        for _ in range(repeat):
            for name, (command, cwd) in commands(work).items():
                if name not in variants:
                    continue
                out = work / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                tries[name].append(run([*command, str(out)], work / f"{name}.log", timeout, cwd))
        runs: dict[str, dict[str, object]] = {}
        for name, done in tries.items():
            done.sort(key=lambda r: float(r["wall_s"]))  # type: ignore[arg-type]
            runs[name] = {
                **done[(len(done) - 1) // 2],
                "wall_all": [r["wall_s"] for r in done],
                "cpu_all": sorted(r["cpu_s"] for r in done),  # type: ignore[type-var]
            }
            out = work / f"out-{name}"
            pages = [out / s / "index.html" for s in slugs]
            if name != "pelican":  # the portal's addresses, whatever its generator
                pages = [out / "consultations" / s / "index.html" for s in slugs]
            runs[name].update(measure_output(out, pages))
            if runs[name]["rc"] != 0:
                log = Path(str(runs[name]["log"]))
                runs[name]["log_tail"] = log.read_text(errors="replace")[-1500:]
        result["runs"] = runs
        return result
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


# -- reporting ---------------------------------------------------------------------------
def machine() -> dict[str, str]:
    def sh(cmd: str) -> str:
        try:
            return subprocess.run(
                cmd, shell=True, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except Exception:
            return "?"

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"),
        "free_g": sh("free -g | sed -n 2p"),
        "python": platform.python_version(),
        "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
        "loadavg_start": sh("cut -d' ' -f1-3 /proc/loadavg"),
        "versions": sh(
            f"{BIN / 'pip'} list 2>/dev/null | grep -Ei "
            "'^(mkdocs|mkdocs-material|pelican) ' | tr -s ' ' | paste -sd ';'"
        ),
    }


def targets(results: list[dict[str, object]]) -> list[str]:
    lines = []
    by_n = {int(r["n"]): r["runs"] for r in results}  # type: ignore[call-overload]
    if 1000 in by_n:
        runs = by_n[1000]
        p = runs.get("portal", {})
        for base in ("material-default", "material-pruned"):
            if base in runs and p and runs[base]["rc"] == 0 and p["rc"] == 0:
                ratio = p["wall_s"] / runs[base]["wall_s"]
                cpu = p["cpu_s"] / runs[base]["cpu_s"]
                lines.append(
                    f"- N=1000 portal / {base} wall time = {ratio:.2f} "
                    f"(target <= 0.35): {'MET' if ratio <= 0.35 else 'MISSED'}; "
                    f"CPU time ratio {cpu:.2f} (less sensitive to the shared "
                    "machine's load)"
                )
        if p:
            kb = p.get("html_kb_per_consultation", 0)
            mb = max(p["peak_rss_mb"], p.get("peak_tree_mb", 0))
            lines.append(
                f"- N=1000 HTML per consultation page = {kb} KB (target <= 60 KB): "
                f"{'MET' if kb <= 60 else 'MISSED'}"
            )
            lines.append(
                f"- N=1000 peak memory = {mb} MB, all of the build's processes "
                f"(target < 500 MB): "
                f"{'MET' if mb < 500 else 'MISSED'}"
            )
    if 1000 in by_n and 5000 in by_n and "portal" in by_n[1000] and "portal" in by_n[5000]:
        a, b = by_n[1000]["portal"], by_n[5000]["portal"]
        if a["rc"] == 0 and b["rc"] == 0:
            growth = b["wall_s"] / a["wall_s"]
            cpu = b["cpu_s"] / a["cpu_s"]
            lines.append(
                f"- portal 1000 -> 5000 wall-time growth = {growth:.2f}x "
                f"(linear = 5x; target <= 5x): {'MET' if growth <= 5.0 else 'MISSED'}"
                f"; CPU-time growth {cpu:.2f}x"
            )
    return lines or ["- (targets are judged at N=1000; not run)"]


def preamble(title: str, info: dict[str, str], command: str) -> list[str]:
    """A report's heading and the machine, date and command of the run."""
    return [
        f"# {title}",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['nproc']} cores ({info['cpu']}), `free -g` Mem row: `{info['free_g']}`",
        f"- Python {info['python']}; {info['versions']}",
        f"- Load average at start: {info['loadavg_start']}, end: {info.get('loadavg_end')} "
        "(other engineers' test runs share this machine)",
        f"- Command: `{command}`",
        "",
    ]


def outcome(run_: dict[str, Any]) -> object:
    """A run's exit status, or that it ran out of time."""
    return "timeout" if run_["timed_out"] else run_["rc"]


def wall_times(run_: dict[str, Any]) -> str:
    """Every try's wall time, shortest first."""
    return ", ".join(str(w) for w in run_.get("wall_all", []))


def report(results: list[dict[str, object]], info: dict[str, str], command: str) -> str:
    out = [
        *preamble("Build scale benchmark", info, command),
        "| N | generator | rc | wall s | CPU s | peak RSS MB | peak tree MB | output MB "
        "| HTML files | HTML KB / consultation page | all wall times s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for name, run_ in r["runs"].items():  # type: ignore[attr-defined]
            out.append(
                f"| {r['n']} | {name} | {outcome(run_)} | {run_['wall_s']} | {run_['cpu_s']} | "
                f"{run_['peak_rss_mb']} | {run_.get('peak_tree_mb', '')} | "
                f"{run_.get('output_mb', '')} | "
                f"{run_.get('html_files', '')} | "
                f"{run_.get('html_kb_per_consultation', '')} | {wall_times(run_)} |"
            )
    out += [
        "",
        "## Targets (issue 8)",
        "",
        *targets(results),
        "",
        "material-default: Material's default features; material-pruned: "
        "navigation.sections + navigation.prune, as the portal's mkdocs.yml. Both list "
        "every consultation in the nav. Pelican: articles, default theme, pagination 20.",
        "",
        "With --repeat, the variants take turns and each row is the run with the median wall "
        "time; the last column lists every run's wall time. "
        "CPU s counts every process of a build (the portal's forked worker too). Peak RSS is "
        "the largest single process; peak tree is the sum over all of a build's processes, "
        "sampled every 20 ms, with shared pages counted once (PSS).",
        "",
    ]
    for r in results:
        for name, run_ in r["runs"].items():  # type: ignore[attr-defined]
            if "log_tail" in run_:
                out += [
                    f"### N={r['n']} {name} failed",
                    "",
                    "```",
                    str(run_["log_tail"]),
                    "```",
                    "",
                ]
    return "\n".join(out)


def cold_report(results: list[dict[str, object]], info: dict[str, str], command: str) -> str:
    """Issue 19's cold build: each of the portal's generators against plain Pelican."""
    out = preamble("Cold build at the limit (issue 19)", info, command)
    for r in results:
        runs: dict[str, dict[str, Any]] = r["runs"]  # type: ignore[assignment]
        base = runs.get("pelican")
        out += [
            f"## N = {r['n']} consultations",
            "",
            "| variant | rc | wall s (median) | CPU s | wall / plain Pelican | CPU / plain Pelican "
            "| peak tree MB | all wall times s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, run_ in runs.items():
            ok = base is not None and base["rc"] == 0 and run_["rc"] == 0
            wall = f"{run_['wall_s'] / base['wall_s']:.2f}" if ok and base else ""
            cpu = f"{run_['cpu_s'] / base['cpu_s']:.2f}" if ok and base else ""
            out.append(
                f"| {LABELS.get(name, name)} | {outcome(run_)} | {run_['wall_s']} | "
                f"{run_['cpu_s']} | {wall} | {cpu} | {run_.get('peak_tree_mb', '')} | "
                f"{wall_times(run_)} |"
            )
        for name, reason in dict(r.get("skipped") or {}).items():  # type: ignore[call-overload]
            out.append(f"| {LABELS.get(name, name)} | skipped: {reason} | | | | | | |")
        built = [
            (float(runs[n]["wall_s"]), n)
            for n in PORTAL_VARIANTS
            if n in runs and runs[n]["rc"] == 0
        ]
        if base is not None and base["rc"] == 0 and built:
            wall, name = min(built)
            ratio = wall / float(base["wall_s"])
            out += [
                "",
                f"Fastest portal generator: {LABELS.get(name, name)}, {ratio:.2f} x plain "
                f"Pelican's wall time (target <= 1.0): {'MET' if ratio <= 1.0 else 'MISSED'}.",
            ]
        out.append("")
    out += [
        "The same generated Markdown for every variant: N consultations, each with a form "
        "(three questions) and a document, plus the demo's pages and data packages for the "
        "portal variants. Plain Pelican: articles, default theme, pagination 20, no portal. "
        "Plain MkDocs + Material: the consultations as docs pages listed in the nav. The "
        "kept form versions a portal of this size has in git are written once before the "
        "timed runs. Each variant runs in its own process, taking turns with the others; the "
        "row is its median run. CPU s counts every process of a build (forked workers too).",
        "",
    ]
    return "\n".join(out)


LABELS = {
    **{name: f"portal build --generator {g}" for name, g in PORTAL_GENERATORS.items()},
    "material-default": "plain MkDocs + Material (default features)",
    "material-pruned": "plain MkDocs + Material (sections + prune)",
    "pelican": "plain Pelican",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "build-scale.md")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per build")
    parser.add_argument(
        "--only", nargs="+", default=["portal", "material-default", "material-pruned", "pelican"]
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep work folders here")
    parser.add_argument(
        "--cold-out", type=Path, default=None, help="also write issue 19's cold-build report here"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each variant, taking turns (median)"
    )
    args = parser.parse_args(argv)
    info = machine()
    results = []
    for n in args.n:
        results.append(bench_n(n, args.keep, args.timeout, args.only, args.repeat))
        print(json.dumps(results[-1]), flush=True)
    info["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    command = " ".join([".venv/bin/python bench/build_scale.py", *sys.argv[1:]])
    args.out.write_text(report(results, info, command), encoding="utf-8")
    if args.cold_out is not None:
        args.cold_out.write_text(cold_report(results, info, command), encoding="utf-8")
        print(f"wrote {args.cold_out}")
    args.out.with_suffix(".json").write_text(
        json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8"
    )
    print(f"wrote {args.out}")
    return 0 if all(r["rc"] == 0 for res in results for r in res["runs"].values()) else 1  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
