"""Recovering from errors with every answer kept, with JavaScript off (the server's 422 page)
and on (the summary updated in place); nothing is stored until the answers are valid."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e_forms.conftest import (
    CONFIRMATION,
    SMART_PARKING,
    FormsServer,
    answer,
    fill,
    group,
    reference,
    submit_button,
)

pytestmark = pytest.mark.e2e

FORM_ID = "smart-parking-sensors"
# "support" (required) is left out and the email is not an address.
FIRST_TRY: dict[str, Any] = {
    "uses": ["Signs on the main roads into town showing free spaces", "Finding free loading bays"],
    "privacy_confidence": "2",
    "ward": "Harbour",
    "comments": "I worry about the cost.\nAnd about the data.",
    "full_name": "Sam Patel",
    "email": "sam.patel at example.com",
    "postcode": "NB3 9ZZ",
    "privacy": True,
}
SUPPORT_MESSAGE = (
    "Select an answer to “Do you support fitting parking sensors in town centre bays?”"
)
EMAIL_MESSAGE = "Enter your email address in the correct format, like name@example.com"


def assert_answers_kept(page: Any) -> None:
    uses = group(page, "uses")
    assert uses.get_by_label(FIRST_TRY["uses"][0], exact=True).is_checked()
    assert uses.get_by_label(FIRST_TRY["uses"][1], exact=True).is_checked()
    assert uses.locator("input:checked").count() == 2
    assert group(page, "privacy_confidence").get_by_label("2", exact=True).is_checked()
    assert group(page, "privacy_confidence").locator("input:checked").count() == 1
    assert group(page, "support").locator("input:checked").count() == 0
    ward = page.locator("#ward")
    assert ward.locator("option:checked").inner_text() == "Harbour"
    assert page.locator("#comments").input_value() == FIRST_TRY["comments"]
    assert page.locator("#full_name").input_value() == "Sam Patel"
    assert page.locator("#email").input_value() == "sam.patel at example.com"
    assert page.locator("#postcode").input_value() == "NB3 9ZZ"
    assert page.locator("#privacy").is_checked()
    assert not page.locator("#publish_answers").is_checked()


def assert_summary(page: Any) -> None:
    summary = page.locator("[data-portal-error-summary]")
    assert summary.is_visible()
    links = summary.locator("a")
    assert links.count() == 2, links.all_inner_texts()
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#support", "#email"]
    assert links.all_inner_texts() == [SUPPORT_MESSAGE, EMAIL_MESSAGE]
    assert page.title().startswith("Error: ")
    # Each field shows its own message, tied to it for screen readers.
    assert SUPPORT_MESSAGE in page.locator("#support-error").inner_text()
    assert EMAIL_MESSAGE in page.locator("#email-error").inner_text()
    assert "email-error" in (page.locator("#email").get_attribute("aria-describedby") or "")
    assert page.locator("#email").get_attribute("aria-invalid") == "true"


def follow_summary_links(page: Any) -> None:
    summary = page.locator("[data-portal-error-summary]")
    summary.get_by_role("link", name=EMAIL_MESSAGE).click()
    assert page.evaluate("document.activeElement.id") == "email"
    summary.get_by_role("link", name=SUPPORT_MESSAGE).click()
    assert page.evaluate("document.activeElement.id") == "support"


def fix_and_send(server: FormsServer, page: Any, before: int) -> None:
    expected_support = answer(page, "support", "Yes")
    answer(page, "email", "sam.patel@example.com")
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    ref = reference(page)
    assert server.count(FORM_ID) == before + 1, "one row, only for the valid answers"
    row = server.by_reference(ref)
    assert row["answers"] == {
        "support": expected_support,
        "uses": [
            "signs-on-the-main-roads-into-town-showing-free-spaces",
            "finding-free-loading-bays",
        ],
        "privacy_confidence": "2",
        "ward": "harbour",
        "comments": FIRST_TRY["comments"],
        "full_name": "Sam Patel",
        "email": "sam.patel@example.com",
        "postcode": "NB3 9ZZ",
        "privacy": True,
        "publish_answers": False,
    }


def test_recover_from_errors_without_javascript(forms_server: FormsServer, page_no_js: Any) -> None:
    page = page_no_js
    page.goto(forms_server.url + SMART_PARKING)
    before = forms_server.count(FORM_ID)
    fill(page, FIRST_TRY)
    with page.expect_navigation() as navigation:
        submit_button(page).click()
    response = navigation.value
    assert response is not None and response.status == 422
    assert response.url.endswith(f"/responses/{FORM_ID}")
    assert forms_server.count(FORM_ID) == before, "nothing stored for invalid answers"
    assert_summary(page)
    assert_answers_kept(page)
    follow_summary_links(page)
    fix_and_send(forms_server, page, before)


def test_recover_from_errors_with_javascript(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + SMART_PARKING)
    url = page.url
    before = forms_server.count(FORM_ID)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    fill(page, FIRST_TRY)
    submit_button(page).click()
    summary = page.locator("[data-portal-error-summary]")
    summary.wait_for(state="visible")
    assert page.url == url, "no navigation"
    assert posts == [], "invalid answers are not sent"
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    assert_summary(page)
    assert_answers_kept(page)
    assert forms_server.count(FORM_ID) == before
    follow_summary_links(page)
    # Fix one error: the summary is updated in place and still blocks sending.
    answer(page, "support", "Yes")
    submit_button(page).click()
    assert summary.locator("a").all_inner_texts() == [EMAIL_MESSAGE]
    assert page.locator("#support-error").count() == 0
    assert page.title().startswith("Error: ") and not page.title().startswith("Error: Error: ")
    assert posts == [] and forms_server.count(FORM_ID) == before
    fix_and_send(forms_server, page, before)
    assert len(posts) == 1
