"""Check a posted form against its manifest: a pure function, no web framework.

The endpoint is the authority (forms are ``novalidate``); the browser script only repeats
these checks for convenience. Messages come from :func:`messages`, which the renderer also
writes into the page, so the script shows word for word what the server would say.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import validators

from portal.i18n import ENGLISH, Words

# The language of the page a form was answered on (portal.i18n): the endpoint answers in it.
LANGUAGE_FIELD = "portal_language"
# The same, in an endpoint address a page links or posts to (``?language=cy``): a GET has
# no hidden field, and a post refused before it is read (too long) is answered by it.
LANGUAGE_QUERY = "language"
# Fields the endpoint adds to every form; the endpoint reads them, validation skips them.
RESERVED = ("submission_id", "website", LANGUAGE_FIELD)
# Key of an error that belongs to the whole form rather than to one question.
FORM_ERROR = "_form"
# The optional "email me a copy" field of a form with ``email_copy: true`` (portal.mail):
# checked like an email question, never one of the answers (the address is not stored
# with the response). Its id is reserved (definition.RESERVED_IDS), so no question has it.
COPY_FIELD = "copy_email"
COPY_QUESTION: dict[str, Any] = {
    "id": COPY_FIELD,
    "type": "email",
    "label": "Email me a copy of my answers",
    "hint": "We will send one email with your answers, then delete this address.",
    "required": False,
    "autocomplete": "email",
}
COPY_HINT_WITH_EMAIL = (
    "We will send one email with your answers, then delete this address. An email address "
    "you gave in your answers is kept with them."
)
# An email address is accepted only if the export will accept it (issue 20): one rule, in
# two parts, both required by email_ok().
# 1. EMAIL, deliberately loose, as GOV.UK's pattern: it rejects what is clearly not an
#    address (no @, white space, no dot in the domain). The browser script checks only this
#    part (theme/assets/portal/forms.js), so it is never stricter than the server.
# 2. validators.email(), the very function frictionless 5 checks a Table Schema field of
#    ``format: email`` with (frictionless/fields/string.py), so that every accepted address
#    exports and validates. It refuses some addresses that do exist (quoted local parts
#    with spaces, IP literals, dotless domains, local parts in most non-Latin scripts):
#    such a respondent is asked to give another address, instead of their answer breaking
#    every staff export of the form.
# Patterns are matched with fullmatch: ``$`` would also match before a final newline.
EMAIL = re.compile(r"[^\s@]+@[^\s@.]+(\.[^\s@.]+)+")
# ASCII digits only (re.ASCII), as the browser script's \d, so both refuse the same.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
MULTI_VALUE = {"checkboxes"}

Answers = dict[str, Any]
Errors = dict[str, str]


def _fmt(number: float | int | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def messages(q: dict[str, Any], _: Words = ENGLISH) -> dict[str, str]:
    """Every message a question can produce, keyed by rule (also written into the page),
    in the language of ``_`` (portal.i18n), the question's label as the form shows it."""
    label = f"“{q['label']}”"
    kind = q["type"]
    out: dict[str, str] = {"repeated": _("Give one answer to {label}", label=label)}
    if kind in ("text", "textarea"):
        out["required"] = _("Enter an answer to {label}", label=label)
        out["max_length"] = _(
            "{label} must be {n} characters or less", label=label, n=q["max_length"]
        )
        if q.get("min_length"):
            out["min_length"] = _(
                "{label} must be {n} characters or more", label=label, n=q["min_length"]
            )
    elif kind == "email":
        out["required"] = _("Enter your email address")
        out["format"] = _("Enter your email address in the correct format, like name@example.com")
        out["max_length"] = _("Your email address must be 254 characters or less")
    elif kind == "number":
        low, high = q.get("min"), q.get("max")
        out["required"] = _("Enter a number for {label}", label=label)
        out["format"] = _("{label} must be a number, like 12", label=label)
        if q.get("integer"):
            out["integer"] = _("{label} must be a whole number, like 12", label=label)
        if low is not None and high is not None:
            out["min"] = out["max"] = _(
                "{label} must be between {low} and {high}",
                label=label,
                low=_fmt(low),
                high=_fmt(high),
            )
        elif low is not None:
            out["min"] = _("{label} must be {low} or more", label=label, low=_fmt(low))
        elif high is not None:
            out["max"] = _("{label} must be {high} or less", label=label, high=_fmt(high))
    elif kind in ("radio", "select", "scale"):
        out["required"] = _("Select an answer to {label}", label=label)
        out["option"] = _("Select one of the options for {label}", label=label)
    elif kind == "checkboxes":
        low, high = q.get("min_selected"), q.get("max_selected")
        out["required"] = _("Select at least one option for {label}", label=label)
        out["option"] = _("Select only options from the list for {label}", label=label)
        if low:
            out["min_selected"] = (
                _("Select at least {n} options for {label}", label=label, n=low)
                if low > 1
                else out["required"]
            )
        if high:
            out["max_selected"] = (
                _("Select no more than {n} options for {label}", label=label, n=high)
                if high > 1
                else _("Select only one option for {label}", label=label)
            )
    elif kind == "date":
        out["required"] = _("Enter a date for {label}", label=label)
        out["format"] = _("{label} must be a real date, like 31/1/2027", label=label)
        if q.get("min"):
            out["min"] = _(
                "{label} must be the same as or after {day}",
                label=label,
                day=_.date(date.fromisoformat(q["min"])),
            )
        if q.get("max"):
            out["max"] = _(
                "{label} must be the same as or before {day}",
                label=label,
                day=_.date(date.fromisoformat(q["max"])),
            )
    elif kind == "consent":
        out["required"] = _("Select the box to agree: {label}", label=q["label"])
        out["option"] = out["required"]
    return out


