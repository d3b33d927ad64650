"""Aggregate results of a consultation as an open dataset in datasets/SLUG-results/.

Only counts are published: respondents, answers per option of each choice question, the
distribution of each scale, and responses per day. Personal questions and questions marked
``public: false`` are left out. The package carries a Vega-Lite bar chart view, so the
existing dataset pages render it.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal.exports.export import ExportError, load_manifests, published_questions, validate
from portal.exports.export import write_csv as _write_csv
from portal.storage import Storage

CHOICE = ("radio", "select", "checkboxes")


def find_form(site_dir: Path, slug: str) -> dict[str, Any]:
    manifests = load_manifests(site_dir)
    for manifest in manifests.values():
        if manifest["id"] == slug or f"/consultations/{slug}/" in str(manifest.get("page_url")):
            return manifest
    raise ExportError(f"no form for consultation '{slug}' in {site_dir / 'api' / 'forms'}")


def aggregate(manifest: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    answers = [r["answers"] or {} for r in rows]
    days = Counter(r["received_at"].date().isoformat() for r in rows)
    options: list[list[Any]] = []
    scales: list[list[Any]] = []
    for q in published_questions(manifest, public=True):
        if q["type"] in CHOICE:
            counts: Counter[str] = Counter()
            for a in answers:
                value = a.get(q["id"])
                for v in value if isinstance(value, list) else [value]:
                    if v is not None:
                        counts[str(v)] += 1
            options += [
                [q["id"], q["label"], o["value"], o["label"], counts[o["value"]]]
                for o in q["options"]
            ]
        elif q["type"] == "scale":
            counts = Counter(str(a[q["id"]]) for a in answers if a.get(q["id"]) is not None)
            scales += [
                [q["id"], q["label"], v, counts[str(v)]] for v in range(q["min"], q["max"] + 1)
            ]
    first = min(days) if days else ""
    last = max(days) if days else ""
    return {
        "summary": [[manifest["id"], len(rows), first, last]],
        "options": options,
        "scales": scales,
        "days": [[day, days[day]] for day in sorted(days)],
    }


FIELDS: dict[str, list[dict[str, Any]]] = {
    "summary": [
        {"name": "form", "type": "string", "title": "Form"},
        {
            "name": "respondents",
            "type": "integer",
            "title": "Respondents",
            "constraints": {"minimum": 0},
        },
        {"name": "first_response", "type": "date", "title": "First response"},
        {"name": "last_response", "type": "date", "title": "Last response"},
    ],
    "options": [
        {"name": "question", "type": "string", "title": "Question id"},
        {"name": "question_label", "type": "string", "title": "Question"},
        {"name": "option", "type": "string", "title": "Option value"},
        {"name": "option_label", "type": "string", "title": "Option"},
        {"name": "count", "type": "integer", "title": "Responses", "constraints": {"minimum": 0}},
    ],
    "scales": [
        {"name": "question", "type": "string", "title": "Question id"},
        {"name": "question_label", "type": "string", "title": "Question"},
        {"name": "value", "type": "integer", "title": "Point on the scale"},
        {"name": "count", "type": "integer", "title": "Responses", "constraints": {"minimum": 0}},
    ],
    "days": [
        {"name": "date", "type": "date", "title": "Date"},
        {
            "name": "responses",
            "type": "integer",
            "title": "Responses",
            "constraints": {"minimum": 0},
        },
    ],
}
TITLES = {
    "summary": "Respondents",
    "options": "Responses per option",
    "scales": "Scale distributions",
    "days": "Responses per day",
}


def descriptor(slug: str, manifest: dict[str, Any], now: datetime) -> dict[str, Any]:
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"{slug}-results",
        "title": f"Results: {manifest['title']}",
        "description": (
            "How many people answered the consultation and what they chose, counted from the "
            "stored responses. Only counts are published: no answer text, and no personal or "
            "unpublished questions. A respondent may tick several boxes, so option counts of "
            "a tick-box question can add up to more than the respondents."
        ),
        "version": now.astimezone(UTC).strftime("%Y.%m.%d"),
        "created": stamp,
        "lastModified": stamp,
        "keywords": ["consultation", "results"],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [{"title": f"Responses to the form '{manifest['id']}' on this portal"}],
        "resources": [
            {
                "name": name,
                "title": TITLES[name],
                "path": f"data/{name}.csv",
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
            for name, fields in FIELDS.items()
        ],
        "views": [
            {
                "name": "responses-per-option",
                "title": "Responses per option",
                "description": "How many respondents chose each option, question by question.",
                "resources": ["options"],
                "specType": "vegalite",
                "spec": {
                    "mark": "bar",
                    "width": 560,
                    "encoding": {
                        "y": {
                            "field": "option_label",
                            "type": "nominal",
                            "title": "Option",
                            "sort": None,
                        },
                        "x": {"field": "count", "type": "quantitative", "title": "Responses"},
                        "row": {"field": "question_label", "type": "nominal", "title": None},
                    },
                },
            }
        ],
    }


def write_results(storage: Storage, site_dir: Path, root: Path, slug: str, now: datetime) -> Path:
    manifest = find_form(site_dir, slug)
    tables = aggregate(manifest, storage.rows(manifest["id"]))
    folder = root / "datasets" / f"{slug}-results"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        _write_csv(folder / "data" / f"{name}.csv", [f["name"] for f in FIELDS[name]], rows)
    package = descriptor(slug, manifest, now)
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    validate(folder)
    return folder
