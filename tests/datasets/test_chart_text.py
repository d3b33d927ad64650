"""A control character in a CSV cell that a chart shows: vl-convert's Rust code aborted the
whole process on it (found by the hypothesis test). The chart now draws it as U+FFFD; the
data is published as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.datasets.sites import make_root
from tests.support import ROOT, portal


def test_a_control_character_in_charted_data_builds(tmp_path: Path) -> None:
    root = make_root(tmp_path / "portal")
    package = root / "datasets" / "consultation-participation"
    shutil.copytree(ROOT / "datasets" / "consultation-participation", package)
    csv = package / "data" / "participation.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].split(",")
    area = header.split(",").index("area")
    first[area] = "City\x01centre"
    csv.write_text("\n".join([header, ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    site = tmp_path / "site"
    # One process, so an abort would take the command itself down (no worker to blame).
    result = portal(
        "build", "--site-dir", str(site), root=root, check=False, env={"PORTAL_WORKERS": "0"}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    chart = site / "datasets" / "consultation-participation" / "responses-by-month.svg"
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<svg")
    published = site / "datasets" / "consultation-participation" / "data" / "participation.csv"
    assert "City\x01centre" in published.read_text(encoding="utf-8")
