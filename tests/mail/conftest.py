"""A served demo portal whose endpoint sends mail to a real SMTP server (tests/mail/smtp.py),
with the staff area on and one account; and helpers to post and to read the outbox."""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.mail.smtp import SmtpServer
from tests.staff.helpers import STAFF_ENV, add_account
from tests.support import ServedPortal, fresh_db, portal, serve_portal

SMART_PARKING = "smart-parking-sensors"
RESPONDENT = "respondent.copy@example.org"


@dataclass
class MailPortal(ServedPortal):
    smtp: SmtpServer

    @property
    def env(self) -> dict[str, str]:
        """What the endpoint runs with, for the commands the tests run beside it."""
        return {**self.smtp.env(), "DATABASE_URL": f"sqlite:///{self.db}"}

    def manifest(self, form_id: str) -> dict[str, Any]:
        path = self.site / "api" / "forms" / f"{form_id}.json"
        found: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return found

    def post(
        self, form_id: str, fields: list[tuple[str, str]], submission_id: str | None = None
    ) -> httpx.Response:
        sid = submission_id or "mail-test-" + secrets.token_hex(8)
        return httpx.post(
            f"{self.url}/responses/{form_id}",
            content=urlencode([("submission_id", sid), *fields]),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            timeout=30,
        )

    def outbox(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM outbox ORDER BY id")

    def portal(self, *args: str, check: bool = True) -> Any:
        return portal(*args, env=self.env, check=check)


def wait(condition: Any, what: str, seconds: float = 90) -> None:
    """Until ``condition()`` holds (a sender in another process is working on it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def valid_fields(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """An answer to every required question of a form, from its manifest."""
    fields: list[tuple[str, str]] = []
    for q in manifest["questions"]:
        if not q["required"]:
            continue
        kind = q["type"]
        if kind in ("radio", "select", "checkboxes", "scale"):
            fields.append((q["id"], str(q["options"][0]["value"])))
        elif kind == "consent":
            fields.append((q["id"], "yes"))
        elif kind == "email":
            fields.append((q["id"], "someone@example.org"))
        elif kind == "number":
            fields.append((q["id"], str(q.get("min") or 1)))
        elif kind == "date":
            fields.append((q["id"], q.get("min") or "2027-01-01"))
        else:
            fields.append((q["id"], "An answer long enough for any minimum length here."))
    return fields


def mail_portal(
    demo_site: Path, folder: Path, smtp: SmtpServer, extra: dict[str, str] | None = None
) -> Iterator[MailPortal]:
    db = fresh_db(folder)
    add_account(db)
    env = {**smtp.env(), **STAFF_ENV, "PORTAL_RATE_LIMIT": "1000/minute", **(extra or {})}
    with serve_portal(demo_site, db, folder / "server.log", env=env) as server:
        yield MailPortal(server, db, demo_site, smtp)


@pytest.fixture(scope="module")
def mailed(
    demo_site: Path, smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MailPortal]:
    yield from mail_portal(demo_site, tmp_path_factory.mktemp("mail"), smtp)
