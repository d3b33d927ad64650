"""The two real packages from the shared collection: one rendered as published, one refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from portal.datasets.pages import dataset_outputs
from portal.datasets.reader import read_datasets
from portal.problems import Problems
from portal.settings import Settings
from tests.datasets.html import assert_accessible_structure, parse, text


def test_bond_yields_render_as_published(
    settings: Settings, copy_shared: Callable[[str], Path]
) -> None:
    folder = copy_shared("bond-yields-uk-10y")
    published = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    problems = Problems(settings.root)

    [dataset] = read_datasets(settings, problems)

    assert not problems, [str(p) for p in problems.items]
    assert dataset.title == published["title"]
    # The embedded readme as published, but for its badge: an image from another site, which
    # the site's Content Security Policy refuses, becomes the text of its link.
    badge = published["readme"].split("</a>")[0] + "</a>"
    assert "<img" in badge and "<img" not in dataset.description
    assert dataset.description.startswith(badge.split("<img")[0] + "badge</a>")
    assert dataset.description.split("</a>", 1)[1] == published["readme"].split("</a>", 1)[1]
    assert [r.name for r in dataset.resources] == ["quarterly", "annual"]
    assert [r.rows for r in dataset.resources] == [168, 42]
    assert [r.size for r in dataset.resources] == [3208, 813]
    assert dataset.licences[0].identifier == "odc-pddl"
    assert dataset.licences[0].url == "http://opendatacommons.org/licenses/pddl/"
    assert dataset.sources[0].title == "Bank of England"
    for resource, original in zip(dataset.resources, published["resources"], strict=True):
        fields = original["schema"]["fields"]
        assert [(f.name, f.type) for f in resource.fields] == [
            (f["name"], f["type"]) for f in fields
        ]
        assert resource.fields[0].format == "%Y-%m-%d"
        assert resource.fields[1].description == fields[1]["description"]
        assert resource.hash == original["hash"]
    # The datahub "simple" line graph view is drawn as the publisher declared it.
    [view] = dataset.views
    assert view.title == published["views"][0]["title"]
    assert view.svg.startswith('<svg role="img"')
    assert "Line chart of Rate by Date" in view.summary

    pages, files = dataset_outputs([dataset], settings)
    page = next(p for p in pages if p.src_uri == "datasets/bond-yields-uk-10y/index.md")
    assert page.markdown == dataset.description
    doc = parse(page)
    assert_accessible_structure(doc)
    assert text(doc.find(".//h1")) == published["title"]
    assert "10 year nominal yields on UK government bonds" in text(doc)
    res = parse(
        next(
            p
            for p in pages
            if p.src_uri == "datasets/bond-yields-uk-10y/resources/quarterly/index.md"
        )
    )
    assert_accessible_structure(res)
    schema_rows = res.xpath("(//table[@class='portal-table portal-schema'])[1]/tbody/tr")
    assert [text(r[0]) for r in schema_rows] == ["Date", "Rate"]
    assert "format %Y-%m-%d" in text(schema_rows[0][1])
    assert published["resources"][0]["schema"]["fields"][1]["description"] in text(schema_rows[1])
    caption = text(res.get_element_by_id("preview-quarterly-caption"))
    assert "Showing 50 of 168 rows" in caption
    first = res.xpath("//table[@id='preview-quarterly']/tbody/tr[1]/td")
    assert [text(c) for c in first] == ["1984-03-31", "10.9817"]  # cells exactly as in the file
    assert first[1].get("class") == "portal-num"
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert {
        "data/quarterly.csv",
        "data/annual.csv",
        "datapackage.json",
        "bond-yields-uk-10y.zip",
    } <= hrefs
    assert {f.dest_uri for f in files} >= {
        "datasets/bond-yields-uk-10y/data/quarterly.csv",
        "datasets/bond-yields-uk-10y/datapackage.json",
        "datasets/bond-yields-uk-10y/bond-yields-uk-10y.zip",
        "datasets/bond-yields-uk-10y/graph.svg",
    }
    [script] = doc.xpath("//script[@type='application/ld+json']")
    ld = json.loads(script.text)
    assert ld["@type"] == "Dataset" and ld["name"] == published["title"]
    assert ld["license"] == ["http://opendatacommons.org/licenses/pddl/"]
    assert len(ld["distribution"]) == 3


def test_frictionless_invalid_is_refused_with_resource_row_and_field(
    settings: Settings, copy_shared: Callable[[str], Path]
) -> None:
    copy_shared("frictionless-invalid")
    problems = Problems(settings.root)

    read_datasets(settings, problems)

    messages = [str(p) for p in problems.items]
    assert all(m.startswith("datasets/frictionless-invalid/datapackage.json") for m in messages)
    # Its name is "testing": the page address would not match the folder, so that is reported.
    assert (
        "datasets/frictionless-invalid/datapackage.json:2: package name 'testing' differs"
        in messages[0]
    )
    assert any(
        "resource 'data' row 3 fields 'id', 'name', 'description', 'amount': blank row" in m
        for m in messages
    ), messages
    assert any("resource 'data' row 3 field 'id': primary key" in m for m in messages)
    assert any(
        "resource 'data2' row 4 fields 'parent', 'comment': blank row" in m for m in messages
    ), messages
    assert all(p.hint for p in problems.items)
