"""A portal whose language is Welsh (theme.language: cy), built and served for real: its
forms carry the portal's words in Welsh, and the endpoint answers a form in the language
of the page it came from, with and without JavaScript (issue 21, its first part)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e_forms.conftest import CONFIRMATION, FormsServer, submit_button
from tests.second_portal.conftest import FORM, FORM_ID, NOW, copy_second_portal
from tests.support import (
    axe_violations,
    describe,
    horizontal_overflow,
    portal,
    serve_portal,
)

pytestmark = pytest.mark.e2e

ERROR_SUMMARY = ".portal-error-summary__title"


@pytest.fixture(scope="module")
def welsh_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_second_portal(tmp_path_factory.mktemp("welsh") / "portal")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text
    config.write_text(text.replace("  language: en\n", "  language: cy\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def welsh_server(
    welsh_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FormsServer]:
    site = tmp_path_factory.mktemp("welsh-site") / "site"
    portal("build", "--site-dir", str(site), root=welsh_root, env=NOW)
    folder = tmp_path_factory.mktemp("welsh-server")
    db = folder / "responses.sqlite3"
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute"}
    with serve_portal(site, db, folder / "server.log", env=env) as server:
        yield FormsServer(server, db)


def post(server: FormsServer, fields: list[tuple[str, str]], **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/responses/{FORM_ID}",
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        timeout=30,
    )


def test_the_built_form_is_in_welsh(welsh_server: FormsServer) -> None:
    html = httpx.get(welsh_server.url + FORM, timeout=30).text
    assert '<html lang="cy"' in html
    assert '<input type="hidden" name="portal_language" value="cy">' in html
    assert "(dewisol)" in html and "(optional)" not in html
    assert "Dewiswch opsiwn" in html  # the select's first option
    # The script's copy of the server's messages (JSON, in data-messages) is Welsh too.
    assert "Rhowch ateb i \\u201cYour name\\u201d" in html


def test_without_javascript_a_bad_answer_comes_back_in_welsh(welsh_server: FormsServer) -> None:
    typed = "Byr iawn"  # shorter than the question’s 10 characters
    reply = post(
        welsh_server,
        [("portal_language", "cy"), ("views", typed), ("full_name", "")],
        Accept="text/html",
    )
    assert reply.status_code == 422
    assert "<title>Gwall: " in reply.text
    assert "Mae problem wedi codi" in reply.text
    assert "Rhowch ateb i “Your name”" in reply.text
    # What was typed is kept (the minimum length message is Welsh as well).
    assert typed in reply.text
    assert "Rhaid i “What do you think of moving the car park inland?” fod yn 10 nod neu fwy" in (
        reply.text
    )
    assert welsh_server.count(FORM_ID) == 0


def test_a_script_asking_for_json_is_answered_in_welsh(welsh_server: FormsServer) -> None:
    reply = post(welsh_server, [("portal_language", "cy")], Accept="application/json")
    assert reply.status_code == 422
    body = reply.json()
    assert body["error"] == "Mae problem wedi codi"
    messages = {item["field"]: item["message"] for item in body["errors"]}
    assert messages["full_name"] == "Rhowch ateb i “Your name”"
    assert messages["option"] == "Dewiswch ateb i “Which option do you prefer?”"


def test_a_post_without_the_language_or_with_an_unknown_one_is_answered_in_the_sites(
    welsh_server: FormsServer,
) -> None:
    """An older page, or a forged field: the site's own language (Welsh here, as its pages
    are), never an error page for want of a language; one the portal has words in, in it."""
    for fields in ([], [("portal_language", "xx-unknown")], [("portal_language", "de")]):
        reply = post(welsh_server, fields, Accept="application/json")
        assert reply.status_code == 422
        assert reply.json()["error"] == "Mae problem wedi codi", fields
    reply = post(welsh_server, [("portal_language", "en")], Accept="application/json")
    assert reply.json()["error"] == "There is a problem"


def test_a_welsh_only_sites_refusals_and_confirmation_are_welsh(
    welsh_server: FormsServer,
) -> None:
    """Refusals made before the body is read (no hidden field yet) and the confirmation
    (whose address names no language, the form having one) are in the site's language."""
    too_long = httpx.post(
        f"{welsh_server.url}/responses/{FORM_ID}",
        content=b"views=" + b"x" * (200 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert too_long.status_code == 413
    assert '<html lang="cy"' in too_long.text
    assert "Mae eich ymateb yn rhy hir i’w anfon" in too_long.text
    unknown = httpx.get(f"{welsh_server.url}/responses/no-such-form/confirmation/x", timeout=30)
    assert unknown.status_code == 404
    assert '<html lang="cy"' in unknown.text
    assert "Heb ddod o hyd i’r dudalen" in unknown.text


def test_in_chromium_errors_and_the_page_are_welsh_and_pass_axe(
    welsh_server: FormsServer, page: Any, page_no_js: Any, browser: Any
) -> None:
    # With JavaScript: the script's own error summary, from the page's Welsh messages.
    page.goto(welsh_server.url + FORM)
    submit_button(page).click()
    page.wait_for_selector(f"{ERROR_SUMMARY} >> visible=true")
    assert_welsh_errors(page)
    settled(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # Without: the endpoint's 422 page.
    page_no_js.goto(welsh_server.url + FORM)
    submit_button(page_no_js).click()
    page_no_js.wait_for_load_state()
    assert_welsh_errors(page_no_js)
    assert page_no_js.title().startswith("Gwall: ")
    # The same 422 page in a browser that runs axe: the form sent as the browser sends it
    # without the script (form.submit() fires no submit event, so forms.js stays out).
    page.goto(welsh_server.url + FORM)
    with page.expect_navigation():
        page.locator("form.portal-form").evaluate("form => form.submit()")
    assert page.title().startswith("Gwall: ")
    settled(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert horizontal_overflow(browser, welsh_server.url + FORM, 320) <= 0


def settled(tab: Any) -> None:
    """Wait for the header's transitions to end: arriving at the error summary scrolls the
    page, and Material fades its header's title in; axe measured contrast mid-fade once."""
    tab.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")


def assert_welsh_errors(tab: Any) -> None:
    assert tab.locator(ERROR_SUMMARY).first.inner_text() == "Mae problem wedi codi"
    summary = tab.locator(".portal-error-summary").first.inner_text()
    assert "Rhowch ateb i “Your name”" in summary
    assert "There is a problem" not in summary


def test_a_welsh_response_is_stored_by_its_option_values(
    welsh_server: FormsServer, page: Any
) -> None:
    page.goto(welsh_server.url + FORM)
    page.fill("#full_name", "Siân Llywelyn")
    page.fill("#views", "Symudwch y maes parcio: mae’r twyni yn diogelu’r ffordd.")
    page.check("#option")
    page.check("#importance")
    page.check("#publish_ok")
    if page.locator("#privacy").count():
        page.check("#privacy")
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    # A form in the site's one language: its confirmation's address names none, and the
    # page is still in the site's (it was English before the endpoint read <html lang>).
    assert "language=" not in page.url
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.title().startswith("Ymateb wedi’i anfon")
    rows = welsh_server.rows(FORM_ID)
    assert len(rows) == 1
    # The option's value, the same whichever language the form was shown in.
    assert rows[0]["answers"]["option"] == "move-the-car-park-and-toilets-inland"


def test_pelican_builds_the_welsh_portal_in_welsh(
    welsh_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = tmp_path_factory.mktemp("welsh-pelican") / "site"
    portal("build", "--generator", "pelican", "--site-dir", str(site), root=welsh_root, env=NOW)
    html = (site / FORM.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy"' in html
    assert '<input type="hidden" name="portal_language" value="cy">' in html
    assert "(dewisol)" in html and "(optional)" not in html
