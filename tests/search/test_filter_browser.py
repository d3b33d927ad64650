"""The combined filter in Chromium: a plain GET form without JavaScript, filter.js with it.

What should match is read from the published api/consultations.json (the data, not this
code), for a topic and an area chosen from it that narrow the list without emptying it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.slugs import slugify as _slugify
from tests.search.nojs import as_without_javascript, overflow
from tests.support import Server, axe_violations, describe, horizontal_overflow

pytestmark = pytest.mark.e2e


def slugify(label: str) -> str:
    return _slugify(label, fallback="other")


def published(site: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(
        (site / "api" / "consultations.json").read_text("utf-8")
    )["consultations"]
    return items


def narrowing_pair(site: Path) -> tuple[str, str, set[str]]:
    """A (topic, area) with both in at least one consultation and not in all of them: the
    one with the most such consultations, ties by name."""
    items = published(site)
    pairs: dict[tuple[str, str], set[str]] = {}
    for c in items:
        for topic in c["topics"]:
            for area in c["area"]:
                pairs.setdefault((topic, area), set()).add(urlsplit(c["url"]).path)
    narrowing = [(len(urls), pair) for pair, urls in pairs.items() if len(urls) < len(items)]
    count, (topic, area) = max(narrowing, key=lambda n: (n[0], n[1]))
    assert count >= 2, "the demo should have two consultations sharing a topic and an area"
    return topic, area, pairs[(topic, area)]


def card_paths(page: Any, visible_only: bool = False) -> list[str]:
    selector = "li.portal-card:visible" if visible_only else "li.portal-card"
    links = page.locator(f"{selector} .portal-card__title a")
    return [urlsplit(h).path for h in links.evaluate_all("els => els.map(e => e.href)")]


def test_a_topic_and_an_area_together_without_javascript(
    page_no_js: Any, page: Any, demo_server: Server, demo_site: Path
) -> None:
    topic, area, expected = narrowing_pair(demo_site)
    without = page_no_js
    without.goto(f"{demo_server.url}/consultations/filter/")
    form = without.locator("form.portal-filter__form")
    form.get_by_label("Topic", exact=True).select_option(slugify(topic))
    form.get_by_label("Area", exact=True).select_option(slugify(area))
    form.get_by_role("button", name="Show consultations").click()

    address = urlsplit(without.url)
    assert address.path == "/consultations/filter"
    assert parse_qs(address.query) == {"topic": [slugify(topic)], "area": [slugify(area)]}
    shown = card_paths(without)
    assert set(shown) == expected and len(shown) == len(expected)
    noun = "consultation matches" if len(expected) == 1 else "consultations match"
    assert without.locator(".portal-filter__result").inner_text() == (
        f"{len(expected)} {noun}: Topic: {topic}, Area: {area}."
    )
    # The choices stay chosen, and the address can be shared.
    assert without.get_by_label("Topic", exact=True).input_value() == slugify(topic)
    assert without.get_by_label("Area", exact=True).input_value() == slugify(area)
    assert without.get_by_label("Status", exact=True).input_value() == ""

    # With JavaScript, filter.js shows the same consultations, in the same order.
    page.goto(f"{demo_server.url}/consultations/filter/")
    page.get_by_label("Topic", exact=True).select_option(slugify(topic))
    page.get_by_label("Area", exact=True).select_option(slugify(area))
    assert card_paths(page, visible_only=True) == shown
    assert urlsplit(page.url).path == "/consultations/filter/"  # filtered in place


def test_every_area_lists_what_the_javascript_filter_lists(
    page_no_js: Any, page: Any, demo_server: Server
) -> None:
    """A site with an areas package counts a citywide consultation in every area: whatever
    the site's own filter shows for an area, the endpoint lists the same."""
    page.goto(f"{demo_server.url}/consultations/filter/")
    select = page.get_by_label("Area", exact=True)
    values = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    assert len(values) > 1
    for value in values:
        select.select_option(value)
        with_js = card_paths(page, visible_only=True)
        page_no_js.goto(f"{demo_server.url}/consultations/filter?area={value}")
        assert card_paths(page_no_js) == with_js, value


def test_status_topic_and_area_all_three(demo_server: Server, demo_site: Path, page: Any) -> None:
    topic, area, expected = narrowing_pair(demo_site)
    items = {urlsplit(c["url"]).path: c for c in published(demo_site)}
    status = items[sorted(expected)[0]]["status"]
    want = {p for p in expected if items[p]["status"] == status}
    page.goto(
        f"{demo_server.url}/consultations/filter?status={status}"
        f"&topic={slugify(topic)}&area={slugify(area)}"
    )
    assert set(card_paths(page)) == want


@pytest.mark.parametrize(
    ("query", "field"),
    [("topic=no-such-topic", "Topic"), ("area=%3Cscript%3E", "Area"), ("status=later", "Status")],
)
def test_a_value_not_in_the_list_gets_a_clear_message(
    page_no_js: Any, demo_server: Server, query: str, field: str
) -> None:
    response = page_no_js.goto(f"{demo_server.url}/consultations/filter?{query}")
    assert response.status == 400
    assert page_no_js.title().startswith("Error: Find a consultation")
    summary = page_no_js.locator(".portal-error-summary")
    assert summary.get_by_text("There is a problem").is_visible()
    noun = field.lower()
    message = f"Choose {'an' if noun[0] in 'aeiou' else 'a'} {noun} from the list"
    assert message in summary.inner_text()
    assert page_no_js.get_by_label(field, exact=True).input_value() == ""
    assert page_no_js.locator("li.portal-card").count() == 0


def test_no_choice_lists_every_consultation(
    page_no_js: Any, demo_server: Server, demo_site: Path
) -> None:
    page_no_js.goto(f"{demo_server.url}/consultations/filter?status=&topic=&area=")
    assert set(card_paths(page_no_js)) == {urlsplit(c["url"]).path for c in published(demo_site)}


def test_a_filter_page_has_the_form_with_its_own_choice(
    page_no_js: Any, demo_server: Server, demo_site: Path
) -> None:
    topic, area, expected = narrowing_pair(demo_site)
    page_no_js.goto(f"{demo_server.url}/consultations/filter/topic/{slugify(topic)}/")
    assert page_no_js.get_by_label("Topic", exact=True).input_value() == slugify(topic)
    page_no_js.get_by_label("Area", exact=True).select_option(slugify(area))
    page_no_js.get_by_role("button", name="Show consultations").click()
    assert set(card_paths(page_no_js)) == expected


def paths_for_checks(site: Path) -> list[str]:
    topic, area, _ = narrowing_pair(site)
    return [
        "/consultations/filter/",
        f"/consultations/filter?topic={slugify(topic)}&area={slugify(area)}",
        "/consultations/filter?topic=no-such-topic",
        f"/consultations/filter/topic/{slugify(topic)}/",
    ]


def test_filter_pages_have_no_axe_violations(
    page: Any, demo_server: Server, demo_site: Path
) -> None:
    for path in paths_for_checks(demo_site):
        page.goto(f"{demo_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], f"{path} with JavaScript: {describe(violations)}"
        as_without_javascript(page)
        violations = axe_violations(page)
        assert violations == [], f"{path} without JavaScript: {describe(violations)}"


def test_no_sideways_scrolling_at_320_px(
    browser: Any, demo_server: Server, demo_site: Path
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        for path in paths_for_checks(demo_site):
            assert horizontal_overflow(browser, f"{demo_server.url}{path}", 320) <= 0, path
            page.goto(f"{demo_server.url}{path}")
            assert overflow(page) <= 0, path
    finally:
        context.close()
