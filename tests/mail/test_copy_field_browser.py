"""The "Email me a copy of my answers" field in Chromium, with JavaScript off and on: shown
on a form with email_copy, a bad address is an error on that field with every answer kept,
and a good one brings the copy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mail.conftest import MailPortal, wait
from tests.support import axe_violations, describe

PAGE = "/consultations/smart-parking-sensors/"
MESSAGE = "Enter your email address in the correct format, like name@example.com"
COMMENT = "Keep the answers I typed, please: “quotes” and £ signs."


def fill_answers(page: Any) -> None:
    page.get_by_label("Not sure", exact=True).check()
    page.locator('[data-portal-question="privacy_confidence"]').get_by_label("4").check()
    page.locator("#comments").fill(COMMENT)
    page.locator("#privacy").check()


def answers_kept(page: Any, address: str) -> None:
    assert page.get_by_label("Not sure", exact=True).is_checked()
    assert (
        page.locator('[data-portal-question="privacy_confidence"]').get_by_label("4").is_checked()
    )
    assert page.locator("#comments").input_value() == COMMENT
    assert page.locator("#privacy").is_checked()
    assert page.locator("#copy_email").input_value() == address


def error_on_the_field(page: Any) -> None:
    summary = page.locator(".portal-error-summary")
    assert MESSAGE in summary.inner_text()
    assert summary.locator("a", has_text=MESSAGE).get_attribute("href") == "#copy_email"
    assert MESSAGE in page.locator("#copy_email-error").inner_text()
    described = page.locator("#copy_email").get_attribute("aria-describedby") or ""
    assert "copy_email-hint" in described and "copy_email-error" in described


def send_and_get_copy(mailed: MailPortal, page: Any, address: str) -> None:
    page.locator("#copy_email").fill(address)
    page.locator("[data-portal-submit]").click()
    page.wait_for_url("**/responses/*/confirmation/*")
    reference = page.locator(".portal-reference").inner_text().strip()
    wait(lambda: len(mailed.smtp.to(address)) == 1, f"the copy to {address}")
    copy = mailed.smtp.to(address)[0]
    assert reference in copy.subject and COMMENT in copy.text


def test_the_copy_field_is_offered_and_checked_without_javascript(
    mailed: MailPortal, page_no_js: Any
) -> None:
    page = page_no_js
    page.goto(mailed.url + PAGE)
    field = page.get_by_label("Email me a copy of my answers (optional)")
    assert field.get_attribute("type") == "email"
    hint = page.locator("#copy_email-hint").inner_text()
    assert "We will send one email with your answers, then delete this address." in hint
    # The form asks for an email address of its own: that one stays with the response.
    assert "An email address you gave in your answers is kept with them." in hint
    fill_answers(page)
    field.fill("nope@example")
    with page.expect_navigation() as navigation:
        page.locator("[data-portal-submit]").click()
    assert navigation.value.status == 422
    assert page.title().startswith("Error: ")
    error_on_the_field(page)
    answers_kept(page, "nope@example")
    # (axe needs JavaScript: the JavaScript tests below run it on the same errors.)
    send_and_get_copy(mailed, page, "no.script@example.org")


@pytest.mark.parametrize(
    "address",
    [
        "nope@",  # the browser's own check refuses it
        "jo@example.c",  # only the server's (the export's) rule refuses it
    ],
)
def test_the_copy_field_is_checked_with_javascript(
    mailed: MailPortal, page: Any, address: str
) -> None:
    page.goto(mailed.url + PAGE)
    page.wait_for_selector("form[data-portal-enhanced]", state="attached")
    fill_answers(page)
    page.locator("#copy_email").fill(address)
    page.locator("[data-portal-submit]").click()
    page.wait_for_selector("#copy_email-error")
    assert page.url.split("#")[0].endswith(PAGE)  # still the page: nothing was lost
    error_on_the_field(page)
    answers_kept(page, address)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    send_and_get_copy(mailed, page, f"with.script.{len(address)}@example.org")
