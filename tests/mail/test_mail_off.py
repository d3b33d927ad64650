"""Mail not configured: the copy is still offered and queued, the staff page says mail is
not configured, the commands say what to set; once it is configured, the copy goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.mail.conftest import SMART_PARKING, MailPortal, valid_fields, wait
from tests.mail.smtp import SmtpServer
from tests.staff.helpers import STAFF_ENV, add_account, sign_in
from tests.support import axe_violations, describe, fresh_db, portal, serve_portal

ADDRESS = "waiting.for.mail@example.org"


def test_copies_wait_until_mail_is_configured(
    demo_site: Path, smtp: SmtpServer, tmp_path: Path, page: Any
) -> None:
    db = fresh_db(tmp_path)
    add_account(db)
    off = MailPortal(None, db, demo_site, smtp)  # type: ignore[arg-type]
    env = {"PORTAL_RATE_LIMIT": "1000/minute", **STAFF_ENV}
    with serve_portal(demo_site, db, tmp_path / "off.log", env=env) as server:
        off.server = server
        fields = [*valid_fields(off.manifest(SMART_PARKING)), ("copy_email", ADDRESS)]
        assert off.post(SMART_PARKING, fields).status_code == 200
        rows = off.outbox()
        assert len(rows) == 1 and rows[0]["attempts"] == 0 and rows[0]["sent_at"] is None

        sign_in(page, server.url)
        page.goto(server.url + "/staff/mail")
        text = page.locator(".portal-staff").inner_text()
        assert "Mail is not configured." in text and "PORTAL_SMTP_HOST" in text
        assert "Waiting to be sent\n1" in page.locator(".portal-staff__counts").inner_text()
        assert ADDRESS not in page.content()
        violations = axe_violations(page)
        assert violations == [], describe(violations)

    db_env = {"DATABASE_URL": f"sqlite:///{db}"}
    for command in (("mail", "send"), ("mail", "digest", "--site-dir", str(demo_site))):
        result = portal(*command, env=db_env, check=False)
        assert result.returncode == 1
        assert "mail is not configured: set PORTAL_SMTP_HOST" in result.stderr
    assert len(off.outbox()) == 1  # the digest queued nothing
    assert smtp.received == []

    # Mail is configured and the endpoint restarted: the copy that waited goes, once.
    # (uvicorn's info log says when the app's shutdown, the sender's stop included, is done.)
    on_env = {**env, **smtp.env(), "PORTAL_LOG_LEVEL": "info"}
    with serve_portal(demo_site, db, tmp_path / "on.log", env=on_env):
        wait(lambda: len(smtp.to(ADDRESS)) == 1, "the waiting copy to be sent")
        wait(lambda: off.outbox()[0]["sent_at"] is not None, "the copy to be marked sent")
    assert len(smtp.received) == 1
    # The background sender stops with the endpoint: a clean shutdown, nothing left running.
    log = (tmp_path / "on.log").read_text(encoding="utf-8")
    assert "Application shutdown complete" in log and "Traceback" not in log, log


@pytest.fixture()
def smtp() -> Any:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
