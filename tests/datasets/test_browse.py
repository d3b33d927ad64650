"""Row pages written from real CSV files: every row once, in a person's alphabetical order."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from portal.datasets import browse
from portal.datasets.model import Resource, RowIndex, SchemaField
from tests.support import ROOT

FIELDS = [SchemaField("name", "string", "Name"), SchemaField("n", "integer")]
NAMES = ["Zennor", "ålesund", "Aberdeen", "Éire", "bath", "Abergele", "Ynys Môn", "eastleigh"]


def write(folder: Path, name: str, rows: list[tuple[str, int]]) -> RowIndex:
    csv = folder / f"{name}.csv"
    csv.write_text("name,n\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    resource = Resource(name, csv.name, "csv", "text/csv", 0, fields=FIELDS)
    context = browse.Context("Site", "Data", "datasets/data/", ROOT / "theme")
    return browse.write_row_pages(resource, csv, {}, FIELDS[0], folder / "cache", context)


def rows_in_order(index: RowIndex) -> list[str]:
    names = []
    for page in sorted(p for p in index.files if p[0].isdigit()):
        doc = lxml_html.fromstring((index.folder / page).read_bytes())
        names += [th.text_content() for th in doc.xpath("//tbody/tr/th")]
    return names


@pytest.mark.parametrize("run_rows", [3, 100_000])  # sorted in runs on disk, or in memory
def test_every_row_once_accents_and_case_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_rows: int
) -> None:
    monkeypatch.setattr(browse, "RUN_ROWS", run_rows)
    monkeypatch.setattr(browse, "PAGE_ROWS", 3)
    index = write(tmp_path, "places", [(n, i) for i, n in enumerate(NAMES)])

    assert rows_in_order(index) == [
        "Aberdeen", "Abergele", "ålesund", "bath", "eastleigh", "Éire", "Ynys Môn", "Zennor",
    ]  # fmt: skip
    assert (index.rows, index.pages) == (8, 3)
    top = lxml_html.fromstring((index.folder / "index.html").read_bytes())
    ranges = [a.text_content() for a in top.xpath("//ul[@class='portal-row-ranges']/li/a")]
    assert ranges == ["Aberdeen to ålesund", "bath to Éire", "Ynys Môn to Zennor"]


def test_a_resource_whose_name_starts_another_keeps_its_pages(tmp_path: Path) -> None:
    longer = write(tmp_path, "a-b", [("x", 1)])
    shorter = write(tmp_path, "a", [("y", 2)])
    assert longer.folder.is_dir() and shorter.folder.is_dir()
    again = write(tmp_path, "a", [("y", 2), ("z", 3)])  # changed data: new pages
    assert not shorter.folder.exists() and again.folder.is_dir() and longer.folder.is_dir()
