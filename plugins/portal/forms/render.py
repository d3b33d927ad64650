"""The HTML of a form, from its manifest, through the macros in theme/portal/forms.html.

The build calls :func:`render_form` to put a fresh form into the page; the endpoint calls it
again on an invalid post, with the answers and errors, and swaps it in between the
``<!--portal:form:ID-->`` markers, so both outputs come from the same macros.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal import clock, urls
from portal.forms import languages
from portal.forms.validate import copy_question, messages
from portal.i18n import ENGLISH, Words
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


# Words a writer may already have put in a label or hint, which the form would otherwise
# repeat ("Your name (optional) (optional)", "Choose up to 3. Select up to 3.").
_SAYS_OPTIONAL = re.compile(r"\(optional\)\s*$", re.IGNORECASE)
_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)
_PRIVACY_NOTICE = re.compile(r"\bprivacy notice\b", re.IGNORECASE)


def says_optional(label: str) -> bool:
    """True when the label already ends with "(optional)"; ``portal check`` tells staff."""
    return bool(_SAYS_OPTIONAL.search(label or ""))


def hint_states_limit(question: dict[str, Any]) -> bool:
    """True when the writer's hint already gives the number of choices allowed."""
    hint = str(question.get("hint") or "").lower()
    for key in ("max_selected", "min_selected"):
        count = question.get(key)
        if count is None:
            continue
        words = {str(count)} | (
            {_NUMBER_WORDS[count]} if 0 <= count < len(_NUMBER_WORDS) else set()
        )
        if any(re.search(rf"\b{word}\b", hint) for word in words):
            return True
    return False


def site_root(manifest: dict[str, Any]) -> str:
    """The site's root path, from the form page's path and its file ("/a/b/" and "b/index.html")."""
    page_url = str(manifest.get("page_url") or "/")
    folder = str(manifest.get("page_file") or "").removesuffix("index.html")
    return page_url.removesuffix(folder) if folder and page_url.endswith(folder) else "/"


def display(question: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The question as the macros show it: what the writer's words already say is not said
    again, and a consent to the privacy notice links to it (the privacy notice is the page
    made from privacy.md, as the footer and the alerts pages have it)."""
    shown = dict(question)
    shown["says_optional"] = says_optional(str(question.get("label") or ""))
    shown["hint_states_limit"] = hint_states_limit(question)
    shown["privacy_url"] = None
    mentions = f"{question.get('label') or ''} {question.get('hint') or ''}"
    if question.get("type") == "consent" and _PRIVACY_NOTICE.search(mentions):
        shown["privacy_url"] = site_root(manifest) + urls.page("privacy.md")
    return shown


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
    words: Words = ENGLISH,
) -> str:
    """The form between its markers; ``values`` and ``errors`` come from a failed post.
    Its fixed words and its messages are in the language of ``words`` (portal.i18n)."""
    macros = environment(theme_dir).get_template("forms.html").make_module({"_": words})
    questions = [
        {
            "q": display(q, manifest),
            "macro": getattr(macros, q["type"]),
            "rules": rules(q),
            "messages": messages(q, words),
        }
        for q in manifest["questions"]
    ]
    # The optional "email me a copy" field, after the questions (portal.mail).
    copy = copy_question(manifest)
    copy_item = copy and {"q": copy, "rules": rules(copy), "messages": messages(copy, words)}
    html = macros.form(  # type: ignore[attr-defined]
        manifest,
        questions,
        values or {},
        errors or {},
        submission_id,
        action,
        _preview_now(manifest),
        copy_item,
        languages.query(manifest, words.language),
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
