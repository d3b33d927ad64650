"""The repository's own datasets: valid, catalogued, browsable by keyword, downloadable, and
the source of the programme page's skills-gap figures and chart."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from portal.datasets.model import Dataset
from portal.datasets.pages import dataset_outputs
from portal.datasets.reader import read_datasets
from portal.generated import GeneratedFile, GeneratedPage
from portal.problems import Problems
from portal.settings import Settings, load_settings
from tests.datasets.html import assert_accessible_structure, parse, text

ROOT = Path(__file__).resolve().parents[2]
# The demo's areas for the map (mkdocs.yml's ``areas:``): a GeoJSON package, drawn as the
# map on the consultation pages rather than as a chart of its own.
AREAS = load_settings(ROOT).areas


@pytest.fixture(scope="module")
def demo() -> tuple[Settings, list[Dataset], list[GeneratedPage], list[GeneratedFile]]:
    settings = Settings(root=ROOT, site_url="https://example.org/portal/")
    problems = Problems(ROOT)
    datasets = read_datasets(settings, problems)
    assert not problems, [str(p) for p in problems.items]
    pages, files = dataset_outputs(datasets, settings)
    return settings, datasets, pages, files


Demo = tuple[Settings, list[Dataset], list[GeneratedPage], list[GeneratedFile]]


def test_every_demo_dataset_is_complete(demo: Demo) -> None:
    _, datasets, _, _ = demo
    assert {d.name for d in datasets} >= {
        "uk-digital-skills-gap",
        "air-quality-sensors",
        "consultation-participation",
    }
    for d in datasets:
        assert d.licences and d.sources and d.keywords, d.name
        # A consultation's results ('portal results', written once the consultation has
        # closed) are not updated on a schedule, and their package states no frequency.
        results = d.name.endswith("-results") and "Responses to the form" in d.sources[0].title
        assert d.update_frequency or results, d.name
        assert d.description and d.summary and d.last_modified, d.name
        if d.name == AREAS:
            assert any(f.endswith(".geojson") for f in d.files), d.files
            continue
        assert d.views and all(v.svg and v.summary for v in d.views), d.name


def test_skills_gap_provenance_is_honest(demo: Demo) -> None:
    _, datasets, _, _ = demo
    dataset = next(d for d in datasets if d.name == "uk-digital-skills-gap")
    assert "does not name" in dataset.summary
    assert "programme brief" in dataset.sources[0].title.lower()


def test_catalogue_lists_each_dataset_with_its_facts(demo: Demo) -> None:
    _, datasets, pages, _ = demo
    catalogue = next(p for p in pages if p.src_uri == "datasets/index.md")
    doc = parse(catalogue)
    assert_accessible_structure(doc)
    cards = doc.xpath("//li[@class='portal-card']")
    assert len(cards) == len(datasets)
    for card in cards:
        facts = [text(dt) for dt in card.iter("dt")]
        assert facts[:3] == ["Licence", "Last updated", "Formats"]
        areas = next(d for d in datasets if d.name == AREAS)
        assert ("GeoJSON" if areas.title in text(card) else "CSV") in text(card)
    keyword_links = doc.xpath("//nav[@aria-labelledby='keywords-heading']//a")
    assert "smart city (2 datasets)" in [text(a) for a in keyword_links]


def test_keyword_pages_work_without_javascript(demo: Demo) -> None:
    _, _, pages, _ = demo
    page = next(p for p in pages if p.src_uri == "datasets/keywords/smart-city/index.md")
    doc = parse(page)
    assert_accessible_structure(doc)
    titles = [text(a) for a in doc.xpath("//li[@class='portal-card']/h3/a")]
    assert titles == [
        "Air quality sensor readings: daily means",
        "Participation in consultations by area and month",
    ]
    assert doc.xpath("//a[@href='../../../datasets/air-quality-sensors/']")
    assert doc.xpath("//strong[@aria-current='page']")


def test_dataset_page_structure(demo: Demo) -> None:
    _, _, pages, _ = demo
    doc = parse(next(p for p in pages if p.src_uri == "datasets/air-quality-sensors/index.md"))
    assert_accessible_structure(doc)
    facts = {text(dt): text(dd) for dt, dd in zip(doc.iter("dt"), doc.iter("dd"), strict=False)}
    for label in ["Publisher", "Licence", "Source", "Version", "Last modified", "Update frequency"]:
        assert label in facts
    assert facts["Version"] == "1.0.0" and facts["Last modified"] == "2 April 2025"
    resources = doc.xpath("//table[@id='resources-table']/tbody/tr")
    assert [text(r[0]) for r in resources] == [
        "Daily mean concentrations (daily-means)",
        "Sensor sites (sites)",
    ]
    assert [r[0].find("a").get("href") for r in resources] == [
        "resources/daily-means/",
        "resources/sites/",
    ]
    assert [text(r[3]) for r in resources] == ["360", "4"]
    [figure] = doc.xpath("//figure[@class='portal-chart']")
    img = figure.find(".//img")
    assert img.get("src") == "no2-by-site.svg" and img.get("alt")
    assert doc.get_element_by_id(img.get("aria-describedby")) is not None
    resource = parse(
        next(
            p
            for p in pages
            if p.src_uri == "datasets/air-quality-sensors/resources/daily-means/index.md"
        )
    )
    assert_accessible_structure(resource)
    assert "Missing values are written as an empty cell or NA" in text(resource)
    ld = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["url"] == "https://example.org/portal/datasets/air-quality-sensors/"
    assert ld["distribution"][0]["contentUrl"].endswith(
        "datasets/air-quality-sensors/data/daily-means.csv"
    )


def test_downloads_include_a_reproducible_zip(demo: Demo) -> None:
    settings, datasets, _, files = demo
    by_uri = {f.dest_uri: f for f in files}
    zip_file = by_uri["datasets/air-quality-sensors/air-quality-sensors.zip"]
    assert zip_file.source is not None
    with zipfile.ZipFile(zip_file.source) as zf:
        assert set(zf.namelist()) >= {
            "air-quality-sensors/datapackage.json",
            "air-quality-sensors/README.md",
            "air-quality-sensors/schemas/daily-means.json",
            "air-quality-sensors/data/daily-means.csv",
        }
    svg = by_uri["datasets/air-quality-sensors/no2-by-site.svg"].content
    assert svg is not None and svg.startswith(b'<svg role="img" aria-labelledby=')
    _, again = dataset_outputs(datasets, settings)
    second = next(f for f in again if f.dest_uri == zip_file.dest_uri)
    assert second.source is not None
    assert io.BytesIO(second.source.read_bytes()).getvalue() == zip_file.source.read_bytes()
