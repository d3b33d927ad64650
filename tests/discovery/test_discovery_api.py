"""The JSON API validated against its published schemas, and JSON-LD read as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from discovery_sites import SITE_URL

from portal.discovery.api import schema


def validate(site: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "api" / f"{name}.json").read_text("utf-8"))
    published = json.loads((site / "api" / f"{name}.schema.json").read_text("utf-8"))
    assert published == schema(name)
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(
        published, format_checker=jsonschema.FormatChecker()
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, "\n".join(errors)
    return data


def test_consultations_json_matches_schema_and_content(fixture_site: Path) -> None:
    data = validate(fixture_site, "consultations")
    by_slug = {c["slug"]: c for c in data["consultations"]}
    assert set(by_slug) == {"bus-lanes", "library-hours", "park-lighting", "school-streets"}
    assert data["count"] == 4
    assert data["consultations"][0]["slug"] == "park-lighting"  # soonest closing
    bus = by_slug["bus-lanes"]
    assert bus["status"] == "open" and bus["accepting_responses"] and bus["online_form"]
    assert bus["url"] == f"{SITE_URL}consultations/bus-lanes/"
    assert bus["closes"] == "2027-02-28T23:59:59+00:00"
    assert bus["documents"][0]["url"] == f"{SITE_URL}consultations/bus-lanes/documents/proposal.txt"
    assert by_slug["park-lighting"]["outcome_published"]
    assert by_slug["school-streets"]["status"] == "forthcoming"


def test_api_without_site_url_is_root_relative(relative_site: Path) -> None:
    data = validate(relative_site, "consultations")
    assert all(c["url"].startswith("/consultations/") for c in data["consultations"])
    assert validate(relative_site, "datasets")["datasets"] == []  # no open data: still valid


def test_datasets_json_lists_the_demo_datasets(pinned_demo: Path) -> None:
    data = validate(pinned_demo, "datasets")
    assert data["count"] == len(data["datasets"]) > 0
    for dataset in data["datasets"]:
        assert (pinned_demo / dataset["url"].lstrip("/") / "index.html").exists()
        for resource in dataset["resources"]:
            assert (pinned_demo / resource["url"].lstrip("/")).is_file()
    validate(pinned_demo, "consultations")


def json_ld(page: Path) -> list[dict[str, Any]]:
    html = page.read_text("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_programme_page_describes_a_course(pinned_demo: Path) -> None:
    [course] = json_ld(pinned_demo / "programme" / "index.html")
    assert course["@context"] == "https://schema.org"
    assert course["@type"] == "Course"
    assert course["name"] and course["provider"]["@type"] == "Organization"


@pytest.mark.parametrize("name", ["air-quality-sensors", "uk-digital-skills-gap"])
def test_dataset_pages_describe_a_dataset(pinned_demo: Path, name: str) -> None:
    [dataset] = json_ld(pinned_demo / "datasets" / name / "index.html")
    assert dataset["@type"] == "Dataset"
    assert dataset["name"] and dataset["distribution"]
