"""Validation of a posted form against its manifest, per question type."""

from __future__ import annotations

from typing import Any

import pytest
from form_sample import VALID, sample_manifest

from portal.forms.validate import FORM_ERROR, validate

MANIFEST = sample_manifest()


def post(**changes: Any) -> list[tuple[str, str]]:
    """VALID with some fields replaced (a list value gives several, None removes it)."""
    fields = [(k, v) for k, v in VALID if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            fields.append((key, item))
    return fields


def errors_for(**changes: Any) -> dict[str, str]:
    return validate(MANIFEST, post(**changes))[1]


def test_valid_post_gives_typed_answers() -> None:
    answers, errors = validate(MANIFEST, VALID)
    assert errors == {}
    assert answers == {
        "name": "Ann Example",
        "email": "ann@example.org",
        "views": "More buses, please.",
        "age": 42,
        "travel": "bus",
        "topics": ["safety", "air-quality"],
        "ward": "north",
        "support": "4",
        "visit": "2026-03-01",
        "publish": True,
        "privacy": True,
    }


def test_optional_questions_may_be_left_out() -> None:
    answers, errors = validate(
        MANIFEST, post(email=None, age="", ward="", visit=None, publish=None)
    )
    assert errors == {}
    assert answers["email"] is None and answers["age"] is None and answers["ward"] is None
    assert answers["publish"] is False


# -- text and textarea -------------------------------------------------------------------
def test_text_required_and_trimmed() -> None:
    assert errors_for(name="   ") == {"name": "Enter an answer to “Your name”"}
    assert validate(MANIFEST, post(name="  Ann  "))[0]["name"] == "Ann"


def test_text_too_long() -> None:
    assert errors_for(name="x" * 100) == {}
    assert errors_for(name="x" * 101) == {"name": "“Your name” must be 100 characters or less"}


def test_textarea_counts_a_crlf_line_break_as_one_character() -> None:
    text = "a\r\n" * 99 + "ab"  # 200 characters as the browser counts them
    answers, errors = validate(MANIFEST, post(views=text))
    assert errors == {} and answers["views"] == ("a\n" * 99 + "ab")
    assert "views" in errors_for(views=text + "c")


def test_textarea_min_length() -> None:
    assert errors_for(views="abc") == {
        "views": "“What do you think of the proposal?” must be 5 characters or more"
    }


# -- email -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad", ["ann", "ann@", "ann@example", "ann @example.org", "@example.org", "ann@@example.org"]
)
def test_email_format(bad: str) -> None:
    assert errors_for(email=bad) == {
        "email": "Enter your email address in the correct format, like name@example.com"
    }


def test_email_too_long() -> None:
    assert "254" in errors_for(email="a" * 250 + "@example.org")["email"]


# -- number ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value"), [("16", 16), ("120", 120), (" 1,00 ", 100), ("42.0", 42)]
)
def test_number_accepted(raw: str, value: int) -> None:
    answers, errors = validate(MANIFEST, post(age=raw))
    assert errors == {} and answers["age"] == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("forty", "“Your age” must be a number, like 12"),
        ("1e3", "“Your age” must be a number, like 12"),
        ("nan", "“Your age” must be a number, like 12"),
        ("42.5", "“Your age” must be a whole number, like 12"),
        ("15", "“Your age” must be between 16 and 120"),
        ("121", "“Your age” must be between 16 and 120"),
        ("9" * 400, "“Your age” must be a number, like 12"),
    ],
)
def test_number_rejected(raw: str, message: str) -> None:
    assert errors_for(age=raw) == {"age": message}


# -- single choices: radio, select, scale ----------------------------------------------
def test_radio_required_and_in_list() -> None:
    label = "“How do you usually travel to the High Street?”"
    assert errors_for(travel=None) == {"travel": f"Select an answer to {label}"}
    assert errors_for(travel="Bus") == {"travel": f"Select one of the options for {label}"}


def test_select_in_list() -> None:
    assert errors_for(ward="north-east") == {"ward": "Select one of the options for “Your ward”"}


def test_scale_in_range() -> None:
    assert validate(MANIFEST, post(support="1"))[1] == {}
    assert "support" in errors_for(support="6")
    assert "support" in errors_for(support="0")


# -- checkboxes --------------------------------------------------------------------------
def test_checkboxes_min_max_and_list() -> None:
    label = "“Which topics matter most to you?”"
    assert errors_for(topics=None) == {"topics": f"Select at least one option for {label}"}
    assert errors_for(topics=["safety", "journey-times", "air-quality"]) == {
        "topics": f"Select no more than 2 options for {label}"
    }
    assert errors_for(topics=["safety", "parking"]) == {
        "topics": f"Select only options from the list for {label}"
    }
    assert errors_for(topics=["safety", "safety"]) == {
        "topics": f"Select only options from the list for {label}"
    }


def test_checkboxes_answers_in_form_order() -> None:
    answers = validate(MANIFEST, post(topics=["air-quality", "safety"]))[0]
    assert answers["topics"] == ["safety", "air-quality"]


# -- date --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "iso"),
    [("2026-03-01", "2026-03-01"), ("1/3/2026", "2026-03-01"), ("01.03.2026", "2026-03-01")],
)
def test_date_accepted(raw: str, iso: str) -> None:
    answers, errors = validate(MANIFEST, post(visit=raw))
    assert errors == {} and answers["visit"] == iso


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/2/2026", "“When did you last visit?” must be a real date, like 31/1/2027"),
        ("2026-13-01", "“When did you last visit?” must be a real date, like 31/1/2027"),
        ("yesterday", "“When did you last visit?” must be a real date, like 31/1/2027"),
        ("31/12/2019", "“When did you last visit?” must be the same as or after 1 January 2020"),
        ("1/1/2031", "“When did you last visit?” must be the same as or before 31 December 2030"),
    ],
)
def test_date_rejected(raw: str, message: str) -> None:
    assert errors_for(visit=raw) == {"visit": message}


# -- consent -----------------------------------------------------------------------------
def test_required_consent_must_be_accepted() -> None:
    message = "Select the box to agree: I have read the privacy notice"
    assert errors_for(privacy=None) == {"privacy": message}
    assert errors_for(privacy="no") == {"privacy": message}


# -- the shape of the post ---------------------------------------------------------------
def test_unknown_fields_are_rejected() -> None:
    errors = errors_for(admin="1")
    assert set(errors) == {FORM_ERROR}


def test_reserved_fields_are_allowed_once() -> None:
    assert errors_for(submission_id="abc", website="") == {}
    assert set(errors_for(submission_id=["a", "b"])) == {FORM_ERROR}


def test_repeated_single_value_field_is_rejected() -> None:
    assert errors_for(name=["Ann", "Bob"]) == {"name": "Give one answer to “Your name”"}
    assert errors_for(travel=["bus", "car"]) == {
        "travel": "Give one answer to “How do you usually travel to the High Street?”"
    }


def test_every_bad_field_is_reported_at_once() -> None:
    errors = errors_for(name="", email="x", travel=None, privacy=None)
    assert set(errors) == {"name", "email", "travel", "privacy"}
