"""Smoke runs of the benchmark scripts: tiny N, two seconds; they finish and write results.

No timing is asserted here or anywhere in CI: the figures live in bench/results/ and
content/performance.md, measured by hand on a stated machine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def run(script: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    tail = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{script} failed:\n{tail}"
    return result


def test_build_scale_runs_at_tiny_n(tmp_path: Path) -> None:
    out = tmp_path / "build-scale.md"
    run("build_scale.py", "--n", "5", "--repeat", "2", "--out", str(out))
    data = json.loads(out.with_suffix(".json").read_text())
    runs = data["results"][0]["runs"]
    assert set(runs) == {"portal", "material-default", "material-pruned", "pelican"}
    for name, r in runs.items():
        assert r["rc"] == 0, name
        assert r["consultation_pages_found"] == 5, name
        assert r["wall_s"] > 0 and r["peak_rss_mb"] > 0 and r["peak_tree_mb"] > 0, name
        assert len(r["wall_all"]) == 2 and r["wall_s"] in r["wall_all"], name
    text = out.read_text()
    assert text.startswith("# Build scale benchmark")
    assert "| 5 | portal | 0 |" in text


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_endpoint_ceiling_runs_for_two_seconds(tmp_path: Path) -> None:
    out = tmp_path / "endpoint.md"
    run(
        "endpoint_ceiling.py",
        "--duration",
        "2",
        "--connections",
        "4",
        "--threads",
        "2",
        "--out",
        str(out),
    )
    data = json.loads(out.with_suffix(".json").read_text())
    for name in ("portal", "ceiling"):
        assert data[name]["requests"] > 0, name
        assert data[name]["every_ack_stored"], name
    assert out.read_text().startswith("# Endpoint load benchmark")


def test_page_weight_runs(tmp_path: Path) -> None:
    out = tmp_path / "page-weight.md"
    run("page_weight.py", "--out", str(out))
    text = out.read_text()
    assert "| /consultations/" in text
    assert "plain HTML" in text
