"""The staff pages for forms and responses, as staff meet them: real responses posted over
HTTP to the demo's smart-parking form, then the dashboard, the form's page, the list and its
search, one response with its personal details and its tags, in Chromium with and without
JavaScript; the audit log and the tags read back from the SQLite file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.staff.helpers import EMAIL, PASSWORD, sign_in
from tests.support import Server, axe_violations, describe, horizontal_overflow, post_answers

FORM = "smart-parking-sensors"
# Three people's answers. The words searched for below are in one comment each: "100%"
# is in one only, though "100" is in another (an unescaped % would find both), and "Ann"
# is only a name, which is personal and never searched.
ANSWERS: list[dict[str, Any]] = [
    {
        "support": "yes",
        "uses": ["finding-free-loading-bays", "live-map-of-free-spaces-on-the-council-website"],
        "privacy_confidence": "4",
        "ward": "abbey",
        "comments": "Delivery drivers circle for 100 metres looking for loading bays.",
        "full_name": "Ann Example",
        "email": "ann.example@mail.example",
        "postcode": "NB1 2AB",
        "privacy": "yes",
        "publish_answers": "yes",
    },
    {
        "support": "no",
        "privacy_confidence": "1",
        "comments": "Worried about surveillance: who else sees where my car is?",
        "privacy": "yes",
    },
    {
        "support": "not-sure",
        "uses": ["finding-free-disabled-blue-badge-bays"],
        "privacy_confidence": "3",
        "ward": "castle",
        "comments": "I am 100% sure the money would be better spent on buses.",
        "privacy": "yes",
    },
]


def post(server: Server, answers: dict[str, Any], number: int) -> str:
    """One response as the form's page sends it; its reference."""
    return post_answers(server, FORM, answers, f"staff-pages-{number:04d}-abcdefgh")


@pytest.fixture(scope="module")
def references(staff_server: Server) -> list[str]:
    return [post(staff_server, answers, n) for n, answers in enumerate(ANSWERS)]


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, params))


def stored(db: Path) -> int:
    return int(rows(db, "SELECT count(*) FROM responses WHERE form_id = ?", FORM)[0][0])


def figure(page: Any, container: str, name: str) -> str:
    """The figure beside ``name`` in a list of figures (Today, This week, In total)."""
    item = page.locator(f"{container} .portal-staff-figures > div", has_text=name).first
    return str(item.locator("dd").inner_text()).strip()


@pytest.fixture(params=["js", "no-js"])
def any_page(request: pytest.FixtureRequest, page: Any, page_no_js: Any) -> Any:
    return page if request.param == "js" else page_no_js


