"""The endpoint's own pages in the language of the page they were asked from (issue 21):
the no-JavaScript filter, "save and come back later" and email alerts, on the bilingual
second test portal (tests/i18n/test_bilingual_site.py), built and served for real.

A page of the Welsh site says its language to the endpoint (a form's hidden field, or
``?language=`` on a GET); the answer is then the Welsh shell with Welsh words, and its links
stay in the Welsh site. Asked without it, the same page is in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.i18n.test_bilingual_site import make_bilingual
from tests.i18n.test_form_words import INDEX, INDEX_CY
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import Server, fresh_db, portal, serve_portal

FORM = "bus-lanes"
POST = f"/responses/{FORM}"
RESUME = f"{POST}/resume"
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
FILTER_FORM = re.compile(r'<form[^>]*action="/consultations/filter".*?</form>', re.DOTALL)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = make_bilingual(copy_second_portal(tmp_path_factory.mktemp("words") / "portal"))
    # test_form_words' form, in English and Welsh, offered to save and finish later.
    assert "form:\n  id: bus-lanes\n" in INDEX
    index = INDEX.replace(
        "form:\n  id: bus-lanes\n", "form:\n  id: bus-lanes\n  save_and_return: true\n"
    )
    folder = root / "consultations" / "bus-lanes"
    folder.mkdir()
    (folder / "index.md").write_text(index, encoding="utf-8")
    (folder / "index.cy.md").write_text(INDEX_CY, encoding="utf-8")
    site = tmp_path_factory.mktemp("words-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    folder = tmp_path_factory.mktemp("words-server")
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute"}
    with serve_portal(site, fresh_db(folder), folder / "server.log", env=env) as server:
        yield server, site


def title(reply: httpx.Response) -> str:
    found = TITLE.search(reply.text)
    assert found, reply.text[:500]
    return found[1]


def welsh(reply: httpx.Response, *english: str) -> None:
    """The Welsh shell, and none of the English words the page used to show."""
    assert '<html lang="cy"' in reply.text, title(reply)
    for words in english:
        assert words not in reply.text, words


def english(reply: httpx.Response) -> None:
    assert '<html lang="en"' in reply.text, title(reply)


def get(server: Server, path: str, **params: str) -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=30)


def post(server: Server, path: str, data: dict[str, Any]) -> httpx.Response:
    return httpx.post(server.url + path, data=data, timeout=30)


# -- the filter without JavaScript -----------------------------------------------------------
def test_the_welsh_filter_form_says_its_language(served: tuple[Server, Path]) -> None:
    _, site = served
    area = site / "cy" / "consultations" / "filter" / "area" / "district-wide" / "index.html"
    assert '<input type="hidden" name="language" value="cy">' in filter_form(area)
    english_area = site / "consultations" / "filter" / "area" / "district-wide" / "index.html"
    # The default language is the endpoint's default: its filter form need not say it.
    # (The header's no-JavaScript search box says every language, the default too.)
    assert 'name="language"' not in filter_form(english_area)


def filter_form(page: Path) -> str:
    found = FILTER_FORM.search(page.read_text("utf-8"))
    assert found, page
    return found[0]


def test_filter_results_in_welsh(served: tuple[Server, Path]) -> None:
    server, _ = served
    reply = get(server, "/consultations/filter", status="forthcoming", language="cy")
    assert reply.status_code == 200
    welsh(reply, "Find a consultation", "Coming up", "Status:")
    assert title(reply).startswith("Dod o hyd i ymgynghoriad: Statws: ")
    # The Welsh consultation, at its Welsh address; the form again keeps to Welsh.
    assert "Mesuryddion dŵr i bob cartref" in reply.text
    assert 'href="/cy/consultations/water-meters/"' in reply.text
    assert '<input type="hidden" name="language" value="cy">' in reply.text
    assert 'href="/cy/consultations/filter/"' in reply.text


def test_filter_error_in_welsh_and_in_english(served: tuple[Server, Path]) -> None:
    server, _ = served
    reply = get(server, "/consultations/filter", area="nowhere", language="cy")
    assert reply.status_code == 400
    welsh(reply, "Choose an area", "Error:")
    assert title(reply).startswith("Gwall: Dod o hyd i ymgynghoriad")
    assert "Dewiswch ardal o’r rhestr, neu ‘Unrhyw ardal’" in reply.text
    reply = get(server, "/consultations/filter", area="nowhere")
    assert reply.status_code == 400
    english(reply)
    assert title(reply).startswith("Error: Find a consultation")
    assert "Choose an area from the list, or ‘Any area’" in reply.text


# -- save and come back later ----------------------------------------------------------------
def test_a_welsh_page_saves_and_resumes_in_welsh(served: tuple[Server, Path]) -> None:
    server, site = served
    page = (site / "cy" / "consultations" / FORM / "index.html").read_text("utf-8")
    assert 'name="portal_language" value="cy"' in page
    assert f'href="{RESUME}?language=cy"' in page
    fields = {
        "portal_language": "cy",
        "portal_action": "save",
        "submission_id": "a" * 24,
        "views": "Mae angen bysiau amlach arnom.",
    }
    saved = post(server, POST, fields)
    assert saved.status_code == 200, saved.text[:500]
    welsh(saved, "Your answers have been saved", "Your resume code", "Carry on later")
    assert title(saved).startswith("Mae eich atebion wedi’u cadw")
    link = re.search(r"data-portal-resume-link>([^<]+)<", saved.text)
    assert link and link[1].endswith("&amp;language=cy"), link
    resumed = httpx.get(link[1].replace("&amp;", "&"), timeout=30)
    assert resumed.status_code == 200
    welsh(resumed, "Save and come back later", "What do you think of the bus lanes?")
    assert "Mae angen bysiau amlach arnom." in resumed.text
    assert "Beth yw eich barn am y lonydd bysiau?" in resumed.text
    assert 'name="portal_language" value="cy"' in resumed.text


def test_resume_pages_in_welsh_and_in_english(served: tuple[Server, Path]) -> None:
    server, _ = served
    ask = get(server, RESUME, language="cy")
    assert ask.status_code == 200
    welsh(ask, "Continue a saved response", "Resume code")
    assert '<input type="hidden" name="language" value="cy">' in ask.text
    wrong = get(server, RESUME, code="2345-6789-ABCD", language="cy")
    assert wrong.status_code == 404
    welsh(wrong, "We could not find saved answers", "Error:")
    assert title(wrong).startswith("Gwall: Parhau ag ymateb sydd wedi’i gadw")
    wrong = get(server, RESUME, code="2345-6789-ABCD")
    english(wrong)
    assert "We could not find saved answers with that code" in wrong.text


def test_not_found_goes_home_in_its_language(served: tuple[Server, Path]) -> None:
    server, _ = served
    reply = get(server, "/responses/no-such-form/resume", language="cy")
    assert reply.status_code == 404
    welsh(reply, "Page not found", "Go to the home page")
    assert '<a href="/cy/">Mynd i’r hafan</a>' in reply.text
    reply = get(server, "/responses/no-such-form/resume")
    english(reply)
    assert '<a href="/">Go to the home page</a>' in reply.text


# -- refusals made before the answers are read -----------------------------------------------
ACTION = re.compile(r'<form class="portal-form"[^>]*action="([^"#]*)')


def test_the_welsh_forms_action_names_its_language(served: tuple[Server, Path]) -> None:
    _, site = served
    welsh_page = (site / "cy" / "consultations" / FORM / "index.html").read_text("utf-8")
    english_page = (site / "consultations" / FORM / "index.html").read_text("utf-8")
    welsh_action, english_action = ACTION.search(welsh_page), ACTION.search(english_page)
    assert welsh_action and english_action
    assert welsh_action[1] == f"{POST}?language=cy"
    assert english_action[1] == POST  # the default language's addresses are unchanged


def test_a_welsh_post_refused_unread_is_answered_in_welsh(served: tuple[Server, Path]) -> None:
    """Too long (413) and from another site (403) are refused before the body, and so its
    hidden field, is read: the action's ?language= says the page's language."""
    server, _ = served
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = b"portal_language=cy&views=" + b"x" * (200 * 1024)
    for action, is_welsh in ((f"{POST}?language=cy", True), (POST, False)):
        reply = httpx.post(server.url + action, content=body, headers=form, timeout=30)
        assert reply.status_code == 413
        if is_welsh:
            welsh(reply, "too long to send")
            assert title(reply).startswith("Mae eich ymateb yn rhy hir i’w anfon")
        else:
            english(reply)
            assert "Your response is too long to send" in reply.text
    elsewhere = {**form, "Origin": "https://elsewhere.example"}
    reply = httpx.post(
        server.url + f"{POST}?language=cy",
        content=b"portal_language=cy&views=x",
        headers=elsewhere,
        timeout=30,
    )
    assert reply.status_code == 403
    welsh(reply, "could not be sent", "another website")
    assert "Nid oedd modd anfon eich ymateb" in reply.text
    unknown = httpx.post(server.url + "/responses/no-such-form?language=cy", data={}, timeout=30)
    assert unknown.status_code == 404
    welsh(unknown, "Page not found")


def test_a_missing_welsh_page_is_the_welsh_404(served: tuple[Server, Path]) -> None:
    server, _ = served
    reply = get(server, "/cy/no-such-page/")
    assert reply.status_code == 404
    welsh(reply)
    reply = get(server, "/no-such-page/")
    assert reply.status_code == 404
    english(reply)


# -- email alerts ----------------------------------------------------------------------------
def test_the_welsh_alerts_form_says_its_language(served: tuple[Server, Path]) -> None:
    _, site = served
    page = (site / "cy" / "alerts" / "index.html").read_text("utf-8")
    assert 'name="portal_language" value="cy"' in page


def test_subscribing_in_welsh(served: tuple[Server, Path]) -> None:
    server, _ = served
    wrong = post(server, "/alerts/subscribe", {"portal_language": "cy", "email": "not an address"})
    assert wrong.status_code == 422
    welsh(wrong, "Enter your email address", "Get emails about new consultations")
    assert title(wrong).startswith("Gwall: Cael negeseuon e-bost am ymgynghoriadau newydd")
    sent = post(
        server,
        "/alerts/subscribe",
        {"portal_language": "cy", "email": "preswylydd@example.org", "area": "District-wide"},
    )
    assert sent.status_code == 200
    welsh(sent, "Check your email", "about every")
    assert title(sent).startswith("Gwiriwch eich e-bost")
    assert "ar gyfer District-wide" in sent.text
    assert 'href="/cy/alerts/"' in sent.text
    english(post(server, "/alerts/subscribe", {"email": "resident@example.org"}))


def test_confirm_and_unsubscribe_pages_in_welsh(served: tuple[Server, Path]) -> None:
    server, _ = served
    expired = get(server, "/alerts/confirm", token="no-such-token", language="cy")
    assert expired.status_code == 410
    welsh(expired, "This link has expired", "Email alerts")
    assert 'href="/cy/alerts/"' in expired.text and 'href="/cy/"' in expired.text
    gone = post(server, "/alerts/unsubscribe", {"portal_language": "cy", "token": "nope"})
    welsh(gone, "You will not get any more email alerts")
    assert title(gone).startswith("Ni fyddwch yn cael rhagor o hysbysiadau e-bost")
    expired = get(server, "/alerts/confirm", token="no-such-token")
    english(expired)
    assert "This link has expired or has been used" in expired.text
    assert 'href="/alerts/"' in expired.text
