"""A portal without a programme, without datasets or without forms builds and works; one
with a programme page but no data package builds too (it used to fail: the engine looked
for the demo's package). Each starts from `portal init` and changes one thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import portal

PROGRAMME = """---
title: Certificate in Community Planning
programme:
  summary: A short course on involving residents in local plans.
  duration: Ten weeks, part time
  format: Evening classes
  certification: A certificate of completion
  outcomes:
    - Plan a public meeting people can reach
  modules:
    - title: Listening first
      summary: Hearing what residents already know.
    - title: Plans people can read
      summary: Writing a plan in plain English.
{figures}---
What the course is and who it is for.
"""
ENQUIRY = """---
title: Ask about the certificate
form:
  id: certificate-enquiry
  questions:
    - id: module
      type: radio
      label: Which part interests you most?
      options_from: programme.modules
---
Tell us what you would like to know.
"""
MISSING_PACKAGE = """figures_from:
  dataset: course-outcomes
  resource: outcomes
  label: year
  value: completed
"""


@pytest.fixture()
def new_portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    portal("init", str(root))
    return root


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def add_to_nav(root: Path, entries: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  - Privacy notice:", f"{entries}  - Privacy notice:"),
        encoding="utf-8",
    )


def test_without_programme_or_datasets_the_home_page_offers_neither(new_portal: Path) -> None:
    portal("build", root=new_portal)
    home = (new_portal / "site" / "index.html").read_text("utf-8")
    assert "Open consultations closing soonest" in text(home)
    assert "datasets/" not in home and "Open data" not in text(home)
    assert "programme" not in home.lower()
    assert not (new_portal / "site" / "datasets").exists()


def test_without_forms(new_portal: Path) -> None:
    page = new_portal / "consultations" / "example-consultation" / "index.md"
    source = page.read_text("utf-8")
    page.write_text(re.sub(r"\nform:\n(?:  .*\n)+", "\n", source), encoding="utf-8")
    assert "All content is valid: 1 consultations, 0 forms, 0 datasets." in (
        portal("check", root=new_portal).stdout
    )
    portal("build", root=new_portal)
    html = new_portal / "site" / "consultations" / "example-consultation" / "index.html"
    assert "<form" not in html.read_text("utf-8").split('class="md-content"')[-1]
    assert not list((new_portal / "site").glob("api/forms/*.json"))


def test_a_programme_page_without_any_data_package(new_portal: Path) -> None:
    programme = new_portal / "content" / "programme"
    programme.mkdir()
    (programme / "index.md").write_text(PROGRAMME.format(figures=""), encoding="utf-8")
    (programme / "enquire.md").write_text(ENQUIRY, encoding="utf-8")
    add_to_nav(
        new_portal, "  - Course:\n      - programme/index.md\n      - programme/enquire.md\n"
    )
    portal("check", root=new_portal)
    portal("build", root=new_portal)
    site = new_portal / "site"
    page = text((site / "programme" / "index.html").read_text("utf-8"))
    assert "Ten weeks, part time" in page and "Download these figures" not in page
    home = (site / "index.html").read_text("utf-8")
    # The home page links to the form under programme/, whatever its name.
    assert 'href="./programme/enquire/">Enquire about the programme</a>' in home
    enquiry = (site / "programme" / "enquire" / "index.html").read_text("utf-8")
    assert "Listening first" in enquiry, "options_from the programme's facts"


def test_figures_from_a_package_the_portal_does_not_have(new_portal: Path) -> None:
    programme = new_portal / "content" / "programme"
    programme.mkdir()
    page = programme / "index.md"
    page.write_text(PROGRAMME.format(figures=MISSING_PACKAGE), encoding="utf-8")
    add_to_nav(new_portal, "  - Course: programme/index.md\n")
    result = portal("check", root=new_portal, check=False)
    assert result.returncode == 1
    line = page.read_text("utf-8").splitlines().index("  dataset: course-outcomes") + 1
    assert (
        f"content/programme/index.md:{line}: there is no data package 'course-outcomes' to "
        "take figures from (add the package as datasets/NAME/datapackage.json)"
    ) in result.stderr
