"""Issue 15, item 6: no typed answer is lost on any refusal the endpoint can give.

Real Chromium, with and without JavaScript, against the real site and endpoint on one
origin. Each refusal (400, 403 cross-site, 403 not open yet, 410, 413, 429, 503) is sent as
a browser sends it; the answers typed are then still there: in the page the endpoint
answers with, or, where the endpoint could not read them (400, 413, a cross-site 403),
after the browser's Back button. With JavaScript the form never leaves the page. Where the
post itself is damaged (400, 413, cross-site), the browser's request is altered in flight
by Playwright's routing: nothing of ours is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e_forms.conftest import fill, group, submit_button
from tests.exports.conftest import FORM
from tests.support import FIXTURE_SITE, Server, copy_site, portal, serve_portal

PAGE = "/consultations/bus-lanes/"
POST = "**/responses/bus-lanes"
BUILT_AT = {"PORTAL_NOW": "2027-01-15T12:00"}  # the form is open from 2020 to 2099
TYPED = {
    "support": "Yes",
    "modes": ["Bus", "Car"],
    "rating": "4",
    "comment": "Keep the number 23 bus running late",
    "email": "ann@example.org",
}
SHOWN = ["Yes", "Bus", "Car", "Keep the number 23 bus running late", "ann@example.org"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("refusals") / "portal")
    (root / "consultations" / "bus-lanes" / "index.md").write_text(FORM, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("extra_javascript:\n  - assets/portal/forms.js\n")  # as the demo has
    portal("build", root=root, env=BUILT_AT)
    return root / "site"


@contextmanager
def server(site: Path, folder: Path, **env: str) -> Iterator[Server]:
    settings = {**BUILT_AT, "PORTAL_RATE_LIMIT": "1000/minute", **env}
    with serve_portal(site, folder / "responses.sqlite3", folder / "server.log", env=settings) as s:
        yield s


def still_typed(page: Any) -> None:
    """Every answer typed is in the form on the page."""
    assert group(page, "support").get_by_label("Yes", exact=True).is_checked()
    modes = group(page, "modes")
    assert modes.get_by_label("Bus", exact=True).is_checked()
    assert modes.get_by_label("Car", exact=True).is_checked()
    assert not modes.get_by_label("Bike", exact=True).is_checked()
    assert group(page, "rating").get_by_label("4", exact=True).is_checked()
    assert group(page, "comment").locator("textarea").input_value() == TYPED["comment"]
    assert group(page, "email").locator("input").input_value() == TYPED["email"]


def listed(page: Any) -> None:
    """The answers sent are on the page, by question, to keep."""
    text = page.locator(".portal-sent-answers").inner_text()
    for value in SHOWN:
        assert value in text, (value, text)
    assert "Do you support bus lanes?" in text


def bad_bytes(route: Any, request: Any) -> None:
    # Percent-encoded bytes that are not UTF-8: the endpoint cannot read the post (400).
    route.continue_(post_data=(request.post_data or "") + "&comment=%FF%FE")


def too_large(route: Any, request: Any) -> None:
    route.continue_(post_data=(request.post_data or "") + "&pad=" + "x" * 150_000)


ELSEWHERE = "https://elsewhere.example"


def from_elsewhere(page: Any, s: Server) -> str:
    """The consultation page as another website serves it, posting to our endpoint: the
    browser's post is then cross-site (Sec-Fetch-Site, Origin) as a forged one would be."""

    def serve(route: Any, request: Any) -> None:
        upstream = httpx.get(s.url + request.url.removeprefix(ELSEWHERE), timeout=30)
        body = upstream.content.replace(
            b'action="/responses/', f'action="{s.url}/responses/'.encode()
        )
        content_type = upstream.headers.get("content-type", "text/html")
        route.fulfill(status=upstream.status_code, body=body, content_type=content_type)

    page.route(f"{ELSEWHERE}/**", serve)
    return ELSEWHERE + PAGE


