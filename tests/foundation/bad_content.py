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

# (name, index.md text, line the problem is on, the problem's code)
BAD: list[tuple[str, str, int, str]] = [
    (
        "malformed-yaml",
        GOOD.replace("summary: New cycle lanes on Mill Road.", "summary: New: [cycle lanes"),
        3,
        "yaml-malformed",
    ),
    ("missing-dates", GOOD.replace("opens: 2027-01-01\n", ""), 2, "field-missing"),
    (
        "invalid-date",
        GOOD.replace("closes: 2027-02-01", "closes: 2027-02-30"),
        8,
        "date-invalid",
    ),
    (
        "closes-before-opens",
        GOOD.replace("closes: 2027-02-01", "closes: 2026-12-01"),
        8,
        "date-order",
    ),
    ("unknown-key", GOOD.replace("summary:", "summry:"), 3, "key-unknown"),
    (
        "wrong-type",
        GOOD.replace("organisation: Fixture Council", "organisation: [Fixture, Council]"),
        4,
        "field-type",
    ),
    (
        "missing-document",
        GOOD.replace("---\nBody.", "documents:\n  - title: Plan\n    file: plan.pdf\n---\nBody."),
        11,
        "document-missing",
    ),
    ("empty-title", GOOD.replace("title: Cycle lanes", "title: ''"), 2, "field-empty"),
    ("unclosed-front-matter", GOOD.replace("---\nBody.", "Body."), 1, "front-matter-unclosed"),
    (
        "bad-email",
        GOOD.replace("roads@fixture.example", "roads at fixture"),
        6,
        "email-invalid",
    ),
    (
        "topics-not-list",
        GOOD.replace("---\nBody.", "topics: {a: b}\n---\nBody."),
        9,
        "field-type",
    ),
    (
        "draft-not-bool",
        GOOD.replace("---\nBody.", "draft: maybe\n---\nBody."),
        9,
        "field-type",
    ),
    (
        "unknown-question-type",
        GOOD.replace(
            "---\nBody.",
            "form:\n  questions:\n    - id: q1\n      type: radoi\n      label: Q?\n---\nBody.",
        ),
        12,
        "form-invalid",
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
        "form-invalid",
    ),
    (
        "options-missing",
        GOOD.replace(
            "---\nBody.",
            "form:\n  questions:\n    - id: q1\n      type: radio\n      label: A?\n---\nBody.",
        ),
        11,
        "field-missing",
    ),
    (
        "duplicate-key",
        GOOD.replace("closes: 2027-02-01", "closes: 2027-02-01\ncloses: 2027-03-01"),
        9,
        "key-duplicate",
    ),
]

# Two folders claiming one address, through the optional 'slug:' key.
DUPLICATE_SLUG = GOOD.replace("title: Cycle lanes", "title: Cycle lanes again\nslug: bus-lanes")
