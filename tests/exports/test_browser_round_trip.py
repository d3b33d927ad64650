"""The loop closed in a real browser: answer, export, validate, publish results, read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from tests.exports.conftest import FORM, read_csv
from tests.support import FIXTURE_SITE, copy_site, portal, serve_portal

pytestmark = pytest.mark.e2e

ANSWERS = [
    {"support": "yes", "modes": ["bus", "bike"], "rating": "4", "publish": True},
    {"support": "no", "modes": ["car"], "rating": "2", "publish": False},
    {"support": "yes", "modes": [], "rating": "4", "publish": True},
]


def answer(page: Any, url: str, given: dict[str, Any], number: int) -> str:
    page.goto(url + "/consultations/bus-lanes/")
    page.check(f'input[name="support"][value="{given["support"]}"]')
    for mode in given["modes"]:
        page.check(f'input[name="modes"][value="{mode}"]')
    page.check(f'input[name="rating"][value="{given["rating"]}"]')
    page.fill('textarea[name="comment"]', f"Comment number {number} <b>bold</b>")
    page.fill('input[name="email"]', f"person{number}@example.org")
    if given["publish"]:
        page.check('input[name="publish"]')
    page.get_by_role("button", name="Send response").click()
    page.wait_for_url("**/confirmation/**")
    return str(page.locator(".portal-reference").inner_text()).strip()


def table_rows(page: Any) -> list[list[str]]:
    rows: list[list[str]] = page.evaluate(
        "() => [...document.querySelectorAll('table tr')].map(r => "
        "[...r.querySelectorAll('th,td')].map(c => c.textContent.trim()))"
    )
    return rows


def test_answer_export_validate_and_read_the_results(browser: Any, tmp_path: Path) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    (root / "consultations" / "bus-lanes" / "index.md").write_text(FORM, encoding="utf-8")
    portal("build", root=root, env={"PORTAL_NOW": "2027-01-15T12:00"})
    db = tmp_path / "responses.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}"}
    context = browser.new_context()
    page = context.new_page()
    try:
        with serve_portal(root / "site", db, tmp_path / "server.log") as server:
            references = [answer(page, server.url, a, n) for n, a in enumerate(ANSWERS)]
        assert len(set(references)) == 3

        out = tmp_path / "export"
        portal("export", "bus-lanes", "--out", str(out), root=root, env=env)
        report = validate(str(out / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
        rows = read_csv(out / "responses.csv")
        assert sorted(r["reference"] for r in rows) == sorted(references)

        portal("results", "bus-lanes", "--now", "2099-03-01T00:00", root=root, env=env)
        (root / "consultations" / "bus-lanes" / "outcome.md").write_text(
            "We will build the bus lanes.\n", encoding="utf-8"
        )
        portal("build", root=root, env={"PORTAL_NOW": "2099-03-01T00:00"})
        with serve_portal(root / "site", db, tmp_path / "server2.log") as server:
            page.goto(server.url + "/datasets/bus-lanes-results/resources/options/")
            cells = table_rows(page)
            outcome = page.goto(server.url + "/consultations/bus-lanes/")
            assert outcome is not None and outcome.status == 200
            assert page.get_by_role("heading", name="What people told us").is_visible()
    finally:
        context.close()

    def count(question: str, option: str) -> int:
        for row in cells:
            if question in row and option in row:
                return int(next(c for c in reversed(row) if c.isdigit()))
        raise AssertionError(f"no row for {question}/{option} in {cells}")

    assert count("support", "yes") == 2
    assert count("support", "no") == 1
    assert count("modes", "car") == 1
    # The comments were free text: never published in aggregate results.
    assert not any("Comment number" in c for row in cells for c in row)
