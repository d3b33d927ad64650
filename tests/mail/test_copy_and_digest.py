"""Through the real endpoint and a real SMTP server: the copy of a respondent's answers
arrives once and its address is kept nowhere; the digest goes once to each contact."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from tests.mail.conftest import RESPONDENT, SMART_PARKING, MailPortal, valid_fields
from tests.support import endpoint_command, free_port

DIGITAL_INCLUSION = "digital-inclusion-strategy"
DAY = "2026-12-01"  # the suite's pinned day (tests/support.TEST_NOW), when responses arrive


def wait_sent(mailed: MailPortal, event_key: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = mailed.query("SELECT sent_at FROM outbox WHERE event_key = ?", event_key)
        if rows and rows[0]["sent_at"] is not None:
            return
        time.sleep(0.2)
    raise AssertionError(f"{event_key} was not sent: {mailed.outbox()}\n{mailed.server.read_log()}")


def test_the_copy_arrives_once_and_its_address_is_kept_nowhere(mailed: MailPortal) -> None:
    manifest = mailed.manifest(SMART_PARKING)
    assert manifest["email_copy"] is True
    comment = "Sensors are fine; cameras would not be."
    fields = [
        *valid_fields(manifest),
        ("comments", comment),
        ("ward", "castle"),
        ("copy_email", RESPONDENT),
    ]
    first = mailed.post(SMART_PARKING, fields, submission_id="mail-copy-once-0001")
    assert first.status_code == 200, (first.text, mailed.server.read_log())
    reference = first.json()["reference"]
    # The same submission again (a double click, the back button): one response, one copy.
    again = mailed.post(SMART_PARKING, fields, submission_id="mail-copy-once-0001")
    assert again.json()["reference"] == reference
    wait_sent(mailed, "copy:mail-copy-once-0001")

    copies = mailed.smtp.to(RESPONDENT)
    assert len(copies) == 1, [c.subject for c in copies]
    copy = copies[0]
    assert reference in copy.subject and manifest["title"] in copy.subject
    assert copy.message["From"] == "Northbridge consultations <consult@northbridge.example>"
    text = copy.text
    assert reference in text
    for question in manifest["questions"]:
        assert question["label"] in text
    assert comment in text and "\nCastle\n" in text
    support = next(q for q in manifest["questions"] if q["id"] == "support")
    assert support["options"][0]["label"] in text  # the label people saw, not the value

    # Sending what is due now sends nothing more: the copy is done.
    done = mailed.portal("mail", "send")
    assert done.stdout.strip() == "0 sent, 0 failed"
    assert len(mailed.smtp.to(RESPONDENT)) == 1

    stored = mailed.query("SELECT answers FROM responses WHERE reference = ?", reference)
    assert len(stored) == 1
    answers = json.loads(stored[0]["answers"])
    assert "copy_email" not in answers and RESPONDENT not in stored[0]["answers"]
    assert answers["comments"] == comment
    rows = [r for r in mailed.outbox() if r["kind"] == "copy"]
    assert len(rows) == 1
    assert rows[0]["recipient"] is None and rows[0]["body"] is None  # cleared once sent
    assert all(RESPONDENT not in str(value) for value in dict(rows[0]).values())


def test_a_copy_asked_for_on_a_resubmission_shows_the_answers_kept(mailed: MailPortal) -> None:
    """A resubmission keeps the first answers (one response per submission id): a copy
    asked for the second time round shows those, not the ones sent again."""
    manifest = mailed.manifest(SMART_PARKING)
    sid = "mail-copy-second-time-0001"
    first = mailed.post(SMART_PARKING, [*valid_fields(manifest), ("comments", "First words.")], sid)
    address = "second.time@example.org"
    again = mailed.post(
        SMART_PARKING,
        [*valid_fields(manifest), ("comments", "Other words."), ("copy_email", address)],
        sid,
    )
    assert again.json()["reference"] == first.json()["reference"]
    wait_sent(mailed, f"copy:{sid}")
    (copy,) = mailed.smtp.to(address)
    assert "First words." in copy.text and "Other words." not in copy.text


def test_a_bad_copy_address_is_refused_on_its_field(mailed: MailPortal) -> None:
    manifest = mailed.manifest(SMART_PARKING)
    before = len(mailed.outbox())
    reply = mailed.post(SMART_PARKING, [*valid_fields(manifest), ("copy_email", "not-an-address")])
    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {
            "field": "copy_email",
            "message": "Enter your email address in the correct format, like name@example.com",
        }
    ]
    assert len(mailed.outbox()) == before


def test_a_form_without_email_copy_refuses_the_field(mailed: MailPortal) -> None:
    manifest = mailed.manifest(DIGITAL_INCLUSION)
    assert not manifest["email_copy"]
    reply = mailed.post(DIGITAL_INCLUSION, [*valid_fields(manifest), ("copy_email", RESPONDENT)])
    assert reply.status_code == 422
    assert [e["field"] for e in reply.json()["errors"]] == ["_form"]


def test_the_digest_goes_once_to_each_contact_with_counts_and_no_answers(
    mailed: MailPortal,
) -> None:
    inclusion = mailed.manifest(DIGITAL_INCLUSION)
    parking = mailed.manifest(SMART_PARKING)
    secret_answer = "A sentence only the respondent wrote, 7f3a."
    for _ in range(2):
        fields = [*valid_fields(parking), ("comments", secret_answer)]
        assert mailed.post(SMART_PARKING, fields).status_code == 200
    assert mailed.post(DIGITAL_INCLUSION, valid_fields(inclusion)).status_code == 200
    parking_count = mailed.query(
        "SELECT count(*) AS n FROM responses WHERE form_id = ?", SMART_PARKING
    )[0]["n"]
    contacts = {parking["contact_email"], inclusion["contact_email"]}
    assert len(contacts) == 2 and None not in contacts
    received = len(mailed.smtp.received)

    queued = mailed.portal("mail", "digest", "--day", DAY, "--site-dir", str(mailed.site))
    assert f"2 digests queued for {DAY}" in queued.stdout
    mailed.smtp.wait_for(received + 2)
    digests = mailed.smtp.received[received:]
    assert sorted(r.recipients[0] for r in digests) == sorted(contacts)
    to_parking = mailed.smtp.to(parking["contact_email"])[-1]
    text = to_parking.text
    assert f"{parking['title']}: {parking_count} new responses" in text
    assert f"https://portal.example/staff/forms/{SMART_PARKING}" in text
    assert secret_answer not in text and RESPONDENT not in text and "@" not in text
    assert "1 December 2026" in to_parking.subject

    # Run again (the timer's retry, a person at the terminal): nothing is queued or sent.
    again = mailed.portal("mail", "digest", "--day", DAY, "--site-dir", str(mailed.site))
    assert f"0 digests queued for {DAY} (2 queued before: nothing sent twice)" in again.stdout
    assert mailed.portal("mail", "send").stdout.strip() == "0 sent, 0 failed"
    assert len(mailed.smtp.received) == received + 2
    # A day without responses sends nobody anything.
    quiet = mailed.portal("mail", "digest", "--day", "2026-11-20", "--site-dir", str(mailed.site))
    assert "0 digests queued for 2026-11-20" in quiet.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"PORTAL_SMTP_HOST": "smtp.example", "PORTAL_SMTP_SECURITY": "none"},
            "PORTAL_SMTP_SECURITY=none sends mail unencrypted, so it is allowed only for a "
            "mail server on this machine (127.0.0.1 or localhost), not smtp.example",
        ),
        (
            {"PORTAL_SMTP_HOST": "smtp.example", "PORTAL_SMTP_SECURITY": "ssl"},
            "PORTAL_SMTP_SECURITY='ssl' is not one of starttls",
        ),
        (
            {"PORTAL_SMTP_HOST": "smtp.example", "PORTAL_MAIL_FROM": ""},
            "PORTAL_SMTP_HOST is set but PORTAL_MAIL_FROM is not",
        ),
        (
            {"PORTAL_SMTP_USER": "portal"},
            "PORTAL_SMTP_USER is set but PORTAL_SMTP_PASSWORD is not",
        ),
    ],
)
def test_bad_mail_settings_stop_the_endpoint_with_what_to_do(
    mailed: MailPortal, env: dict[str, str], expected: str
) -> None:
    base = {
        "PORTAL_SITE_DIR": str(mailed.site),
        "DATABASE_URL": f"sqlite:///{mailed.db}",
        "PORTAL_MAIL_FROM": "consult@northbridge.example",
    }
    result = subprocess.run(
        endpoint_command(free_port()),
        capture_output=True,
        text=True,
        env={**os.environ, **base, **env},
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("The endpoint did not start: "), result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