def email_ok(text: str) -> bool:
    """The one email rule: the loose pattern and the export's own check (see EMAIL)."""
    return EMAIL.fullmatch(text) is not None and bool(validators.email(text))


def parse_date(text: str) -> date | None:
    """ISO (what ``<input type=date>`` sends) or day/month/year (typed without a picker)."""
    try:
        return date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
    except ValueError:
        return None


def _parse_any_date(text: str) -> date | None:
    found = parse_date(text)
    if found is not None:
        return found
    match = UK_DATE.fullmatch(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean(text: str) -> str:
    # Browsers send CRLF inside a textarea but count a line break as one character.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _one(q: dict[str, Any], values: list[str], msg: dict[str, str]) -> tuple[Any, str | None]:
    kind = q["type"]
    text = _clean(values[0]) if values else ""
    if not text:
        empty = False if kind == "consent" else None
        return empty, (msg["required"] if q["required"] else None)
    if kind in ("text", "textarea"):
        if len(text) > q["max_length"]:
            return None, msg["max_length"]
        if q.get("min_length") and len(text) < q["min_length"]:
            return None, msg["min_length"]
        return text, None
    if kind == "email":
        if len(text) > 254:
            return None, msg["max_length"]
        return (text, None) if email_ok(text) else (None, msg["format"])
    if kind == "number":
        compact = text.replace(",", "").replace(" ", "")
        if len(compact) > 40 or not NUMBER.fullmatch(compact):
            return None, msg["format"]
        # Decimal, not float: 15.99999999999999999 is neither whole nor 16 or more, and a
        # long whole number is kept to its last digit (the export writes what is stored).
        value = Decimal(compact)
        whole = value == value.to_integral_value()
        if q.get("integer") and not whole:
            return None, msg["integer"]
        if q.get("min") is not None and value < Decimal(str(q["min"])):
            return None, msg["min"]
        if q.get("max") is not None and value > Decimal(str(q["max"])):
            return None, msg["max"]
        return (int(value) if whole else float(value)), None
    if kind in ("radio", "select", "scale"):
        allowed = {o["value"] for o in q["options"]}
        return (text, None) if text in allowed else (None, msg["option"])
    if kind == "date":
        day = _parse_any_date(text)
        if day is None:
            return None, msg["format"]
        if q.get("min") and day < date.fromisoformat(q["min"]):
            return None, msg["min"]
        if q.get("max") and day > date.fromisoformat(q["max"]):
            return None, msg["max"]
        return day.isoformat(), None
    if kind == "consent":
        return (True, None) if text == "yes" else (None, msg["option"])
    raise ValueError(f"unknown question type {kind!r}")  # the manifest schema prevents this


def _many(q: dict[str, Any], values: list[str], msg: dict[str, str]) -> tuple[Any, str | None]:
    chosen = [v for v in values if v != ""]
    allowed = [o["value"] for o in q["options"]]
    if any(v not in allowed for v in chosen) or len(set(chosen)) != len(chosen):
        return None, msg["option"]
    if not chosen:
        return [], (msg["required"] if q["required"] else None)
    if q.get("min_selected") and len(chosen) < q["min_selected"]:
        return None, msg["min_selected"]
    if q.get("max_selected") and len(chosen) > q["max_selected"]:
        return None, msg["max_selected"]
    return [v for v in allowed if v in chosen], None  # in the form's order


def group(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Posted pairs as name -> values, in order (also what a re-render shows again)."""
    grouped: dict[str, list[str]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    return grouped


def copy_question(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The copy field as a question (for the page and its checks), if the form offers it."""
    if not manifest.get("email_copy"):
        return None
    if any(q["type"] == "email" for q in manifest["questions"]):
        return {**COPY_QUESTION, "hint": COPY_HINT_WITH_EMAIL}
    return COPY_QUESTION


def copy_address(manifest: dict[str, Any], fields: list[tuple[str, str]]) -> str | None:
    """Where to send the copy: the address given in the copy field, if it is a good one."""
    question = copy_question(manifest)
    if question is None:
        return None
    values = group(fields).get(COPY_FIELD, [])
    if len(values) != 1:
        return None
    address, error = _one(question, values, messages(question))
    return str(address) if address and error is None else None


def validate(
    manifest: dict[str, Any], fields: list[tuple[str, str]], _: Words = ENGLISH
) -> tuple[Answers, Errors]:
    """Answers keyed by question id (None/[] when unanswered) and one message per bad field,
    in the language of ``_``.

    A field the form does not have means a stale page or a forged post: the whole form gets
    one error under :data:`FORM_ERROR` rather than silently dropping what was sent. The copy
    field (:func:`copy_question`) is checked last, as it is last in the form, and is never
    one of the answers: :func:`copy_address` reads it.
    """
    posted = group(fields)
    questions = {q["id"]: q for q in manifest["questions"]}
    copy = copy_question(manifest)
    answers: Answers = {}
    errors: Errors = {}
    known = RESERVED + ((COPY_FIELD,) if copy else ())
    unknown = [name for name in posted if name not in questions and name not in known]
    if unknown or any(len(posted[name]) > 1 for name in RESERVED if name in posted):
        errors[FORM_ERROR] = _(
            "The form sent answers we did not expect. Reload the page, "
            "check your answers and send them again"
        )
    for qid, q in questions.items():
        msg = messages(q, _)
        values = posted.get(qid, [])
        if q["type"] in MULTI_VALUE:
            value, error = _many(q, values, msg)
        elif len(values) > 1:
            value, error = None, msg["repeated"]
        else:
            value, error = _one(q, values, msg)
        if error:
            errors[qid] = error
        else:
            answers[qid] = value
    if copy is not None:
        values = posted.get(COPY_FIELD, [])
        copy_messages = messages(copy, _)
        __, error = (
            (None, copy_messages["repeated"])
            if len(values) > 1
            else _one(copy, values, copy_messages)
        )
        if error:
            errors[COPY_FIELD] = error
    return answers, errors
