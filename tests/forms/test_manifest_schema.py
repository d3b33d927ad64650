"""Manifests the reader produces match the documented JSON Schema; broken ones do not."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from form_sample import sample_manifest

import portal.forms

SCHEMA = json.loads(
    (Path(portal.forms.__file__).parent / "manifest.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_sample_manifest_matches() -> None:
    tz = ZoneInfo("Europe/London")
    manifest = sample_manifest(
        opens=datetime(2026, 1, 5, 9, tzinfo=tz), closes=datetime(2026, 3, 1, 23, 59, 59, tzinfo=tz)
    )
    # Through JSON, as the build writes it and the endpoint reads it.
    VALIDATOR.validate(json.loads(json.dumps(manifest)))


def test_always_open_manifest_matches() -> None:
    VALIDATOR.validate(json.loads(json.dumps(sample_manifest())))


def broken(change: Any) -> dict[str, Any]:
    manifest = copy.deepcopy(sample_manifest())
    change(manifest)
    return manifest


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.pop("questions"),
        lambda m: m.update(questions=[]),
        lambda m: m.update(extra=1),
        lambda m: m.update(closes="next Tuesday"),
        lambda m: m.update(closes="2026-03-01T12:00:00"),  # no offset: ambiguous
        lambda m: m["questions"][0].update(type="slider"),
        lambda m: m["questions"][0].update(id="website"),
        lambda m: m["questions"][0].update(id="Bad Id"),
        lambda m: m["questions"][4].update(options=[{"value": "a", "label": "A"}]),
        lambda m: m["questions"][4].pop("options"),
        lambda m: m["questions"][0].pop("max_length"),
        lambda m: m["questions"][8].update(min="1 Jan"),
    ],
    ids=[
        "no-questions",
        "empty-questions",
        "unknown-key",
        "bad-closes",
        "naive-closes",
        "unknown-type",
        "reserved-id",
        "bad-id",
        "one-option",
        "no-options",
        "no-max-length",
        "bad-date-limit",
    ],
)
def test_broken_manifests_are_rejected(change: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(json.loads(json.dumps(broken(change))))
