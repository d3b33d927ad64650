"""The copy of a respondent's answers: plain text, each question with the answer given.

The address it goes to is the form's reserved ``copy_email`` field (portal.forms.validate):
never stored with the response, kept in the outbox only until the copy is sent.
"""

from __future__ import annotations

from typing import Any

from portal.i18n import ENGLISH, Words
from portal.storage.outbox import COPY, Pending


def pending(
    manifest: dict[str, Any], submission_id: str, recipient: str, words: Words = ENGLISH
) -> Pending:
    """The copy to queue with this response: one per submission id, however often sent,
    written from the answers as stored (the first ones, for a resubmission). ``manifest``
    has the question words of the page's language, and ``words`` are the portal's in it:
    the copy reads as the form did."""
    return Pending(
        event_key=f"copy:{submission_id}",
        kind=COPY,
        form_id=str(manifest["id"]),
        recipient=recipient,
        compose=lambda reference, answers: (
            subject(manifest, reference, words),
            body(manifest, answers, reference, words),
        ),
    )


def subject(manifest: dict[str, Any], reference: str, _: Words = ENGLISH) -> str:
    return _("Your response to {title} ({reference})", title=manifest["title"], reference=reference)


def body(
    manifest: dict[str, Any], answers: dict[str, Any], reference: str, _: Words = ENGLISH
) -> str:
    heading = _("Your answers")
    lines = [
        _("Thank you for your response to {title}.", title=manifest["title"]),
        "",
        _(
            "Your reference is {reference}. Quote it if you contact us about your response.",
            reference=reference,
        ),
        "",
        heading,
        "=" * len(heading),
    ]
    for question in manifest["questions"]:
        lines += ["", question["label"], _answer(question, answers.get(question["id"]), _)]
    lines += [
        "",
        "--",
        _(
            "You asked for this copy when you sent your response. We have now deleted the "
            "address we sent it to; we will not email you again because of it."
        ),
    ]
    return "\n".join(lines) + "\n"


def _answer(question: dict[str, Any], value: Any, _: Words) -> str:
    """The answer as the respondent saw it: option labels, not stored values."""
    labels = {str(o["value"]): str(o["label"]) for o in question.get("options") or []}
    kind = question["type"]
    if kind == "consent":
        return _("Yes, I agreed") if value else _("No, I did not tick this")
    if value is None or value == "" or value == []:
        return _("(not answered)")
    if isinstance(value, list):
        return "\n".join(f"- {labels.get(str(v), str(v))}" for v in value)
    if kind == "scale":
        return _(
            "{value} (on a scale of {low} to {high})",
            value=value,
            low=question.get("min"),
            high=question.get("max"),
        )
    return labels.get(str(value), str(value))
