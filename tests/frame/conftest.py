"""The frame's tests: the demo build (tests/conftest.py's demo_site) and a copy of the second
test portal with a logo and a programme page of its own, built as staff build it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ROOT, copy_site, portal

SECOND_PORTAL = ROOT / "tests" / "fixtures" / "second-portal"
NOW = {"PORTAL_NOW": "2027-02-10T10:00:00+13:00"}  # as tests/second_portal pin it
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<circle cx="5" cy="5" r="4"/></svg>'
)

# A programme page that gives every fact a learner looks for (the demo gives few).
FULL_PROGRAMME = """---
title: Certificate in Coastal Management
description: A short course on managing a changing coast.
programme:
  summary: A part-time course on managing erosion, dunes and coastal communities.
  outcomes:
    - Plan work with coastal communities
  duration: 6 months
  format: Blended
  delivery: [Online modules, Workshops in Kōwhai Bay]
  fees:
    amount: 1450
    currency: NZD
    text: NZ$1,450, payable in two instalments
  funding: Council staff can apply for a training grant that pays the whole fee.
  starts: [2027-03-01, 2027-09-06]
  apply_by: 2027-02-20
  hours_per_week: 5
  entry_requirements:
    - Two years' work in local government or a related field
  certification: Certificate in Coastal Management
  awarding_body: Kōwhai Coast Institute of Technology
  level: Level 5 on the New Zealand Qualifications Framework
  workshops: Kōwhai Bay Community Hall, 12 Shore Road
  how_to_apply: Fill in the application form on the Institute's website.
  contact: courses@kowhaicoast.example.nz
---
## Overview

The course in a paragraph.
"""


def copy_second_portal(dest: Path) -> Path:
    root = copy_site(SECOND_PORTAL, dest)
    (root / "content" / "assets").mkdir(exist_ok=True)
    (root / "content" / "assets" / "kowhai-mark.svg").write_text(LOGO, "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "  name: portal\n", "  name: portal\n  logo: assets/kowhai-mark.svg\n", 1
    )
    assert "logo: assets/kowhai-mark.svg" in text
    config.write_text(text, "utf-8")
    (root / "content" / "programme").mkdir()
    (root / "content" / "programme" / "index.md").write_text(FULL_PROGRAMME, "utf-8")
    return root


@pytest.fixture(scope="session")
def second_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_second_portal(tmp_path_factory.mktemp("frame-second") / "portal")


@pytest.fixture(scope="session")
def second_site(second_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("frame-second-site") / "site"
    portal("build", "--site-dir", str(site), root=second_root, env=NOW)
    return site
