"""Real portals that hold only data packages, built with the real ``portal`` command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.datasets.conftest import SHARED
from tests.support import ROOT, portal

FIXTURES = ROOT / "tests" / "fixtures" / "packages"
# Every date on these pages is judged as of this instant, so the "may be out of date" note
# does not depend on the day the tests run.
NOW = "2026-12-01T12:00"

MKDOCS_YML = """\
site_name: Packages Portal
docs_dir: content
strict: true
theme:
  name: material
  custom_dir: {theme}
  font: false
  palette:
    primary: indigo
    accent: indigo
extra_css:
  - assets/portal/portal.css
  - assets/portal/datasets.css
plugins:
  - search
  - portal:
      timezone: Europe/London
nav:
  - Home: index.md
  - Open data: datasets/index.md
not_in_nav: |
  /datasets/*/
  /_portal/
"""


def make_root(root: Path) -> Path:
    """An empty portal: a home page, mkdocs.yml with the repository's theme, datasets/."""
    (root / "content").mkdir(parents=True)
    (root / "datasets").mkdir()
    (root / "content" / "index.md").write_text(
        "---\ntitle: Home\n---\n# Home\n\nSee the [open data](datasets/index.md).\n",
        encoding="utf-8",
    )
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(theme=ROOT / "theme"), encoding="utf-8")
    return root


def add_package(root: Path, source: Path, name: str | None = None) -> Path:
    target = root / "datasets" / (name or source.name)
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:  # the shared copies are read-only
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def real_packages_root(root: Path) -> Path:
    """The two shared real packages (the invalid one republished with ``validation:
    report``, under the name its descriptor gives) and the fixtures modelled on real ones."""
    make_root(root)
    add_package(root, SHARED / "bond-yields-uk-10y")
    testing = add_package(root, SHARED / "frictionless-invalid", "testing")
    (testing / "portal.yml").write_text("validation: report\n", encoding="utf-8")
    for folder in sorted(FIXTURES.iterdir()):
        if (folder / "datapackage.json").is_file():
            add_package(root, folder)
    return root


def build(root: Path, site: Path, generator: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    return portal(
        "build",
        "--generator",
        generator,
        "--site-dir",
        str(site),
        root=root,
        env={"PORTAL_NOW": NOW},
    )


def frictionless_validate(descriptor: Path, *options: str) -> dict[str, Any]:
    """The real frictionless command on a published descriptor, as a reuser would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", *options, str(descriptor)],
        capture_output=True,
        text=True,
        cwd=descriptor.parent,
        timeout=600,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report
