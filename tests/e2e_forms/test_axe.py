"""axe (WCAG 2.0/2.1/2.2 A and AA) with no violations on the form, error, confirmation and
closed pages, each reached as a respondent would reach it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e_forms.conftest import (
    CONFIRMATION,
    DIGITAL_INCLUSION,
    ENQUIRY,
    SMART_PARKING,
    FormsServer,
    fill,
    submit_button,
)
from tests.support import axe_violations, describe

pytestmark = pytest.mark.e2e


def assert_no_violations(page: Any) -> None:
    page.mouse.move(0, 0)  # no hover styles on whatever moved under the pointer
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", [SMART_PARKING, DIGITAL_INCLUSION, ENQUIRY])
def test_form_page(forms_server: FormsServer, page: Any, path: str) -> None:
    page.goto(forms_server.url + path)
    assert page.locator("form[data-portal-form]").is_visible()
    assert_no_violations(page)


def test_error_page_from_the_server(forms_server: FormsServer, page: Any) -> None:
    """The server's 422 page (what a browser without JavaScript gets), reached by a plain
    post: axe needs script in the page, so the tab has JavaScript on but the fetch is
    bypassed."""
    page.goto(forms_server.url + DIGITAL_INCLUSION)
    before = forms_server.count("digital-inclusion-strategy")
    fill(
        page,
        {
            "household_users": "2.5",
            "drop_in_date": "31/12/2027",
            "email": "nope",
            "barriers": [
                "The cost of a device",
                "Not knowing where to start",
                "A disability or health condition",
                "None of these",
            ],
        },
    )
    with page.expect_navigation() as navigation:
        page.evaluate(
            "HTMLFormElement.prototype.submit.call("
            "document.querySelector('form[data-portal-form]'))"
        )
    assert navigation.value.status == 422
    assert page.title().startswith("Error: ")
    assert page.locator("[data-portal-error-summary] a").count() == 6
    assert forms_server.count("digital-inclusion-strategy") == before
    assert_no_violations(page)


def test_error_summary_with_javascript(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + SMART_PARKING)
    fill(page, {"email": "nope"})
    submit_button(page).click()
    page.locator("[data-portal-error-summary]").wait_for(state="visible")
    assert_no_violations(page)


def test_confirmation_page(forms_server: FormsServer, page: Any) -> None:
    tab = page
    tab.goto(forms_server.url + ENQUIRY)
    fill(
        tab,
        {
            "full_name": "Axe Tester",
            "email": "axe@example.com",
            "sector": "Other",
            "preferred_start": "I am not sure yet",
            "contact_consent": True,
        },
    )
    submit_button(tab).click()
    tab.wait_for_url(CONFIRMATION)
    assert tab.locator(".portal-reference").is_visible()
    assert_no_violations(tab)


def plain_post(page: Any, action: str, extra: str = "") -> Any:
    """From the open form on ``page``, post as a browser without JavaScript would, to
    ``action``, with no answers (``extra`` runs on the form first): the response."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([action, extra]) => {
            const form = document.querySelector('form[data-portal-form]');
            form.action = action;
            form.querySelectorAll('[data-portal-question]').forEach(g => g.remove());
            new Function('form', extra)(form);
            HTMLFormElement.prototype.submit.call(form);
        }""",
            [action, extra],
        )
    return navigation.value


def test_closed_page(forms_server: FormsServer, page: Any) -> None:
    """A plain post (the browser's own, not the script's fetch) to a closed consultation."""
    page.goto(forms_server.url + SMART_PARKING)
    before = forms_server.count()
    response = plain_post(page, "/responses/air-quality-sensors-schools")
    assert response.status == 410
    assert page.locator("h1").inner_text() == "This consultation has closed"
    assert page.get_by_text("Your response has not been saved.").is_visible()
    assert page.title().strip()
    assert forms_server.count() == before
    assert forms_server.count("air-quality-sensors-schools") == 0
    assert_no_violations(page)


def test_not_open_yet_page(forms_server: FormsServer, page: Any) -> None:
    page.goto(forms_server.url + SMART_PARKING)
    before = forms_server.count()
    response = plain_post(page, "/responses/ev-charging-points")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "This consultation is not open yet"
    assert forms_server.count() == before
    assert_no_violations(page)


def test_message_page_for_a_response_too_long_to_send(forms_server: FormsServer, page: Any) -> None:
    """The endpoint's plain message page (also used for 400, 403 cross-site and 429)."""
    page.goto(forms_server.url + SMART_PARKING)
    before = forms_server.count()
    response = plain_post(
        page,
        "/responses/smart-parking-sensors",
        "const big = document.createElement('input'); big.type = 'hidden';"
        "big.name = 'padding'; big.value = 'x'.repeat(120000); form.appendChild(big);",
    )
    assert response.status == 413
    assert page.locator("h1").inner_text() == "Your response is too long to send"
    assert forms_server.count() == before
    assert_no_violations(page)
