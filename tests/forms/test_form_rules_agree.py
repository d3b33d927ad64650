"""Issue 20: the endpoint's rules are the export's rules, and identifiers match in full.

The email rule is checked against frictionless's own reader of a ``format: email`` field,
the check the staff export's Table Schema is validated with; the number and date rules
against the cases the input-to-export test (tests/exports/test_input_to_export.py) met.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from form_sample import VALID, sample_manifest
from frictionless import fields
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support import FIXTURE_SITE

from portal.forms.validate import validate
from portal.model.consultations import read_consultation
from portal.problems import Problems
from portal.settings import load_settings

MANIFEST = sample_manifest()
EXPORTED_EMAIL = fields.StringField(name="email", format="email")


def exports(address: str) -> bool:
    """Whether the staff export's Table Schema accepts the address (frictionless)."""
    _, notes = EXPORTED_EMAIL.read_cell(address)
    return not notes


def answer(qid: str, value: str, manifest: dict[str, Any] = MANIFEST) -> tuple[Any, str | None]:
    fields_ = [(k, v) for k, v in VALID if k != qid] + [(qid, value)]
    answers, errors = validate(manifest, fields_)
    return answers.get(qid), errors.get(qid)


def unbounded() -> dict[str, Any]:
    manifest = copy.deepcopy(MANIFEST)
    for q in manifest["questions"]:
        if q["type"] in ("number", "date"):
            q.update(min=None, max=None, integer=False)
    return manifest


FORMAT = "Enter your email address in the correct format, like name@example.com"


@pytest.mark.parametrize(
    "address",
    [
        "jane..doe@example.com",
        "a@b.c",
        "a@[127.0.0.1]",
        "x@localhost",
        '"john doe"@example.com',
        "a@-x.com",
        "a" * 65 + "@example.com",
        "a\ufeff@example.org",
        "a\x00b@example.org",
        "ann@example.org\x00",
    ],
)
def test_addresses_the_export_refuses_are_refused_with_the_format_message(address: str) -> None:
    assert not exports(address)  # the export's own verdict, so this list stays honest
    assert answer("email", address) == (None, FORMAT)


@pytest.mark.parametrize(
    "address",
    ["ann@example.org", "a+tag@example.co.uk", '"a"@example.com', "üser@example.com", "a@日本.jp"],
)
def test_ordinary_and_international_addresses_are_accepted(address: str) -> None:
    assert answer("email", f" {address}\n") == (address, None)


ADDRESSES = st.one_of(
    st.emails(),
    st.text(max_size=40),
    st.builds(
        lambda a, b, c: f"{a}@{b}.{c}",
        st.text(min_size=1, max_size=10),
        st.text(min_size=1, max_size=10),
        st.text(min_size=1, max_size=6),
    ),
)


@settings(max_examples=3000, deadline=None, database=None, derandomize=True)
@given(ADDRESSES)
def test_every_accepted_address_exports(address: str) -> None:
    stored, error = answer("email", address)
    if error is None and stored is not None:
        assert exports(stored), stored


def test_numbers_are_judged_on_their_exact_value() -> None:
    # Bounds 16-120, whole: a float would read these as 16 and 120.
    assert answer("age", "15.99999999999999999")[1] is not None
    assert answer("age", "16.00000000000000001")[1] == "“Your age” must be a whole number, like 12"
    assert answer("age", "120.00000000000000001")[1] is not None
    assert answer("age", "16") == (16, None)
    assert answer("age", "1,00") == (100, None)
    assert answer("age", "-0", unbounded()) == (0, None)
    # A long whole number is kept to its last digit.
    assert answer("age", "1" * 40, unbounded()) == (int("1" * 40), None)
    assert answer("age", "0.5", unbounded()) == (0.5, None)


@pytest.mark.parametrize("value", ["٤٢", "４２", "1e5", "42\n\n1", "0x10", "nan"])
def test_numbers_take_ascii_digits_only_as_the_browser_does(value: str) -> None:
    assert answer("age", value)[1] == "“Your age” must be a number, like 12"


def test_dates_take_ascii_digits_and_every_year_from_1_to_9999() -> None:
    message = "“When did you last visit?” must be a real date, like 31/1/2027"
    assert answer("visit", "١/٢/٢٠٢٤") == (None, message)
    assert answer("visit", "٢٠٢٤-٠١-٠١") == (None, message)
    assert answer("visit", "1/1/0001", unbounded()) == ("0001-01-01", None)
    assert answer("visit", "9999-12-31", unbounded()) == ("9999-12-31", None)
    assert answer("visit", "0000-01-01", unbounded()) == (None, message)


def test_a_folder_name_with_a_final_newline_is_no_slug_and_no_form_id(tmp_path: Path) -> None:
    # Front matter is stripped, but a folder's name is taken as it is: "$" alone would let
    # "bus-lanes\n" through as a web address and as the id of the form in it.
    index = tmp_path / "consultations" / "bus-lanes\n" / "index.md"
    shutil.copytree(FIXTURE_SITE / "consultations" / "bus-lanes", index.parent)
    problems = Problems(tmp_path)
    consultation = read_consultation(index, load_settings(FIXTURE_SITE), problems)
    found = [str(p) for p in problems.items]
    assert consultation is None
    assert any("'bus-lanes\n' cannot be a web address" in p for p in found), found
    assert any("form id 'bus-lanes\n' is not allowed" in p for p in found), found
