"""Issue 7, item 5: property-based fuzzing (hypothesis) of every question type and of raw
requests. ``make test`` runs about 1,000 cases; bench/endpoint_faults.py --fuzz (or
PORTAL_FUZZ_EXAMPLES=10000) runs 10,000. Asserted: no server error, and every stored row
is valid against its form (independent checks of each question's rules).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_support import FORM_HEADERS, FORM_ID, VALID, body, make_client, make_site, settings_for

from portal.forms.validate import validate

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES // 2,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
URL = f"/responses/{FORM_ID}"

VALID_BY_ID: dict[str, list[str]] = {}
for _k, _v in VALID:
    VALID_BY_ID.setdefault(_k, []).append(_v)

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e9",
        "nan",
        "inf",
        "16",
        "120",
        "121",
        "15",
        "3.5",
        "2020-01-01",
        "2031-01-01",
        "1/2/2024",
        "yes",
        "no",
        "on",
        "bus",
        "safety",
        "air-quality",
        "journey-times",
        "north",
        "5",
        "6",
        "<script>alert(1)</script>",
        "\x00",
        "a" * 201,
        "é" * 101,
    ]
)
values = st.lists(st.one_of(texts, tricky), max_size=4)


def _or(value: Any, default: float) -> float:
    return default if value is None else float(value)


def row_problems(manifest: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """The stored answers checked against the form, independently of the validator."""
    problems = []
    questions = {q["id"]: q for q in manifest["questions"]}
    if set(answers) - set(questions):
        problems.append(f"unknown keys {set(answers) - set(questions)}")
    for qid, q in questions.items():
        value = answers.get(qid)
        empty = value in (None, "", [], False)
        if q.get("required") and empty:
            problems.append(f"{qid} required but empty")
            continue
        if empty:
            continue
        options = {o["value"] for o in q.get("options") or []}
        if q["type"] in ("radio", "select") and value not in options:
            problems.append(f"{qid}={value!r} not an option")
        if q["type"] == "checkboxes":
            if not set(value) <= options or len(set(value)) != len(value):
                problems.append(f"{qid}={value!r} not options")
            if not (q.get("min_selected") or 0) <= len(value) <= (q.get("max_selected") or 99):
                problems.append(f"{qid} selections out of range")
        if q["type"] in ("text", "textarea", "email") and (
            len(value) > (q.get("max_length") or 10**9) or len(value) < (q.get("min_length") or 0)
        ):
            problems.append(f"{qid} length {len(value)}")
        if q["type"] in ("number", "scale") and not (
            _or(q.get("min"), -1e300) <= float(value) <= _or(q.get("max"), 1e300)
        ):
            problems.append(f"{qid}={value} out of range")
        if q["type"] == "date":
            day = date.fromisoformat(str(value))
            low, high = (
                date.fromisoformat(str(q[k])) if q.get(k) else None for k in ("min", "max")
            )
            if (low and day < low) or (high and day > high):
                problems.append(f"{qid}={value} out of range")
        if q["type"] == "email" and "@" not in value:
            problems.append(f"{qid}={value!r} not an email")
    return problems


def test_fuzz_every_question_type_and_raw_requests(tmp_path: Path) -> None:
    client = make_client(settings_for(make_site(tmp_path), rate_limit="1000000/minute"))
    manifest = client.app.state.responses.manifests.get(FORM_ID).manifest
    qids = [q["id"] for q in manifest["questions"]]
    seen: dict[int, int] = {}
    accepted: list[list[tuple[str, str]]] = []

    @FUZZ
    @given(
        qid=st.sampled_from(qids),
        posted=values,
        sid=st.from_regex(r"[A-Za-z0-9_-]{16,40}", fullmatch=True),
        extra=st.booleans(),
    )
    def one_question(qid: str, posted: list[str], sid: str, extra: bool) -> None:
        fields = [(k, v) for k, v in VALID if k != qid] + [(qid, v) for v in posted]
        if extra:
            fields.append(("surplus", "x"))
        r = client.post(URL, content=body(sid, fields), headers=FORM_HEADERS)
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        assert r.status_code in (303, 422), r.status_code
        _answers, errors = validate(manifest, [*fields])
        assert (r.status_code == 303) == (not errors), (errors, r.status_code)
        if r.status_code == 303:
            accepted.append(fields)

    @FUZZ
    @given(
        raw=st.one_of(st.binary(max_size=2000), texts.map(str.encode)),
        content_type=st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "multipart/form-data; boundary=x",
                "text/plain",
                "application/json",
                "",
                "application/x-www-form-urlencoded; charset=latin-1",
            ]
        ),
        accept=st.sampled_from(["text/html", "application/json", "*/*"]),
        form=st.sampled_from([FORM_ID, "nope", "..%2f..", "bus-lanes%00"]),
    )
    def raw_request(raw: bytes, content_type: str, accept: str, form: str) -> None:
        r = client.post(
            f"/responses/{form}",
            content=raw,
            headers={"content-type": content_type, "accept": accept},
        )
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        assert r.status_code < 500, (r.status_code, raw[:100])

    try:
        one_question()
        raw_request()
        rows = client.storage.rows()
    finally:
        client.storage.dispose()
    assert not [s for s in seen if s >= 500], seen
    assert sum(seen.values()) >= EXAMPLES // 2  # hypothesis ran (about) as many as asked
    assert len(rows) >= 1
    for row in rows:
        assert row["form_id"] == FORM_ID
        assert row_problems(manifest, row["answers"]) == [], row["answers"]
