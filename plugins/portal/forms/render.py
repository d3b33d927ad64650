"""The HTML of a form, from its manifest, through the macros in theme/portal/forms.html.

The build calls :func:`render_form` to put a fresh form into the page; the endpoint calls it
again on an invalid post, with the answers and errors, and swaps it in between the
``<!--portal:form:ID-->`` markers, so both outputs come from the same macros.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal import clock
from portal.forms.validate import copy_question, messages
from portal.render import environment

# Manifest keys the browser script needs to repeat the server's checks.
RULE_KEYS = (
    "type",
    "required",
    "min_length",
    "max_length",
    "min",
    "max",
    "integer",
    "min_selected",
    "max_selected",
)


def rules(question: dict[str, Any]) -> dict[str, Any]:
    found = {k: question[k] for k in RULE_KEYS if question.get(k) is not None}
    if "options" in question:
        found["options"] = [o["value"] for o in question["options"]]
    return found


def start_marker(form_id: str) -> str:
    return f"<!--portal:form:{form_id}-->"


def end_marker(form_id: str) -> str:
    return f"<!--/portal:form:{form_id}-->"


def render_form(
    manifest: dict[str, Any],
    *,
    theme_dir: Path,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    submission_id: str,
    action: str,
) -> str:
    """The form between its markers; ``values`` and ``errors`` come from a failed post."""
    macros = environment(theme_dir).get_template("forms.html").module
    questions = [
        {"q": q, "macro": getattr(macros, q["type"]), "rules": rules(q), "messages": messages(q)}
        for q in manifest["questions"]
    ]
    # The optional "email me a copy" field, after the questions (portal.mail).
    copy = copy_question(manifest)
    copy_item = copy and {"q": copy, "rules": rules(copy), "messages": messages(copy)}
    html = macros.form(  # type: ignore[attr-defined]
        manifest,
        questions,
        values or {},
        errors or {},
        submission_id,
        action,
        _preview_now(manifest),
        copy_item,
    )
    return str(html).strip() + "\n"


def _preview_now(manifest: dict[str, Any]) -> str:
    """The moment PORTAL_NOW pins, for the script's clock: a preview shows the form open or
    closed as the pages do, not as the real time would (empty when nothing is pinned)."""
    try:
        tz = ZoneInfo(str(manifest.get("timezone") or "UTC"))
    except (ValueError, ZoneInfoNotFoundError):
        tz = ZoneInfo("UTC")
    moment = clock.pinned(tz)
    return moment.isoformat() if moment else ""
