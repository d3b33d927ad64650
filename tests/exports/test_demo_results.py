"""The demo's published results (issue 15): the street lighting consultation's outcome shows
one readable chart per counted question, made from demonstration responses that
scripts/demo-results.py makes the same way every time, and says they are not real.

Which questions are counted is read from the built form's manifest by the rule
portal.exports.results applies (every question that is neither personal nor unpublished,
of a type it charts: choices, scales, numbers and dates; never consent or free text).
"""

from __future__ import annotations

import csv
import filecmp
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from portal.exports import results
from portal.exports.export import published_questions
from portal.forms.languages import in_language
from tests.support import ROOT, axe_violations, describe, horizontal_overflow

SLUG = "street-lighting-night-dimming"
DATASET = f"{SLUG}-results"
# Each page in English and in Welsh (issue 21): the form is in both, so are its results.
PAGES = [
    f"{root}{page}"
    for root in ("/", "/cy/")
    for page in (f"consultations/{SLUG}/", f"datasets/{DATASET}/")
]
IDS = ["outcome", "dataset", "outcome-cy", "dataset-cy"]
DEMO = {
    "en": (
        "These are demonstration responses, made up to show how results are published on "
        "this portal: they are not real responses from residents."
    ),
    "cy": (
        "Ymatebion enghreifftiol yw’r rhain, wedi’u creu i ddangos sut mae canlyniadau’n "
        "cael eu cyhoeddi ar y porth hwn: nid ydynt yn ymatebion go iawn gan drigolion."
    ),
}
OUTCOME_DEMO = {
    "en": (
        "The responses counted on this page are demonstration responses, made up to show how "
        "results are published on this portal: they are not real responses from residents."
    ),
    "cy": (
        "Ymatebion enghreifftiol yw’r ymatebion a gyfrifir ar y dudalen hon, wedi’u creu i "
        "ddangos sut mae canlyniadau’n cael eu cyhoeddi ar y porth hwn: nid ydynt yn "
        "ymatebion go iawn gan drigolion."
    ),
}


def language_of(path: str) -> str:
    return "cy" if path.startswith("/cy/") else "en"


def words(text: str) -> str:
    return " ".join(text.split())


def manifest(site: Path, language: str = "en") -> dict[str, Any]:
    """The built form, with ``language``'s words where its labels are."""
    found: dict[str, Any] = json.loads(
        (site / "api" / "forms" / f"{SLUG}.json").read_text(encoding="utf-8")
    )
    return in_language(found, language)


def counted(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions results.py gives a chart, in the form's order."""
    return [q for q in published_questions(form, public=True) if q["type"] in results.CHARTED]


def package(site: Path, language: str = "en") -> dict[str, Any]:
    name = "datapackage.json" if language == "en" else f"datapackage.{language}.json"
    found: dict[str, Any] = json.loads(
        (site / "datasets" / DATASET / name).read_text(encoding="utf-8")
    )
    return found


def rows_of(site: Path, view: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """(the label the chart shows, its count) for every row of the view's table."""
    (name,) = view["resources"]
    resource = next(r for r in package(site, language)["resources"] if r["name"] == name)
    field = next(e["field"] for e in view["spec"]["encoding"].values() if e["field"] != "count")
    path = site / "datasets" / DATASET / resource["path"]
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row[field], row["count"]) for row in csv.DictReader(handle)]


