"""Aggregate results of a consultation as an open dataset in datasets/SLUG-results/.

Counts of closed questions need no review: every respondent is counted, and no one can be
picked out of a total. Each closed question gets a table of its own and a chart of that
table only (its options, its scale, the spread of its numbers, its dates), so a chart never
mixes questions and its text alternative reads out its own counts. Free-text answers are
published only as staff reviewed them (portal.exports.review), and only those of
respondents who agreed to publication; the summary says how many were withheld and why.

The licence and the publisher are the site's (``licence`` and ``organisation`` in the
portal plugin's options in mkdocs.yml), never this module's.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal import licences
from portal.exports import review
from portal.exports.export import (
    ExportError,
    consented,
    load_manifests,
    published_questions,
    validate,
)
from portal.exports.export import write_csv as _write_csv
from portal.settings import Settings, load_settings
from portal.storage import Storage

CHOICE = ("radio", "select", "checkboxes")
CHARTED = (*CHOICE, "scale", "number", "date")
NUMBER_BINS = 8  # a spread of numbers is shown in about this many ranges
WHOLE_VALUES = 12  # whole numbers spanning at most this many values are counted one by one


def find_form(site_dir: Path, slug: str) -> dict[str, Any]:
    manifests = load_manifests(site_dir)
    for manifest in manifests.values():
        if manifest["id"] == slug or f"/consultations/{slug}/" in str(manifest.get("page_url")):
            return manifest
    raise ExportError(f"no form for consultation '{slug}' in {site_dir / 'api' / 'forms'}")


def _count_field(title: str = "Responses") -> dict[str, Any]:
    return {"name": "count", "type": "integer", "title": title, "constraints": {"minimum": 0}}


@dataclass
class Table:
    """One CSV resource of the results package, with its schema and, maybe, its chart."""

    name: str
    title: str
    fields: list[dict[str, Any]]
    rows: list[list[Any]]
    description: str = ""
    view: dict[str, Any] | None = None

    def resource(self) -> dict[str, Any]:
        found = {
            "name": self.name,
            "title": self.title,
            "path": f"data/{self.name}.csv",
            "type": "table",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": self.fields},
        }
        if self.description:
            found["description"] = self.description
        return found


# Counting -----------------------------------------------------------------------------


def _answered(q: dict[str, Any], answers: list[dict[str, Any]]) -> list[Any]:
    found = []
    for a in answers:
        value = a.get(q["id"])
        if value is None or value == "" or (q["type"] == "checkboxes" and not value):
            continue
        found.append(value)
    return found


def _choice_rows(q: dict[str, Any], given: list[Any]) -> list[list[Any]]:
    counts: Counter[str] = Counter()
    for value in given:
        for v in value if isinstance(value, list) else [value]:
            counts[str(v)] += 1
    return [[o["value"], o["label"], counts[o["value"]]] for o in q["options"]]


def _scale_points(q: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, label) of every point, lowest first, whether the scale names them or not."""
    points = [(str(o["value"]), str(o["label"])) for o in q.get("options") or []]
    points = points or [(str(v), str(v)) for v in range(q["min"], q["max"] + 1)]
    ends = {str(q["min"]): q.get("min_label"), str(q["max"]): q.get("max_label")}
    return [(v, f"{label} ({ends[v]})" if ends.get(v) else label) for v, label in points]


def _scale_rows(q: dict[str, Any], given: list[Any]) -> list[list[Any]]:
    counts = Counter(str(v) for v in given)
    return [[int(value), label, counts[value]] for value, label in _scale_points(q)]


