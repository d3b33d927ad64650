"""What the staff pages ask the database: counts, summaries, lists and searches of responses.

Everything is counted, grouped and searched in the database, never by reading every row
into Python, so the pages stay quick at 100,000 responses to one form (bench/staff_pages.py).
JSON answers are read with SQLAlchemy's JSON paths where they are portable; what is not
(a checkboxes answer is a JSON list, unnested with SQLite's json_each or PostgreSQL's
json_array_elements_text) is written once per dialect.

Time: responses are stored in UTC. Days are the form's own (its manifest's time zone), so
the per-day chart groups by quarter hour in SQL (every time zone's offset is a whole number
of quarter hours) and the few thousand buckets are folded into local days here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    String,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.storage import Storage, responses
from portal.storage.staff import response_tags

PAGE_SIZE = 25
QUARTER_HOUR = 900  # seconds


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC instant (SQLite gives them back without an offset)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Counts:
    form_id: str
    total: int
    today: int
    week: int
    last: datetime | None  # aware, UTC


def counts(
    storage: Storage, form_ids: Sequence[str], day_start: datetime, week_start: datetime
) -> dict[str, Counts]:
    """Responses per form in total, since ``day_start`` and since ``week_start`` (UTC
    instants: the start of today and of this week in the forms' time zone), and the last."""
    r = responses.c
    today = func.sum(case((r.received_at >= day_start.astimezone(UTC), 1), else_=0))
    week = func.sum(case((r.received_at >= week_start.astimezone(UTC), 1), else_=0))
    query = (
        select(r.form_id, func.count(), today, week, func.max(r.received_at))
        .where(r.form_id.in_(list(form_ids)))
        .group_by(r.form_id)
    )
    found = {
        form_id: Counts(form_id, 0, 0, 0, None) for form_id in form_ids
    }  # a form nobody has answered yet
    with storage.engine.connect() as conn:
        for form_id, total, day, wk, last in conn.execute(query):
            found[form_id] = Counts(form_id, int(total), int(day or 0), int(wk or 0), aware(last))
    return found


@dataclass(frozen=True)
class Latest:
    """What the watching script compares: how many responses there are, and the newest."""

    total: int
    newest_id: int


def latest(storage: Storage, form_id: str | None = None) -> Latest:
    query = select(func.count(), func.max(responses.c.id))
    if form_id is not None:
        query = query.where(responses.c.form_id == form_id)
    with storage.engine.connect() as conn:
        total, newest = conn.execute(query).one()
    return Latest(int(total or 0), int(newest or 0))


# -- responses over time -----------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    count: int


def quarter_hour(storage: Storage) -> ColumnElement[Any]:
    """The quarter hour a response came in, counted from 1970 (UTC): exact, whole."""
    received = responses.c.received_at
    if storage.is_sqlite:
        # Integer division; SQLite's floor() needs its optional maths functions.
        return cast(func.strftime("%s", received), Integer) // QUARTER_HOUR
    return func.floor(func.extract("epoch", received) / QUARTER_HOUR)


def days_of(quarters: dict[int, int], tz: tzinfo) -> list[Day]:
    """Responses per day in ``tz``, every day from the first response's to the last's."""
    days: dict[date, int] = {}
    for quarter, count in quarters.items():
        moment = datetime.fromtimestamp(quarter * QUARTER_HOUR, UTC).astimezone(tz)
        days[moment.date()] = days.get(moment.date(), 0) + count
    if not days:
        return []
    first, last = min(days), max(days)
    return [
        Day(first + timedelta(n), days.get(first + timedelta(n), 0))
        for n in range((last - first).days + 1)
    ]


def counts_of(
    form_id: str,
    quarters: dict[int, int],
    day_start: datetime,
    week_start: datetime,
    last: datetime | None,
) -> Counts:
    """Today's, this week's and all responses from the quarter hours: a day starts on a
    quarter hour in every time zone, so the sums are exact."""
    day, week = day_start.timestamp(), week_start.timestamp()
    return Counts(
        form_id,
        sum(quarters.values()),
        sum(n for q, n in quarters.items() if q * QUARTER_HOUR >= day),
        sum(n for q, n in quarters.items() if q * QUARTER_HOUR >= week),
        last,
    )


def last_received(storage: Storage, form_id: str) -> datetime | None:
    """When the newest response came (by id: the index answers it without a scan)."""
    query = (
        select(responses.c.received_at)
        .where(responses.c.form_id == form_id)
        .order_by(responses.c.id.desc())
        .limit(1)
    )
    with storage.engine.connect() as conn:
        return aware(conn.execute(query).scalar())


# -- question summaries ------------------------------------------------------------------


def _value(qid: str) -> ColumnElement[Any]:
    value: ColumnElement[Any] = responses.c.answers[qid].as_string()
    return value


def _number(key: str) -> ColumnElement[Any]:
    return cast(_value(key), Float)


@dataclass(frozen=True)
class AnswerCounts:
    """Per stored question id: responses that gave an answer, and (for the grouped ids)
    responses per stored value (a checkboxes answer is its JSON list, as stored); and
    responses per quarter hour (see ``quarter_hour``)."""

    given: dict[str, int] = field(default_factory=dict)
    values: dict[str, dict[Any, int]] = field(default_factory=dict)
    quarters: dict[int, int] = field(default_factory=dict)


TIME = -1  # the union's index for the quarter hours


def answer_counts(
    storage: Storage, form_id: str, grouped: Sequence[str], flagged: Sequence[str]
) -> AnswerCounts:
    """Every question's answers, and when they came, counted in one pass over the rows.

    The rows are read once into a CTE (both SQLite and PostgreSQL materialise a CTE that
    is read more than once) holding, per response, its quarter hour, the value of each
    ``grouped`` id (choices, scales, consents, dates: few values) and a 0/1 for whether
    each ``flagged`` id (free text, email, number: too many values to group) was answered;
    each column is then grouped from that small table. Reading the JSON is what costs:
    this parses each row's answers once, where a query per question parsed them once per
    question (bench/results/staff-pages.md has both).
    """
    columns: list[ColumnElement[Any]] = [_value(key) for key in grouped]
    columns += [case((func.coalesce(_value(key), "") != "", "1"), else_="0") for key in flagged]
    names = [*grouped, *flagged]
    rows = (
        select(
            quarter_hour(storage).label("quarter"),
            *(c.label(f"c{i}") for i, c in enumerate(columns)),
        )
        .where(responses.c.form_id == form_id)
        .cte("form_answers")
    )
    parts = [
        select(literal(TIME, Integer), cast(rows.c.quarter, String), func.count()).group_by(
            rows.c.quarter
        ),
        *(
            select(literal(i, Integer), rows.c[f"c{i}"], func.count()).group_by(rows.c[f"c{i}"])
            for i in range(len(names))
        ),
    ]
    result = AnswerCounts()
    with storage.engine.connect() as conn:
        for index, value, count in conn.execute(union_all(*parts)):
            if int(index) == TIME:
                result.quarters[int(float(value))] = int(count)
                continue
            key = names[int(index)]
            if int(index) < len(grouped):
                result.values.setdefault(key, {})[value] = int(count)
            elif value == "1":
                result.given[key] = int(count)
    return result


def chosen(value: Any) -> list[str]:
    """A stored value of a choice question as the option values it holds."""
    if value is None or value == "":
        return []
    if isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return [value]
        return [str(i) for i in items] if isinstance(items, list) else [value]
    return [str(value)]


def consented(value: Any) -> bool:
    """A consent's stored JSON true (SQLite's json_each gives 1, PostgreSQL 'true')."""
    return value in (1, "1", "true", True)


@dataclass(frozen=True)
class NumberRange:
    count: int
    low: float | None
    high: float | None


def number_range(storage: Storage, form_id: str, key: str) -> NumberRange:
    value = _number(key)
    query = select(func.count(value), func.min(value), func.max(value)).where(
        responses.c.form_id == form_id
    )
    with storage.engine.connect() as conn:
        count, low, high = conn.execute(query).one()
    return NumberRange(
        int(count or 0),
        float(low) if low is not None else None,
        float(high) if high is not None else None,
    )


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Choices:
    """A choice question's answers per option, in the form's order, and any stored value
    the current form has no option for (renamed without ``renamed_from``)."""

    options: list[Option]
    other: list[Option]
    answered: int


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None
    low: float | None
    high: float | None


def number_median(storage: Storage, form_id: str, key: str, count: int) -> float | None:
    """The median of a number question: the middle one or two by ORDER BY, LIMIT, OFFSET."""
    if count == 0:
        return None
    value = _number(key)
    query = (
        select(value)
        .where(responses.c.form_id == form_id, value.is_not(None))
        .order_by(value)
        .offset((count - 1) // 2)
        .limit(1 if count % 2 else 2)
    )
    with storage.engine.connect() as conn:
        middle = [float(v) for (v,) in conn.execute(query)]
    return sum(middle) / len(middle) if middle else None


def median_of_counts(counts: dict[float, int]) -> float | None:
    """The median from a value -> count table (a scale's few values)."""
    total = sum(counts.values())
    if total == 0:
        return None
    ordered = sorted(counts.items())

    def at(index: int) -> float:
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        return ordered[-1][0]

    if total % 2:
        return at(total // 2)
    return (at(total // 2 - 1) + at(total // 2)) / 2


# -- themes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    answers: int  # free-text answers tagged with it
    responses: int  # responses with at least one answer tagged with it


def theme_counts(storage: Storage, form_id: str, codebook: Sequence[str]) -> list[ThemeCount]:
    t = response_tags.c
    query = (
        select(t.theme, func.count(), func.count(func.distinct(t.reference)))
        .where(t.form_id == form_id)
        .group_by(t.theme)
    )
    with storage.engine.connect() as conn:
        found = {theme: (int(a), int(r)) for theme, a, r in conn.execute(query)}
    listed = [ThemeCount(theme, *found.pop(theme, (0, 0))) for theme in codebook]
    # A theme since taken out of the codebook keeps its tags: show them after the others.
    return listed + [ThemeCount(theme, a, r) for theme, (a, r) in sorted(found.items())]


# -- the list and search -----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    reference: str
    received_at: datetime
    answers: dict[str, Any]
    form_version: str | None


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    older: int | None  # the ``before`` of the next page, if there is one


def like_pattern(words: str) -> str:
    """``words`` as a LIKE pattern matching it anywhere, its own % and _ taken literally."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def listing(
    storage: Storage,
    form_id: str,
    *,
    before: int | None = None,
    search: str = "",
    searched: Iterable[str] = (),
    theme: str = "",
    size: int = PAGE_SIZE,
) -> Listing:
    """A page of the form's responses, newest first, older than ``before`` (keyset by id),
    matching ``search`` in any of the ``searched`` question ids if a search is given, and
    with an answer tagged ``theme`` if one is given."""
    r = responses.c
    query = select(r.id, r.reference, r.received_at, r.answers, r.form_version).where(
        r.form_id == form_id
    )
    if before is not None:
        query = query.where(r.id < before)
    if search:
        pattern = like_pattern(search)
        matches = [_value(key).ilike(pattern, escape="\\") for key in searched]
        query = query.where(or_(*matches) if matches else literal_column("1") == 0)
    if theme:
        t = response_tags.c
        tagged = select(t.reference).where(t.form_id == form_id, t.theme == theme)
        query = query.where(r.reference.in_(tagged))
    query = query.order_by(r.id.desc()).limit(size + 1)
    with storage.engine.connect() as conn:
        found = [
            Row(i, ref, aware(at) or at, answers or {}, version)
            for i, ref, at, answers, version in conn.execute(query)
        ]
    more = len(found) > size
    rows = found[:size]
    return Listing(rows, rows[-1].id if more and rows else None)


def one(storage: Storage, form_id: str, reference: str) -> Row | None:
    r = responses.c
    query = select(r.id, r.reference, r.received_at, r.answers, r.form_version).where(
        r.form_id == form_id, r.reference == reference
    )
    with storage.engine.connect() as conn:
        found = conn.execute(query).first()
    if found is None:
        return None
    i, ref, at, answers, version = found
    return Row(i, ref, aware(at) or at, answers or {}, version)


# -- tags --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    reference: str
    question: str
    theme: str
    who: str
    at: datetime


def tags(storage: Storage, form_id: str, references: Sequence[str]) -> list[Tag]:
    """The tags of some responses of a form (a page of the list, or one response)."""
    if not references:
        return []
    t = response_tags.c
    query = (
        select(t.reference, t.question, t.theme, t.who, t.at)
        .where(t.form_id == form_id, t.reference.in_(list(references)))
        .order_by(t.question, t.theme)
    )
    with storage.engine.connect() as conn:
        return [
            Tag(ref, q, theme, who, aware(at) or at)
            for ref, q, theme, who, at in conn.execute(query)
        ]


def add_tag(
    storage: Storage,
    form_id: str,
    reference: str,
    question: str,
    theme: str,
    who: str,
    at: datetime,
) -> bool:
    """Tag one answer; False if it had that tag already (the table keeps one of each)."""
    dialect_insert = sqlite_insert if storage.is_sqlite else postgresql_insert
    # RETURNING, not rowcount: PostgreSQL's driver reports -1 for a row not inserted.
    statement = dialect_insert(response_tags).on_conflict_do_nothing().returning(response_tags.c.id)
    row = {
        "form_id": form_id,
        "reference": reference,
        "question": question,
        "theme": theme,
        "who": who[:254],
        "at": at.astimezone(UTC),
    }
    with storage.engine.begin() as conn:
        return conn.execute(statement, row).first() is not None


def remove_tag(storage: Storage, form_id: str, reference: str, question: str, theme: str) -> bool:
    t = response_tags.c
    statement = delete(response_tags).where(
        t.form_id == form_id, t.reference == reference, t.question == question, t.theme == theme
    )
    with storage.engine.begin() as conn:
        return bool(conn.execute(statement).rowcount)


# -- a whole form's summary --------------------------------------------------------------

CHOICE = ("radio", "checkboxes", "select", "scale")
FREE_TEXT = ("text", "textarea")


@dataclass(frozen=True)
class Summary:
    """One question's answers in figures; which parts are set depends on its type."""

    id: str
    label: str
    type: str
    personal: bool
    answered: int
    choices: Choices | None = None
    spread: Spread | None = None
    earliest: str | None = None
    latest: str | None = None


def stored_keys(manifest: dict[str, Any], renames: Any) -> dict[str, list[str]]:
    """Each current question's id and the old ids (``renamed_from``) that lead to it."""
    keys: dict[str, list[str]] = {q["id"]: [q["id"]] for q in manifest["questions"]}
    for old in renames.questions:
        target = renames.question(old)
        if target is not None and old not in keys[target]:
            keys[target].append(old)
    return keys


GROUPED = (*CHOICE, "consent", "date")


@dataclass(frozen=True)
class FormSummary:
    questions: list[Summary]
    quarters: dict[int, int]  # responses per quarter hour (the chart, today, this week)


def summarise(storage: Storage, manifest: dict[str, Any], renames: Any) -> FormSummary:
    """Every question of the form, summarised from one pass over its answers (plus one
    query per number question); old ids and option values are read through ``renames``
    (portal.forms.versions.Renames), so responses to earlier versions count too."""
    form_id = manifest["id"]
    questions = manifest["questions"]
    keys = stored_keys(manifest, renames)
    grouped = [key for q in questions if q["type"] in GROUPED for key in keys[q["id"]]]
    flagged = [key for q in questions if q["type"] not in GROUPED for key in keys[q["id"]]]
    found = answer_counts(storage, form_id, grouped, flagged)
    out: list[Summary] = []
    for q in questions:
        qid, kind = q["id"], q["type"]
        values: dict[Any, int] = {}
        for key in keys[qid]:
            for value, n in found.values.get(key, {}).items():
                values[value] = values.get(value, 0) + n
        given = sum(found.given.get(key, 0) for key in keys[qid])
        if kind == "consent":
            given = sum(n for v, n in values.items() if consented(v))
        elif kind in GROUPED:
            given = sum(n for v, n in values.items() if chosen(v))
        base = Summary(qid, q["label"], kind, bool(q.get("personal")), given)
        if kind in CHOICE:
            choices = _choices(q, values, renames, given)
            spread = None
            if kind == "scale":
                numbers = {float(o.value): o.count for o in choices.options}
                spread = Spread(
                    given,
                    median_of_counts(numbers),
                    min((v for v, n in numbers.items() if n), default=None),
                    max((v for v, n in numbers.items() if n), default=None),
                )
            out.append(replace(base, choices=choices, spread=spread))
        elif kind == "number":
            ranges = [number_range(storage, form_id, key) for key in keys[qid]]
            lows = [r.low for r in ranges if r.low is not None]
            highs = [r.high for r in ranges if r.high is not None]
            median = (
                number_median(storage, form_id, qid, ranges[0].count)
                if len(ranges) == 1
                else None  # a renamed number question: counts and range, not the median
            )
            spread = Spread(
                sum(r.count for r in ranges),
                median,
                min(lows) if lows else None,
                max(highs) if highs else None,
            )
            out.append(replace(base, spread=spread))
        elif kind == "date":
            days = sorted(str(v) for v, n in values.items() if chosen(v))
            out.append(
                replace(
                    base,
                    earliest=days[0] if days else None,
                    latest=days[-1] if days else None,
                )
            )
        else:
            out.append(base)
    return FormSummary(out, found.quarters)


def _choices(q: dict[str, Any], values: dict[Any, int], renames: Any, given: int) -> Choices:
    counted: dict[str, int] = {}
    other: dict[str, int] = {}
    for stored, n in values.items():
        for value in chosen(stored):
            current = renames.option(q["id"], value)
            if current is None:
                other[value] = other.get(value, 0) + n
            else:
                counted[current] = counted.get(current, 0) + n
    options = [
        Option(str(o["value"]), str(o["label"]), counted.get(str(o["value"]), 0))
        for o in q.get("options") or []
    ]
    return Choices(options, [Option(v, v, n) for v, n in sorted(other.items())], given)
