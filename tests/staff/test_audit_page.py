"""The audit log page, filled by real actions: sign-ins over HTTP, exports and a review file
downloaded from the staff area's own routes, then read in Chromium (JavaScript on and off).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.staff.helpers import EMAIL, PASSWORD, sign_in
from tests.support import axe_violations, describe

PARKING = "smart-parking-sensors"
CHARTER = "open-data-charter"
SIGN_INS = 55  # more than a page (50) on their own
# How far the staff area's own content (the staff bar, the heading, the page) reaches past
# the window's right edge.
STAFF_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    let worst = -width;
    for (const el of document.querySelectorAll('.portal-staff, .portal-staff *')) {
        worst = Math.max(worst, el.getBoundingClientRect().right - width);
    }
    return Math.round(worst);
}"""


@dataclass(frozen=True)
class Logged:
    base: str
    db: Path


@contextmanager
def _client(base: str) -> Iterator[httpx.Client]:
    """Signed in over HTTP, as a script would (one sign-in in the log)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        signed = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD})
        assert signed.status_code == 303, signed.text[:300]
        yield client


def entries(db: Path, form_id: str | None = None) -> list[tuple[int, str, str, str | None, str]]:
    query = "SELECT id, who, action, form_id, detail FROM audit_log"
    args: tuple[str, ...] = ()
    if form_id:
        query, args = query + " WHERE form_id = ?", (form_id,)
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(query + " ORDER BY id DESC", args)]


@pytest.fixture(scope="module")
def logged(staff_server: Any, staff_db: Path) -> Logged:
    for _ in range(SIGN_INS):
        with _client(staff_server.url):
            pass
    with _client(staff_server.url) as client:
        for form_id, kind in ((PARKING, "staff"), (CHARTER, "public"), (PARKING, "spreadsheet")):
            answer = client.post(f"/staff/forms/{form_id}/exports", data={"kind": kind})
            assert answer.status_code == 200, answer.text[:500]
        assert client.get(f"/staff/forms/{PARKING}/review.yml").status_code == 200
    return Logged(staff_server.url, staff_db)


def _rows(page: Any) -> list[list[str]]:
    cells = page.locator("table.portal-audit tbody tr")
    return [
        [c.strip() for c in cells.nth(i).locator("td").all_inner_texts()]
        for i in range(cells.count())
    ]


@pytest.mark.parametrize("javascript", [True, False])
def test_newest_first_in_pages_that_hold_still(
    logged: Logged, browser: Any, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        sign_in(page, logged.base)
        page.goto(logged.base + "/staff/audit")
        assert page.locator("h1").inner_text() == "Audit log"
        first = _rows(page)
        stored = entries(logged.db)
        assert len(first) == 50
        # Newest first: this browser's own sign-in, then the downloads, newest first.
        assert first[0][1:] == [EMAIL, "Signed in", "–", "password"]
        downloads = [r[3:] for r in first if r[2] == "Downloaded an export"]
        assert downloads == [
            [PARKING, "review.yml"],
            [PARKING, "spreadsheet"],
            [CHARTER, "public"],
            [PARKING, "staff"],
        ]
        # A new entry while reading does not shift the next page (keyset, not offset).
        with _client(logged.base):
            pass
        page.click("a:has-text('Older entries')")
        page.wait_for_url("**before=*")
        page.wait_for_load_state()
        second = _rows(page)
        assert len(second) == len(stored) - 50
        assert second[-1][1:3] == ["portal staff (command line)", "Account added or password set"]
        assert second[-1][4] == EMAIL
        ids = [int(e[0]) for e in stored]
        assert f"before={ids[49]}" in page.url
        assert page.locator("a:has-text('Older entries')").count() == 0
        page.click("a:has-text('Newest entries')")
        page.wait_for_url("**/staff/audit")
        page.wait_for_load_state()
        assert _rows(page)[0][1:3] == [EMAIL, "Signed in"]
        assert len(entries(logged.db)) == len(stored) + 1
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_filter_by_form(logged: Logged, browser: Any, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        sign_in(page, logged.base)
        page.goto(logged.base + "/staff/audit")
        options = page.locator("#form option").all_inner_texts()
        assert options[0] == "All forms" and {PARKING, CHARTER} <= set(options)
        page.select_option("#form", CHARTER)
        page.click("button:has-text('Show')")
        page.wait_for_url(f"**/staff/audit?form={CHARTER}")
        page.wait_for_load_state()
        rows = _rows(page)
        assert rows == [[rows[0][0], EMAIL, "Downloaded an export", CHARTER, "public"]]
        assert page.locator("#form").input_value() == CHARTER
        page.goto(f"{logged.base}/staff/audit?form={PARKING}")
        assert len(_rows(page)) == len(entries(logged.db, PARKING)) == 3
        # A form nobody acted on: an empty list that says so.
        page.goto(f"{logged.base}/staff/audit?form=bus-lanes")
        assert "Nothing in the log for the form bus-lanes" in page.locator("main").inner_text()
    finally:
        context.close()


def test_times_are_for_people_and_no_address_is_shown(logged: Logged, page: Any) -> None:
    sign_in(page, logged.base)
    page.goto(logged.base + "/staff/audit")
    # The suite's clock (PORTAL_NOW) is 2026-12-01T12:00Z; the site's zone is Europe/London.
    when = page.locator("table.portal-audit tbody tr").first.locator("time")
    assert when.inner_text() == "1 December 2026, 12:00:00 GMT"
    assert when.get_attribute("datetime") == "2026-12-01T12:00:00+00:00"
    html = page.content()
    assert "127.0.0.1" not in html
    headers = page.locator("table.portal-audit th").all_inner_texts()
    assert headers == ["When", "Who", "Action", "Form", "Detail"]


def test_signed_out_visitors_are_sent_to_sign_in(logged: Logged) -> None:
    answer = httpx.get(logged.base + "/staff/audit?form=x", timeout=30)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/sign-in?next=/staff/audit%3Fform%3Dx"


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("javascript", [True, False])
def test_the_page_passes_axe_and_fits(
    logged: Logged, browser: Any, width: int, javascript: bool
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        sign_in(page, logged.base)
        for path in ("/staff/audit", f"/staff/audit?form={PARKING}"):
            page.goto(logged.base + path)
            overflow = page.evaluate(STAFF_OVERFLOW)
            assert overflow <= 0, f"{path}: the staff area is {overflow}px too wide at {width}px"
            if javascript:
                # Without JavaScript the site's shell (its plain search form, not this
                # page) is wider than 320px on every page, public ones too.
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            if javascript:  # axe runs as a script in the page (it waits forever without)
                violations = axe_violations(page)
                assert not violations, describe(violations)
    finally:
        context.close()
