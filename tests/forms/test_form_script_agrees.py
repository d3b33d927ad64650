"""The browser script is never stricter than the server (issue 20), in a real Chromium.

The sample form is rendered by the real renderer, theme/assets/portal/forms.js runs on it,
and each value is judged twice: by the script (the message it shows on submit) and by
portal.forms.validate (what the endpoint answers). An answer the server accepts must get
no message from the script; for text the two agree exactly, length counted alike (an emoji
is one character) and white space trimmed alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from form_sample import THEME_DIR, VALID, sample_manifest

from portal.forms.render import render_form
from portal.forms.validate import validate

pytestmark = pytest.mark.e2e

MANIFEST = sample_manifest()
SCRIPT = THEME_DIR / "assets" / "portal" / "forms.js"
PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>'
PAGE += "<body><main>{form}</main></body></html>"

EMAILS = [
    "ann@example.org",
    " ann@example.org ",
    "\u00a0ann@example.org\u3000",
    "ann@example.org\x85",
    "\x1cann@example.org",
    "\ufeffann@example.org",
    "jane..doe@example.com",
    "a@b.c",
    "a@[127.0.0.1]",
    "x@localhost",
    '"a"@example.com',
    "user@bücher.example",
    "a@日本.jp",
    "a@" + "𝒳" * 130 + ".org",
    "a" * 60 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + ".org",
    "ann@exa\u2003mple.org",
    "ann",
]
TEXTS = {
    # name: a text input, at most 100 characters; views: a textarea, 5 to 200.
    "name": ["𝒳" * 100, "𝒳" * 101, "👍🏽" * 50, "é" * 100, " \x1c Ann \x85"],
    "views": [
        "👍" * 200,
        "👍" * 201,
        "\ufeffabcd",
        "\x1cabcd\x1c",
        "\x85abcde\x85",
        "abcd\u2028",
        "ab\r\ncd\r\n",
        "a\r\n" * 100,
        "e\u0301" * 100,
    ],
}

JUDGE = """([question, value]) => {
  const form = document.querySelector("form[data-portal-form]");
  const field = form.querySelector(`[name="${question}"]`);
  field.value = value;
  form.dispatchEvent(new Event("submit", { cancelable: true }));
  const error = form.querySelector(
    `[data-portal-question="${question}"] .portal-error-message`);
  return [field.value, error ? error.lastChild.textContent.trim() : null];
}"""


def server_says(question: str, value: str) -> str | None:
    fields = [(k, v) for k, v in VALID if k != question] + [(question, value)]
    return validate(MANIFEST, fields)[1].get(question)


def test_the_script_is_never_stricter_than_the_server(page: Any) -> None:
    form = render_form(MANIFEST, theme_dir=THEME_DIR, submission_id="x" * 20, action="/x")
    page.set_content(PAGE.format(form=form))
    page.add_script_tag(path=str(SCRIPT))
    # The privacy box stays unticked, so the script never sends the form anywhere.
    cases = [("email", e) for e in EMAILS]
    cases += [(q, t) for q, texts in TEXTS.items() for t in texts]
    stricter, disagree = [], []
    for question, value in cases:
        # The browser may clean a value (an email input drops line breaks): judge what it
        # would send.
        sent, script = page.evaluate(JUDGE, [question, value])
        server = server_says(question, sent)
        if server is None and script is not None:
            stricter.append((question, value, script))
        if question != "email" and script != server:
            disagree.append((question, value, script, server))
    assert stricter == []
    assert disagree == []
