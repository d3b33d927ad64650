"""Email alerts in the language the person subscribed in (issue 21): the bilingual second
test portal served for real with a real SMTP server (aiosmtpd), rebuilt by the real
``portal build`` while the endpoint runs, as the hourly rebuild does in production.

Someone who subscribes on a Welsh page gets the confirmation and every alert in Welsh, with
the consultation's Welsh title, summary and address, and links that open Welsh pages; a
consultation published in English only reaches them with its English title, saying so.
Someone who subscribes on an English page gets English, with addresses that name no
language, as on a site in one language.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.alerts.test_alerts import _wait as wait
from tests.i18n.test_bilingual_site import make_bilingual
from tests.mail.smtp import Received, SmtpServer
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import Server, fresh_db, portal, serve_portal

WELSH_READER = "darllenydd@example.org"
ENGLISH_READER = "reader@example.org"
LINK = re.compile(
    r"(http://127\.0\.0\.1:\d+/alerts/(?:confirm|unsubscribe)\?token=[\w-]+(?:&language=cy)?)"
)
CONSULTATION = """\
---
title: {title}
summary: {summary}
organisation: Kōwhai Coast District Council
contact:
  email: harbour@kowhaicoast.example.nz
opens: 2027-01-01
closes: 2027-12-31
topics: [Transport]
area: District-wide
{extra}---
{summary}
"""
WELSH = """\
---
title: Wal newydd i’r harbwr
summary: Rydym yn cynnig wal newydd i’r harbwr. Dywedwch wrthym beth yw eich barn.
---
Rydym yn cynnig wal newydd i’r harbwr.
"""


@dataclass
class Alerts:
    root: Path
    site: Path
    db: Path
    server: Server
    smtp: SmtpServer

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql).fetchall()

    def add(self, slug: str, title: str, welsh: str | None) -> None:
        folder = self.root / "consultations" / slug
        folder.mkdir()
        summary = f"We propose {title.lower()}. Tell us what you think."
        # A consultation in English only says so (otherwise it would be published in no
        # language, for want of its Welsh).
        extra = "" if welsh else "languages: [en]\n"
        text = CONSULTATION.format(title=title, summary=summary, extra=extra)
        (folder / "index.md").write_text(text, encoding="utf-8")
        if welsh:
            (folder / "index.cy.md").write_text(welsh, encoding="utf-8")

    def rebuild(self) -> None:
        portal("build", "--site-dir", str(self.site), root=self.root, env=NOW)


@pytest.fixture(scope="module")
def alerts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Alerts]:
    root = make_bilingual(copy_second_portal(tmp_path_factory.mktemp("alerts-cy") / "portal"))
    site = tmp_path_factory.mktemp("alerts-cy-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    folder = tmp_path_factory.mktemp("alerts-cy-server")
    db = fresh_db(folder)
    smtp = SmtpServer()
    smtp.start()
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute", **smtp.env()}
    try:
        with serve_portal(site, db, folder / "server.log", root=root, env=env) as server:
            found = Alerts(root, site, db, server, smtp)
            # The endpoint's first round records what is already published, unannounced.
            wait(
                lambda: found.rows("SELECT 1 FROM alert_events WHERE kind='seeded'"),
                "the endpoint to see the site",
            )
            yield found
    finally:
        smtp.stop()


def link(message: Received, kind: str) -> str:
    found = [url for url in LINK.findall(message.text) if f"/alerts/{kind}?" in url]
    assert found, message.text
    return found[0]


def subscribe(alerts: Alerts, email: str, language: str | None) -> Received:
    fields = {"email": email, **({"portal_language": language} if language else {})}
    before = len(alerts.smtp.received)
    sent = httpx.post(f"{alerts.server.url}/alerts/subscribe", data=fields, timeout=30)
    assert sent.status_code == 200, sent.text[:500]
    return alerts.smtp.wait_for(before + 1)[before]


def confirm(alerts: Alerts, message: Received, language: str | None) -> httpx.Response:
    url = link(message, "confirm")
    opened = httpx.get(url, timeout=30)  # what the email's link opens: a page, not a change
    assert opened.status_code == 200
    token = url.split("token=", 1)[1].split("&", 1)[0]
    fields = {"token": token, **({"portal_language": language} if language else {})}
    done = httpx.post(f"{alerts.server.url}/alerts/confirm", data=fields, timeout=30)
    assert done.status_code == 200
    return opened


def test_alerts_come_in_the_language_subscribed_in(alerts: Alerts) -> None:
    welsh = subscribe(alerts, WELSH_READER, "cy")
    assert welsh.recipients == (WELSH_READER,)
    assert welsh.subject.startswith("Cadarnhewch eich hysbysiadau e-bost gan ")
    assert "Gofynnodd rhywun, chi mae’n debyg," in welsh.text
    assert "am bob ymgynghoriad" in welsh.text
    assert "confirm here" not in welsh.text
    assert link(welsh, "confirm").endswith("&language=cy")
    page = confirm(alerts, welsh, "cy")
    assert '<html lang="cy"' in page.text  # the link opens the Welsh page

    english = subscribe(alerts, ENGLISH_READER, None)
    assert english.subject.startswith("Confirm your email alerts from ")
    assert "To start getting these emails, confirm here:" in english.text
    assert "language=" not in link(english, "confirm")  # the site's own language
    page = confirm(alerts, english, None)
    assert '<html lang="en"' in page.text
    stored = alerts.rows("SELECT email, language FROM alert_subscriptions ORDER BY id")
    assert stored == [(WELSH_READER, "cy"), (ENGLISH_READER, None)]

    before = len(alerts.smtp.received)
    alerts.add("harbour-wall", "A new harbour wall", WELSH)
    alerts.add("dune-paths", "Paths across the dunes", None)
    alerts.rebuild()
    received = alerts.smtp.wait_for(before + 4)[before:]
    to_welsh = {m.subject: m for m in received if m.recipients == (WELSH_READER,)}
    to_english = {m.subject: m for m in received if m.recipients == (ENGLISH_READER,)}
    assert set(to_welsh) == {
        "Ymgynghoriad newydd: Wal newydd i’r harbwr",
        "Ymgynghoriad newydd: Paths across the dunes",
    }
    assert set(to_english) == {
        "New consultation: A new harbour wall",
        "New consultation: Paths across the dunes",
    }
    translated = to_welsh["Ymgynghoriad newydd: Wal newydd i’r harbwr"]
    assert "Rydym wedi cyhoeddi ymgynghoriad newydd." in translated.text
    assert "Rydym yn cynnig wal newydd i’r harbwr." in translated.text
    assert "/cy/consultations/harbour-wall/" in translated.text
    assert "Yn Saesneg yn unig" not in translated.text
    unsubscribe = link(translated, "unsubscribe")
    assert unsubscribe.endswith("&language=cy")
    assert translated.message["List-Unsubscribe"] == f"<{unsubscribe}>"
    english_only = to_welsh["Ymgynghoriad newydd: Paths across the dunes"]
    assert "Paths across the dunes (Yn Saesneg yn unig)" in english_only.text
    assert "/consultations/dune-paths/" in english_only.text
    assert "/cy/consultations/dune-paths/" not in english_only.text
    plain = to_english["New consultation: A new harbour wall"]
    assert "We have published a new consultation." in plain.text
    assert "/consultations/harbour-wall/" in plain.text and "/cy/" not in plain.text
    assert "language=" not in link(plain, "unsubscribe")

    # The Welsh unsubscribe link opens the Welsh page.
    page = httpx.get(unsubscribe, timeout=30)
    assert page.status_code == 200
    assert '<html lang="cy"' in page.text


# The table as the endpoint made it before the language was kept.
OLD_SUBSCRIPTIONS = """CREATE TABLE alert_subscriptions (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(254) NOT NULL,
    topics JSON NOT NULL,
    areas JSON NOT NULL,
    base_url VARCHAR(300) NOT NULL,
    confirm_hash VARCHAR(64),
    unsubscribe_token VARCHAR(64) NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    confirmed_at DATETIME
)"""


def test_a_subscription_from_before_languages_were_kept_is_read(tmp_path: Path) -> None:
    """An older database gains the column, every subscription kept: those made before it
    have none, and hear in the site's own language, with addresses that name none."""
    from portal.alerts.subscriptions import confirmed
    from portal.storage import Storage

    db = tmp_path / "responses.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(OLD_SUBSCRIPTIONS)
        conn.execute(
            "INSERT INTO alert_subscriptions (email, topics, areas, base_url, "
            "unsubscribe_token, created_at, confirmed_at) VALUES (?, '[]', '[]', ?, ?, ?, ?)",
            (
                ENGLISH_READER,
                "https://portal.example",
                "t" * 43,
                "2027-01-10 10:00:00.000000",
                "2027-01-10 10:05:00.000000",
            ),
        )
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    try:
        with storage.engine.connect() as conn:
            (subscriber,) = confirmed(conn)
    finally:
        storage.dispose()
    assert subscriber.email == ENGLISH_READER and subscriber.language == ""
    assert (
        subscriber.unsubscribe_url == f"https://portal.example/alerts/unsubscribe?token={'t' * 43}"
    )
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(alert_subscriptions)")]
    assert columns[-1] == "language"
