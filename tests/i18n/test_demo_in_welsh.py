"""The demo in Welsh, in Chromium (issue 21's "done when"): a citizen reads and answers the
open data charter consultation in Welsh with JavaScript on and off, gets Welsh errors and
a Welsh confirmation, and switches language on every page; the staff export counts the
English and the Welsh answers together; axe and the 320 px check pass on the Welsh pages.

The Welsh words expected are read from the demo's own files (index.cy.md, the form's
``cy:`` labels), so the test follows the content rather than restating it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e_forms.conftest import CONFIRMATION, FormsServer, submit_button
from tests.support import (
    ROOT,
    axe_violations,
    describe,
    horizontal_overflow,
    portal,
    serve_portal,
)

pytestmark = pytest.mark.e2e

SLUG = "open-data-charter"
PAGE = f"/consultations/{SLUG}/"
WELSH_PAGE = f"/cy{PAGE}"
FOLDER = ROOT / "consultations" / SLUG
SUMMARY_TITLE = ".portal-error-summary__title"
# The pages a citizen meets, each of which must link to itself in the other language.
PAGES = [
    "/",
    "/consultations/",
    PAGE,
    "/privacy/",
    "/accessibility/",
    "/datasets/",
    "/programme/",
    "/about/",
    "/alerts/",
]


def front(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert isinstance(data, dict)
    return data


def first_question() -> dict[str, Any]:
    question = front(FOLDER / "index.md")["form"]["questions"][0]
    assert isinstance(question, dict) and question["required"] is True
    return question


@pytest.fixture(scope="module")
def server(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FormsServer]:
    folder = tmp_path_factory.mktemp("welsh-demo")
    db = folder / "responses.sqlite3"
    env = {"PORTAL_RATE_LIMIT": "1000/minute"}
    with serve_portal(demo_site, db, folder / "server.log", env=env) as served:
        yield FormsServer(served, db)


def settled(tab: Any) -> None:
    """Wait for Material's header fade to end before axe measures contrast."""
    tab.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")


def assert_accessible(tab: Any) -> None:
    settled(tab)
    violations = axe_violations(tab)
    assert violations == [], describe(violations)


def assert_welsh_error(tab: Any) -> None:
    label = first_question()["label"]["cy"]
    assert tab.locator(SUMMARY_TITLE).first.inner_text() == "Mae problem wedi codi"
    assert label in tab.locator(".portal-error-summary").first.inner_text()


def test_the_welsh_page_is_welsh(server: FormsServer, page: Any, browser: Any) -> None:
    page.goto(server.url + WELSH_PAGE)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").first.inner_text() == front(FOLDER / "index.cy.md")["title"]
    question = first_question()
    assert question["label"]["cy"] in page.locator("form.portal-form").inner_text()
    assert question["label"]["en"] not in page.content()
    assert_accessible(page)
    assert horizontal_overflow(browser, server.url + WELSH_PAGE, 320) <= 0


def test_the_search_form_without_javascript_searches_the_page_language(
    demo_site: Path,
) -> None:
    for page, language in (("cy/index.html", "cy"), ("index.html", "en")):
        hidden = f'<input type="hidden" name="language" value="{language}">'
        assert hidden in (demo_site / page).read_text(encoding="utf-8")


def test_answering_in_welsh_with_javascript(server: FormsServer, page: Any) -> None:
    page.goto(server.url + WELSH_PAGE)
    submit_button(page).click()
    page.wait_for_selector(f"{SUMMARY_TITLE} >> visible=true")
    assert_welsh_error(page)
    assert_accessible(page)
    page.check(f"#{first_question()['id']}")
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert "Eich cyfeirnod" in page.content() or "cyfeirnod" in page.content().lower()
    assert "Your reference number" not in page.content()
    assert_accessible(page)


def test_answering_in_welsh_without_javascript(
    server: FormsServer, page_no_js: Any, page: Any, browser: Any
) -> None:
    page_no_js.goto(server.url + WELSH_PAGE)
    submit_button(page_no_js).click()
    page_no_js.wait_for_load_state()
    assert page_no_js.title().startswith("Gwall: ")
    assert_welsh_error(page_no_js)
    page_no_js.check(f"#{first_question()['id']}")
    submit_button(page_no_js).click()
    page_no_js.wait_for_url(CONFIRMATION)
    assert page_no_js.locator("html").get_attribute("lang") == "cy"
    assert "Your reference number" not in page_no_js.content()
    # The same 422 page in a browser that runs axe (form.submit() keeps forms.js out).
    page.goto(server.url + WELSH_PAGE)
    with page.expect_navigation():
        page.locator("form.portal-form").evaluate("form => form.submit()")
    assert page.title().startswith("Gwall: ")
    assert_accessible(page)
    assert (
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
        or horizontal_overflow(browser, page.url, 320) <= 0
    )


def test_every_page_links_to_itself_in_the_other_language(
    server: FormsServer, page_no_js: Any
) -> None:
    for address in PAGES:
        page_no_js.goto(server.url + address)
        assert page_no_js.locator("html").get_attribute("lang") == "en"
        page_no_js.locator("a.portal-language[hreflang=cy]").click()
        page_no_js.wait_for_load_state()
        assert page_no_js.url == server.url + "/cy" + address, address
        assert page_no_js.locator("html").get_attribute("lang") == "cy"
        page_no_js.locator("a.portal-language[hreflang=en]").click()
        page_no_js.wait_for_load_state()
        assert page_no_js.url == server.url + address


def test_the_export_counts_english_and_welsh_answers_together(
    server: FormsServer, page: Any, demo_site: Path, tmp_path: Path
) -> None:
    question = first_question()
    manifest = json.loads((demo_site / "api" / "forms" / f"{SLUG}.json").read_text("utf-8"))
    asked = next(q for q in manifest["questions"] if q["id"] == question["id"])
    first = asked["options"][0]["value"]  # as the form stores it, in every language

    def chose_first(export: str) -> Counter[str]:
        portal(
            "export",
            SLUG,
            "--out",
            str(tmp_path / export),
            "--site-dir",
            str(demo_site),
            env={"DATABASE_URL": f"sqlite:///{server.db}"},
        )
        data = next((tmp_path / export).rglob("*.csv"))
        with data.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        return Counter(r["language"] for r in rows if r[question["id"]] == first)

    before = chose_first("before") if server.count(SLUG) else Counter[str]()
    for address in (PAGE, WELSH_PAGE):
        page.goto(server.url + address)
        page.check(f"#{question['id']}")  # the first option, in either language
        submit_button(page).click()
        page.wait_for_url(CONFIRMATION)
    after = chose_first("after")
    assert after - before == Counter({"en": 1, "cy": 1})
