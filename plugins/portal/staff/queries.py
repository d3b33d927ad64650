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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
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


def per_day(storage: Storage, form_id: str, tz: tzinfo) -> list[Day]:
    """Responses per day in ``tz``, every day from the first response's to the last's."""
    if storage.is_sqlite:
        seconds: ColumnElement[Any] = cast(func.strftime("%s", responses.c.received_at), Float)
    else:
        seconds = func.extract("epoch", responses.c.received_at)
    bucket = func.floor(seconds / QUARTER_HOUR).label("bucket")
    query = (
        select(bucket, func.count())
        .where(responses.c.form_id == form_id)
        .group_by(bucket)
        .order_by(bucket)
    )
    days: dict[date, int] = {}
    with storage.engine.connect() as conn:
        for quarter, count in conn.execute(query):
            moment = datetime.fromtimestamp(int(quarter) * QUARTER_HOUR, UTC).astimezone(tz)
            days[moment.date()] = days.get(moment.date(), 0) + int(count)
    if not days:
        return []
    first, last = min(days), max(days)
    return [
        Day(first + timedelta(n), days.get(first + timedelta(n), 0))
        for n in range((last - first).days + 1)
    ]


# -- question summaries ------------------------------------------------------------------


def _value(qid: str) -> ColumnElement[Any]:
    value: ColumnElement[Any] = responses.c.answers[qid].as_string()
    return value


@dataclass(frozen=True)
class Answered:
    """How many responses answered each question, and the least and greatest answer where
    that means something (numbers, dates)."""

    count: dict[str, int] = field(default_factory=dict)
    low: dict[str, Any] = field(default_factory=dict)
    high: dict[str, Any] = field(default_factory=dict)


def answered(
    storage: Storage, form_id: str, questions: Sequence[dict[str, Any]], keys: dict[str, list[str]]
) -> Answered:
    """One pass over the form's responses for every question at once.

    ``keys`` maps a question to the ids its answers are stored under (its own and any it
    was renamed from), so responses to an earlier version are counted too.
    """
    columns: list[ColumnElement[Any]] = []
    names: list[tuple[str, str]] = []
    for q in questions:
        qid = q["id"]
        for key in keys.get(qid, [qid]):
            columns.append(func.sum(case((_given(storage, key, q["type"]), 1), else_=0)))
            names.append(("count", qid))
            if q["type"] in ("number", "date"):
                value = _number(key) if q["type"] == "number" else _value(key)
                columns += [func.min(value), func.max(value)]
                names += [("low", qid), ("high", qid)]
    result = Answered()
    if not columns:
        return result
    with storage.engine.connect() as conn:
        row = conn.execute(select(*columns).where(responses.c.form_id == form_id)).one()
    for (kind, qid), value in zip(names, row, strict=True):
        if kind == "count":
            result.count[qid] = result.count.get(qid, 0) + int(value or 0)
        elif value is not None:
            target = result.low if kind == "low" else result.high
            pick = min if kind == "low" else max
            target[qid] = pick(target[qid], value) if qid in target else value
    return result


def _number(key: str) -> ColumnElement[Any]:
    return cast(_value(key), Float)


def _given(storage: Storage, key: str, kind: str) -> ColumnElement[bool]:
    """The response answered ``key``: not missing, not null, not empty, not an empty list."""
    if kind == "checkboxes":
        length: ColumnElement[Any]
        if storage.is_sqlite:
            length = func.json_array_length(responses.c.answers, f'$."{key}"')
        else:
            node = responses.c.answers.op("->")(key)
            length = case(
                (func.json_typeof(node) == "array", func.json_array_length(node)), else_=0
            )
        return length > 0
    if kind == "consent":
        # Stored as JSON true or false; SQLite's json_extract gives 1/0, PostgreSQL 'true'.
        return _value(key).in_(["1", "true"])
    return and_(_value(key).is_not(None), _value(key) != "")


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


def choice_counts(storage: Storage, form_id: str, key: str, kind: str) -> dict[str, int]:
    """Stored value -> responses choosing it, for one question id (GROUP BY in SQL)."""
    if kind == "checkboxes":
        return _listed_counts(storage, form_id, key)
    value = _value(key).label("value")
    query = (
        select(value, func.count())
        .where(responses.c.form_id == form_id, value.is_not(None), value != "")
        .group_by(value)
    )
    with storage.engine.connect() as conn:
        return {str(v): int(n) for v, n in conn.execute(query)}


