"""Delivery against a real SMTP server: senders running at once never send a message twice,
a refused recipient fails alone and its error names nobody, and the retry schedule."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from portal.mail import deliver
from portal.mail.settings import MailSettings, MailSettingsError
from portal.storage import Storage
from portal.storage.outbox import COPY, DIGEST, enqueue, outbox
from tests.mail.smtp import SmtpServer


@pytest.fixture()
def storage(tmp_path: Path) -> Storage:
    found = Storage(f"sqlite:///{tmp_path / 'responses.sqlite3'}")
    found.create()
    return found


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    """A fresh server per test (the module's shared one would count other tests' mail)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def settings(smtp: SmtpServer) -> MailSettings:
    return MailSettings.from_env(smtp.env())


def queue(storage: Storage, count: int, kind: str = DIGEST) -> list[str]:
    addresses = [f"person.{n}@example.org" for n in range(count)]
    with storage.engine.begin() as conn:
        for n, address in enumerate(addresses):
            enqueue(conn, f"test:{n}", kind, "a-form", address, f"Message {n}", f"Body {n}")
    return addresses


def test_three_senders_at_once_send_each_message_exactly_once(
    storage: Storage, smtp: SmtpServer
) -> None:
    addresses = queue(storage, 40)
    outcomes: list[deliver.Outcome] = []
    start = threading.Barrier(3)

    def sender() -> None:
        start.wait()
        outcomes.append(deliver.run(storage, settings(smtp)))

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(o.sent for o in outcomes) == 40 and sum(o.failed for o in outcomes) == 0
    got = sorted(r.recipients[0] for r in smtp.received)
    assert got == sorted(addresses)  # each once: no duplicates, none missing
    with storage.engine.connect() as conn:
        unsent = conn.execute(outbox.select().where(outbox.c.sent_at.is_(None))).all()
    assert unsent == []
    storage.dispose()


def test_a_refused_recipient_fails_alone_and_its_error_names_nobody(
    storage: Storage, smtp: SmtpServer
) -> None:
    addresses = queue(storage, 3, COPY)
    smtp.collector.refuse = {addresses[1]}
    outcome = deliver.run(storage, settings(smtp))
    assert (outcome.sent, outcome.failed) == (2, 1)
    with storage.engine.connect() as conn:
        rows = {r.recipient: r for r in conn.execute(outbox.select()).all()}
    failed = rows[addresses[1]]
    assert failed.attempts == 1 and failed.sent_at is None
    assert failed.last_error.startswith("the mail server refused the recipient: 550")
    assert "example.org" not in failed.last_error and "[address]" in failed.last_error
    # Sent copies keep neither address nor text; the failed one keeps both until it goes.
    assert set(rows) == {None, addresses[1]} and failed.body == "Body 1"
    # Not due again until its wait is over: a run now sends nothing.
    assert deliver.run(storage, settings(smtp)).failed == 0
    smtp.collector.refuse = set()
    assert deliver.retry_now(storage) == 1
    assert deliver.run(storage, settings(smtp)).sent == 1
    assert len(smtp.received) == 3
    storage.dispose()


def test_the_wait_grows_then_stays_at_six_hours() -> None:
    waits = [deliver.backoff(n) for n in range(1, 8)]
    minutes = [int(w / timedelta(minutes=1)) for w in waits]
    assert minutes == [1, 5, 30, 120, 360, 360, 360]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORTAL_SMTP_PORT": "smtp"}, "PORTAL_SMTP_PORT='smtp' is not a port number"),
        ({"PORTAL_MAIL_FROM": "the council"}, "PORTAL_MAIL_FROM='the council' is not an email"),
        ({"PORTAL_STAFF_URL": "portal.example/staff"}, "PORTAL_STAFF_URL='portal.example/staff'"),
        ({"PORTAL_MAIL_INTERVAL": "0"}, "PORTAL_MAIL_INTERVAL='0' is not a number of seconds"),
    ],
)
def test_each_bad_setting_says_what_to_write(env: dict[str, str], expected: str) -> None:
    base = {"PORTAL_SMTP_HOST": "smtp.example", "PORTAL_MAIL_FROM": "consult@council.example"}
    with pytest.raises(MailSettingsError) as raised:
        MailSettings.from_env({**base, **env})
    assert expected in str(raised.value)


def test_settings_default_to_starttls_and_keep_the_password_out_of_sight() -> None:
    found = MailSettings.from_env(
        {
            "PORTAL_SMTP_HOST": "smtp.example",
            "PORTAL_MAIL_FROM": "Council <consult@council.example>",
            "PORTAL_SMTP_USER": "portal",
            "PORTAL_SMTP_PASSWORD": "hunter2-secret",
            "PORTAL_STAFF_URL": "https://portal.example/staff",
        }
    )
    assert (found.security, found.port, found.staff_url) == (
        "starttls",
        587,
        "https://portal.example/staff/",
    )
    assert "hunter2" not in repr(found)
    assert not MailSettings.from_env({}).configured
