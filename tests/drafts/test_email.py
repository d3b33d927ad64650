"""'Email me the link' with a real SMTP server: one email with the link and the code, sent by
the endpoint's own sender through the outbox; the address is kept nowhere once it has gone.
Without mail configured the page does not offer it (tests/drafts/test_save_and_return.py's
portal has no mail: checked here too)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.drafts.conftest import PAGE, PART, RESUME, DraftsPortal, drafts_portal, fill, save, shown
from tests.mail.smtp import SmtpServer
from tests.support import axe_violations, describe

ADDRESS = "saver.of.drafts@example.org"


@pytest.fixture(scope="module")
def mailing(
    demo_site: Path, tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer
) -> Iterator[DraftsPortal]:
    with drafts_portal(demo_site, tmp_path_factory.mktemp("drafts-mail"), smtp.env()) as served:
        yield served


def everything(db: Path) -> str:
    """Every value in every table, as text: where an address could be kept."""
    found = []
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                found.append(repr(row))
    return "\n".join(found)


@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_email_me_the_link(mailing: DraftsPortal, smtp: SmtpServer, browser: Any, js: bool) -> None:
    address = f"{'js' if js else 'nojs'}.{ADDRESS}"
    ctx = browser.new_context(java_script_enabled=js)
    page = ctx.new_page()
    page.goto(mailing.url + PAGE)
    fill(page, {"connection": PART["connection"], "priority": PART["priority"]})
    code, link = save(page)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Email me the link").click()
    page.get_by_text("Enter an email address in the correct format").first.wait_for()
    assert page.locator("[data-portal-resume-code]").inner_text().strip() == code
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Email me the link").click()
    page.locator("[data-portal-resume-sent]").wait_for()
    if js:
        assert axe_violations(page) == [], describe(axe_violations(page))
    ctx.close()

    # The endpoint's sender runs every second (PORTAL_MAIL_INTERVAL in smtp.env()).
    for _ in range(300):
        if smtp.to(address):
            break
        time.sleep(0.2)
    received = smtp.to(address)
    assert len(received) == 1, "one email, to the address given"
    message = received[0]
    assert code not in message.subject
    assert link in message.text
    assert code in message.text
    assert "30 June 2027" in message.text

    # Sent: the outbox keeps no address and no body, and nothing else has the address.
    # (The sender marks it sent just after the server has taken it.)
    for _ in range(300):
        rows = mailing.query("SELECT * FROM outbox WHERE kind = 'resume'")
        if rows and all(r["sent_at"] is not None for r in rows):
            break
        time.sleep(0.2)
    assert rows and all(r["sent_at"] is not None for r in rows)
    assert all(r["recipient"] is None and r["body"] is None for r in rows)
    assert address not in everything(mailing.db)

    # The emailed link works, in another browser.
    ctx = browser.new_context(java_script_enabled=js)
    page = ctx.new_page()
    page.goto(link)
    picked = {"connection": PART["connection"], "priority": PART["priority"]}
    assert shown(page, picked) == picked
    ctx.close()


def test_no_email_offer_without_mail(served: DraftsPortal, browser: Any) -> None:
    page = browser.new_page(java_script_enabled=False)
    page.goto(served.url + PAGE)
    page.locator("#comments").fill("No mail here.")
    code, _ = save(page)
    assert page.get_by_role("button", name="Email me the link").count() == 0
    page.close()
    answer = httpx.post(
        f"{served.url}{RESUME}/email",
        data={"draft_code": code, "email": ADDRESS},
        timeout=30,
    )
    assert answer.status_code == 404
    assert served.query("SELECT count(*) FROM outbox")[0][0] == 0