def _listed_counts(storage: Storage, form_id: str, key: str) -> dict[str, int]:
    """A checkboxes question: each chosen option of each response's JSON list."""
    if storage.is_sqlite:
        sql = (
            "SELECT item.value, count(*) FROM responses, json_each(responses.answers, :path) "
            "AS item WHERE responses.form_id = :form AND json_type(responses.answers, :path) "
            "= 'array' GROUP BY item.value"
        )
        params = {"path": f'$."{key}"', "form": form_id}
    else:
        sql = (
            "SELECT item, count(*) FROM responses, "
            "json_array_elements_text(CASE WHEN json_typeof(responses.answers -> :key) = "
            "'array' THEN responses.answers -> :key ELSE '[]'::json END) AS item "
            "WHERE responses.form_id = :form GROUP BY item"
        )
        params = {"key": key, "form": form_id}
    with storage.engine.connect() as conn:
        return {str(v): int(n) for v, n in conn.execute(text(sql), params)}


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
    size: int = PAGE_SIZE,
) -> Listing:
    """A page of the form's responses, newest first, older than ``before`` (keyset by id),
    matching ``search`` in any of the ``searched`` question ids if a search is given."""
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
    statement = dialect_insert(response_tags).on_conflict_do_nothing()
    row = {
        "form_id": form_id,
        "reference": reference,
        "question": question,
        "theme": theme,
        "who": who[:254],
        "at": at.astimezone(UTC),
    }
    with storage.engine.begin() as conn:
        return bool(conn.execute(statement, row).rowcount)


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


def summarise(storage: Storage, manifest: dict[str, Any], renames: Any) -> list[Summary]:
    """Every question of the form, summarised in SQL; old ids and option values are read
    through ``renames`` (portal.forms.versions.Renames) so earlier versions count too."""
    form_id = manifest["id"]
    questions = manifest["questions"]
    keys = stored_keys(manifest, renames)
    given = answered(storage, form_id, questions, keys)
    out: list[Summary] = []
    for q in questions:
        qid, kind = q["id"], q["type"]
        base = {
            "id": qid,
            "label": q["label"],
            "type": kind,
            "personal": bool(q.get("personal")),
            "answered": given.count.get(qid, 0),
        }
        if kind in CHOICE:
            choices = _choices(storage, form_id, q, keys[qid], renames, base["answered"])
            spread = None
            if kind == "scale":
                numbers = {float(o.value): o.count for o in choices.options}
                spread = Spread(
                    base["answered"],
                    median_of_counts(numbers),
                    min((v for v, n in numbers.items() if n), default=None),
                    max((v for v, n in numbers.items() if n), default=None),
                )
            out.append(Summary(**base, choices=choices, spread=spread))
        elif kind == "number":
            median = (
                number_median(storage, form_id, qid, base["answered"])
                if len(keys[qid]) == 1
                else None  # a renamed number question: counts and range, not the median
            )
            low, high = given.low.get(qid), given.high.get(qid)
            spread = Spread(
                base["answered"],
                median,
                float(low) if low is not None else None,
                float(high) if high is not None else None,
            )
            out.append(Summary(**base, spread=spread))
        elif kind == "date":
            low, high = given.low.get(qid), given.high.get(qid)
            out.append(
                Summary(
                    **base,
                    earliest=str(low) if low is not None else None,
                    latest=str(high) if high is not None else None,
                )
            )
        else:
            out.append(Summary(**base))
    return out


def _choices(
    storage: Storage,
    form_id: str,
    q: dict[str, Any],
    keys: list[str],
    renames: Any,
    respondents: int,
) -> Choices:
    counted: dict[str, int] = {}
    other: dict[str, int] = {}
    for key in keys:
        for value, n in choice_counts(storage, form_id, key, q["type"]).items():
            current = renames.option(q["id"], value)
            if current is None:
                other[value] = other.get(value, 0) + n
            else:
                counted[current] = counted.get(current, 0) + n
    options = [
        Option(str(o["value"]), str(o["label"]), counted.get(str(o["value"]), 0))
        for o in q.get("options") or []
    ]
    return Choices(options, [Option(v, v, n) for v, n in sorted(other.items())], respondents)
