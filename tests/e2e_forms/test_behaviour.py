"""Live character count, keyboard-only completion and double submission (JavaScript on)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e_forms.conftest import (
    CONFIRMATION,
    ENQUIRY,
    SMART_PARKING,
    FormsServer,
    fill,
    reference,
    submit_button,
)

pytestmark = pytest.mark.e2e


def test_live_character_count(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + SMART_PARKING)
    before = forms_server.count("smart-parking-sensors")
    count = page.locator("#comments-count")
    textarea = page.locator("#comments")
    expect(count).to_be_visible()
    expect(count).to_have_text("You have 2000 characters remaining")
    textarea.press_sequentially("Hello")
    expect(count).to_have_text("You have 1995 characters remaining")
    textarea.fill("x" * 1999)
    expect(count).to_have_text("You have 1 character remaining")
    textarea.fill("x" * 2001)
    expect(count).to_have_text("You have 1 character too many")
    expect(count).to_have_class("portal-character-count portal-character-count--over")
    # The polite live region catches up once typing pauses.
    live = page.locator('[data-portal-question="comments"] [aria-live="polite"]')
    expect(live).to_have_text("You have 1 character too many")
    # Over the limit: refused in the page, nothing sent or stored.
    fill(page, {"support": "Yes", "privacy_confidence": "3", "privacy": True})
    submit_button(page).click()
    summary = page.locator("[data-portal-error-summary] a")
    expect(summary).to_have_text(
        [
            "“Tell us why you gave these answers, or anything else we "
            "should know” must be 2000 characters or less"
        ]
    )
    textarea.fill("x" * 2000)
    expect(count).to_have_text("You have 0 characters remaining")
    expect(count).not_to_have_class("portal-character-count portal-character-count--over")
    assert forms_server.count("smart-parking-sensors") == before


def tab_to(page: Any, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id"))


def test_complete_enquiry_by_keyboard_only(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + ENQUIRY)
    before = forms_server.count("programme-enquiry")
    keys = page.keyboard
    tab_to(page, "full_name")
    keys.type("Kit Marlowe")
    keys.press("Tab")
    assert focused_id(page) == "email"
    keys.type("kit@example.org")
    keys.press("Tab")
    assert focused_id(page) == "organisation_role"
    keys.type("Open Data Institute, Analyst")
    keys.press("Tab")
    assert focused_id(page) == "sector"
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    assert page.locator("#sector").input_value() == "central-government-or-a-public-body"
    keys.press("Tab")
    assert focused_id(page) == "interests"
    keys.press("Space")  # Participatory methods
    keys.press("Tab")
    keys.press("Tab")
    assert focused_id(page) == "interests-3"
    keys.press("Space")  # the third module
    tab_to(page, "preferred_start", limit=20)
    keys.press("Space")
    keys.press("ArrowDown")
    keys.press("ArrowDown")  # In 6 to 12 months
    keys.press("Tab")
    assert focused_id(page) == "heard_about"
    keys.press("ArrowDown")
    keys.press("Tab")
    assert focused_id(page) == "questions"
    keys.type("Can I join remotely?")
    keys.press("Enter")
    keys.type("Thanks.")
    keys.press("Tab")
    assert focused_id(page) == "contact_consent"
    keys.press("Space")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-portal-submit')")
    interests = page.locator("#interests, #interests-3").evaluate_all(
        "els => els.map(e => e.value)"
    )
    keys.press("Enter")
    page.wait_for_url(CONFIRMATION)
    assert forms_server.count("programme-enquiry") == before + 1
    row = forms_server.by_reference(reference(page))
    assert row["answers"] == {
        "full_name": "Kit Marlowe",
        "email": "kit@example.org",
        "organisation_role": "Open Data Institute, Analyst",
        "sector": "central-government-or-a-public-body",
        "interests": interests,
        "preferred_start": "in-6-to-12-months",
        "heard_about": "from-my-employer",
        "questions": "Can I join remotely?\nThanks.",
        "contact_consent": True,
    }


ENQUIRY_ANSWERS = {
    "full_name": "Double Clicker",
    "email": "double@example.com",
    "sector": "Technology",
    "preferred_start": "As soon as possible",
    "contact_consent": True,
}


def test_double_click_stores_once(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + ENQUIRY)
    before = forms_server.count("programme-enquiry")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    expected = fill(page, ENQUIRY_ANSWERS)
    submit_button(page).dblclick()
    page.wait_for_url(CONFIRMATION)
    row = forms_server.by_reference(reference(page))
    assert row["answers"] == expected
    assert len(posts) == 1, posts
    assert forms_server.count("programme-enquiry") == before + 1


def test_same_page_sent_twice_stores_once(forms_server: FormsServer, page: Any) -> None:
    """Even if the page's guard is bypassed (two posts of the same page, as a resubmission
    after a lost answer would), the server stores one row and gives the same reference."""
    page.goto(forms_server.url + ENQUIRY)
    before = forms_server.count("programme-enquiry")
    expected = fill(page, ENQUIRY_ANSWERS)
    results = page.evaluate("""async () => {
        const form = document.querySelector('form[data-portal-form]');
        const send = () => fetch(form.action, {method: 'POST',
            body: new URLSearchParams(new FormData(form)),
            headers: {Accept: 'application/json'}}).then(r => r.json());
        return Promise.all([send(), send(), send()]);
    }""")
    assert all(r["ok"] for r in results), results
    assert len({r["reference"] for r in results}) == 1, results
    assert forms_server.count("programme-enquiry") == before + 1
    row = forms_server.by_reference(results[0]["reference"])
    assert row["answers"] == expected
    # The form itself can then be sent and still lands on the same confirmation.
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    assert reference(page) == results[0]["reference"]
    assert forms_server.count("programme-enquiry") == before + 1
