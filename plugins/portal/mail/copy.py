"""The copy of a respondent's answers: plain text, each question with the answer given.

The address it goes to is the form's reserved ``copy_email`` field (portal.forms.validate):
never stored with the response, kept in the outbox only until the copy is sent.
"""

from __future__ import annotations

from typing import Any

from portal.storage.outbox import COPY, Pending

NOT_ANSWERED = "(not answered)"


def pending(manifest: dict[str, Any], submission_id: str, recipient: str) -> Pending:
    """The copy to queue with this response: one per submission id, however often sent,
    written from the answers as stored (the first ones, for a resubmission)."""
    return Pending(
        event_key=f"copy:{submission_id}",
        kind=COPY,
        form_id=str(manifest["id"]),
        recipient=recipient,
        compose=lambda reference, answers: (
            subject(manifest, reference),
            body(manifest, answers, reference),
        ),
    )


def subject(manifest: dict[str, Any], reference: str) -> str:
    return f"Your response to {manifest['title']} ({reference})"


def body(manifest: dict[str, Any], answers: dict[str, Any], reference: str) -> str:
    lines = [
        f"Thank you for your response to {manifest['title']}.",
        "",
        f"Your reference is {reference}. Quote it if you contact us about your response.",
        "",
        "Your answers",
        "============",
    ]
    for question in manifest["questions"]:
        lines += ["", question["label"], _answer(question, answers.get(question["id"]))]
    lines += [
        "",
        "--",
        "You asked for this copy when you sent your response. We have now deleted the "
        "address we sent it to; we will not email you again because of it.",
    ]
    return "\n".join(lines) + "\n"


def _answer(question: dict[str, Any], value: Any) -> str:
    """The answer as the respondent saw it: option labels, not stored values."""
    labels = {str(o["value"]): str(o["label"]) for o in question.get("options") or []}
    kind = question["type"]
    if kind == "consent":
        return "Yes, I agreed" if value else "No, I did not tick this"
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if isinstance(value, list):
        return "\n".join(f"- {labels.get(str(v), str(v))}" for v in value)
    if kind == "scale":
        return f"{value} (on a scale of {question.get('min')} to {question.get('max')})"
    return labels.get(str(value), str(value))
