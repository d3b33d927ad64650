"""Packages a publisher might write: each feature read, and each mistake reported in place."""

from __future__ import annotations

import json
from typing import Any

from portal.datasets.model import Dataset
from portal.datasets.pages import dataset_outputs
from portal.datasets.reader import read_datasets
from portal.problems import Problems
from portal.settings import Settings
from tests.datasets.conftest import MakePackage
from tests.datasets.html import assert_accessible_structure, parse, text

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def read(settings: Settings) -> tuple[list[Dataset], list[str]]:
    problems = Problems(settings.root)
    datasets = read_datasets(settings, problems)
    # Each as staff read it, less the stable code at its end (tested where codes are).
    return datasets, [str(p).removesuffix(f" [{p.code}]") for p in problems.items]


def table(
    name: str, path: str, fields: list[dict[str, Any]] | str | None, **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {"name": name, "path": path, "format": "csv", **extra}
    if fields is not None:
        resource["schema"] = fields if isinstance(fields, str) else {"fields": fields}
    return resource


def test_v2_package_with_schema_by_path(settings: Settings, make_package: MakePackage) -> None:
    schema = {"fields": [{"name": "day", "type": "date"}, {"name": "count", "type": "integer"}]}
    make_package(
        "counts",
        {
            "$schema": V2,
            "name": "counts",
            "title": "Counts",
            "resources": [table("counts", "data/counts.csv", "schema.json")],
        },
        {
            "data/counts.csv": "day,count\n2025-01-01,3\n2025-01-02,5\n",
            "schema.json": json.dumps(schema),
        },
    )

    [dataset], problems = read(settings)

    assert problems == []
    assert dataset.profile_version == "2"
    assert [(f.name, f.type) for f in dataset.resources[0].fields] == [
        ("day", "date"),
        ("count", "integer"),
    ]
    assert dataset.resources[0].schema_inferred is False
    assert dataset.resources[0].rows == 2


def test_missing_values_are_accepted_and_bad_values_named(
    settings: Settings, make_package: MakePackage
) -> None:
    fields = [{"name": "site", "type": "string"}, {"name": "no2", "type": "number"}]
    make_package(
        "air",
        {
            "name": "air",
            "resources": [
                table(
                    "readings",
                    "readings.csv",
                    fields,
                )
            ],
        },
        {"readings.csv": "site,no2\nA,12.5\nB,NA\nC,\nD,n/a\n"},
    )
    descriptor_path = settings.datasets_dir / "air" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    descriptor["resources"][0]["schema"]["missingValues"] = ["", "NA"]
    descriptor_path.write_text(json.dumps(descriptor))

    [dataset], problems = read(settings)

    assert problems == [
        "datasets/air/datapackage.json: resource 'readings' row 5 field 'no2': "
        "type error (value 'n/a'): type is \"number/default\" (write the value "
        "in the field's type and format, or as a missing value)"
    ]
    assert dataset.resources[0].missing_values == ["", "NA"]


def test_dates_in_their_declared_format(settings: Settings, make_package: MakePackage) -> None:
    fields = [{"name": "when", "type": "date", "format": "%d/%m/%Y"}]
    make_package(
        "dates",
        {"name": "dates", "resources": [table("days", "days.csv", fields)]},
        {"days.csv": "when\n31/01/2025\n30/02/2025\n"},
    )

    [dataset], problems = read(settings)

    assert len(problems) == 1
    assert "resource 'days' row 3 field 'when': type error (value '30/02/2025')" in problems[0]
    assert dataset.resources[0].fields[0].format == "%d/%m/%Y"


def test_resource_without_schema_is_inferred_and_says_so(
    settings: Settings, make_package: MakePackage
) -> None:
    make_package(
        "plain",
        {"name": "plain", "title": "Plain", "resources": [table("people", "people.csv", None)]},
        {"people.csv": "name,age\nAnn,31\nBo,42\n"},
    )

    [dataset], problems = read(settings)

    assert problems == []
    resource = dataset.resources[0]
    assert resource.schema_inferred
    assert [(f.name, f.type) for f in resource.fields] == [("name", "string"), ("age", "integer")]
    pages, _ = dataset_outputs([dataset], settings)
    doc = parse(next(p for p in pages if p.src_uri == "datasets/plain/resources/people/index.md"))
    assert "inferred from its data" in text(doc)
    assert_accessible_structure(doc)


def test_several_resources_with_a_broken_foreign_key(
    settings: Settings, make_package: MakePackage
) -> None:
    sites = table("sites", "sites.csv", [{"name": "id", "type": "string"}])
    readings = table(
        "readings",
        "readings.csv",
        [{"name": "site", "type": "string"}, {"name": "value", "type": "integer"}],
    )
    readings["schema"]["foreignKeys"] = [
        {"fields": ["site"], "reference": {"resource": "sites", "fields": ["id"]}}
    ]
    make_package(
        "net",
        {"name": "net", "resources": [readings, sites]},
        {"sites.csv": "id\nS1\nS2\n", "readings.csv": "site,value\nS1,4\nS9,7\nS2,1\n"},
    )

    [dataset], problems = read(settings)

    assert [r.rows for r in dataset.resources] == [3, 2]
    assert len(problems) == 1
    assert "resource 'readings' row 3 field 'site': foreign key" in problems[0]
    assert problems[0].endswith("(use a value that exists in the referenced resource)")


def test_non_ascii_text_throughout(settings: Settings, make_package: MakePackage) -> None:
    fields = [
        {"name": "ardal", "type": "string", "title": "Ardal (área)"},
        {"name": "ymatebion", "type": "integer"},
    ]
    make_package(
        "cyfranogiad",
        {
            "name": "cyfranogiad",
            "title": "Cyfranogiad yn ôl ardal — Saint-Étienne",
            "keywords": ["Ynys Môn", "ymgynghori"],
            "resources": [table("ardaloedd", "ardaloedd.csv", fields)],
        },
        {
            "ardaloedd.csv": "ardal,ymatebion\nPlas Glyndŵr,12\nCafé Quarter,7\n",
            "README.md": "# Cyfranogiad\n\nYmatebion fesul ardal: “Glyndŵr”.\n",
        },
    )

    [dataset], problems = read(settings)

    assert problems == []
    assert dataset.summary == "Ymatebion fesul ardal: “Glyndŵr”."
    pages, _ = dataset_outputs([dataset], settings)
    assert "datasets/keywords/ynys-môn/index.md" in {p.src_uri for p in pages}
    doc = parse(next(p for p in pages if p.src_uri == "datasets/cyfranogiad/index.md"))
    assert text(doc.find(".//h1")) == "Cyfranogiad yn ôl ardal — Saint-Étienne"
    resource = "datasets/cyfranogiad/resources/ardaloedd/index.md"
    doc = parse(next(p for p in pages if p.src_uri == resource))
    cells = [text(td) for td in doc.xpath("//table[@id='preview-ardaloedd']//td")]
    assert cells == ["Plas Glyndŵr", "12", "Café Quarter", "7"]


def test_json_syntax_error_gives_its_line(settings: Settings) -> None:
    folder = settings.datasets_dir / "broken"
    folder.mkdir()
    (folder / "datapackage.json").write_text('{\n  "name": "broken",\n  "title": "x"\n  "a": 1\n}')

    datasets, problems = read(settings)

    assert datasets == []
    assert problems[0].startswith("datasets/broken/datapackage.json:4: not valid JSON")


def test_resource_outside_the_package_is_refused(
    settings: Settings, make_package: MakePackage
) -> None:
    (settings.root / "secret.csv").write_text("a\n1\n")
    make_package(
        "escape",
        {
            "name": "escape",
            "resources": [
                table("secret", "../../secret.csv", None),
                table("gone", "nowhere.csv", None),
            ],
        },
        {},
    )

    datasets, problems = read(settings)

    assert datasets == []
    assert "resource 'secret' path '../../secret.csv' is outside the package" in problems[0]
    assert "resource 'gone' file 'nowhere.csv' does not exist" in problems[1]


def test_long_resource_preview_is_bounded(settings: Settings, make_package: MakePackage) -> None:
    rows = "".join(f"{i},{i * 2}\n" for i in range(2000))
    make_package(
        "long",
        {
            "name": "long",
            "resources": [
                table(
                    "n",
                    "n.csv",
                    [{"name": "i", "type": "integer"}, {"name": "double", "type": "integer"}],
                )
            ],
        },
        {"n.csv": "i,double\n" + rows},
    )

    [dataset], problems = read(settings)

    assert problems == []
    assert dataset.resources[0].rows == 2000 and len(dataset.resources[0].preview) == 50
    pages, _ = dataset_outputs([dataset], settings)
    doc = parse(next(p for p in pages if p.src_uri == "datasets/long/resources/n/index.md"))
    assert "Showing 50 of 2,000 rows." in text(doc.get_element_by_id("preview-n-caption"))
    assert len(doc.xpath("//table[@id='preview-n']/tbody/tr")) == 50
    headers = doc.xpath("//table[@id='preview-n']/thead/tr/th")
    assert [h.get("scope") for h in headers] == ["col", "col"]
    assert all(h.get("class") == "portal-num" for h in headers)
