"""The second portal in Chromium, as each generator builds it: axe on every page type, the
form of every question type answered and stored exactly, then exported as open data."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from tests.e2e_forms.conftest import CONFIRMATION, fill, reference, submit_button
from tests.second_portal.conftest import FORM, FORM_ID, NOW, SecondServer
from tests.support import axe_violations, describe, portal

pytestmark = pytest.mark.e2e

PAGE_TYPES = {
    "home": "/",
    "consultations": "/consultations/",
    "form of every type": FORM,
    "outcome published": "/consultations/rural-library-hours/",
    "forthcoming": "/consultations/water-meters/",
    "filter": "/consultations/filter/",
    "figures from a dataset": "/swimming/",
    "datasets": "/datasets/",
    "dataset of three resources": "/datasets/swimming-water-quality/",
}
ANSWERS: dict[str, Any] = {
    "full_name": "Aroha Ngāta-Wilson",
    "email": "aroha@example.nz",
    "views": "Move it: the dunes protect the road.\nThe rock wall would spoil the beach.",
    "visits": "12",
    "option": "Move the car park and toilets inland",
    "uses": ["Swimming", "Birdwatching"],
    "community": "Tōtara Valley",
    "importance": "8",
    "last_visit": "14/2/2027",
    "publish_ok": True,
    "privacy": True,
}


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_type_passes_axe(second_server: SecondServer, page: Any, path: str) -> None:
    response = page.goto(second_server.url + path)
    assert response is not None and response.status == 200, path
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_every_question_type_is_answered_stored_and_exported(
    second_server: SecondServer, second_root: Path, page: Any, tmp_path: Path
) -> None:
    page.goto(second_server.url + FORM)
    types = page.locator("[data-portal-question]").evaluate_all(
        "boxes => boxes.map(b => b.dataset.type)"
    )
    assert set(types) == {
        "text", "email", "textarea", "number", "radio",
        "checkboxes", "select", "scale", "date", "consent",
    }  # fmt: skip
    expected = fill(page, ANSWERS)
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    ref = reference(page)
    row = second_server.by_reference(ref)
    assert row["form_id"] == FORM_ID
    assert row["answers"] == expected
    assert row["answers"]["visits"] == 12 and row["answers"]["last_visit"] == "2027-02-14"
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Staff export it: every answer for staff; the public copy without the personal ones.
    env = {**NOW, "DATABASE_URL": f"sqlite:///{second_server.db}"}
    for public in (False, True):
        out = tmp_path / ("public" if public else "staff")
        args = ["export", FORM_ID, "--out", str(out), "--site-dir", str(second_server.site)]
        portal(*args, *(["--public"] if public else []), root=second_root, env=env)
        report = validate(str(out / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
        rows = list(csv.DictReader(io.StringIO((out / "responses.csv").read_text("utf-8"))))
        if public:
            # No references, no personal answers; this respondent agreed to publication.
            # (Free text waits for staff review before it is published: the exports' rule.)
            assert [(r["option"], r["community"]) for r in rows] == [
                (expected["option"], "totara-valley")
            ]
            assert not {"reference", "full_name", "email"} & set(rows[0])
        else:
            [mine] = [r for r in rows if r["reference"] == ref]
            assert mine["full_name"] == "Aroha Ngāta-Wilson"
            assert (mine["community"], mine["last_visit"]) == ("totara-valley", "2027-02-14")
            assert (mine["uses.swimming"], mine["uses.surfing"]) == ("true", "false")
