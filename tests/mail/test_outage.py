"""The mail server goes down: responses are still taken, their copies wait and show as
failing in the staff area; it comes back: every copy arrives exactly once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from typing import Any

from tests.mail.conftest import SMART_PARKING, MailPortal, valid_fields, wait
from tests.staff.helpers import sign_in
from tests.support import ROOT, axe_violations, describe

ADDRESSES = [f"outage.{n}@example.org" for n in range(3)]


def test_copies_wait_while_the_mail_server_is_down_and_arrive_once_after(
    mailed: MailPortal, page: Any
) -> None:
    manifest = mailed.manifest(SMART_PARKING)
    mailed.smtp.stop()
    references = []
    for address in ADDRESSES:
        reply = mailed.post(SMART_PARKING, [*valid_fields(manifest), ("copy_email", address)])
        # The response is kept, and the respondent told so, whatever the mail server does.
        assert reply.status_code == 200, reply.text
        references.append(reply.json()["reference"])
    assert len(mailed.query("SELECT id FROM responses")) == 3

    def all_failed() -> bool:
        rows = mailed.outbox()
        return len(rows) == 3 and all(r["attempts"] >= 1 and r["sent_at"] is None for r in rows)

    wait(all_failed, "the endpoint's sender to try and fail")
    for row in mailed.outbox():
        assert "cannot reach the mail server" in row["last_error"], row["last_error"]
        assert row["recipient"] in ADDRESSES  # kept until the copy is sent

    status = mailed.portal("mail", "status", "--site-dir", str(mailed.site)).stdout
    assert "failing: 3" in status and "sent today: 0" in status
    assert all(address not in status for address in ADDRESSES)

    # Staff see it, without anyone's address or answers.
    sign_in(page, mailed.url)
    page.goto(mailed.url + "/staff/mail")
    assert page.title().startswith("Email")
    main = page.locator(".portal-staff").inner_text()
    assert "Mail is configured" in main
    failing = page.locator(".portal-staff__failing > li")
    assert failing.count() == 3
    for item in failing.all():
        text = item.inner_text()
        assert "Copy of answers: " + manifest["title"] in text
        assert "cannot reach the mail server" in text
    html = page.content()
    assert all(address not in html for address in ADDRESSES)
    assert all(reference not in html for reference in references)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the email page scrolls sideways by {overflow}px at 320px"
    page.set_viewport_size({"width": 1280, "height": 800})

    # The server is back on the same port. Staff ask for the failing email to go now, and
    # at the same time an administrator runs 'portal mail send --all': two senders (and the
    # endpoint's own every second) compete for the same three messages.
    mailed.smtp.start()
    command = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "mail", "send", "--all"],
        env={**os.environ, **mailed.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    page.click("button:has-text('Try the failing emails again now')")
    page.wait_for_load_state()
    assert "being sent again now" in page.locator("[role=status]").inner_text()
    command.communicate(timeout=120)

    wait(lambda: all(r["sent_at"] is not None for r in mailed.outbox()), "every copy to be sent")
    assert mailed.portal("mail", "send", "--all").stdout.strip() == "0 sent, 0 failed"
    for address, reference in zip(ADDRESSES, references, strict=True):
        copies = mailed.smtp.to(address)
        assert len(copies) == 1, f"{address} got {len(copies)} copies"
        assert reference in copies[0].subject
    assert len(mailed.smtp.received) == 3
    for row in mailed.outbox():
        assert row["recipient"] is None and row["body"] is None

    page.goto(mailed.url + "/staff/mail")
    text = page.locator(".portal-staff").inner_text()
    assert "No email is failing." in text
    counts = page.locator(".portal-staff__counts").inner_text()
    assert "Sent today\n3" in counts and "Failing\n0" in counts


def test_a_response_whose_copy_cannot_be_queued_is_not_kept_either(mailed: MailPortal) -> None:
    """Both or neither: the copy is written in the response's transaction, so when the
    outbox refuses it, the response is refused too, with every answer kept to send again."""
    manifest = mailed.manifest(SMART_PARKING)
    before = len(mailed.query("SELECT id FROM responses"))
    fields = [*valid_fields(manifest), ("copy_email", "both.or.neither@example.org")]
    with sqlite3.connect(mailed.db) as conn:
        conn.execute("ALTER TABLE outbox RENAME TO outbox_away")
    try:
        refused = mailed.post(SMART_PARKING, fields, submission_id="both-or-neither-0001")
    finally:
        with sqlite3.connect(mailed.db) as conn:
            conn.execute("ALTER TABLE outbox_away RENAME TO outbox")
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "unsaved"
    assert len(mailed.query("SELECT id FROM responses")) == before

    sent = mailed.post(SMART_PARKING, fields, submission_id="both-or-neither-0001")
    assert sent.status_code == 200
    reference = sent.json()["reference"]
    wait(lambda: len(mailed.smtp.to("both.or.neither@example.org")) == 1, "the copy")
    assert reference in mailed.smtp.to("both.or.neither@example.org")[0].subject
