"""The staff pages' figures, computed in a real SQLite database and checked against the
same figures worked out in Python from the rows: counts per option (also of renamed
options), days in a time zone whose offset is not whole hours, today and this week, the
search's escaping of % and _, and paging back by id."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from portal.forms import versions
from portal.staff import chart, queries
from portal.storage import Storage, responses

FORM = "travel"
OLD = {
    "id": FORM,
    "questions": [
        {
            "id": "mode",
            "type": "radio",
            "label": "How do you travel?",
            "options": [{"value": "buses", "label": "Buses"}, {"value": "car", "label": "Car"}],
        },
    ],
}
CURRENT: dict[str, Any] = {
    "id": FORM,
    "questions": [
        {
            "id": "mode",
            "type": "radio",
            "label": "How do you travel?",
            "options": [
                {"value": "bus", "label": "Bus", "renamed_from": "buses"},
                {"value": "car", "label": "Car"},
                {"value": "bike", "label": "Bike"},
            ],
        },
        {
            "id": "seen",
            "type": "checkboxes",
            "label": "What have you seen?",
            "options": [{"value": v, "label": v.title()} for v in ("signs", "map", "app")],
        },
        {"id": "rating", "type": "scale", "label": "Rate it", "min": 1, "max": 5}
        | {"options": [{"value": str(n), "label": str(n)} for n in range(1, 6)]},
        {"id": "trips", "type": "number", "label": "Trips a week"},
        {"id": "since", "type": "date", "label": "Since when?"},
        {"id": "comment", "type": "textarea", "label": "Comments"},
        {"id": "name", "type": "text", "label": "Name", "personal": True},
        {"id": "ok", "type": "consent", "label": "You may publish"},
    ],
}
START = datetime(2026, 11, 1, tzinfo=UTC)


def generated(rng: random.Random, n: int) -> dict[str, Any]:
    old = n % 10 == 0  # every tenth answered the old version, where "bus" was "buses"
    chosen = sorted(rng.sample(["signs", "map", "app"], rng.randint(0, 3)))
    return {
        "mode": rng.choice(["buses", "car"] if old else ["bus", "car", "bike"]),
        "seen": [v for v in ("signs", "map", "app") if v in chosen],
        "rating": rng.choice(["1", "2", "3", "4", "5", None]),
        "trips": rng.choice([None, 0, 1, 2.5, 7, 14]),
        "since": rng.choice([None, "2020-01-31", "2024-06-01", "2026-11-30"]),
        "comment": rng.choice([None, "fine", "100% for it", "100 bus stops", "a_b", "axb"]),
        "name": rng.choice([None, "Ann"]),
        "ok": rng.random() < 0.5,
    }


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Storage, list[Any]]]:
    db: Path = tmp_path_factory.mktemp("figures") / "responses.sqlite3"
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    rng = random.Random(7)
    rows = [
        {
            "form_id": FORM,
            "submission_id": f"figures-{n:05d}",
            "reference": f"PR-{n:04d}-TEST",
            # Every 37 minutes for about three weeks: across midnights in any time zone.
            "received_at": START + timedelta(minutes=37 * n),
            "manifest_version": 1,
            "form_version": None,
            "answers": generated(rng, n),
        }
        for n in range(800)
    ]
    with storage.engine.begin() as conn:
        conn.execute(insert(responses), rows)
        # Another form's responses are never counted with this one's.
        conn.execute(
            insert(responses),
            [{**rows[0], "form_id": "other", "submission_id": "o-1", "reference": "PR-OTHR-0001"}],
        )
    yield storage, rows
    storage.dispose()


def test_every_question_is_counted_as_python_counts_it(filled: tuple[Storage, list[Any]]) -> None:
    storage, rows = filled
    renames = versions.Renames.of(CURRENT, [OLD])
    summary = queries.summarise(storage, CURRENT, renames)
    found = {s.id: s for s in summary.questions}
    answers = [r["answers"] for r in rows]

    mode = found["mode"].choices
    assert mode is not None
    want = Counter("bus" if a["mode"] == "buses" else a["mode"] for a in answers)
    assert [(o.value, o.count) for o in mode.options] == [
        ("bus", want["bus"]),
        ("car", want["car"]),
        ("bike", want["bike"]),
    ]
    assert mode.other == [] and found["mode"].answered == len(rows)

    seen = found["seen"].choices
    assert seen is not None
    for option in seen.options:
        assert option.count == sum(option.value in a["seen"] for a in answers), option
    assert found["seen"].answered == sum(bool(a["seen"]) for a in answers)

    ratings = sorted(int(a["rating"]) for a in answers if a["rating"])
    spread = found["rating"].spread
    assert spread is not None and found["rating"].answered == len(ratings)
    middle = len(ratings) // 2
    median = ratings[middle] if len(ratings) % 2 else (ratings[middle - 1] + ratings[middle]) / 2
    assert (spread.median, spread.low, spread.high) == (median, min(ratings), max(ratings))

    trips = sorted(a["trips"] for a in answers if a["trips"] is not None)
    spread = found["trips"].spread
    assert spread is not None and spread.count == len(trips)
    middle = len(trips) // 2
    median = trips[middle] if len(trips) % 2 else (trips[middle - 1] + trips[middle]) / 2
    assert (spread.median, spread.low, spread.high) == (median, min(trips), max(trips))

    days = sorted(a["since"] for a in answers if a["since"])
    assert (found["since"].earliest, found["since"].latest) == (days[0], days[-1])
    assert found["comment"].answered == sum(bool(a["comment"]) for a in answers)
    assert found["name"].answered == sum(bool(a["name"]) for a in answers)
    assert found["ok"].answered == sum(a["ok"] for a in answers)


def test_an_option_the_form_no_longer_has_is_shown_apart(
    filled: tuple[Storage, list[Any]],
) -> None:
    storage, rows = filled
    # Without the old version's renamed_from, "buses" has no place in the current form.
    plain = {**CURRENT, "questions": [dict(CURRENT["questions"][0])]}
    plain["questions"][0]["options"] = [
        {"value": "bus", "label": "Bus"},
        {"value": "car", "label": "Car"},
        {"value": "bike", "label": "Bike"},
    ]
    summary = queries.summarise(storage, plain, versions.Renames.of(plain, []))
    choices = summary.questions[0].choices
    assert choices is not None
    buses = sum(r["answers"]["mode"] == "buses" for r in rows)
    assert [(o.value, o.count) for o in choices.other] == [("buses", buses)]


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/St_Johns"])
def test_days_today_and_this_week_are_the_forms_own(
    filled: tuple[Storage, list[Any]], zone: str
) -> None:
    storage, rows = filled
    tz = ZoneInfo(zone)
    summary = queries.summarise(storage, CURRENT, versions.Renames.of(CURRENT, [OLD]))
    per_day = Counter(r["received_at"].astimezone(tz).date() for r in rows)
    days = queries.days_of(summary.quarters, tz)
    assert {d.day: d.count for d in days if d.count} == dict(per_day)
    assert [d.day for d in days] == [
        days[0].day + timedelta(n) for n in range(len(days))
    ]  # every day, none skipped
    # As if it were the 15th: today from local midnight, this week from Monday the 9th.
    today = datetime(2026, 11, 15, tzinfo=tz)
    monday = datetime(2026, 11, 9, tzinfo=tz)
    last = queries.last_received(storage, FORM)
    counts = queries.counts_of(FORM, summary.quarters, today, monday, last)
    assert counts.today == sum(today <= r["received_at"] for r in rows)
    assert counts.week == sum(monday <= r["received_at"] for r in rows)
    assert counts.total == len(rows) and last == rows[-1]["received_at"]
    # The dashboard's own query agrees.
    assert queries.counts(storage, [FORM], today, monday)[FORM] == counts


def test_search_takes_percent_and_underscore_literally(
    filled: tuple[Storage, list[Any]],
) -> None:
    storage, rows = filled

    def found(words: str) -> set[str]:
        listing = queries.listing(storage, FORM, search=words, searched=["comment"], size=1000)
        return {r.reference for r in listing.rows}

    def having(words: str) -> set[str]:
        return {r["reference"] for r in rows if words in (r["answers"]["comment"] or "")}

    assert found("100%") == having("100%") and found("100%") != having("100")
    assert found("a_b") == having("a_b") and found("a_b") != having("a_b") | having("axb")
    assert found("FINE") == having("fine")  # not case-sensitive
    assert found("Ann") == set()  # the name is not a searched question


def test_pages_go_back_by_id_without_gaps_or_repeats(filled: tuple[Storage, list[Any]]) -> None:
    storage, rows = filled
    seen: list[str] = []
    before = None
    while True:
        page = queries.listing(storage, FORM, before=before)
        assert len(page.rows) <= queries.PAGE_SIZE
        seen += [r.reference for r in page.rows]
        if page.older is None:
            break
        before = page.older
    assert seen == [r["reference"] for r in reversed(rows)]


def test_the_chart_draws_a_bar_for_each_day_with_responses() -> None:
    days = [queries.Day(START.date() + timedelta(n), n % 3) for n in range(30)]
    svg = chart.bars(days, "t", "d", "Responses <per> day", "From & to")
    assert svg.count("<rect") == sum(1 for d in days if d.count)
    assert 'role="img"' in svg and 'aria-labelledby="t"' in svg
    assert "Responses &lt;per&gt; day" in svg and "From &amp; to" in svg
    assert chart.nice_top(7) == 10 and chart.nice_top(120) == 200 and chart.nice_top(3) == 3