def test_the_form_asks_every_kind_of_question_and_some_are_never_charted(
    demo_site: Path,
) -> None:
    form = manifest(demo_site)
    kinds = {q["type"] for q in counted(form)}
    assert {"radio", "select", "checkboxes", "scale", "number", "date"} <= kinds, kinds
    left_out = [q["id"] for q in form["questions"] if q not in counted(form)]
    # Free text (only its reviewed answers are published), the personal email address and
    # the publication consent get no chart.
    assert {q["type"] for q in form["questions"] if q["id"] in left_out} >= {
        "textarea",
        "email",
        "consent",
    }


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_one_chart_per_counted_question_with_its_counts_in_words_and_a_table(
    demo_site: Path, path: str
) -> None:
    language = language_of(path)
    form = manifest(demo_site, language)
    questions = counted(form)
    views = {v["title"]: v for v in package(demo_site, language)["views"]}
    doc = lxml_html.fromstring((demo_site / path.strip("/") / "index.html").read_bytes())
    scope = doc.xpath('//section[@class="portal-outcome"]') if "consultations" in path else [doc]
    assert len(scope) == 1, "the consultation shows no outcome"
    figures = scope[0].xpath('.//figure[contains(@class, "portal-chart")]')
    assert len(figures) == len(questions), [f.text_content()[:60] for f in figures]
    for question, figure in zip(questions, figures, strict=True):
        label = words(question["label"])
        (img,) = figure.xpath(".//img")
        assert img.get("alt") == label
        # The text alternative: the caption the image points to, stating every count.
        (caption,) = figure.xpath(f'.//*[@id="{img.get("aria-describedby")}"]')
        said = words(caption.text_content())
        expected = rows_of(demo_site, views[label], language)
        assert expected and sum(int(c) for _, c in expected) > 0, label
        for shown, count in expected:
            assert f"{shown}: {count}" in said, (label, shown, said)
        # The table beside it holds the same numbers.
        (table,) = figure.xpath(".//table")
        cells = [
            (words(r.xpath("./td")[0].text_content()), words(r.xpath("./td")[-1].text_content()))
            for r in table.xpath("./tbody/tr")
        ]
        assert cells == expected, label
    said = (DEMO if "datasets" in path else OUTCOME_DEMO)[language]
    assert words(said) in words(doc.text_content())


def test_every_count_axis_is_in_whole_numbers(demo_site: Path) -> None:
    views = package(demo_site)["views"]
    assert len(views) == len(counted(manifest(demo_site)))
    for view in views:
        axis = next(e for e in view["spec"]["encoding"].values() if e["field"] == "count")
        assert all(isinstance(v, int) for v in axis["axis"]["values"]), view["name"]
        assert axis["axis"]["format"] == "d"
        svg = (demo_site / "datasets" / DATASET / f"{view['name']}.svg").read_text("utf-8")
        ticks = re.findall(r">(\d+(?:\.\d+)?)</text>", svg)
        assert ticks and all("." not in t for t in ticks), (view["name"], ticks)


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_the_results_pages_pass_axe_and_fit_320_pixels(
    demo_site: Path, demo_server: Any, page: Any, browser: Any, path: str
) -> None:
    page.goto(demo_server.url + path)
    charts = len(counted(manifest(demo_site)))
    assert page.locator("figure.portal-chart img").count() == charts
    assert page.locator("figure.portal-chart table").count() == charts
    violations = axe_violations(page)
    assert not violations, describe(violations)
    # On a phone 320 px wide: still nothing for axe, and no sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    violations = axe_violations(page)
    assert not violations, "at 320 px: " + describe(violations)
    assert horizontal_overflow(browser, demo_server.url + path, 320) <= 0


def test_the_script_makes_exactly_the_committed_results(demo_site: Path, tmp_path: Path) -> None:
    """Run into an empty portal folder, the script writes byte for byte what is committed,
    so an engine change that alters the results shows up here."""
    root = tmp_path / "portal"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "demo-results.py"),
            "--root",
            str(root),
            "--site-dir",
            str(demo_site),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    made = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    dataset = ROOT / "datasets" / DATASET
    written = sorted(p.relative_to(ROOT) for p in dataset.rglob("*") if p.is_file())
    committed = [Path("consultations") / SLUG / "review.yml", *written]
    assert made == sorted([Path("mkdocs.yml"), *committed])
    for path in committed:
        assert filecmp.cmp(root / path, ROOT / path, shallow=False), f"{path} differs"
