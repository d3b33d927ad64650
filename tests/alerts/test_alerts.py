"""Email alerts, as a citizen meets them: without JavaScript, through the real endpoint and a
real SMTP server (aiosmtpd), with the site rebuilt by the real ``portal build`` while the
endpoint runs, as the hourly rebuild does in production.

The fixture portal (tests/fixtures/site) is copied, so consultations can be added to it.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.mail.smtp import Received, SmtpServer
from tests.support import (
    FIXTURE_SITE,
    ROOT,
    Server,
    axe_violations,
    copy_site,
    describe,
    horizontal_overflow,
    portal,
    serve_portal,
)

CITIZEN = "sam.citizen@example.org"
NEW_CONSULTATION = """---
title: {title}
summary: {summary}
organisation: Fixture Council
contact:
  email: consult@fixture.example
opens: 2026-11-20T09:00
closes: 2027-02-28
topics: [{topic}]
area: City centre
{extra}---
## What we propose

{summary}
"""
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/alerts/(?:confirm|unsubscribe)\?token=[\w-]+)")


@dataclass
class AlertsPortal:
    root: Path
    site: Path
    db: Path
    server: Server
    smtp: SmtpServer

    @property
    def url(self) -> str:
        return self.server.url

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql).fetchall()

    def add(self, slug: str, title: str, topic: str, extra: str = "") -> None:
        folder = self.root / "consultations" / slug
        folder.mkdir(parents=True)
        text = NEW_CONSULTATION.format(
            title=title,
            summary=f"Tell us what you think of the plan for {title.lower()}.",
            topic=topic,
            extra=extra,
        )
        (folder / "index.md").write_text(text, encoding="utf-8")

    def rebuild(self) -> None:
        portal("build", "--site-dir", str(self.site), root=self.root)


def _wait(condition: Any, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"waited {seconds}s for {what}")


@pytest.fixture()
def alerts_portal(tmp_path: Path) -> Iterator[AlertsPortal]:
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    # The demo's stylesheets, as a council's own portal has them.
    demo = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\n" + demo[demo.index("extra_css:") : demo.index("markdown_extensions:")])
    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=root)
    smtp = SmtpServer()
    smtp.start()
    db = tmp_path / "responses.sqlite3"
    try:
        with serve_portal(site, db, tmp_path / "server.log", root=root, env=smtp.env()) as server:
            found = AlertsPortal(root, site, db, server, smtp)
            # The endpoint's first round records what is already published, unannounced.
            _wait(
                lambda: found.rows("SELECT 1 FROM alert_events WHERE kind='seeded'"),
                "the endpoint to see the site",
            )
            yield found
    finally:
        smtp.stop()


def _link(message: Received) -> str:
    found = LINK.search(message.text)
    assert found, message.text
    return found[1]


def _subscribe(page: Any, base: str, email: str, topic: str | None = None) -> None:
    page.goto(f"{base}/alerts/")
    page.fill("#email", email)
    if topic:
        page.get_by_label(topic, exact=True).check()
    page.click("button:has-text('Subscribe')")
    page.wait_for_load_state()


def _check_page(page: Any) -> None:
    """No sideways scrolling at the page's width (320 px in the narrow run), and axe where
    the page can run it (axe is a script: not in a page without JavaScript)."""
    overflow = (
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if _javascript(page)
        else 0
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    if _javascript(page):
        assert axe_violations(page) == [], f"{page.url}: {describe(axe_violations(page))}"


def _javascript(page: Any) -> bool:
    return bool(getattr(page, "portal_javascript", True))


@pytest.fixture(
    params=[(False, 1280), (True, 1280), (True, 320)],
    ids=["no-javascript", "javascript", "javascript-320px"],
)
def citizen_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    javascript, width = request.param
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.portal_javascript = javascript
    yield page
    context.close()


def test_subscribe_confirm_get_an_alert_and_unsubscribe(
    alerts_portal: AlertsPortal, citizen_page: Any, browser: Any
) -> None:
    ap, page = alerts_portal, citizen_page
    _subscribe(page, ap.url, CITIZEN, "Transport")
    assert page.locator("h1").inner_text() == "Check your email"
    assert CITIZEN in page.locator("main").inner_text()
    _check_page(page)
    (confirmation,) = ap.smtp.wait_for(1)
    assert confirmation.recipients == (CITIZEN,)
    assert "about Transport" in confirmation.text
    # Opening the link confirms nothing (mail scanners open links): the button does.
    page.goto(_link(confirmation))
    assert ap.rows("SELECT confirmed_at FROM alert_subscriptions") == [(None,)]
    _check_page(page)
    page.click("button:has-text('Confirm email alerts')")
    assert page.locator("h1").inner_text() == "You will get email alerts"
    _check_page(page)
    assert horizontal_overflow(browser, page.url, 320) <= 0

    # A build publishes two consultations and a draft; only the Transport one concerns Sam.
    ap.add("tram-stops", "New tram stops on the ring road", "Transport")
    ap.add("mobile-library", "A mobile library for the villages", "Libraries")
    ap.add("quiet-plan", "A plan not yet published", "Transport", extra="draft: true\n")
    ap.rebuild()
    received = ap.smtp.wait_for(2)
    alert = received[1]
    assert alert.recipients == (CITIZEN,)
    assert alert.subject == "New consultation: New tram stops on the ring road"
    assert "/consultations/tram-stops/" in alert.text
    unsubscribe = _link(alert)
    assert alert.message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert alert.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The address was kept in the outbox only until the alert went.
    _wait(
        lambda: (
            ap.rows("SELECT recipient FROM outbox WHERE kind='alert' AND sent_at IS NOT NULL")
            == [(None,)]
        ),
        "the sent alert to forget its address",
    )

    # The same site built again announces nothing twice.
    ap.rebuild()
    rounds = ap.rows("SELECT count(*) FROM alert_events")
    time.sleep(3)  # three rounds of the endpoint's sender (PORTAL_MAIL_INTERVAL=1)
    assert ap.rows("SELECT count(*) FROM alert_events") == rounds
    assert len(ap.smtp.received) == 2

    page.goto(unsubscribe)
    _check_page(page)
    page.click("button:has-text('Stop email alerts')")
    assert page.locator("h1").inner_text() == "You will not get any more email alerts"
    _check_page(page)
    assert ap.rows("SELECT count(*) FROM alert_subscriptions") == [(0,)]
    ap.add("cycle-lanes", "Cycle lanes on the ring road", "Transport")
    ap.rebuild()
    _wait(
        lambda: ap.rows("SELECT 1 FROM alert_events WHERE slug='cycle-lanes'"),
        "the endpoint to see the next build",
    )
    time.sleep(2)
    assert len(ap.smtp.received) == 2, "no alert after unsubscribing"


def test_one_click_unsubscribe_and_alerts_for_everything(
    alerts_portal: AlertsPortal, page_no_js: Any
) -> None:
    ap = alerts_portal
    _subscribe(page_no_js, ap.url, CITIZEN)  # no topic: every consultation
    page_no_js.goto(_link(ap.smtp.wait_for(1)[0]))
    page_no_js.click("button:has-text('Confirm email alerts')")
    ap.add("mobile-library", "A mobile library for the villages", "Libraries")
    ap.rebuild()
    alert = ap.smtp.wait_for(2)[1]
    assert alert.subject == "New consultation: A mobile library for the villages"
    # What a mail app sends for "Unsubscribe" (RFC 8058): a POST to the header's address,
    # from no web page at all.
    url = alert.message["List-Unsubscribe"].strip("<>")
    answer = httpx.post(url, content="List-Unsubscribe=One-Click", timeout=30)
    assert answer.status_code == 200
    assert ap.rows("SELECT count(*) FROM alert_subscriptions") == [(0,)]


def test_a_wrong_address_is_refused_and_what_was_chosen_kept(
    alerts_portal: AlertsPortal, citizen_page: Any, browser: Any
) -> None:
    ap, page = alerts_portal, citizen_page
    page.goto(f"{ap.url}/alerts/")
    _check_page(page)
    assert horizontal_overflow(browser, page.url, 320) <= 0
    page.fill("#email", "sam.citizen@example")
    page.get_by_label("Transport", exact=True).check()
    page.click("button:has-text('Subscribe')")
    assert page.title().startswith("Error:")
    assert "Enter your email address in the correct format" in page.locator("main").inner_text()
    assert page.input_value("#email") == "sam.citizen@example"
    assert page.get_by_label("Transport", exact=True).is_checked()
    _check_page(page)
    assert ap.rows("SELECT count(*) FROM alert_subscriptions") == [(0,)]


def test_a_subscription_from_another_site_is_refused(alerts_portal: AlertsPortal) -> None:
    answer = httpx.post(
        f"{alerts_portal.url}/alerts/subscribe",
        data={"email": CITIZEN},
        headers={"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        timeout=30,
    )
    assert answer.status_code == 403
    assert alerts_portal.rows("SELECT count(*) FROM alert_subscriptions") == [(0,)]
    assert alerts_portal.rows("SELECT count(*) FROM outbox") == [(0,)]


def test_a_used_or_wrong_confirmation_link_says_so(alerts_portal: AlertsPortal, page: Any) -> None:
    ap = alerts_portal
    page.goto(f"{ap.url}/alerts/confirm?token=not-a-token")
    assert page.locator("h1").inner_text() == "This link has expired or has been used"
    _check_page(page)
    _subscribe(page, ap.url, CITIZEN)
    link = _link(ap.smtp.wait_for(1)[0])
    page.goto(link)
    page.click("button:has-text('Confirm email alerts')")
    page.goto(link)
    assert page.locator("h1").inner_text() == "This link has expired or has been used"
