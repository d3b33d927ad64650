"""A server of the demo portal whose SQLite file these tests know, and helpers to fill forms."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import Server, serve_portal

SMART_PARKING = "/consultations/smart-parking-sensors/"
DIGITAL_INCLUSION = "/consultations/digital-inclusion-strategy/"
ENQUIRY = "/programme/enquire/"
CONFIRMATION = "**/responses/*/confirmation/*"


@dataclass
class FormsServer:
    server: Server
    db: Path

    @property
    def url(self) -> str:
        return self.server.url

    def rows(self, form_id: str | None = None) -> list[dict[str, Any]]:
        if not self.db.exists():
            return []
        with sqlite3.connect(self.db) as conn:
            conn.row_factory = sqlite3.Row
            query = "SELECT form_id, submission_id, reference, answers FROM responses"
            args: tuple[str, ...] = ()
            if form_id is not None:
                query += " WHERE form_id = ?"
                args = (form_id,)
            found = conn.execute(query + " ORDER BY id", args).fetchall()
        return [{**dict(r), "answers": json.loads(r["answers"])} for r in found]

    def count(self, form_id: str | None = None) -> int:
        return len(self.rows(form_id))

    def by_reference(self, reference: str) -> dict[str, Any]:
        found = [r for r in self.rows() if r["reference"] == reference]
        assert len(found) == 1, f"expected one row for {reference}, found {found}"
        return found[0]


@pytest.fixture(scope="session")
def forms_server(
    demo_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FormsServer]:
    folder = tmp_path_factory.mktemp("e2e-forms")
    db = folder / "responses.sqlite3"
    with serve_portal(
        demo_site, db, folder / "server.log", env={"PORTAL_RATE_LIMIT": "1000/minute"}
    ) as server:
        yield FormsServer(server, db)


def group(page: Any, qid: str) -> Any:
    return page.locator(f'[data-portal-question="{qid}"]')


def answer(page: Any, qid: str, given: Any) -> Any:
    """Answer one question as a person would; return what the database should then hold."""
    box = group(page, qid)
    kind = box.get_attribute("data-type")
    if kind in ("radio", "scale"):
        choice = box.get_by_label(str(given), exact=True)
        choice.check()
        return choice.get_attribute("value")
    if kind == "checkboxes":
        stored = []
        for label in given:
            # An int is an option's position, for lists that come from elsewhere.
            choice = (
                box.locator("input").nth(label)
                if isinstance(label, int)
                else box.get_by_label(label, exact=True)
            )
            choice.check()
            stored.append(choice.get_attribute("value"))
        return stored
    if kind == "select":
        field = box.locator("select")
        field.select_option(label=given)
        return field.input_value()
    if kind == "consent":
        field = box.locator("input[type=checkbox]")
        field.set_checked(bool(given))
        return bool(given)
    field = box.locator("input, textarea").first
    field.fill(str(given))
    if kind == "number":
        number = float(given)
        return int(number) if number.is_integer() else number
    if kind == "date":
        day, month, year = (int(x) for x in str(given).split("/"))
        return f"{year:04d}-{month:02d}-{day:02d}"
    return str(given).replace("\r\n", "\n").strip()


def unanswered(page: Any) -> dict[str, Any]:
    """What the database holds for each question left blank."""
    out: dict[str, Any] = {}
    for box in page.locator("[data-portal-question]").all():
        kind = box.get_attribute("data-type")
        qid = box.get_attribute("data-portal-question")
        out[qid] = [] if kind == "checkboxes" else False if kind == "consent" else None
    return out


def fill(page: Any, answers: dict[str, Any]) -> dict[str, Any]:
    expected = unanswered(page)
    for qid, given in answers.items():
        expected[qid] = answer(page, qid, given)
    return expected


def submit_button(page: Any) -> Any:
    return page.locator("[data-portal-submit]")


def reference(page: Any) -> str:
    return str(page.locator(".portal-reference").inner_text()).strip()
