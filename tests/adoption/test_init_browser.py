"""A portal fresh from `portal init`, in Chromium: every page it starts with passes axe, and
its example consultation takes an answer as a resident would send it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e_forms.conftest import CONFIRMATION, FormsServer, fill, reference, submit_button
from tests.support import axe_violations, describe, portal, serve_portal

pytestmark = pytest.mark.e2e

PAGES = ["/", "/consultations/", "/consultations/example-consultation/", "/privacy/"]
PAGES += ["/accessibility/", "/consultations/filter/"]


@pytest.fixture(scope="module")
def new_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FormsServer]:
    folder = tmp_path_factory.mktemp("init-browser")
    root = folder / "portal"
    portal("init", str(root))
    portal("build", root=root)
    db = folder / "responses.sqlite3"
    with serve_portal(root / "site", db, folder / "server.log") as server:
        yield FormsServer(server, db)


@pytest.mark.parametrize("path", PAGES)
def test_every_starting_page_passes_axe(new_portal: FormsServer, page: Any, path: str) -> None:
    response = page.goto(new_portal.url + path)
    assert response is not None and response.status == 200
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_example_consultation_takes_an_answer(new_portal: FormsServer, page: Any) -> None:
    page.goto(new_portal.url + "/consultations/example-consultation/")
    expected = fill(
        page,
        {"support": "Not sure", "comments": "Could it be Wednesdays?", "privacy": True},
    )
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    row = new_portal.by_reference(reference(page))
    assert (row["form_id"], row["answers"]) == ("example-consultation", expected)


def test_the_header_search_finds_the_example_consultation(
    new_portal: FormsServer, page: Any
) -> None:
    """`theme: name: portal` gets Material's search, as `theme: name: material` does: MkDocs
    looks `search` up under the theme's name (portal/search, pyproject.toml). It had MkDocs'
    plain search, whose index Material cannot read, and no search box at all."""
    page.goto(f"{new_portal.url}/?q=example")
    page.wait_for_function(
        "() => /matching document/.test("
        "document.querySelector('.md-search-result__meta').textContent)"
    )
    links = page.locator(".md-search-result__item > a:first-child")
    found = [urlsplit(h).path for h in links.evaluate_all("els => els.map(e => e.href)")]
    assert "/consultations/example-consultation/" in found


def test_the_header_search_works_without_javascript(
    new_portal: FormsServer, page_no_js: Any
) -> None:
    page_no_js.goto(f"{new_portal.url}/consultations/")
    page_no_js.get_by_role("search").get_by_label("Search this site").fill("example")
    page_no_js.get_by_role("search").get_by_role("button", name="Search").click()
    assert urlsplit(page_no_js.url).path == "/search"
    results = page_no_js.locator(".portal-search-result__title a")
    found = [urlsplit(h).path for h in results.evaluate_all("els => els.map(e => e.href)")]
    assert "/consultations/example-consultation/" in found
