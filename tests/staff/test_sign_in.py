"""Signing in to the staff area, as staff and as people who should not get in would try.

Every case goes through the real endpoint over a socket (tests/serve_built.py on the demo
build) and, where a person would use one, Chromium; accounts are made with the real
``portal staff`` command. Expiry is tested by starting the endpoint again on the same
database with the clock (PORTAL_NOW) moved past the session's end, as a day passing would.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from portal.storage import Storage
from tests.staff.helpers import EMAIL, PASSWORD, SECRET, STAFF_ENV, add_account, sign_in
from tests.support import (
    ROOT,
    TEST_NOW,
    axe_violations,
    describe,
    horizontal_overflow,
    serve_portal,
)

CROSS_SITE = {"sec-fetch-site": "cross-site", "origin": "https://evil.example"}


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _client(server: Any) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)


@contextmanager
def _signed_in_client(
    server: Any, email: str = EMAIL, password: str = PASSWORD
) -> Iterator[httpx.Client]:
    with _client(server) as client:
        answer = client.post("/staff/sign-in", data={"email": email, "password": password})
        assert answer.status_code == 303, answer.text[:500]
        yield client


def test_a_signed_out_visitor_is_sent_to_sign_in(staff_server: Any, page_no_js: Any) -> None:
    with _client(staff_server) as client:
        answer = client.get("/staff/")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/staff/sign-in?next=/staff/"
        assert answer.headers["cache-control"] == "no-store"
    page_no_js.goto(staff_server.url + "/staff/")
    assert page_no_js.url.endswith("/staff/sign-in?next=/staff/")
    assert page_no_js.locator("h1").inner_text() == "Sign in to the staff area"


@pytest.mark.parametrize("javascript", [True, False])
def test_staff_sign_in_and_out_in_a_browser(
    staff_server: Any, browser: Any, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(staff_server.url + "/staff/")
        page.fill("#email", EMAIL.upper())  # addresses are not case-sensitive
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        assert page.url == staff_server.url + "/staff/"
        assert f"Signed in as {EMAIL}" in page.locator(".portal-staff__bar").inner_text()
        cookie = next(c for c in context.cookies() if c["name"] == "portal_staff")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["path"] == "/staff"
        page.click("button:has-text('Sign out')")
        assert "/staff/sign-in" in page.url
        assert "You have signed out." in page.content()
        page.goto(staff_server.url + "/staff/")
        assert "/staff/sign-in" in page.url, "signed out means signed out"
    finally:
        context.close()


def test_a_wrong_password_is_refused_and_the_address_kept(staff_server: Any, page: Any) -> None:
    page.goto(staff_server.url + "/staff/sign-in")
    page.fill("#email", EMAIL)
    page.fill("#password", "not the password at all")
    page.click("button:has-text('Sign in')")
    assert page.title().startswith("Error: Sign in")
    summary = page.locator(".portal-error-summary")
    assert "Enter the email address and password of your staff account" in summary.inner_text()
    assert page.input_value("#email") == EMAIL
    assert page.input_value("#password") == "", "a password is never sent back"
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(staff_server: Any) -> None:
    with _client(staff_server) as client:
        unknown = client.post(
            "/staff/sign-in", data={"email": "nobody@council.example", "password": "x" * 14}
        )
        wrong = client.post("/staff/sign-in", data={"email": EMAIL, "password": "y" * 14})
    assert unknown.status_code == wrong.status_code == 401
    assert "Enter the email address and password" in unknown.text
    assert "Enter the email address and password" in wrong.text


def test_repeated_wrong_passwords_for_one_account_must_wait(
    staff_server: Any, staff_db: Path
) -> None:
    target = "guessed@council.example"
    add_account(staff_db, target, "the right long password")
    with _client(staff_server) as client:
        codes = [
            client.post("/staff/sign-in", data={"email": target, "password": f"guess {i:08d}"})
            for i in range(5)
        ]
        assert [c.status_code for c in codes] == [401] * 5
        # The sixth try is refused before the password is looked at, even the right one.
        blocked = client.post(
            "/staff/sign-in", data={"email": target, "password": "the right long password"}
        )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many wrong passwords" in blocked.text
    assert f'value="{target}"' in blocked.text, "the address typed is kept"
    assert "portal_staff" not in blocked.headers.get("set-cookie", "")
    # Another account is not locked out by someone guessing this one.
    with _signed_in_client(staff_server) as client:
        assert client.get("/staff/").status_code == 200


def test_many_accounts_tried_from_one_connection_must_wait(tmp_path: Path, demo_site: Path) -> None:
    db = tmp_path / "responses.sqlite3"
    _create(db)
    add_account(db)
    with (
        serve_portal(demo_site, db, tmp_path / "log", env=STAFF_ENV) as server,
        _client(server) as client,
    ):
        codes = [
            client.post(
                "/staff/sign-in",
                data={"email": f"person{i}@council.example", "password": "a wrong password"},
            ).status_code
            for i in range(21)
        ]
        assert codes[:20] == [401] * 20
        assert codes[20] == 429
        refused = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD})
        assert refused.status_code == 429


def test_cross_site_posts_are_refused(staff_server: Any) -> None:
    with _client(staff_server) as client:
        forged = client.post(
            "/staff/sign-in", data={"email": EMAIL, "password": PASSWORD}, headers=CROSS_SITE
        )
        assert forged.status_code == 403
        assert "portal_staff" not in forged.headers.get("set-cookie", "")
    with _signed_in_client(staff_server) as client:
        forged_out = client.post("/staff/sign-out", headers=CROSS_SITE)
        assert forged_out.status_code == 403
        assert "another site" in forged_out.text
        assert client.get("/staff/").status_code == 200, "the forged sign-out changed nothing"


def test_a_forged_or_ended_cookie_signs_nobody_in(staff_server: Any) -> None:
    with _signed_in_client(staff_server) as client:
        cookie = client.cookies["portal_staff"]
        assert client.post("/staff/sign-out").status_code == 303
    for value in (cookie, "forged.cookie", cookie[:-3] + "AAA"):
        with _client(staff_server) as client:
            client.cookies.set("portal_staff", value, domain="127.0.0.1", path="/staff")
            assert client.get("/staff/").status_code == 303, value


def _create(db: Path) -> None:
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    storage.dispose()


def test_an_expired_session_is_refused_and_a_post_keeps_what_was_typed(
    tmp_path: Path, demo_site: Path, browser: Any
) -> None:
    db = tmp_path / "responses.sqlite3"
    _create(db)
    add_account(db)
    short = {**STAFF_ENV, "PORTAL_STAFF_SESSION_MINUTES": "60"}
    with (
        serve_portal(demo_site, db, tmp_path / "a.log", env=short) as server,
        _signed_in_client(server) as client,
    ):
        cookie = client.cookies["portal_staff"]
        assert client.get("/staff/").status_code == 200
    # An hour and a minute later (the same database, the endpoint started again).
    later = {**short, "PORTAL_NOW": "2026-12-01T13:01:00+00:00"}
    with serve_portal(demo_site, db, tmp_path / "b.log", env=later) as server:
        with _client(server) as client:
            client.cookies.set("portal_staff", cookie, domain="127.0.0.1", path="/staff")
            answer = client.get("/staff/")
            assert answer.status_code == 303
            assert answer.headers["location"].startswith("/staff/sign-in")
        context = browser.new_context()
        context.add_cookies(
            [{"name": "portal_staff", "value": cookie, "url": server.url + "/staff/"}]
        )
        page = context.new_page()
        try:
            # A sign-out button pressed on a page left open all morning, with text typed
            # into a note: the post is refused and the text is shown to copy.
            page.goto(server.url + "/staff/sign-in")
            page.evaluate(
                """() => {
                    const f = document.createElement('form');
                    f.method = 'post'; f.action = '/staff/sign-out';
                    const t = document.createElement('textarea');
                    t.name = 'note'; t.value = 'A long note about this answer';
                    f.appendChild(t); document.body.appendChild(f); f.submit();
                }"""
            )
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Sign in again"
            assert "A long note about this answer" in page.locator("main").inner_text()
            assert axe_violations(page) == [], describe(axe_violations(page))
        finally:
            context.close()


def test_the_staff_area_is_off_without_a_secret(demo_server: Any) -> None:
    with _client(demo_server) as client:
        for path in ("/staff/", "/staff/sign-in"):
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert "Page not found" in answer.text


@pytest.fixture()
def sso_server(tmp_path: Path, demo_site: Path) -> Iterator[Any]:
    db = tmp_path / "responses.sqlite3"
    env = {
        **STAFF_ENV,
        "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
        "PORTAL_STAFF_IDENTITY_HEADER": "X-Forwarded-Email",
        "PORTAL_STAFF_ALLOW": "@council.example, visitor@partner.example",
    }
    with serve_portal(demo_site, db, tmp_path / "log", env=env) as server:
        server.db = db
        yield server


def test_single_sign_on_lets_in_the_allowed_and_no_one_else(sso_server: Any) -> None:
    with _client(sso_server) as client:
        answer = client.get("/staff/", headers={"X-Forwarded-Email": "Sam@Council.Example"})
        assert answer.status_code == 200
        assert "Signed in as <strong>sam@council.example</strong>" in answer.text
        assert "portal_staff=" in answer.headers["set-cookie"]
        # The session it started is audited once, not on every page.
        assert client.get("/staff/", headers={"X-Forwarded-Email": "sam@council.example"})
    assert _rows(sso_server.db, "SELECT who, action, detail FROM audit_log") == [
        ("sam@council.example", "sign-in", "single sign-on")
    ]
    with _client(sso_server) as client:
        allowed = client.get("/staff/", headers={"X-Forwarded-Email": "visitor@partner.example"})
        assert allowed.status_code == 200
        for outsider in ("someone@partner.example", "sam@council.example.evil", ""):
            client.cookies.clear()
            refused = client.get("/staff/", headers={"X-Forwarded-Email": outsider})
            assert refused.status_code == 303, outsider


def test_an_identity_header_from_an_untrusted_peer_is_ignored(
    tmp_path: Path, demo_site: Path
) -> None:
    env = {
        **STAFF_ENV,
        "PORTAL_TRUSTED_PROXIES": "10.0.0.0/8",  # not the test's own address
        "PORTAL_STAFF_IDENTITY_HEADER": "X-Forwarded-Email",
        "PORTAL_STAFF_ALLOW": "@council.example",
    }
    with (
        serve_portal(demo_site, tmp_path / "r.sqlite3", tmp_path / "log", env=env) as server,
        _client(server) as client,
    ):
        answer = client.get("/staff/", headers={"X-Forwarded-Email": "sam@council.example"})
        assert answer.status_code == 303


def test_the_cookie_is_secure_behind_https(tmp_path: Path, demo_site: Path) -> None:
    db = tmp_path / "responses.sqlite3"
    _create(db)
    add_account(db)
    env = {**STAFF_ENV, "PORTAL_TRUSTED_PROXIES": "127.0.0.1"}
    with (
        serve_portal(demo_site, db, tmp_path / "log", env=env) as server,
        _client(server) as client,
    ):
        answer = client.post(
            "/staff/sign-in",
            data={"email": EMAIL, "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
        )
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_passwords_are_hashed_and_sign_ins_audited_without_addresses(
    staff_server: Any, staff_db: Path
) -> None:
    with _signed_in_client(staff_server) as client:
        client.post("/staff/sign-out")
    with _client(staff_server) as client:
        client.post("/staff/sign-in", data={"email": EMAIL, "password": "wrong wrong wrong"})
    (stored,) = _rows(staff_db, f"SELECT password_hash FROM staff_accounts WHERE email='{EMAIL}'")
    assert stored[0].startswith("$argon2id$")
    assert PASSWORD.encode() not in staff_db.read_bytes()
    assert PASSWORD not in staff_server.read_log()
    actions = {a for (a,) in _rows(staff_db, "SELECT action FROM audit_log")}
    assert {"sign-in", "sign-out", "sign-in-refused", "account-added"} <= actions
    for row in _rows(staff_db, "SELECT * FROM audit_log"):
        assert "127.0.0.1" not in " ".join(map(str, row)), row
    # Sessions are kept by hash: the cookie's id is not in the database.
    with _signed_in_client(staff_server) as client:
        session_id = client.cookies["portal_staff"].rsplit(".", 1)[0]
    assert session_id.encode() not in staff_db.read_bytes()


def test_sign_in_pages_pass_axe_and_reflow(staff_server: Any, browser: Any, page: Any) -> None:
    for path in ("/staff/sign-in", "/staff/sign-in?signed-out=1"):
        page.goto(staff_server.url + path)
        assert axe_violations(page) == [], f"{path}: {describe(axe_violations(page))}"
        assert horizontal_overflow(browser, staff_server.url + path, 320) <= 0, path
    sign_in(page, staff_server.url)
    assert axe_violations(page) == [], describe(axe_violations(page))
    context = browser.new_context(viewport={"width": 320, "height": 800})
    small = context.new_page()
    try:
        sign_in(small, staff_server.url)
        overflow = small.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert axe_violations(small) == [], describe(axe_violations(small))
    finally:
        context.close()


def _staff(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "staff", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{db}", "PORTAL_NOW": TEST_NOW},
        timeout=120,
    )


def test_the_staff_command_says_what_is_wrong(tmp_path: Path) -> None:
    db = tmp_path / "responses.sqlite3"
    missing = _staff(db, "list")
    assert missing.returncode == 1
    assert "there is no responses database" in missing.stderr
    assert "Traceback" not in missing.stderr
    _create(db)
    assert "No staff accounts yet" in _staff(db, "list").stdout
    short = _staff(db, "add", "ann@council.example", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 12" in short.stderr
    bad = _staff(db, "add", "not-an-address", "--password-stdin", stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and "is not an email address" in bad.stderr
    assert (
        _staff(db, "add", "ann@council.example", "--password-stdin", stdin=PASSWORD).returncode == 0
    )
    twice = _staff(db, "add", "Ann@council.example", "--password-stdin", stdin=PASSWORD)
    assert twice.returncode == 1 and "already an account" in twice.stderr
    assert "ann@council.example\tadded 2026-12-01" in _staff(db, "list").stdout
    no_terminal = _staff(db, "add", "bea@council.example", stdin=PASSWORD + "\n")
    assert no_terminal.returncode == 1 and "--password-stdin" in no_terminal.stderr
    assert PASSWORD not in no_terminal.stdout + no_terminal.stderr  # never echoed
    unknown = _staff(db, "password", "nobody@council.example", "--password-stdin", stdin="")
    assert unknown.returncode == 1 and "no account for nobody@council.example" in unknown.stderr
    gone = _staff(db, "remove", "nobody@council.example")
    assert gone.returncode == 1 and "no account" in gone.stderr
    assert _staff(db, "remove", "ann@council.example").returncode == 0
    assert "No staff accounts yet" in _staff(db, "list").stdout


def test_removing_an_account_ends_its_sign_ins(staff_server: Any, staff_db: Path) -> None:
    add_account(staff_db, "leaver@council.example", "a password for leaving")
    with _signed_in_client(staff_server, "leaver@council.example", "a password for leaving") as c:
        assert c.get("/staff/").status_code == 200
        assert _staff(staff_db, "remove", "leaver@council.example").returncode == 0
        assert c.get("/staff/").status_code == 303


def test_a_short_secret_stops_the_endpoint_with_a_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "endpoint", "--port", "1"],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PORTAL_SECRET_KEY": "too-short",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "PORTAL_SITE_DIR": str(tmp_path),
        },
        timeout=120,
    )
    assert result.returncode == 2
    assert "PORTAL_SECRET_KEY is 9 characters long" in result.stderr
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stderr
