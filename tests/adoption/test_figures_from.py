"""`figures_from:` names the dataset, table and columns a page quotes; `portal check`
reports a wrong name at its line, with what to write, and the build refuses it in the same
words. Tried on the second test portal's swimming page (tests/fixtures/second-portal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import portal

PAGE = "content/swimming.md"
# (what is changed, into what, the line it is on, words of the report)
WRONG = {
    "dataset": (
        "dataset: swimming-water-quality",
        "dataset: swiming-water-quality",
        5,
        "there is no data package 'swiming-water-quality' to take figures from "
        "(did you mean 'swimming-water-quality'?)",
    ),
    "resource": (
        "resource: season-summary",
        "resource: season-sumary",
        6,
        "data package 'swimming-water-quality' has no table called 'season-sumary' "
        "(did you mean 'season-summary'?)",
    ),
    "label": (
        "label: beach",
        "label: beach_name",
        7,
        "table 'season-summary' has no column called 'beach_name' (did you mean 'beach'?)",
    ),
    "value": (
        "value: percent_suitable",
        "value: percentage",
        8,
        "table 'season-summary' has no column called 'percentage'",
    ),
    "text": (
        "{Kōwhai Bay}%",
        "{Kowhai Bay}%",
        11,
        "'{Kowhai Bay}' in 'figures_from.text' names no row of 'season-summary' "
        "(did you mean 'Kōwhai Bay'?)",
    ),
    "chart": (
        "chart: season-summary-bar",
        "chart: season-bar",
        15,
        "has no chart of 'season-summary' called 'season-bar'",
    ),
    "unknown key": (
        "  unit: ",
        "  units: ",
        9,
        "unknown field 'figures_from.units' in 'figures_from' (did you mean 'unit'?)",
    ),
    "missing key": (
        "  value: percent_suitable\n",
        "",
        4,
        "'figures_from.value' is missing",
    ),
    "too long a table": (
        "resource: season-summary\n  label: beach\n  value: percent_suitable",
        "resource: samples\n  label: beach_id\n  value: enterococci",
        6,
        "table 'samples' has 100 rows, more than a page can quote (50)",
    ),
}


def broken(tmp_path: Path, old: str, new: str) -> Path:
    root = copy_second_portal(tmp_path / "portal")
    page = root / PAGE
    text = page.read_text("utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("case", WRONG.values(), ids=WRONG.keys())
def test_check_reports_a_wrong_reference_at_its_line(
    tmp_path: Path, case: tuple[str, str, int, str]
) -> None:
    old, new, line, words = case
    root = broken(tmp_path, old, new)
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 1
    reported = [row for row in result.stderr.splitlines() if row.startswith(f"{PAGE}:{line}: ")]
    [row] = [row for row in reported if words in row] or [result.stderr]
    # With the stable code tools match on (portal.problems.CODES).
    code = {"units": "key-unknown", "is missing": "field-missing"}
    expected = next((c for w, c in code.items() if w in words), "field-value")
    assert row.endswith(f"[{expected}]"), row


@pytest.mark.parametrize("case", ["dataset", "text"])
def test_the_build_refuses_it_in_the_same_words(tmp_path: Path, case: str) -> None:
    old, new, line, words = WRONG[case]
    root = broken(tmp_path, old, new)
    result = portal("build", root=root, env=NOW, check=False)
    assert result.returncode == 1
    assert f"{PAGE}:{line}: " in result.stderr and words in result.stderr
    assert not (root / "site").exists(), "nothing was built"


def test_a_package_that_cannot_be_read_is_reported_once_not_as_missing(tmp_path: Path) -> None:
    root = copy_second_portal(tmp_path / "portal")
    descriptor = root / "datasets" / "swimming-water-quality" / "datapackage.json"
    descriptor.write_text(descriptor.read_text("utf-8")[:-40], encoding="utf-8")
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 1
    assert "datasets/swimming-water-quality/datapackage.json" in result.stderr
    assert "there is no data package" not in result.stderr, result.stderr
