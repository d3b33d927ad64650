"""The copy of a respondent's answers is in the language they answered in (issue 21):
through the real endpoint, its outbox and a real SMTP server (tests/mail/smtp.py), a
Welsh answer to a form written in English and Welsh is mailed back with the Welsh question
words, the Welsh option labels and the portal's own words in Welsh."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from tests.i18n.test_bilingual_site import make_bilingual
from tests.mail.smtp import SmtpServer
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import ServedPortal, fresh_db, portal, serve_portal

FORM_ID = "kerbside-food-waste"
RESPONDENT = "ymatebydd@example.org"
FOLDER = f"consultations/{FORM_ID}"
INDEX = """---
title: Food waste collections from the kerb
summary: We propose to collect food waste every week from every home. Tell us what you think.
organisation: Kōwhai Coast District Council, Waste
contact:
  email: waste@kowhaicoast.example.nz
opens: 2027-01-04T09:00
closes: 2027-03-31
topics: [Water]
area: District-wide
form:
  email_copy: true
  questions:
    - id: support
      type: radio
      required: true
      label:
        en: Do you support weekly food waste collections?
        cy: Ydych chi'n cefnogi casgliadau gwastraff bwyd bob wythnos?
      options:
        - {en: "Yes", cy: "Ydw"}
        - {en: "No", cy: "Nac ydw"}
    - id: why
      type: textarea
      label: {en: "Why?", cy: "Pam?"}
---
We propose weekly collections of food waste.
"""
WELSH = """---
title: Casglu gwastraff bwyd o ymyl y ffordd
summary: Rydym yn cynnig casglu gwastraff bwyd bob wythnos o bob cartref.
---
Rydym yn cynnig casgliadau wythnosol o wastraff bwyd.
"""


@pytest.fixture(scope="module")
def served(smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedPortal]:
    root = make_bilingual(copy_second_portal(tmp_path_factory.mktemp("copy") / "portal"))
    (root / FOLDER).mkdir(parents=True)
    (root / FOLDER / "index.md").write_text(INDEX, encoding="utf-8")
    (root / FOLDER / "index.cy.md").write_text(WELSH, encoding="utf-8")
    site = tmp_path_factory.mktemp("copy-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    folder = tmp_path_factory.mktemp("copy-server")
    db = fresh_db(folder)
    env = {**NOW, **smtp.env(), "PORTAL_RATE_LIMIT": "1000/minute"}
    with serve_portal(site, db, folder / "server.log", env=env) as server:
        yield ServedPortal(server, db, site)


def test_a_welsh_answer_is_copied_in_welsh(served: ServedPortal, smtp: SmtpServer) -> None:
    fields = [
        ("submission_id", "copy-cy-" + secrets.token_hex(8)),
        ("portal_language", "cy"),
        ("support", "yes"),
        ("copy_email", RESPONDENT),
    ]
    sent = httpx.post(
        f"{served.url}/responses/{FORM_ID}",
        content=urlencode(fields),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert sent.status_code == 200, sent.text
    reference = sent.json()["reference"]
    deadline = time.monotonic() + 60
    while not smtp.to(RESPONDENT) and time.monotonic() < deadline:
        time.sleep(0.2)
    copies = smtp.to(RESPONDENT)
    assert len(copies) == 1, served.server.read_log()
    copy = copies[0]
    assert reference in copy.subject
    assert "Casglu gwastraff bwyd o ymyl y ffordd" in copy.subject
    assert "Your response" not in copy.subject
    text = copy.text
    assert "Ydych chi'n cefnogi casgliadau gwastraff bwyd bob wythnos?" in text
    assert "\nYdw\n" in text  # the option as the respondent saw it
    assert "Pam?" in text
    for english in ("Do you support", "Your answers", "Thank you", "(not answered)"):
        assert english not in text
    stored = served.query("SELECT language FROM responses WHERE reference = ?", reference)
    assert [row["language"] for row in stored] == ["cy"]
