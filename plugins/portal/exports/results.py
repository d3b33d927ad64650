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
from portal.datasets.descriptor import DESCRIPTOR, translated_descriptor
from portal.exports import review
from portal.exports.export import (
    ExportError,
    consented,
    load_manifests,
    published_questions,
    validate,
)
from portal.exports.export import write_csv as _write_csv
from portal.forms import languages as form_languages
from portal.i18n import ENGLISH, Words, words
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


def _counted(name: str, title: str, **more: str) -> dict[str, Any]:
    """A field of counts: whole numbers, never below nought."""
    return {"name": name, "type": "integer", "title": title, **more, "constraints": {"minimum": 0}}


def _count_field(_: Words) -> dict[str, Any]:
    return _counted("count", _("Responses"))


@dataclass
class Table:
    """One CSV resource of the results package, with its schema and, maybe, its chart."""

    name: str
    title: str
    fields: list[dict[str, Any]]
    rows: list[list[Any]]
    description: str = ""
    view: dict[str, Any] | None = None

    def resource(self, data: str = "data") -> dict[str, Any]:
        found = {
            "name": self.name,
            "title": self.title,
            "path": f"{data}/{self.name}.csv",
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


def _number_rows(given: list[Any], _: Words) -> list[list[Any]]:
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
        label = _("{start} to under {end}", start=_num(start), end=_num(end))
        rows.append([label, _num(start), _num(end), count])
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


def _count_axis(counts: list[int], _: Words) -> dict[str, Any]:
    """Whole-number ticks from 0, about five of them: no half responses on the axis."""
    most = max(counts, default=0)
    step = max(1, int(_nice(most / 5)))
    top = max(step, math.ceil(most / step) * step)
    return {
        "field": "count",
        "type": "quantitative",
        "title": _("Responses"),
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
    _: Words,
) -> dict[str, Any]:
    count = _count_axis([int(r[counts_at]) for r in rows], _)
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


def question_table(
    number: int, q: dict[str, Any], answers: list[dict[str, Any]], _: Words
) -> Table:
    """One question's table and chart, its words in ``_``'s language (``q`` is the form's
    question in that language: portal.forms.languages.in_language)."""
    given = _answered(q, answers)
    name = f"q{number}-{q['id'].replace('_', '-')}"
    label = " ".join(str(q["label"]).split())
    answered = len(given)
    said = _.plural(
        "{answered} of {n} respondent answered “{label}”.",
        "{answered} of {n} respondents answered “{label}”.",
        len(answers),
        answered=answered,
        label=label,
    )
    kind = q["type"]
    median = _median(q, given)
    if median is not None:
        said += " " + _("The median answer is {median}.", median=_num(median))
    if kind in CHOICE:
        if kind == "checkboxes":
            said += " " + _("A respondent could tick more than one.")
        rows = _choice_rows(q, given)
        fields = [
            {"name": "option", "type": "string", "title": _("Option value")},
            {"name": "option_label", "type": "string", "title": _("Option")},
            _count_field(_),
        ]
        category = {"field": "option_label", "title": _("Option")}
        view = _view(name, label, said, category, rows, 2, horizontal=True, _=_)
    elif kind == "scale":
        rows = _scale_rows(q, given)
        fields = [
            {"name": "value", "type": "integer", "title": _("Point on the scale")},
            {"name": "value_label", "type": "string", "title": _("Answer")},
            _count_field(_),
        ]
        category = {"field": "value_label", "title": _("Answer")}
        view = _view(name, label, said, category, rows, 2, horizontal=False, _=_)
    elif kind == "number":
        rows = _number_rows(given, _)
        fields = [
            {"name": "answer", "type": "string", "title": _("Answer")},
            {"name": "from", "type": "number", "title": _("From")},
            {"name": "to_under", "type": "number", "title": _("To under")},
            _count_field(_),
        ]
        category = {"field": "answer", "title": _("Answer")}
        view = _view(name, label, said, category, rows, 3, horizontal=len(rows) > 6, _=_)
    else:  # date
        rows = _date_rows(given)
        fields = [{"name": "date", "type": "date", "title": _("Date")}, _count_field(_)]
        category = {"field": "date", "title": _("Date")}
        view = _view(name, label, said, category, rows, 1, horizontal=len(rows) > 6, _=_)
    if len(rows) > 12:  # charts.describe reads out at most 12; the alternative states all
        shown = [f"{r[1] if kind in CHOICE or kind == 'scale' else r[0]}: {r[-1]}" for r in rows]
        view["description"] = _("{said} Counts: {counts}.", said=said, counts="; ".join(shown))
    return Table(name, label, fields, rows, said, view if rows else None)


# The package --------------------------------------------------------------------------


def summary_fields(_: Words) -> list[dict[str, Any]]:
    return [
        {"name": "form", "type": "string", "title": _("Form")},
        _counted("respondents", _("Respondents")),
        {"name": "first_response", "type": "date", "title": _("First response")},
        {"name": "last_response", "type": "date", "title": _("Last response")},
        _counted(
            "without_publication_consent",
            _("Respondents who did not agree to publication of their own answers"),
            description=_("Counted in every total; none of their answers is published one by one."),
        ),
        _counted("text_answers_published", _("Written answers published as written")),
        _counted(
            "text_answers_redacted",
            _("Written answers published with personal details taken out"),
        ),
        _counted("text_answers_withheld", _("Written answers withheld after review")),
        _counted("text_answers_awaiting_review", _("Written answers awaiting review")),
    ]


def tables(
    manifest: dict[str, Any],
    rows: list[dict[str, Any]],
    reviewed: review.Review,
    _: Words = ENGLISH,
) -> list[Table]:
    """Every table of the results package, its words in ``_``'s language; ``manifest`` is
    the form in that language (its questions' labels and options)."""
    answers = [r["answers"] or {} for r in rows]
    days = Counter(r["received_at"].date().isoformat() for r in rows)
    agreed = sum(consented(manifest, a) for a in answers)
    public_rows, tally = review.apply(reviewed, manifest, rows)
    summary = Table(
        "summary",
        _("Respondents"),
        summary_fields(_),
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
    per_question = [question_table(n, q, answers, _) for n, q in enumerate(questions, start=1)]
    overview = Table(
        "questions",
        _("Questions"),
        [
            *question_fields(_),
            {"name": "type", "type": "string", "title": _("Type of question")},
            {"name": "answered", "type": "integer", "title": _("Respondents who answered")},
            {"name": "median", "type": "number", "title": _("Median answer")},
            {"name": "table", "type": "string", "title": _("Table of its answers")},
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
        _("Responses per option, every choice question"),
        [
            *question_fields(_),
            {"name": "option", "type": "string", "title": _("Option value")},
            {"name": "option_label", "type": "string", "title": _("Option")},
            _count_field(_),
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
        _("Scale distributions, every scale question"),
        [
            *question_fields(_),
            {"name": "value", "type": "integer", "title": _("Point on the scale")},
            _count_field(_),
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
        _("Responses per day"),
        [
            {"name": "date", "type": "date", "title": _("Date")},
            {**_count_field(_), "name": "responses"},
        ],
        [[day, days[day]] for day in sorted(days)],
    )
    text = review.text_questions(manifest)
    published = Table(
        "answers",
        _("Written answers, as reviewed"),
        [
            *question_fields(_),
            {"name": "answer", "type": "string", "title": _("Answer")},
            {
                "name": "edited",
                "type": "boolean",
                "title": _("Edited by staff to take out personal details"),
            },
        ],
        [
            [q["id"], " ".join(str(q["label"]).split()), value, _edited(reviewed, row, q["id"])]
            for q in text
            for row, public in zip(rows, public_rows, strict=True)
            if (value := public["answers"].get(q["id"]))
        ],
        _("Answers of respondents who agreed to publication, each read by staff first.")
        + " "
        + tally.sentence(_),
    )
    return [summary, overview, *per_question, options, scales, per_day, published]


def question_fields(_: Words) -> list[dict[str, Any]]:
    return [
        {"name": "question", "type": "string", "title": _("Question id")},
        {"name": "question_label", "type": "string", "title": _("Question")},
    ]


def _edited(reviewed: review.Review, row: dict[str, Any], question: str) -> str:
    entry = reviewed.find(row["reference"], question)
    return "true" if entry is not None and entry.decision == review.REDACT else "false"


def descriptor(
    slug: str,
    manifest: dict[str, Any],
    now: datetime,
    settings: Settings,
    made: list[Table],
    _: Words = ENGLISH,
    data: str = "data",
) -> dict[str, Any]:
    """The package's descriptor, its words in ``_``'s language, its tables under ``data``."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = made[0].rows[0]
    respondents, first, last, not_agreed = summary[1], summary[2], summary[3], summary[4]
    tally = review.Tally(*summary[5:9])
    if not respondents:
        responded = _.plural("{n} person responded.", "{n} people responded.", respondents)
    elif first != last:
        responded = _.plural(
            "{n} person responded between {first} and {last}.",
            "{n} people responded between {first} and {last}.",
            respondents,
            first=first,
            last=last,
        )
    else:
        responded = _.plural(
            "{n} person responded on {day}.",
            "{n} people responded on {day}.",
            respondents,
            day=first,
        )
    counted = _("Every respondent is counted in the totals of each closed question.")
    not_published = _.plural(
        "{n} did not agree to publication of their own answers, so none of their written "
        "answers is published.",
        "{n} did not agree to publication of their own answers, so none of their written "
        "answers is published.",
        not_agreed,
    )
    private = _("No personal or unpublished question is included.")
    package: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"{slug}-results",
        "title": _("Results: {title}", title=manifest["title"]),
        "description": " ".join((responded, counted, not_published, tally.sentence(_), private)),
        "version": now.astimezone(UTC).strftime("%Y.%m.%d"),
        "created": stamp,
        "lastModified": stamp,
        "keywords": [_("consultation"), _("results")],
        "contributors": [_publisher(settings)],
        "sources": [
            {"title": _("Responses to the form '{form}' on this portal", form=manifest["id"])}
        ],
        "resources": [t.resource(data) for t in made],
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
    """``datasets/SLUG-results/``: the package in the site's default language, and beside it
    the same package in each other language the form is in (``datapackage.cy.json``, its
    tables in ``data/cy/``), the layout of translated pages (portal.languages) that the
    dataset pages read (portal.datasets.reader.descriptor_for). Every language's tables count
    the same responses, on option values, so the totals are the same in each."""
    manifest = find_form(site_dir, slug)
    rows = review.stored_rows(storage, site_dir, manifest)
    reviewed = review.checked(root, manifest, rows)
    settings = load_settings(root)
    folder = root / "datasets" / f"{slug}-results"
    _clear(folder, settings)
    for language, path, data in _places(manifest, settings):
        shown = form_languages.in_language(manifest, language) if language else manifest
        _ = words(language or settings.default_language, settings.locale_dir)
        made = tables(shown, rows, reviewed, _)
        (folder / data).mkdir(parents=True, exist_ok=True)
        for table in made:
            header = [f["name"] for f in table.fields]
            _write_csv(folder / data / f"{table.name}.csv", header, table.rows)
        package = descriptor(slug, shown, now, settings, made, _, data)
        (folder / path).write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        validate(folder, path)
    return folder


def _places(manifest: dict[str, Any], settings: Settings) -> list[tuple[str | None, str, str]]:
    """(form language, descriptor, tables' folder) of each package: the site's default
    language's (else the form's first) as datapackage.json, each other one beside it."""
    spoken = form_languages.languages(manifest)
    if not spoken:
        return [(None, DESCRIPTOR, "data")]
    main = settings.default_language if settings.default_language in spoken else spoken[0]
    others = [code for code in spoken if code != main and code in settings.all_languages]
    places: list[tuple[str | None, str, str]] = [(main, DESCRIPTOR, "data")]
    return places + [(code, translated_descriptor(code), f"data/{code}") for code in others]


def _clear(folder: Path, settings: Settings) -> None:
    """A question taken out of the form, or a language, leaves no table behind; the rest of
    the folder (its README) is the staff's."""
    for old in (folder / "data").glob("*.csv"):
        old.unlink()
    for code in settings.all_languages:
        for old in (folder / "data" / code).glob("*.csv"):
            old.unlink()
        (folder / translated_descriptor(code)).unlink(missing_ok=True)
