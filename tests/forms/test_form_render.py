"""The form's HTML follows the GOV.UK patterns and keeps every answer on a re-render."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from form_sample import THEME_DIR, sample_manifest

from portal.forms.render import render_form

MANIFEST = sample_manifest()


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def by_id(self, ident: str) -> dict[str, str]:
        found = [a for _, a in self.tags if a.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def render(**kwargs: object) -> str:
    return render_form(
        MANIFEST,
        theme_dir=THEME_DIR,
        submission_id="sub-123",
        action="/responses/bus-lanes",
        **kwargs,
    )  # type: ignore[arg-type]


def test_markers_and_form_attributes() -> None:
    html = render()
    assert html.startswith("<!--portal:form:bus-lanes-->")
    assert html.rstrip().endswith("<!--/portal:form:bus-lanes-->")
    form = Elements(html).all("form")[0]
    assert form["method"] == "post"
    # The fragment brings a no-JavaScript browser to the error summary on a 422.
    assert form["action"] == "/responses/bus-lanes#bus-lanes-errors"
    assert "novalidate" in form


def test_every_field_has_a_label_and_hints_are_described() -> None:
    page = Elements(render())
    labels = {a["for"] for a in page.all("label")}
    for tag in ("input", "textarea", "select"):
        for attrs in page.all(tag):
            if attrs.get("type") != "hidden":
                assert attrs["id"] in labels, attrs
    assert page.by_id("email")["aria-describedby"] == "email-hint"
    assert page.by_id("email")["autocomplete"] == "email"
    assert page.by_id("name")["autocomplete"] == "name"


def test_groups_are_fieldsets_and_first_option_has_no_suffix() -> None:
    html = render()
    for qid in ("travel", "topics", "support", "publish", "privacy"):
        block = html.split(f'data-portal-question="{qid}"')[1].split("</fieldset>")[0]
        assert "<fieldset" in block and "<legend" in block
        assert f'id="{qid}"' in block
    assert 'id="travel-2"' in html and 'id="travel-4"' in html


def test_optional_labels_are_marked() -> None:
    html = render()
    assert re.search(r'for="email">Your email address <span[^>]*>\(optional\)', html)
    assert not re.search(r'for="name">Your name <span', html)


def test_textarea_shows_its_limit_in_the_hint() -> None:
    html = render()
    assert "You can enter up to 200 characters." in html
    assert Elements(html).by_id("views")["aria-describedby"] == "views-hint"


def test_honeypot_and_submission_id() -> None:
    page = Elements(render())
    trap = page.all("input", name="website")[0]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert page.all("div", **{"class": "portal-hp", "aria-hidden": "true"})
    assert page.all("input", type="hidden", name="submission_id")[0]["value"] == "sub-123"


def test_rules_and_messages_travel_in_data_attributes() -> None:
    page = Elements(render())
    group = page.all("div", **{"data-portal-question": "age"})[0]
    assert json.loads(group["data-rules"]) == {
        "type": "number",
        "required": False,
        "min": 16.0,
        "max": 120.0,
        "integer": True,
    }
    assert json.loads(group["data-messages"])["min"] == "“Your age” must be between 16 and 120"


def test_rerender_keeps_answers_and_shows_errors() -> None:
    values = {
        "name": ['Ann "<b>"'],
        "views": ["line one\nline two"],
        "topics": ["safety"],
        "travel": ["car"],
        "ward": ["south"],
        "privacy": ["yes"],
        "age": ["old"],
    }
    errors = {"age": "“Your age” must be a number, like 12", "email": "Enter your email"}
    html = render(values=values, errors=errors)
    page = Elements(html)
    assert page.by_id("name")["value"] == 'Ann "<b>"'
    assert ">\nline one\nline two</textarea>" in html
    assert "checked" in page.by_id("topics") and "checked" in page.by_id("travel-2")
    assert "checked" in page.by_id("privacy")
    assert page.all("option", value="south")[0].get("selected") == ""
    assert page.by_id("age")["value"] == "old"
    assert page.by_id("age")["aria-describedby"] == "age-error"
    assert page.by_id("email")["aria-describedby"] == "email-hint email-error"
    summary = html.split("</ul>")[0]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert '<a href="#age">' in summary and '<a href="#email">' in summary
    assert '<span class="portal-visually-hidden">Error:</span> Enter your email' in html


def test_group_errors_describe_the_fieldset() -> None:
    html = render(errors={"topics": "Select at least one option"})
    fieldset = html.split('data-portal-question="topics"')[1].split(">")[1]
    assert 'aria-describedby="topics-hint topics-error"' in fieldset


def test_no_error_summary_content_without_errors() -> None:
    html = render()
    assert "portal-error-message" not in html
    assert "data-portal-error-summary hidden" in html
