"""Bad consultations staff really write, each with the line its problem must name."""

from __future__ import annotations

GOOD = """\
---
title: Cycle lanes
summary: New cycle lanes on Mill Road.
organisation: Fixture Council
contact:
  email: roads@fixture.example
opens: 2027-01-01
closes: 2027-02-01
---
Body.
"""

# (name, index.md text, line the problem is on, words the message must contain)
BAD: list[tuple[str, str, int, str]] = [
    (
        "malformed-yaml",
        GOOD.replace("summary: New cycle lanes on Mill Road.", "summary: New: [cycle lanes"),
        3,
        "YAML is malformed",
    ),
    ("missing-dates", GOOD.replace("opens: 2027-01-01\n", ""), 2, "'opens' is missing"),
    (
        "invalid-date",
        GOOD.replace("closes: 2027-02-01", "closes: 2027-02-30"),
        8,
        "not a valid date",
    ),
    (
        "closes-before-opens",
        GOOD.replace("closes: 2027-02-01", "closes: 2026-12-01"),
        8,
        "before it opens",
    ),
    ("unknown-key", GOOD.replace("summary:", "summry:"), 3, "did you mean 'summary'"),
    (
        "wrong-type",
        GOOD.replace("organisation: Fixture Council", "organisation: [Fixture, Council]"),
        4,
        "must be text",
    ),
    (
        "missing-document",
        GOOD.replace("---\nBody.", "documents:\n  - title: Plan\n    file: plan.pdf\n---\nBody."),
        11,
        "'plan.pdf' does not exist",
    ),
    ("empty-title", GOOD.replace("title: Cycle lanes", "title: ''"), 2, "'title' is empty"),
    ("unclosed-front-matter", GOOD.replace("---\nBody.", "Body."), 1, "not closed"),
    (
        "bad-email",
        GOOD.replace("roads@fixture.example", "roads at fixture"),
        6,
        "not an email address",
    ),
    (
        "topics-not-list",
        GOOD.replace("---\nBody.", "topics: {a: b}\n---\nBody."),
        9,
        "must be a list",
    ),
    (
        "draft-not-bool",
        GOOD.replace("---\nBody.", "draft: maybe\n---\nBody."),
        9,
        "must be true or false",
    ),
    (
        "unknown-question-type",
        GOOD.replace(
            "---\nBody.",
            "form:\n  questions:\n    - id: q1\n      type: radoi\n      label: Q?\n---\nBody.",
        ),
        12,
        "did you mean 'radio'",
    ),
    (
        "duplicate-question-id",
        GOOD.replace(
            "---\nBody.",
            "form:\n  questions:\n    - id: q1\n"
            "      type: text\n      label: A?\n    - id: q1\n"
            "      type: text\n      label: B?\n---\nBody.",
        ),
        14,
        "used twice",
    ),
    (
        "options-missing",
        GOOD.replace(
            "---\nBody.",
            "form:\n  questions:\n    - id: q1\n      type: radio\n      label: A?\n---\nBody.",
        ),
        11,
        "'form.questions[1].options' is missing",
    ),
    (
        "duplicate-key",
        GOOD.replace("closes: 2027-02-01", "closes: 2027-02-01\ncloses: 2027-03-01"),
        9,
        "given twice",
    ),
]

# Two folders claiming one address, through the optional 'slug:' key.
DUPLICATE_SLUG = GOOD.replace("title: Cycle lanes", "title: Cycle lanes again\nslug: bus-lanes")
