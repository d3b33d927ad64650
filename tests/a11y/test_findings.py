"""The issue's other findings, each checked where a person meets it: the endpoint's pages
(skip link target, search), requests that fail on every page (Material asking for a
sitemap.xml beside the feeds), the forms' words ("(optional)" twice, hints said twice, a
consent to a privacy notice with no link to it) and "Back to top" over the error summary."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from portal.forms.render import display, hint_states_limit, says_optional
from tests.a11y.conftest import endpoint_pages, open_forms
from tests.support import Server

CONFIG = re.compile(r'<script id="__config"[^>]*>(.*?)</script>', re.S)


def test_endpoint_pages_have_their_skip_link_target_and_a_working_search(
    demo_site: Path, a11y_server: Server, limited_server: Server, page: Any
) -> None:
    for endpoint_page in endpoint_pages(demo_site):
        endpoint_page.open(page, demo_site, a11y_server, limited_server)
        skip = page.locator("a.md-skip").get_attribute("href")
        assert skip and skip.startswith("#"), endpoint_page.name
        assert page.locator(f"[id='{skip[1:]}']").count() == 1, (endpoint_page.name, skip)
        # Material's search worker, at the address the page gives it, from this page.
        config = json.loads(CONFIG.search(page.content())[1])  # type: ignore[index]
        worker = urljoin(page.url, config["search"])
        assert httpx.get(worker, timeout=30).status_code == 200, (endpoint_page.name, worker)
        # Search gets past "Initializing search" and answers.
        page.locator(".md-search__input").focus()
        page.locator(".md-search__input").press_sequentially("parking")
        page.wait_for_function(
            "() => /matching document/.test("
            "document.querySelector('.md-search-result__meta').textContent)"
        )


def test_no_page_asks_for_something_missing(
    demo_site: Path, demo_server: Server, a11y_server: Server, page: Any
) -> None:
    """Material read the feeds' rel=alternate links as language versions and asked for
    /feeds/sitemap.xml (404) on every page."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ["/", "/consultations/", "/consultations/smart-parking-sensors/", "/about/"]:
        page.goto(demo_server.url + path)
        page.wait_for_load_state("networkidle")
    endpoint_pages(demo_site)[-1].open(page, demo_site, a11y_server, a11y_server)
    page.wait_for_load_state("networkidle")
    assert not failed, failed


def test_says_optional_and_hint_states_limit() -> None:
    assert says_optional("Your name (optional)")
    assert says_optional("Postcode (Optional) ")
    assert not says_optional("Optional extras you would like")
    assert hint_states_limit({"hint": "Choose up to 3.", "max_selected": 3})
    assert hint_states_limit({"hint": "Pick three at most", "max_selected": 3})
    assert not hint_states_limit({"hint": "Choose the ones you use.", "max_selected": 3})
    assert not hint_states_limit({"hint": None, "max_selected": 3})
    consent = {"type": "consent", "label": "I have read the privacy notice", "hint": None}
    manifest = {"page_url": "/council/consultations/a/", "page_file": "consultations/a/index.html"}
    assert display(consent, manifest)["privacy_url"] == "/council/privacy/"
    assert display({**consent, "label": "I agree"}, manifest)["privacy_url"] is None


def test_form_words_are_not_said_twice(demo_site: Path, demo_server: Server, page: Any) -> None:
    """On every form page: no "(optional) (optional)", no limit said in the hint and again
    by the form, and a consent to the privacy notice links to the privacy notice."""
    checked_consent = 0
    for form in open_forms(demo_site):  # a closed form's page shows no form
        manifest = form.manifest
        page.goto(demo_server.url + manifest["page_url"])
        for q in manifest["questions"]:
            group = page.locator(f'[data-portal-question="{q["id"]}"]')
            label = group.locator(".portal-label, .portal-fieldset__legend").first.inner_text()
            assert label.lower().count("(optional)") <= 1, (manifest["id"], label)
            hint = group.locator(".portal-hint")
            text = hint.inner_text() if hint.count() else ""
            limits = re.findall(r"\b(?:up to|at least|between)\b", text, re.I)
            assert len(limits) <= 1, (manifest["id"], q["id"], text)
            if q["type"] == "consent" and "privacy notice" in q["label"].lower():
                link = hint.get_by_role("link", name="privacy notice")
                href = link.get_attribute("href")
                assert href, (manifest["id"], q["id"])
                target = urljoin(page.url, href)
                assert httpx.get(target, timeout=30).status_code == 200, target
                checked_consent += 1
    assert checked_consent, "the demo has a consent to its privacy notice"


def test_back_to_top_does_not_cover_the_error_summary(
    demo_site: Path, a11y_server: Server, browser: Any
) -> None:
    """At 320 px, after scrolling down to the button and sending an empty form, the summary
    takes the focus; Material's "Back to top" (shown on scrolling up) must not cover it."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    covered = []
    for form in open_forms(demo_site):
        page.goto(a11y_server.url + form.page)
        page.mouse.wheel(0, 20000)
        page.locator("[data-portal-submit]").click()
        summary = page.locator(".portal-error-summary [role=alert]")
        page.wait_for_function("() => document.activeElement.getAttribute('role') === 'alert'")
        page.mouse.wheel(0, -30)  # a little scrolling up shows "Back to top"
        page.wait_for_timeout(300)
        box = summary.bounding_box()
        top = page.locator(".md-top")
        shown = "el => !el.hidden && getComputedStyle(el).display !== 'none'"
        if top.count() and top.evaluate(shown):
            button = top.bounding_box()
            if (
                button
                and box
                and button["y"] + button["height"] > box["y"]
                and (button["y"] < box["y"] + box["height"])
            ):
                covered.append(f"{form.id}: {button} over {box}")
    context.close()
    assert not covered, "\n".join(covered)
