"""The second portal checked and built with each generator: every page it should have, in
its own time zone, with its own topics, figures from its own data, and nothing of the demo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.second_portal.conftest import FORM_ID, GENERATORS, NOW, copy_second_portal
from tests.support import portal

PAGES = [
    "index.html",
    "consultations/index.html",
    "consultations/coastal-erosion-kowhai-bay/index.html",
    "consultations/rural-library-hours/index.html",
    "consultations/water-meters/index.html",
    "consultations/filter/index.html",
    "swimming/index.html",
    "privacy/index.html",
    "accessibility/index.html",
    "datasets/index.html",
    "datasets/swimming-water-quality/index.html",
    "datasets/swimming-water-quality/datapackage.json",
    f"api/forms/{FORM_ID}.json",
    "feeds/consultations.atom",
    "feeds/consultations.ics",
]
# Words of the demo portal and of the engine's old assumptions, none of which may reach a
# portal that is not Northbridge.
DEMO_WORDS = [
    "Northbridge",
    "smart-parking",
    "Career Advancement",
    "uk-digital-skills-gap",
    "Digital literacy",
    "UK time",
]


def read(site: Path, path: str) -> str:
    return (site / path).read_text("utf-8")


def test_check_passes_and_counts_this_portals_content(second_root: Path) -> None:
    result = portal("check", root=second_root, env=NOW)
    assert "All content is valid: 3 consultations, 1 forms, 1 datasets." in result.stdout


@pytest.mark.parametrize("generator", GENERATORS)
def test_each_generator_publishes_every_page_and_no_programme(
    second_sites: dict[str, Path], generator: str
) -> None:
    site = second_sites[generator]
    missing = [p for p in PAGES if not (site / p).is_file()]
    assert missing == [], missing
    assert not (site / "programme").exists()
    home = read(site, "index.html")
    assert "Kōwhai Coast District Council looks after" in home
    assert "programme" not in home.lower(), "no programme: the home page has no such section"
    package = json.loads(read(site, "datasets/swimming-water-quality/datapackage.json"))
    names = [r["name"] for r in package["resources"]]
    assert names == ["beaches", "samples", "season-summary"]
    for resource in package["resources"]:
        assert (site / "datasets" / "swimming-water-quality" / resource["path"]).is_file()


@pytest.mark.parametrize("generator", GENERATORS)
def test_times_are_in_the_portals_own_zone_either_side_of_daylight_saving(
    second_sites: dict[str, Path], generator: str
) -> None:
    site = second_sites[generator]
    manifest = json.loads(read(site, f"api/forms/{FORM_ID}.json"))
    assert manifest["timezone"] == "Pacific/Auckland"
    # Summer: New Zealand daylight time; a bare closing date is the end of that day.
    assert (manifest["opens"], manifest["closes"]) == (
        "2027-01-18T09:00:00+13:00",
        "2027-03-29T23:59:59+13:00",
    )
    page = read(site, "consultations/coastal-erosion-kowhai-bay/index.html")
    assert "11:59pm on 29 March 2027" in page and "Pacific/Auckland" in page
    # After the clocks go back on 4 April: standard time, still 9am on the page.
    assert "Opens at 9am on 12 April 2027" in read(site, "consultations/water-meters/index.html")
    calendar = read(site, "feeds/consultations.ics")
    assert "DTSTART;TZID=Pacific/Auckland:20270329T235959" in calendar
    assert "DTSTART;TZID=Pacific/Auckland:20270412T090000" in calendar


@pytest.mark.parametrize("generator", GENERATORS)
def test_statuses_topics_and_areas_are_this_portals(
    second_sites: dict[str, Path], generator: str
) -> None:
    index = read(second_sites[generator], "consultations/index.html")
    for heading in ("Open now (1)", "Coming up (1)", "Closed: outcome published (1)"):
        assert heading in re.sub(r"<[^>]+>", "", index), heading
    for facet in ("Coast and climate", "Libraries", "Water", "Kōwhai Bay", "District-wide"):
        assert f">{facet}</a>" in index, facet
    outcome = read(second_sites[generator], "consultations/rural-library-hours/index.html")
    assert "Sunday mornings and until 7pm on Thursdays" in outcome


@pytest.mark.parametrize("generator", GENERATORS)
def test_nothing_of_the_demo_reaches_another_portal(
    second_sites: dict[str, Path], generator: str
) -> None:
    site = second_sites[generator]
    found = []
    for path in site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml", ".atom", ".ics", ".js"} and path.is_file():
            text = path.read_text("utf-8", errors="replace")
            found += [(path.relative_to(site).as_posix(), w) for w in DEMO_WORDS if w in text]
    assert found == []


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_page_shows_the_figures_its_front_matter_names_from_the_data(
    tmp_path: Path, generator: str
) -> None:
    root = copy_second_portal(tmp_path / "portal")
    data = root / "datasets" / "swimming-water-quality" / "data" / "season-summary.csv"
    data.write_text(data.read_text("utf-8").replace("Kōwhai Bay,20,18,90", "Kōwhai Bay,20,17,85"))
    site = tmp_path / "site"
    portal("build", "--generator", generator, "--site-dir", str(site), root=root, env=NOW)
    page = read(site, "swimming/index.html")
    assert "Kōwhai Bay was suitable for swimming on 85% of the days" in page
    assert '<th scope="row">Kōwhai Bay</th><td class="portal-num">85%</td>' in page
    assert '<th scope="col" class="portal-num">Share suitable for swimming (%)</th>' in page
    section = page.split('id="last-summer-at-our-beaches"')[1]
    assert "90%" not in section.split("</section>")[0]
    assert '<svg role="img"' in section, "the package's chart of that table"
    assert 'href="../datasets/swimming-water-quality/"' in section


def test_figures_on_the_home_page_come_right_after_its_own_text(tmp_path: Path) -> None:
    root = copy_second_portal(tmp_path / "portal")
    home = root / "content" / "index.md"
    home.write_text(
        home.read_text("utf-8").replace(
            "---\nKōwhai Coast District Council looks after",
            "figures_from:\n  dataset: swimming-water-quality\n  resource: season-summary\n"
            "  label: beach\n  value: samples\n  heading: Samples taken last summer\n"
            "---\nKōwhai Coast District Council looks after",
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    page = read(site, "index.html")
    text = re.sub(r"<[^>]+>", "", page.split('class="md-content"')[1])  # not the page's TOC
    intro = text.index("Kōwhai Coast District Council looks after")
    figures = text.index("Samples taken last summer")
    listing = text.index("Open consultations closing soonest")
    assert intro < figures < listing
    assert '<th scope="row">Rangi Point</th><td class="portal-num">20</td>' in page