def test_staff_read_a_form_its_responses_and_tag_an_answer(
    any_page: Any, staff_server: Server, staff_db: Path, references: list[str]
) -> None:
    page, base = any_page, staff_server.url
    sign_in(page, base)
    # The dashboard: every response came at the suite's pinned moment, so today is all.
    assert page.url == f"{base}/staff/"
    card = f".portal-staff-card:has(a[href='/staff/forms/{FORM}'])"
    total = stored(staff_db)
    assert total >= 3
    assert figure(page, card, "In total") == str(total)
    assert figure(page, card, "Today") == str(total)
    assert figure(page, card, "This week") == str(total)
    assert "Open" in page.locator(card).inner_text()
    assert "Last response: 1 December 2026, midday" in page.locator(card).inner_text()
    # Every form of the built site is listed, answered or not.
    assert page.locator(".portal-staff-card").count() >= 5

    page.click(f"a[href='/staff/forms/{FORM}']")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Smart parking sensors in the town centre"
    # The chart is an image with a name; the table beside it holds the same figures.
    assert page.get_by_role("img", name=re.compile("^Responses per day to Smart")).count() == 1
    day = page.locator("table.portal-staff-table tr", has_text="1 December 2026")
    assert day.locator("td").inner_text() == str(total)
    support = page.locator("section[aria-labelledby='q-support']")
    assert "Yes" in support.inner_text()
    yes = support.locator("tr", has_text="Yes").locator("td").first.inner_text()
    assert int(yes) >= 1
    scale = page.locator("section[aria-labelledby='q-privacy_confidence']")
    assert "Median" in scale.inner_text()
    themes = page.locator("h2:has-text('Themes') + table")
    assert "Finding a space" in themes.inner_text()
    for link in ("responses", "review", "exports"):
        assert page.locator(f"a[href='/staff/forms/{FORM}/{link}']").count() == 1

    page.click("text=Read the responses")
    page.wait_for_load_state()
    listed = page.locator(".portal-staff-list__item")
    assert listed.count() == min(total, 25)
    for reference in references:
        assert page.locator(f"a:text-is('{reference}')").count() == 1
    # Newest first: the last one posted is at the top.
    assert references[-1] in listed.first.inner_text()

    def search(words: str) -> str:
        page.fill("#search", words)
        page.click(".portal-staff-search button[type=submit]")
        page.wait_for_load_state()
        return str(page.locator("main").inner_text())

    found = search("surveillance")
    assert references[1] in found and references[0] not in found and references[2] not in found
    found = search("100%")
    assert references[2] in found and references[0] not in found
    found = search("Ann")  # a name: personal, so not searched
    assert "No response has “Ann”" in found and references[0] not in found
    assert page.input_value("#search") == "Ann"  # the search box keeps what was typed

    page.goto(f"{base}/staff/forms/{FORM}/responses?search=surveillance")
    page.click(f"a:text-is('{references[1]}')")
    page.wait_for_load_state()
    assert "Worried about surveillance" in page.locator("main").inner_text()

    # One response: personal details hidden until asked for, and the asking is audited.
    page.goto(f"{base}/staff/forms/{FORM}/responses/{references[0]}")
    text = page.locator("main").inner_text()
    assert "Ann Example" not in text and "ann.example@mail.example" not in text
    assert "NB1 2AB" not in text
    assert "Hidden personal detail" in text
    viewed = "SELECT count(*) FROM audit_log WHERE action = 'view-personal' AND detail = ?"
    before = rows(staff_db, viewed, references[0])[0][0]
    page.click("button:has-text('Show personal details')")
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Ann Example" in text and "ann.example@mail.example" in text and "NB1 2AB" in text
    assert rows(staff_db, viewed, references[0])[0][0] == before + 1
    who = rows(staff_db, "SELECT who, form_id FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert who == (EMAIL, FORM)

    # Tag the comment with a theme from the codebook, then take it off again.
    page.select_option("#theme-comments", "Finding a space")
    page.click("#answer-comments button:has-text('Add theme')")
    page.wait_for_load_state()
    assert page.url.endswith(f"/responses/{references[0]}#answer-comments")
    tags = page.locator("#answer-comments .portal-staff-themes")
    assert "Finding a space" in tags.inner_text()
    tagged = "SELECT question, theme, who FROM response_tags WHERE reference = ?"
    assert rows(staff_db, tagged, references[0]) == [("comments", "Finding a space", EMAIL)]
    last = "SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1"
    assert rows(staff_db, last)[0] == ("tag", f"{references[0]} comments: Finding a space")
    # The theme is counted on the form's page and shown in the list.
    page.goto(f"{base}/staff/forms/{FORM}")
    row = page.locator("h2:has-text('Themes') + table tr", has_text="Finding a space")
    assert row.locator("td").first.inner_text() == "1"
    # Its link lists the responses with an answer tagged with it, and only those.
    row.get_by_role("link", name="Finding a space").click()
    page.wait_for_load_state()
    assert "tagged “Finding a space”" in page.locator("main h2").first.inner_text()
    listed = page.locator(".portal-staff-list__item")
    assert listed.count() == 1 and references[0] in listed.first.inner_text()
    page.goto(f"{base}/staff/forms/{FORM}/responses")
    item = page.locator(".portal-staff-list__item", has_text=references[0])
    assert "Finding a space" in item.inner_text()

    page.goto(f"{base}/staff/forms/{FORM}/responses/{references[0]}")
    page.click("button:has-text('Remove the theme Finding a space')")
    page.wait_for_load_state()
    assert page.locator("#answer-comments .portal-staff-themes").count() == 0
    assert rows(staff_db, tagged, references[0]) == []
    assert rows(staff_db, last)[0] == ("untag", f"{references[0]} comments: Finding a space")


@contextmanager
def signed_in_client(server: Server) -> Iterator[httpx.Client]:
    """An HTTP client with the staff cookie, signed in through the sign-in form."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        reply = client.post(
            "/staff/sign-in", data={"email": EMAIL, "password": PASSWORD, "next": "/staff/"}
        )
        assert reply.status_code == 303, reply.text
        yield client


def test_a_theme_not_in_the_codebook_is_refused(
    staff_server: Server, staff_db: Path, references: list[str]
) -> None:
    with signed_in_client(staff_server) as client:
        url = f"/staff/forms/{FORM}/responses/{references[1]}/tags"
        reply = client.post(
            url, data={"action": "add", "question": "comments", "theme": "Parking wardens"}
        )
        assert reply.status_code == 422
        assert "There is a problem" in reply.text
        assert "&#39;Parking wardens&#39; is not a theme in this form&#39;s codebook" in reply.text
        assert "Finding a space" in reply.text  # it says which themes there are
        reply = client.post(url, data={"action": "add", "question": "comments", "theme": ""})
        assert reply.status_code == 422 and "Choose a theme to add" in reply.text
        # Only free-text answers that are not personal details take a theme.
        reply = client.post(
            url, data={"action": "add", "question": "email", "theme": "Finding a space"}
        )
        assert reply.status_code == 400 and "cannot be tagged" in reply.text
    assert rows(staff_db, "SELECT * FROM response_tags WHERE reference = ?", references[1]) == []


def test_the_list_pages_back_by_id_and_keeps_the_search(
    staff_server: Server, references: list[str]
) -> None:
    with signed_in_client(staff_server) as client:
        first = client.get(f"/staff/forms/{FORM}/responses")
        ids = re.findall(r"/responses/(PR-[A-Z0-9-]+)\"", first.text)
        assert ids[: len(references)] == list(reversed(references))[: len(ids)]
        # A page of responses older than the second-newest has only the older ones.
        newest = client.get(f"/staff/forms/{FORM}/count.json").json()["newest"]
        older = client.get(f"/staff/forms/{FORM}/responses", params={"before": newest})
        assert references[-1] not in older.text and references[0] in older.text
        assert "Newest responses" in older.text
        searched = client.get(
            f"/staff/forms/{FORM}/responses", params={"search": "buses", "before": newest + 1}
        )
        assert references[2] in searched.text and references[1] not in searched.text
        assert client.get("/staff/forms/no-such-form").status_code == 404
        # Every form on the dashboard has its page and its list, answered or not.
        dashboard = client.get("/staff/")
        forms = re.findall(r'href="/staff/forms/([a-z0-9_-]+)"', dashboard.text)
        assert FORM in forms and len(forms) >= 5
        for form_id in forms:
            for path in (f"/staff/forms/{form_id}", f"/staff/forms/{form_id}/responses"):
                reply = client.get(path)
                assert reply.status_code == 200, (path, reply.text[-2000:])
        missing = client.get(f"/staff/forms/{FORM}/responses/PR-0000-0000")
        assert missing.status_code == 404 and "No response to this form" in missing.text


ROUTES = [
    "/staff/",
    "/staff/count.json",
    f"/staff/forms/{FORM}",
    f"/staff/forms/{FORM}/count.json",
    f"/staff/forms/{FORM}/responses",
    f"/staff/forms/{FORM}/responses?search=bays",
    f"/staff/forms/{FORM}/responses/PR-2222-2222",
]


@pytest.mark.parametrize("route", ROUTES)
def test_a_signed_out_visitor_gets_the_sign_in_page(staff_server: Server, route: str) -> None:
    reply = httpx.get(staff_server.url + route, follow_redirects=True, timeout=30)
    assert reply.status_code == 200
    assert str(reply.url.path) == "/staff/sign-in"
    assert ">Sign in to the staff area</h1>" in reply.text
    assert reply.url.params["next"] == route


def test_a_signed_out_tag_is_not_made(staff_server: Server, references: list[str]) -> None:
    reply = httpx.post(
        f"{staff_server.url}/staff/forms/{FORM}/responses/{references[0]}/tags",
        data={"action": "add", "question": "comments", "theme": "Finding a space"},
        timeout=30,
    )
    assert reply.status_code == 401 and "Sign in again" in reply.text


class SignedIn:
    """The browser, with every new context signed in as the staff account: what
    horizontal_overflow() opens must see the staff page, not the sign-in page."""

    def __init__(self, browser: Any, state: dict[str, Any]) -> None:
        self.browser, self.state = browser, state

    def new_context(self, **options: Any) -> Any:
        return self.browser.new_context(storage_state=self.state, **options)


@pytest.fixture()
def signed_in(browser: Any, staff_server: Server) -> Iterator[SignedIn]:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, staff_server.url)
    yield SignedIn(browser, context.storage_state())
    context.close()


def test_every_page_passes_axe_and_fits_320_pixels(
    signed_in: SignedIn, staff_server: Server, references: list[str]
) -> None:
    response = f"/staff/forms/{FORM}/responses/{references[0]}"
    pages = [
        "/staff/",
        f"/staff/forms/{FORM}",
        f"/staff/forms/{FORM}/responses",
        f"/staff/forms/{FORM}/responses?search=surveillance",
        f"/staff/forms/{FORM}/responses?search=nothing-says-this",
        f"/staff/forms/{FORM}/responses?theme=Finding+a+space",
        response,
        f"{response}?personal=1",
    ]
    for width in (1280, 320):
        context = signed_in.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in pages:
            page.goto(staff_server.url + path)
            assert page.locator("h1").count() == 1, path
            violations = axe_violations(page)
            assert not violations, f"{path} at {width}px:\n{describe(violations)}"
        # The refusal page (422, with its error summary) too.
        page.goto(staff_server.url + response)
        page.evaluate(
            "() => { const s = document.querySelector('#theme-comments');"
            " s.options[1].value = 'Not a theme'; }"
        )
        page.select_option("#theme-comments", index=1)
        page.click("#answer-comments button:has-text('Add theme')")
        page.wait_for_load_state()
        assert page.locator(".portal-error-summary").count() == 1
        violations = axe_violations(page)
        assert not violations, f"refused tag at {width}px:\n{describe(violations)}"
        context.close()
    for path in pages:
        overflow = horizontal_overflow(signed_in, staff_server.url + path, 320)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def test_a_new_response_is_announced_while_the_page_is_open(
    page: Any, staff_server: Server, staff_db: Path, references: list[str]
) -> None:
    sign_in(page, staff_server.url)
    form_page = page
    dashboard = page.context.new_page()
    dashboard.goto(f"{staff_server.url}/staff/")
    form_page.goto(f"{staff_server.url}/staff/forms/{FORM}")
    for watched in (dashboard, form_page):
        assert watched.locator("[aria-live=polite].portal-staff-watch").inner_text() == ""
    post(staff_server, {"support": "yes", "privacy_confidence": "5", "privacy": "yes"}, 99)
    for watched in (form_page, dashboard):
        region = watched.locator("[aria-live=polite].portal-staff-watch")
        # The script polls every 10 seconds; wait for it, however long the machine takes.
        region.get_by_text("1 new response:").wait_for(timeout=60_000)
        region.get_by_role("link", name="reload to see them").click()
        watched.wait_for_load_state()
    total = stored(staff_db)
    assert figure(form_page, "main", "In total") == str(total)


def test_an_answer_the_form_no_longer_asks_is_shown_only_with_personal_details(
    staff_server: Server, staff_db: Path, references: list[str]
) -> None:
    # A row as an earlier version of the form stored it (before versions were recorded):
    # one of its questions has since gone, and nothing says whether it was personal.
    with sqlite3.connect(staff_db) as conn:
        conn.execute(
            "INSERT INTO responses (form_id, submission_id, reference, received_at, "
            "manifest_version, answers) VALUES (?, ?, ?, ?, ?, ?)",
            (
                FORM,
                "staff-pages-earlier-version",
                "PR-EARL-2222",
                "2026-11-20 10:00:00.000000",
                1,
                '{"support": "yes", "home_street": "12 Old Lane", "privacy": true}',
            ),
        )
    with signed_in_client(staff_server) as client:
        url = f"/staff/forms/{FORM}/responses/PR-EARL-2222"
        hidden = client.get(url)
        assert hidden.status_code == 200
        assert "home_street" in hidden.text and "12 Old Lane" not in hidden.text
        shown = client.get(url, params={"personal": "1"})
        assert "12 Old Lane" in shown.text
    viewed = "SELECT who FROM audit_log WHERE action = 'view-personal' AND detail = ?"
    assert rows(staff_db, viewed, "PR-EARL-2222") == [(EMAIL,)]
