"""One built copy of the fixture site whose bus-lanes form is open until 2099, per module."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import FIXTURE_SITE, copy_site, portal, post_answers, serve_portal

FORM = """---
title: Bus lanes on the ring road
summary: We propose bus lanes on the inner ring road.
organisation: Fixture Council
contact:
  email: transport@fixture.example
opens: 2020-01-01T09:00
closes: 2099-02-28
topics: [Transport]
area: City centre
documents:
  - title: Proposal
    file: documents/proposal.txt
form:
  retention_days: 30
  publication_consent: publish
  questions:
    - id: support
      type: radio
      label: Do you support bus lanes?
      required: true
      options: [Yes, No]
    - id: modes
      type: checkboxes
      label: How do you travel?
      options: [Bus, Bike, Car]
    - id: rating
      type: scale
      label: How good are buses now?
      min: 1
      max: 5
    - id: comment
      type: textarea
      label: "=HYPERLINK(\\"http://evil.example\\",\\"Click\\") Any comments?"
    - id: staff_note
      type: text
      label: "@SUM(A1) Internal"
      public: false
    - id: email
      type: email
      label: Your email
      personal: true
    - id: publish
      type: consent
      label: You may publish my answers
      required: false
---
## What we propose

Bus lanes from 7am to 7pm.
"""
PAYLOADS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("exports") / "site")
    (root / "consultations" / "bus-lanes" / "index.md").write_text(FORM, encoding="utf-8")
    portal("build", root=root, env={"PORTAL_NOW": "2027-01-15T12:00"})
    return root


@pytest.fixture(scope="module")
def posted(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Responses posted over HTTP to the real endpoint; yields the database path."""
    folder = tmp_path_factory.mktemp("db")
    db = folder / "responses.sqlite3"
    answers = [
        {
            "support": "yes",
            "modes": ["bus", "bike"],
            "rating": "4",
            "comment": PAYLOADS[0],
            "staff_note": PAYLOADS[1],
            "email": "a@example.org",
            "publish": "yes",
        },
        {
            "support": "no",
            "modes": ["car"],
            "rating": "2",
            "comment": PAYLOADS[2],
            "staff_note": PAYLOADS[3],
            "email": "b@example.org",
        },
        {
            "support": "yes",
            "modes": [],
            "rating": "4",
            "comment": 'Fine, "quoted"\nlines',
            "email": "",
            "publish": "yes",
        },
    ]
    with serve_portal(built / "site", db, folder / "server.log") as server:
        for number, answer in enumerate(answers):
            post_answers(server, "bus-lanes", answer, f"exports-test-{number:04d}-abc")
    yield db


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding), newline="")))
