"""Save and return on the demo's digital inclusion form (``save_and_return: true``): a served
demo portal with a fresh database per module, and the answers a respondent gives."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support import ServedPortal, fresh_db, portal, serve_portal

FORM = "digital-inclusion-strategy"
PAGE = f"/consultations/{FORM}/"
POST = f"/responses/{FORM}"
RESUME = f"{POST}/resume"
# The journey's answers, one of each kind the form asks: what is saved half-way...
PART: dict[str, Any] = {
    "connection": "Mobile data on my phone only",
    "household_users": "3",
    "barriers": ["The cost of a device", "Worries about scams and safety"],
    "priority": "Free public wifi in community buildings",
    "strategy_agreement": "4",
    "drop_in_date": "15/3/2027",
    "comments": "Libraries matter.\nSo do “real” people & <b>phones</b>.",
}
# ...and what is added after resuming, before sending.
REST: dict[str, Any] = {"email": "resident@example.org", "publish_answers": True}


class DraftsPortal(ServedPortal):
    @property
    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": f"sqlite:///{self.db}"}

    def drafts(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM drafts ORDER BY id")

    def responses(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM responses WHERE form_id = ? ORDER BY id", FORM)

    def portal(self, *args: str, env: dict[str, str] | None = None) -> Any:
        return portal(*args, env={**self.env, **(env or {})})


@contextmanager
def drafts_portal(
    site: Path, folder: Path, env: dict[str, str] | None = None, db: Path | None = None
) -> Iterator[DraftsPortal]:
    db = db or fresh_db(folder)
    server_env = {"PORTAL_RATE_LIMIT": "1000/minute", **(env or {})}
    with serve_portal(site, db, folder / "server.log", env=server_env) as server:
        yield DraftsPortal(server, db, site)


@pytest.fixture(scope="module")
def served(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DraftsPortal]:
    with drafts_portal(demo_site, tmp_path_factory.mktemp("drafts")) as served:
        yield served


def choice(page: Any, qid: str, label: str) -> Any:
    return page.locator(f"[data-portal-question='{qid}']").get_by_label(label, exact=True)


def fill(page: Any, answers: dict[str, Any]) -> None:
    """Answer as a person does: click the labels' controls, type into the fields."""
    for qid, value in answers.items():
        kind = page.locator(f"[data-portal-question='{qid}']").get_attribute("data-type")
        if kind in ("radio", "scale"):
            choice(page, qid, value).check()
        elif kind == "checkboxes":
            for label in value:
                choice(page, qid, label).check()
        elif kind == "select":
            page.locator(f"#{qid}").select_option(label=value)
        elif kind == "consent":
            page.locator(f"#{qid}").set_checked(bool(value))
        else:
            page.locator(f"#{qid}").fill(value)


def shown(page: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """What the page shows for each of ``answers``' questions, in the same terms."""
    found: dict[str, Any] = {}
    for qid in answers:
        kind = page.locator(f"[data-portal-question='{qid}']").get_attribute("data-type")
        if kind in ("radio", "scale"):
            checked = page.locator(f"input[name='{qid}']:checked")
            found[qid] = (
                page.locator(f"label[for='{checked.get_attribute('id')}']").inner_text().strip()
                if checked.count()
                else None
            )
        elif kind == "checkboxes":
            ids = [
                b.get_attribute("id") for b in page.locator(f"input[name='{qid}']:checked").all()
            ]
            found[qid] = [page.locator(f"label[for='{i}']").inner_text().strip() for i in ids]
        elif kind == "select":
            found[qid] = page.locator(f"#{qid} option:checked").inner_text().strip()
        elif kind == "consent":
            found[qid] = page.locator(f"#{qid}").is_checked()
        else:
            found[qid] = page.locator(f"#{qid}").input_value()
    return found


def save(page: Any) -> tuple[str, str]:
    """Click "Save and come back later"; the resume code and link the next page gives."""
    page.get_by_role("button", name="Save and come back later").click()
    code = page.locator("[data-portal-resume-code]")
    code.wait_for()
    link = page.locator("[data-portal-resume-link]").get_attribute("href")
    return code.inner_text().strip(), str(link)
