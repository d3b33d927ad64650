"""On a real PostgreSQL: a response and its copy are written together, a resubmission queues
nothing twice, and senders at once send each message exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from portal.mail import copy, deliver
from portal.mail.settings import MailSettings
from portal.storage import Storage
from portal.storage.outbox import outbox
from tests.endpoint.pg import postgres_server
from tests.mail.smtp import SmtpServer

MANIFEST = {
    "id": "a-form",
    "title": "A form",
    "questions": [{"id": "view", "type": "text", "label": "Your view", "required": True}],
}


@pytest.fixture()
def storage() -> Iterator[Storage]:
    with postgres_server() as url:
        found = Storage(url)
        found.create()
        yield found
        found.dispose()


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_copies_on_postgresql_are_queued_once_and_sent_once(
    storage: Storage, smtp: SmtpServer
) -> None:
    references = {}
    for n in range(20):
        sid = f"pg-copy-{n:04d}-abcdefgh"
        answers = {"view": f"View number {n}"}
        message = copy.pending(MANIFEST, sid, f"person.{n}@example.org")
        references[n] = storage.store("a-form", sid, answers, 1, None, message)
        # Sent again (a double click): the same reference, and no second message.
        again = copy.pending(MANIFEST, sid, f"person.{n}@example.org")
        assert storage.store("a-form", sid, answers, 1, None, again) == references[n]
    with storage.engine.connect() as conn:
        keys = conn.execute(select(outbox.c.event_key)).scalars().all()
    assert sorted(keys) == sorted(f"copy:pg-copy-{n:04d}-abcdefgh" for n in range(20))

    settings = MailSettings.from_env(smtp.env())
    outcomes: list[deliver.Outcome] = []
    start = threading.Barrier(3)

    def sender() -> None:
        start.wait()
        outcomes.append(deliver.run(storage, settings))

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(o.sent for o in outcomes) == 20
    for n, reference in references.items():
        got = smtp.to(f"person.{n}@example.org")
        assert len(got) == 1 and reference in got[0].subject
        assert f"View number {n}" in got[0].text
    with storage.engine.connect() as conn:
        left = conn.execute(select(outbox.c.recipient, outbox.c.body)).all()
    assert all(row == (None, None) for row in left)
