"""Shared by the issue 15 tests: a copy of the fixture site with the bus-lanes form, and
responses posted to the real endpoint over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.exports.conftest import FORM
from tests.support import FIXTURE_SITE, copy_site, portal, post_answers, serve_portal

# The bus-lanes form is open from 2020 to 2099: every build here accepts responses.
NOW = {"PORTAL_NOW": "2027-01-15T12:00"}
FORM_ID = "bus-lanes"


def site_with_form(folder: Path, form: str = FORM) -> Path:
    root = copy_site(FIXTURE_SITE, folder / "portal")
    index_file(root).write_text(form, encoding="utf-8")
    return root


def index_file(root: Path) -> Path:
    return root / "consultations" / FORM_ID / "index.md"


def database(db: Path) -> dict[str, str]:
    return {**NOW, "DATABASE_URL": f"sqlite:///{db}"}


def post_all(root: Path, db: Path, log: Path, answers: list[dict[str, Any]]) -> list[str]:
    """Each answer posted as a browser's form would be; the references given back."""
    references = []
    with serve_portal(root / "site", db, log, env=NOW) as server:
        for answer in answers:
            references.append(post_answers(server, FORM_ID, answer))
    return references


def build(root: Path) -> None:
    portal("build", root=root, env=NOW)


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")
