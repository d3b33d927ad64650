"""The Nu HTML Checker (vnu, the W3C validator's engine) over every HTML file of the demo
build, run once, with Debian's Java: no error in markup this project writes.

Material's own errors are fixed by overrides where a template override can fix them
(theme/partials/nav-item.html, theme/partials/toc.html). One remains, listed in MATERIAL:
autocomplete="off" on the drawer and search toggles, two checkboxes that Material's
base.html writes outside any block, so only a copy of the whole base template could change
them (and Firefox needs the attribute there to keep a reload from restoring them checked).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.support import ROOT

VNU_JAR = ROOT / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

# (message start, the markup it must be about): errors of Material's that no override fixes.
MATERIAL = [
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        ('data-md-toggle="drawer"', 'data-md-toggle="search"'),
    ),
]


def material_only(message: dict[str, str]) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(
        text.startswith(start) and any(m in extract for m in markup) for start, markup in MATERIAL
    )


def run_vnu(files: list[Path]) -> list[dict[str, str]]:
    java = shutil.which("java")
    assert java, "Java is missing: run 'make test' (scripts/system-deps.sh installs it)"
    assert VNU_JAR.is_file(), "vnu.jar is missing: run 'make test' (npm ci in tools/vnu)"
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # vnu writes its JSON report to standard error, and exits 1 when it found errors.
    report = json.loads(done.stderr)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def test_no_html_errors_in_any_built_page(demo_site: Path) -> None:
    files = sorted(p for p in demo_site.rglob("*.html") if "_portal" not in p.parts)
    files.append(demo_site / "_portal/page/index.html")  # the endpoint's shell, too
    # and the pages nginx answers with in each language (portal.endpoint.refusals)
    files += sorted(demo_site.glob("**/_portal/refusals/*.html"))
    assert len(files) > 60
    errors = [m for m in run_vnu(files) if not material_only(m)]
    lines = [
        f"{m.get('url', '').split(str(demo_site))[-1]}:{m.get('lastLine')}: {m['message']}"
        f"\n    {m.get('extract', '').strip()[:160]}"
        for m in errors
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(lines[:40])


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The run above can fail: the same checker, on markup with the errors the issue saw."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<form action=""><label for="a" tabindex="">A</label><input id="a"></form>'
        "</body></html>",
        "utf-8",
    )
    messages = [m["message"] for m in run_vnu([page])]
    assert any("action" in m for m in messages), messages
    assert any("tabindex" in m for m in messages), messages
