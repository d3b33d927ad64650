"""Every question type answered and sent, with JavaScript on and off: the confirmation page
shows a reference and the database holds exactly the answers given, once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e_forms.conftest import (
    CONFIRMATION,
    DIGITAL_INCLUSION,
    ENQUIRY,
    SMART_PARKING,
    FormsServer,
    fill,
    reference,
    submit_button,
)

pytestmark = pytest.mark.e2e

FORMS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "smart-parking-sensors": (
        "smart-parking-sensors",
        SMART_PARKING,
        {
            "support": "Not sure",
            "uses": [
                "Live map of free spaces on the council website",
                "Finding free disabled (Blue Badge) bays",
                "Open data about how full car parks and streets are",
            ],
            "privacy_confidence": "4",
            "ward": "St Anne's",
            "comments": "Line one of my view.\nLine two: £410,000 is “a lot” — isn't it?",
            "full_name": "Zoë O'Brien-Łukasz",
            "email": "zoe.obrien@example.org",
            "postcode": "NB1 2AB",
            "privacy": True,
            "publish_answers": True,
        },
    ),
    "digital-inclusion-strategy": (
        "digital-inclusion-strategy",
        DIGITAL_INCLUSION,
        {
            "connection": "Mobile data on my phone only",
            "household_users": "3",
            "barriers": [
                "The cost of a device",
                "Worries about scams and safety",
                "Poor signal or slow broadband where I live",
            ],
            "priority": "Help with the cost of broadband",
            "strategy_agreement": "2",
            "drop_in_date": "31/1/2027",
            "comments": "More sessions on Saturdays, please.",
            "email": "resident@example.com",
            "publish_answers": False,
        },
    ),
    "programme-enquiry": (
        "programme-enquiry",
        ENQUIRY,
        {
            "full_name": "Ada Okafor",
            "email": "ada.okafor@example.net",
            "organisation_role": "Northbridge City Council, Planning Officer",
            "sector": "Urban planning or architecture",
            "interests": [0, 2, 3],  # the programme's modules, in the form's order
            "preferred_start": "In 6 to 12 months",
            "heard_about": "A professional body or network",
            "questions": "Is there a part-time option?",
            "contact_consent": True,
        },
    ),
}


def send_and_check(
    server: FormsServer, page: Any, form_id: str, path: str, answers: dict[str, Any]
) -> None:
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200
    before = server.count(form_id)
    expected = fill(page, answers)
    submit_button(page).click()
    page.wait_for_url(CONFIRMATION)
    assert page.title().startswith("Response sent")
    ref = reference(page)
    assert re.fullmatch(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", ref), ref
    assert page.url.split("#")[0].endswith(f"/responses/{form_id}/confirmation/{ref}")
    assert server.count(form_id) == before + 1, "stored exactly once"
    row = server.by_reference(ref)
    assert row["form_id"] == form_id
    assert row["answers"] == expected


@pytest.mark.parametrize("name", FORMS)
def test_every_question_type_with_javascript(
    forms_server: FormsServer, page: Any, name: str
) -> None:
    form_id, path, answers = FORMS[name]
    send_and_check(forms_server, page, form_id, path, answers)


@pytest.mark.parametrize("name", FORMS)
def test_every_question_type_without_javascript(
    forms_server: FormsServer, page_no_js: Any, name: str
) -> None:
    form_id, path, answers = FORMS[name]
    send_and_check(forms_server, page_no_js, form_id, path, answers)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_only_required_answers_store_blanks_for_the_rest(
    forms_server: FormsServer, page: Any, page_no_js: Any, js: bool
) -> None:
    send_and_check(
        forms_server,
        page if js else page_no_js,
        "digital-inclusion-strategy",
        DIGITAL_INCLUSION,
        {
            "connection": "I do not use the internet",
            "priority": "Free public wifi in community buildings",
            "household_users": "0",
        },
    )
