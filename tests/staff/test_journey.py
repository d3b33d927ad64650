"""One member of staff's morning, end to end, with JavaScript on and off: sign in, watch a
citizen's response arrive, read it, tag it, decide it may be published, export, sign out.

Each part has its own detailed tests (test_sign_in, test_pages, test_review_exports); this
one checks they make one journey, on a fresh endpoint and database, as staff meet it.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from portal.storage import Storage
from tests.staff.helpers import EMAIL, STAFF_ENV, add_account, sign_in
from tests.support import Server, serve_portal

FORM = "smart-parking-sensors"
COMMENT = "Please put the sensors in the Kingsmead car park first, it is always full."


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def journey(
    request: pytest.FixtureRequest, demo_site: Path, tmp_path: Path, browser: Any
) -> Iterator[tuple[Server, Any, Path, bool]]:
    db = tmp_path / "responses.sqlite3"
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    storage.dispose()
    add_account(db)
    context = browser.new_context(java_script_enabled=request.param, accept_downloads=True)
    with serve_portal(demo_site, db, tmp_path / "server.log", env=STAFF_ENV) as server:
        yield server, context.new_page(), db, request.param
    context.close()


def _citizen_responds(server: Server) -> str:
    fields = [
        ("submission_id", "journey-response-0001-abcdef"),
        ("support", "yes"),
        ("privacy_confidence", "4"),
        ("comments", COMMENT),
        ("privacy", "yes"),
        ("publish_answers", "yes"),
    ]
    reply = httpx.post(
        f"{server.url}/responses/{FORM}",
        content=urlencode(fields),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    reference: str = reply.json()["reference"]
    return reference


def _total(page: Any) -> str:
    card = page.locator(f".portal-staff-card:has(a[href='/staff/forms/{FORM}'])")
    return str(
        card.locator(".portal-staff-figures > div", has_text="In total").locator("dd").inner_text()
    )


def test_a_morning_in_the_staff_area(journey: tuple[Server, Any, Path, bool]) -> None:
    server, page, db, javascript = journey
    sign_in(page, server.url)
    assert page.url == f"{server.url}/staff/"
    assert _total(page) == "0"

    reference = _citizen_responds(server)
    if javascript:  # the page says so by itself, within a poll or two
        region = page.locator("[aria-live=polite].portal-staff-watch")
        region.get_by_text("1 new response:").wait_for(timeout=60_000)
        region.get_by_role("link", name="reload to see them").click()
    else:
        page.reload()
    page.wait_for_load_state()
    assert _total(page) == "1"

    # Read it.
    page.click(f"a[href='/staff/forms/{FORM}']")
    page.click("text=Read the responses")
    page.click(f"a:text-is('{reference}')")
    page.wait_for_load_state()
    assert COMMENT in page.locator("main").inner_text()

    # Tag it.
    page.select_option("#theme-comments", "Finding a space")
    page.click("#answer-comments button:has-text('Add theme')")
    page.wait_for_load_state()
    assert "Finding a space" in page.locator("#answer-comments .portal-staff-themes").inner_text()

    # Decide it may be published.
    page.goto(f"{server.url}/staff/forms/{FORM}/review")
    section = page.locator("section.portal-review__item", has_text=reference)
    section.locator("input[name=decision][value=publish]").check()
    section.locator("button:has-text('Save decision')").click()
    page.wait_for_load_state()
    assert "Saved: publish as written" in page.locator(".portal-notice").inner_text()

    # Export: the staff package holds the response, its words and its theme.
    page.goto(f"{server.url}/staff/forms/{FORM}/exports")
    with page.expect_download() as info:
        page.click("button:has-text('Download the staff package')")
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    table = archive.read(f"{FORM}/responses.csv").decode("utf-8")
    assert reference in table and COMMENT in table and "Finding a space" in table

    page.click("button:has-text('Sign out')")
    page.wait_for_load_state()
    assert "You have signed out." in page.content()

    with sqlite3.connect(db) as conn:
        actions = [
            a for (a,) in conn.execute("SELECT action FROM audit_log WHERE who = ?", (EMAIL,))
        ]
        decided = conn.execute("SELECT decision FROM review_decisions").fetchall()
    assert actions == ["sign-in", "tag", "review", "export", "sign-out"]
    assert decided == [("publish",)]