def use_up_the_limit(s: Server, folder: Path) -> None:
    """One response sent from this address already: a limit of 1 a minute is used up."""
    fields = [("support", "no"), ("submission_id", "refusal-test-used-the-limit")]
    reply = httpx.post(
        f"{s.url}/responses/bus-lanes",
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert reply.status_code == 303, reply.text


def remove_the_database(s: Server, folder: Path) -> None:
    # The endpoint refuses to write into a file no longer on disk (503, answers kept).
    (folder / "responses.sqlite3").unlink()


Setup = Callable[[Server, Path], None]
Route = Callable[[Any, Any], None]
# status, endpoint settings, what to do first, how the browser's post is altered, and
# whether the endpoint's own page holds the answers: "form" (re-rendered), "list"
# (the closed and not-yet-open pages), or "back" (it could not read them).
CASES: dict[str, tuple[int, dict[str, str], Setup | None, Route | None, str]] = {
    "400": (400, {}, None, bad_bytes, "back"),
    "403-cross-site": (403, {}, None, None, "back"),
    "403-not-open-yet": (403, {"PORTAL_NOW": "2019-06-01T12:00"}, None, None, "list"),
    "410": (410, {"PORTAL_NOW": "2099-06-01T12:00"}, None, None, "list"),
    "413": (413, {}, None, too_large, "back"),
    "429": (429, {"PORTAL_RATE_LIMIT": "1/minute"}, use_up_the_limit, None, "form"),
    "503": (503, {}, remove_the_database, None, "form"),
}


@pytest.mark.parametrize("case", CASES)
def test_without_javascript_no_answer_is_lost(
    case: str, site: Path, page_no_js: Any, tmp_path: Path
) -> None:
    status, env, setup, route, where = CASES[case]
    page = page_no_js
    with server(site, tmp_path, **env) as s:
        if setup:
            setup(s, tmp_path)
        if route:
            page.route(POST, route)
        start = from_elsewhere(page, s) if case == "403-cross-site" else s.url + PAGE
        page.goto(start)
        fill(page, TYPED)
        with page.expect_navigation() as sent:
            submit_button(page).click()
        answer = sent.value
        assert answer is not None and answer.status == status, s.read_log()
        if where == "form":
            still_typed(page)
            assert page.locator(".govuk-error-summary, [role=alert]").first.is_visible()
        elif where == "list":
            listed(page)
        if status == 429:
            wait = answer.headers["retry-after"]
            assert wait.isdigit() and f"Wait {wait} seconds" in page.content()
        if where in ("back", "list"):
            page.go_back()
            page.wait_for_url(start)
            still_typed(page)


@pytest.mark.parametrize("case", CASES)
def test_with_javascript_the_form_keeps_every_answer(
    case: str, site: Path, page: Any, tmp_path: Path
) -> None:
    status, env, setup, route, _ = CASES[case]
    with server(site, tmp_path, **env) as s:
        if setup:
            setup(s, tmp_path)
        if route:
            page.route(POST, route)
        if case == "403-cross-site":
            # The script's fetch cannot read another site's refusal (no CORS), so it lets
            # the browser post the form itself: the answers are there again after Back.
            page.goto(from_elsewhere(page, s))
            page.wait_for_selector("form[data-portal-enhanced]", state="attached")
            fill(page, TYPED)
            with page.expect_navigation() as navigated:
                submit_button(page).click()
            assert navigated.value is not None and navigated.value.status == status
            page.go_back()
            page.wait_for_url(ELSEWHERE + PAGE)
            still_typed(page)
            return
        page.goto(s.url + PAGE)
        page.wait_for_selector("form[data-portal-enhanced]", state="attached")
        fill(page, TYPED)
        with page.expect_response(POST) as sent:
            submit_button(page).click()
        assert sent.value.status == status, s.read_log()
        page.wait_for_selector("[data-portal-error-summary]", state="visible")
        assert page.url.startswith(s.url + PAGE)
        still_typed(page)


def test_answers_corrected_after_422s_are_not_refused_by_the_rate_limit(
    site: Path, page_no_js: Any, tmp_path: Path
) -> None:
    """Without JavaScript every mistake is a post; none of them is a response sent."""
    page = page_no_js
    with server(site, tmp_path, PORTAL_RATE_LIMIT="2/minute") as s:
        page.goto(s.url + PAGE)
        for _ in range(4):  # the required question left unanswered each time
            with page.expect_navigation() as sent:
                submit_button(page).click()
            assert sent.value is not None and sent.value.status == 422, s.read_log()
        fill(page, TYPED)
        with page.expect_navigation() as sent:
            submit_button(page).click()
        assert sent.value is not None and sent.value.status == 200, s.read_log()
        assert "/confirmation/" in page.url
