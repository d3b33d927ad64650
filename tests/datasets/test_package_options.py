"""portal.yml beside a descriptor: mistakes in it are reported at their line, as problems."""

from __future__ import annotations

from portal.datasets.reader import read_datasets
from portal.problems import Problems
from portal.settings import Settings
from tests.datasets.conftest import MakePackage

TABLE = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "string"}]}}


def test_a_mistyped_setting_is_a_problem_at_its_line(
    settings: Settings, make_package: MakePackage
) -> None:
    make_package(
        "p",
        {"name": "p", "resources": [TABLE]},
        {
            "t.csv": "a\nx\n",
            "portal.yml": "# ours\nvalidation: warn\nbrowse:\n  t: nope\ncolour: blue\n",
        },
    )
    problems = Problems(settings.root)

    read_datasets(settings, problems, Problems(settings.root))

    found = sorted((p.line, p.code, p.message) for p in problems.items if p.line)
    assert found == [
        (2, "field-value", "validation 'warn' is not one of: fail, report"),
        (5, "key-unknown", "unknown setting(s): colour"),
    ]
    assert any("browse: resource 't' has no field 'nope'" in p.message for p in problems.items)


def test_report_mode_keeps_data_errors_out_of_the_problems(
    settings: Settings, make_package: MakePackage
) -> None:
    table = {**TABLE, "schema": {"fields": [{"name": "a", "type": "integer"}]}}
    make_package(
        "p",
        {"name": "p", "resources": [table]},
        {"t.csv": "a\n1\nx\n3\n", "portal.yml": "validation: report\n"},
    )
    problems, notes = Problems(settings.root), Problems(settings.root)

    [dataset] = read_datasets(settings, problems, notes)

    assert problems.items == []
    assert [n.message for n in notes.items] == [
        "resource 't' row 3 field 'a': type error (value 'x'): type is \"integer/default\""
    ]
    assert dataset.report is not None
    assert dataset.report.counts == (("type-error", "Type Error", 1),)
    assert [(e.row, e.field) for e in dataset.report.first] == [(3, "a")]