def _nice(step: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``step``."""
    if step <= 0:
        return 1
    power = 10 ** math.floor(math.log10(step))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= step))


def _number_rows(given: list[Any]) -> list[list[Any]]:
    """The spread of the answers: one row per value when they are few whole numbers, else
    ranges of a round width. Rows: label, from, to (under), count."""
    values = [float(v) for v in given]
    if not values:
        return []
    low, high = min(values), max(values)
    if all(v.is_integer() for v in values) and high - low < WHOLE_VALUES:
        counts = Counter(int(v) for v in values)
        return [[str(v), v, v + 1, counts[v]] for v in range(int(low), int(high) + 1)]
    width = _nice((high - low) / NUMBER_BINS)
    start = math.floor(low / width) * width
    rows = []
    while start <= high:
        end = start + width
        count = sum(start <= v < end for v in values)
        rows.append([f"{_num(start)} to under {_num(end)}", _num(start), _num(end), count])
        start = end
    return rows


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 10)


def _date_rows(given: list[Any]) -> list[list[Any]]:
    counts = Counter(str(v) for v in given)
    return [[day, counts[day]] for day in sorted(counts)]


def _median(q: dict[str, Any], given: list[Any]) -> float | None:
    if q["type"] not in ("scale", "number") or not given:
        return None
    return float(statistics.median(float(v) for v in given))


# Charts -------------------------------------------------------------------------------


def _count_axis(counts: list[int]) -> dict[str, Any]:
    """Whole-number ticks from 0, about five of them: no half responses on the axis."""
    most = max(counts, default=0)
    step = max(1, int(_nice(most / 5)))
    top = max(step, math.ceil(most / step) * step)
    return {
        "field": "count",
        "type": "quantitative",
        "title": "Responses",
        "scale": {"domain": [0, top]},
        "axis": {"values": list(range(0, top + 1, step)), "format": "d"},
    }


def _view(
    name: str,
    title: str,
    description: str,
    category: dict[str, Any],
    rows: list[list[Any]],
    counts_at: int,
    horizontal: bool,
) -> dict[str, Any]:
    count = _count_axis([int(r[counts_at]) for r in rows])
    category = {**category, "type": "ordinal" if not horizontal else "nominal", "sort": None}
    # Bars across: the axis title would sit on the labels; the chart's title and the table
    # beside it name them (the encoding keeps its title for the text alternative).
    category["axis"] = {"labelLimit": 240, "title": None} if horizontal else {"labelAngle": 0}
    encoding = {"y": category, "x": count} if horizontal else {"x": category, "y": count}
    return {
        "name": name,
        "title": title,
        "description": description,
        "resources": [name],
        "specType": "vegalite",
        "spec": {
            "mark": "bar",
            "width": 480,
            **({} if horizontal else {"height": 220}),
            "encoding": encoding,
            "config": {"axis": {"labelFontSize": 13, "titleFontSize": 13}},
        },
    }


def question_table(number: int, q: dict[str, Any], answers: list[dict[str, Any]]) -> Table:
    given = _answered(q, answers)
    name = f"q{number}-{q['id'].replace('_', '-')}"
    label = " ".join(str(q["label"]).split())
    said = f"{len(given)} of {len(answers)} respondents answered “{label}”."
    kind = q["type"]
    median = _median(q, given)
    if median is not None:
        said += f" The median answer is {_num(median)}."
    if kind in CHOICE:
        if kind == "checkboxes":
            said += " A respondent could tick more than one."
        rows = _choice_rows(q, given)
        fields = [
            {"name": "option", "type": "string", "title": "Option value"},
            {"name": "option_label", "type": "string", "title": "Option"},
            _count_field(),
        ]
        category = {"field": "option_label", "title": "Option"}
        view = _view(name, label, said, category, rows, 2, horizontal=True)
    elif kind == "scale":
        rows = _scale_rows(q, given)
        fields = [
            {"name": "value", "type": "integer", "title": "Point on the scale"},
            {"name": "value_label", "type": "string", "title": "Answer"},
            _count_field(),
        ]
        category = {"field": "value_label", "title": "Answer"}
        view = _view(name, label, said, category, rows, 2, horizontal=False)
    elif kind == "number":
        rows = _number_rows(given)
        fields = [
            {"name": "answer", "type": "string", "title": "Answer"},
            {"name": "from", "type": "number", "title": "From"},
            {"name": "to_under", "type": "number", "title": "To under"},
            _count_field(),
        ]
        category = {"field": "answer", "title": "Answer"}
        view = _view(name, label, said, category, rows, 3, horizontal=len(rows) > 6)
    else:  # date
        rows = _date_rows(given)
        fields = [{"name": "date", "type": "date", "title": "Date"}, _count_field()]
        category = {"field": "date", "title": "Date"}
        view = _view(name, label, said, category, rows, 1, horizontal=len(rows) > 6)
    if len(rows) > 12:  # charts.describe reads out at most 12; the alternative states all
        shown = [f"{r[1] if kind in CHOICE or kind == 'scale' else r[0]}: {r[-1]}" for r in rows]
        view["description"] = f"{said} Counts: {'; '.join(shown)}."
    return Table(name, label, fields, rows, said, view if rows else None)


# The package --------------------------------------------------------------------------


SUMMARY_FIELDS: list[dict[str, Any]] = [
    {"name": "form", "type": "string", "title": "Form"},
    {
        "name": "respondents",
        "type": "integer",
        "title": "Respondents",
        "constraints": {"minimum": 0},
    },
    {"name": "first_response", "type": "date", "title": "First response"},
    {"name": "last_response", "type": "date", "title": "Last response"},
    {
        "name": "without_publication_consent",
        "type": "integer",
        "title": "Respondents who did not agree to publication of their own answers",
        "description": "Counted in every total; none of their answers is published one by one.",
        "constraints": {"minimum": 0},
    },
    *(
        {
            "name": f"text_answers_{state}",
            "type": "integer",
            "title": title,
            "constraints": {"minimum": 0},
        }
        for state, title in (
            ("published", "Written answers published as written"),
            ("redacted", "Written answers published with personal details taken out"),
            ("withheld", "Written answers withheld after review"),
            ("awaiting_review", "Written answers awaiting review"),
        )
    ),
]


def tables(
    manifest: dict[str, Any], rows: list[dict[str, Any]], reviewed: review.Review
) -> list[Table]:
    answers = [r["answers"] or {} for r in rows]
    days = Counter(r["received_at"].date().isoformat() for r in rows)
    agreed = sum(consented(manifest, a) for a in answers)
    public_rows, tally = review.apply(reviewed, manifest, rows)
    summary = Table(
        "summary",
        "Respondents",
        SUMMARY_FIELDS,
        [
            [
                manifest["id"],
                len(rows),
                min(days) if days else "",
                max(days) if days else "",
                len(rows) - agreed,
                tally.published,
                tally.redacted,
                tally.withheld,
                tally.awaiting,
            ]
        ],
    )
    questions = [q for q in published_questions(manifest, public=True) if q["type"] in CHARTED]
    per_question = [question_table(n, q, answers) for n, q in enumerate(questions, start=1)]
    overview = Table(
        "questions",
        "Questions",
        [
            {"name": "question", "type": "string", "title": "Question id"},
            {"name": "question_label", "type": "string", "title": "Question"},
            {"name": "type", "type": "string", "title": "Type of question"},
            {"name": "answered", "type": "integer", "title": "Respondents who answered"},
            {"name": "median", "type": "number", "title": "Median answer"},
            {"name": "table", "type": "string", "title": "Table of its answers"},
        ],
        [
            [
                q["id"],
                t.title,
                q["type"],
                len(_answered(q, answers)),
                _median(q, _answered(q, answers)) if q["type"] in ("scale", "number") else "",
                t.name,
            ]
            for q, t in zip(questions, per_question, strict=True)
        ],
    )
    options = Table(
        "options",
        "Responses per option, every choice question",
        [
            {"name": "question", "type": "string", "title": "Question id"},
            {"name": "question_label", "type": "string", "title": "Question"},
            {"name": "option", "type": "string", "title": "Option value"},
            {"name": "option_label", "type": "string", "title": "Option"},
            _count_field(),
        ],
        [
            [q["id"], t.title, *row]
            for q, t in zip(questions, per_question, strict=True)
            if q["type"] in CHOICE
            for row in t.rows
        ],
    )
    scales = Table(
        "scales",
        "Scale distributions, every scale question",
        [
            {"name": "question", "type": "string", "title": "Question id"},
            {"name": "question_label", "type": "string", "title": "Question"},
            {"name": "value", "type": "integer", "title": "Point on the scale"},
            _count_field(),
        ],
        [
            [q["id"], t.title, row[0], row[2]]
            for q, t in zip(questions, per_question, strict=True)
            if q["type"] == "scale"
            for row in t.rows
        ],
    )
    per_day = Table(
        "days",
        "Responses per day",
        [
            {"name": "date", "type": "date", "title": "Date"},
            {**_count_field(), "name": "responses"},
        ],
        [[day, days[day]] for day in sorted(days)],
    )
    text = review.text_questions(manifest)
    published = Table(
        "answers",
        "Written answers, as reviewed",
        [
            {"name": "question", "type": "string", "title": "Question id"},
            {"name": "question_label", "type": "string", "title": "Question"},
            {"name": "answer", "type": "string", "title": "Answer"},
            {
                "name": "edited",
                "type": "boolean",
                "title": "Edited by staff to take out personal details",
            },
        ],
        [
            [q["id"], " ".join(str(q["label"]).split()), value, _edited(reviewed, row, q["id"])]
            for q in text
            for row, public in zip(rows, public_rows, strict=True)
            if (value := public["answers"].get(q["id"]))
        ],
        "Answers of respondents who agreed to publication, each read by staff first. "
        + tally.sentence(),
    )
    return [summary, overview, *per_question, options, scales, per_day, published]


def _edited(reviewed: review.Review, row: dict[str, Any], question: str) -> str:
    entry = reviewed.find(row["reference"], question)
    return "true" if entry is not None and entry.decision == review.REDACT else "false"


def descriptor(
    slug: str,
    manifest: dict[str, Any],
    now: datetime,
    settings: Settings,
    made: list[Table],
) -> dict[str, Any]:
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = made[0].rows[0]
    respondents, first, last, not_agreed = summary[1], summary[2], summary[3], summary[4]
    tally = review.Tally(*summary[5:9])
    when = f" between {first} and {last}" if first and first != last else f" on {first}"
    package: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"{slug}-results",
        "title": f"Results: {manifest['title']}",
        "description": (
            f"{respondents} {'person' if respondents == 1 else 'people'} responded"
            f"{when if respondents else ''}. Every respondent is counted in the totals of "
            f"each closed question. {not_agreed} did not agree to publication of their own "
            f"answers, so none of their written answers is published. {tally.sentence()} "
            "No personal or unpublished question is included."
        ),
        "version": now.astimezone(UTC).strftime("%Y.%m.%d"),
        "created": stamp,
        "lastModified": stamp,
        "keywords": ["consultation", "results"],
        "contributors": [_publisher(settings)],
        "sources": [{"title": f"Responses to the form '{manifest['id']}' on this portal"}],
        "resources": [t.resource() for t in made],
        "views": [t.view for t in made if t.view is not None],
    }
    licence = licences.for_package(settings.licence)
    if licence is not None:
        package["licenses"] = [licence]
    return package


def _publisher(settings: Settings) -> dict[str, Any]:
    publisher: dict[str, Any] = {
        "title": settings.organisation or settings.site_name,
        "roles": ["publisher"],
    }
    if settings.site_url:
        publisher["path"] = settings.site_url
    return publisher


def write_results(storage: Storage, site_dir: Path, root: Path, slug: str, now: datetime) -> Path:
    manifest = find_form(site_dir, slug)
    rows = review.stored_rows(storage, site_dir, manifest)
    reviewed = review.checked(root, manifest, rows)
    made = tables(manifest, rows, reviewed)
    folder = root / "datasets" / f"{slug}-results"
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    for old in data.glob("*.csv"):  # a question taken out of the form leaves no table behind
        old.unlink()
    for table in made:
        _write_csv(data / f"{table.name}.csv", [f["name"] for f in table.fields], table.rows)
    package = descriptor(slug, manifest, now, load_settings(root), made)
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    validate(folder)
    return folder
