"""The sample form (one question of each type) as a manifest, read by the real reader."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from portal.fields import FieldReader
from portal.forms.definition import manifest, read_form
from portal.frontmatter import parse_yaml
from portal.problems import Problems

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
THEME_DIR = ROOT / "theme"


def sample_manifest(
    *, opens: datetime | None = None, closes: datetime | None = None
) -> dict[str, Any]:
    path = HERE / "sample_form.yaml"
    problems = Problems(HERE)
    located = parse_yaml(path.read_text(encoding="utf-8"), path, problems)
    assert located is not None, problems.items
    reader = FieldReader(path, located, problems, ("form",), located.data["form"])
    form = read_form(reader, default_id="x", default_title="X", retention_days=730)
    assert form is not None, [str(p) for p in problems.items]
    return manifest(
        form,
        page_url="/consultations/bus-lanes/",
        page_file="consultations/bus-lanes/index.html",
        opens=opens,
        closes=closes,
        timezone="Europe/London",
        site_url="https://portal.example/",
    )


VALID = [
    ("name", "Ann Example"),
    ("email", "ann@example.org"),
    ("views", "More buses, please."),
    ("age", "42"),
    ("travel", "bus"),
    ("topics", "safety"),
    ("topics", "air-quality"),
    ("ward", "north"),
    ("support", "4"),
    ("visit", "2026-03-01"),
    ("publish", "yes"),
    ("privacy", "yes"),
]
