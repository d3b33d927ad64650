"""Search in Chromium: Material's own search with JavaScript, the endpoint's without it.

The site and the endpoint are on one origin (tests/serve_built.py). For each query the test
types into Material's search, reads every page in its list (Material shows ten, then more as
the list scrolls), and compares them, in order, with the endpoint's results page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest

from tests.search.nojs import as_without_javascript, overflow
from tests.support import Server, axe_violations, describe, horizontal_overflow

pytestmark = pytest.mark.e2e

QUERIES = [
    "parking",
    "data",
    "charging points",  # two words
    "air quality",
    "consultation",
    "chargin",  # a word cut short: Material (and so the endpoint) search for its start
    "parkng",  # misspelt: no results in either
    "zebra xylophone",  # no results
]

RESULT_COUNT = """() => {
  const meta = document.querySelector('.md-search-result__meta').textContent.trim();
  return {meta, shown: document.querySelectorAll('.md-search-result__item').length};
}"""

SCROLL = """(bottom) => {
  const wrap = document.querySelector('.md-search__scrollwrap');
  wrap.scrollTop = bottom ? wrap.scrollHeight : 0;
}"""


def material_results(page: Any, server: Server, query: str) -> list[str]:
    """The pages in Material's result list, in order (Material's own ?q= deep link)."""
    page.goto(f"{server.url}/?q={quote_plus(query)}")
    page.wait_for_function(
        "() => { const t = document.querySelector('.md-search-result__meta').textContent;"
        " return /matching document/.test(t); }"
    )
    state = page.evaluate(RESULT_COUNT)
    meta = state["meta"]
    total = 0 if meta.startswith("No ") else 1 if meta.startswith("1 ") else int(meta.split()[0])
    while state["shown"] < total:  # Material renders four more each time the list ends
        shown = state["shown"]
        page.evaluate(SCROLL, False)
        page.wait_for_timeout(50)
        page.evaluate(SCROLL, True)
        page.wait_for_function(
            f"() => document.querySelectorAll('.md-search-result__item').length > {shown}"
        )
        state = page.evaluate(RESULT_COUNT)
    links = page.locator(".md-search-result__item > a:first-child")
    return [urlsplit(href).path for href in links.evaluate_all("els => els.map(e => e.href)")]


def endpoint_results(page: Any, server: Server, query: str) -> list[str]:
    """The pages on the endpoint's results, in order, following its pages of results."""
    page.goto(f"{server.url}/search?query={quote_plus(query)}")
    found: list[str] = []
    while True:
        links = page.locator(".portal-search-result__title a")
        found += [urlsplit(h).path for h in links.evaluate_all("els => els.map(e => e.href)")]
        following = page.locator("a[rel=next]")
        if not following.count():
            return found
        following.click()


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_pages_in_the_same_order_with_and_without_javascript(
    page: Any, page_no_js: Any, demo_server: Server, query: str
) -> None:
    with_js = material_results(page, demo_server, query)
    without = endpoint_results(page_no_js, demo_server, query)
    assert without == with_js
    count = page_no_js.locator(".portal-search__count").inner_text()
    noun = "result" if len(with_js) == 1 else "results"
    assert count.startswith(f"{len(with_js)} {noun} for ‘{query}’")  # then ", page 2 of 2"
    if query in ("parking", "data", "charging points"):
        assert with_js, "the demo has pages about this"
    if query in ("parkng", "zebra xylophone"):
        assert with_js == []
        assert page_no_js.get_by_text("There are no matching results.").is_visible()


def test_the_same_words_are_marked(page: Any, page_no_js: Any, demo_server: Server) -> None:
    """The first result's title, with the words Material marks in it."""
    page.goto(f"{demo_server.url}/?q=charging+points")
    first = page.locator(".md-search-result__item").first.locator("h1")
    first.wait_for()
    marked_js = first.locator("mark").all_inner_texts()
    endpoint_results(page_no_js, demo_server, "charging points")
    title = page_no_js.locator(".portal-search-result__title").first
    assert title.locator("mark").all_inner_texts() == marked_js
    assert title.inner_text() == first.inner_text()
    assert marked_js == ["charging", "points"]


def test_the_header_form_searches_without_javascript(page_no_js: Any, demo_server: Server) -> None:
    page = page_no_js
    page.goto(f"{demo_server.url}/consultations/")
    search = page.get_by_role("search").get_by_label("Search this site")
    assert search.is_visible()
    search.fill("parking")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    assert urlsplit(page.url).path == "/search"
    assert "query=parking" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    assert page.title().startswith("Search results for ‘parking’")
    results = page.locator(".portal-search-result__title a")
    assert results.count() > 0
    results.first.click()
    assert urlsplit(page.url).path == "/consultations/smart-parking-sensors/"


def test_with_javascript_only_materials_search_is_there(page: Any, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/")
    assert page.locator(".portal-site-search").count() == 0  # inside <noscript>: not parsed
    assert page.locator(".md-search__input").is_visible()


@pytest.mark.parametrize(
    "path", ["/search", "/search?query=parking", "/search?query=parkng", "/consultations/"]
)
def test_search_pages_have_no_axe_violations(page: Any, demo_server: Server, path: str) -> None:
    page.goto(f"{demo_server.url}{path}")
    violations = axe_violations(page)
    assert violations == [], f"with JavaScript: {describe(violations)}"
    as_without_javascript(page)
    assert page.locator(".portal-site-search").is_visible()
    violations = axe_violations(page)
    assert violations == [], f"without JavaScript: {describe(violations)}"


@pytest.mark.parametrize("path", ["/search?query=data", "/consultations/"])
def test_no_sideways_scrolling_at_320_px(browser: Any, demo_server: Server, path: str) -> None:
    assert horizontal_overflow(browser, f"{demo_server.url}{path}", 320) <= 0
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{demo_server.url}{path}")
        assert overflow(page) <= 0
        assert page.locator(".portal-site-search").is_visible()
    finally:
        context.close()


def test_a_query_material_would_open_its_own_search_for_is_not_used(
    page: Any, demo_server: Server
) -> None:
    """With JavaScript, a shared /search?query= address shows the endpoint's page as it is:
    Material opens its search dialog only for ?q=."""
    page.goto(f"{demo_server.url}/search?query=parking")
    assert page.locator(".portal-search-result").count() > 0
    assert not page.locator(".md-search-result__item").first.is_visible()
