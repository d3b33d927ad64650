"""Issue 20, one rule per fact between input and export: an answer the endpoint accepts
always exports, validates and counts.

Hypothesis generates posts for every question type (the sample form, and a variant of it
with nothing required and no bounds), adversarial strings included: unicode, control
characters, tricky email addresses, numbers and dates in every written form. Each is posted
over a real socket to a real ``portal endpoint`` process, with a SQLite file and again with
a real PostgreSQL server. Then, on what was stored, the real commands run as staff run
them: ``portal export`` (staff, ``--public``, ``--spreadsheet``), ``portal results``, and
``GET /exports/FORM.zip``. Asserted: every command succeeds, every data package validates
with frictionless, the exports hold exactly the accepted posts (by reference, with the
choices each meant), and the results count exactly what those posts chose (known from the
generator, not from the code under test).

Bounded and repeatable: a fixed number of examples per form, ``derandomize`` and no example
database; no timing is asserted.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from frictionless import validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import Server, portal

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))

# rel_support first: it puts tests/endpoint and tests/forms on the path.
from rel_support import FORM_ID, make_site, postgres_server, start_endpoint  # noqa: I001

from endpoint_site import variant, write_form

OPEN_FORM = "open-ended"
TOKEN = "input-to-export-token-0123456789abcdef"
EXAMPLES = {FORM_ID: 500, OPEN_FORM: 400}
RUN = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
INVALID = "<invalid>"  # the generator knows this answer breaks the question's rules
CHOICE = ("radio", "select", "scale")

# -- strings ---------------------------------------------------------------------------

CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))  # lone surrogates: no UTF-8
AWKWARD = [
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x07\x08",
    "\x0b\x0c",
    "\x1c\x1d\x1e\x1f",
    "\x7f\x80\x9f",
    "\x85",
    "\u2028\u2029",
    "\ufeffBOM",
    "\ufffe\uffff",
    "\U0010ffff",
    "e\u0301",
    "👍🏽",
    "𝒳",
    "=1+1",
    "@SUM(A1)",
    "-1+1",
    "+cmd",
    '"quoted", with a comma',
    "line one\r\nline two",
    "line one\rline two",
    "line one\nline two",
    "tab\there",
    "\\N",
    "NULL",
    "null",
    "NaN",
    "true",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE responses;--",
    "  padded  ",
    "\u00a0\u3000",
]
PADDING = st.sampled_from(["", "", " ", "\t", "\n", "\r\n", "\u00a0", "\u3000", " \x0b"])
EMAILS = [
    "ann@example.org",
    "Ann.Example@Example.ORG",
    "a+tag@example.co.uk",
    "o'brien@example.ie",
    "a@b.cc",
    "jane..doe@example.com",
    "a@b.c",
    "a@[127.0.0.1]",
    "a@[IPv6:::1]",
    "x@localhost",
    '"john doe"@example.com',
    '"a"@example.com',
    '"a..b"@example.com',
    '"a\\"b"@example.com',
    "user@bücher.example",
    "user@xn--bcher-kva.example",
    "üser@example.com",
    "日本@example.jp",
    "a@日本.jp",
    "a@1.2.3.4",
    "a@example.123",
    "a@-x.com",
    "a@x-.com",
    "a@x_y.com",
    ".a@example.com",
    "a.@example.com",
    "a@example.com.",
    "a@.example.com",
    "a@example..com",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "a@" + "b" * 63 + ".com",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["b" * 60] * 4) + ".com",
    "a@example.org\x00",
    "a\x00b@example.org",
    "a@exam\u200bple.org",
    "a\ufeff@example.org",
    "é\ufeff@example.org",
    "\x1cann@example.org",
    "ann@example.org\x1c",
    "ann@@example.org",
    "ann@example@org",
    "ann",
    "@example.org",
    "ann@",
]
NUMBERS = [
    "42",
    "16",
    "120",
    "15",
    "121",
    "042",
    "+42",
    "-0",
    "-0.0",
    "0",
    "42.0",
    "42.",
    ".5",
    "4,2",
    "1,000",
    "12 000",
    "1e5",
    "1E5",
    "1_000",
    "0x10",
    "nan",
    "inf",
    "-inf",
    "١٢",
    "٤٢",
    "４２",
    "0" * 38 + "42",
    "1" * 40,
    "9" * 39 + ".",
    "15.99999999999999999",
    "16.00000000000000001",
    "119.99999999999999999",
    "3.14159265358979323846264338327950288",
    "0.000000000000000000000000000000000001",
    "-1.5",
    "1.5",
]
DATES = [
    "2020-01-01",
    "2030-12-31",
    "2019-12-31",
    "2031-01-01",
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "1/1/0001",
    "31/12/9999",
    "1/1/0000",
    "29/2/2024",
    "29/2/2023",
    "31/4/2024",
    "2024-02-30",
    "2024-2-3",
    "01.02.2024",
    "1-2-2024",
    "2024-01-01T00:00",
    "2024-W01-1",
    "20240101",
    "١/٢/٢٠٢٤",
    "٢٠٢٤-٠١-٠١",
    "1/2/24",
    "32/1/2024",
    "1/13/2024",
]


def padded(value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(PADDING, value, PADDING).map("".join)


def free_text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(CHARS, max_size=max_size)


def awkward_text(max_size: int) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(AWKWARD), free_text(20), st.just("a" * max_size))
    return st.lists(pieces, min_size=1, max_size=4).map("".join)


def made_up_email() -> st.SearchStrategy[str]:
    part = st.text(CHARS, min_size=1, max_size=12)
    return st.builds(lambda a, b, c: f"{a}@{b}.{c}", part, part, part)


# -- answers ---------------------------------------------------------------------------


@dataclass
class Post:
    fields: list[tuple[str, str]]
    # What the generator meant, for the questions whose totals are published: an option's
    # value (radio, select, scale), a set of them (checkboxes), a bool (consent), None
    # when unanswered, or INVALID.
    meant: dict[str, Any]
    json: bool
    reference: str = ""


def option_values(q: dict[str, Any]) -> list[str]:
    return [o["value"] for o in q["options"]]


@st.composite
def answer(draw: st.DrawFn, q: dict[str, Any], careful: bool) -> tuple[list[str], Any]:
    """The values posted for one question and what they mean."""
    kind = q["type"]
    modes = ["good"] * 8 + ["blank"] if careful else ["good"] * 5 + ["blank", "bad", "repeat"]
    if careful and q["required"]:
        modes = ["good"]
    mode = draw(st.sampled_from(modes))
    blank_meaning: Any = False if kind == "consent" else None
    if kind == "checkboxes":
        blank_meaning = frozenset()
    if mode == "blank":
        blank = draw(st.sampled_from([[], [""], ["  "]] if kind != "checkboxes" else [[], [""]]))
        meaning = blank_meaning
        if q["required"]:
            meaning = INVALID
        return blank, meaning
    if kind == "checkboxes":
        options = option_values(q)
        low, high = q.get("min_selected"), q.get("max_selected")
        if careful and mode == "good":
            low, high = (low or (1 if q["required"] else 0)), (high or len(options))
        else:
            low, high = 0, len(options)
        chosen = draw(st.lists(st.sampled_from(options), unique=True, min_size=low, max_size=high))
        values = list(chosen)
        meaning: Any = frozenset(chosen)
        if draw(st.booleans()):
            values = [*values, ""]  # an unticked box's hidden field, as some clients send
        if mode in ("bad", "repeat"):
            wrong = draw(
                st.sampled_from(
                    [
                        *(v.upper() for v in options),
                        *(f" {v}" for v in options),
                        "other",
                        "\x00",
                        *(chosen[:1] * 2),
                    ]
                )
            )
            values = [*values, wrong]
            meaning = INVALID
        low, high = q.get("min_selected"), q.get("max_selected")
        if (low and len(chosen) < low) or (high and len(chosen) > high):
            meaning = INVALID
        if not chosen and q["required"]:
            meaning = INVALID
        return draw(st.permutations(values)), meaning
    if mode == "repeat":
        first, _ = draw(answer(q, careful=True))
        return [*(first or ["x"]), *(first or ["x"])], INVALID
    if kind in CHOICE:
        options = option_values(q)
        if mode == "bad":
            wrong = draw(
                st.one_of(
                    st.sampled_from(
                        [v.upper() for v in options] + ["other", "6", "0", "4.0", "\x00bus"]
                    ),
                    free_text(10),
                ).filter(lambda v: v.strip() not in options)
            )
            return [wrong], INVALID
        chosen = draw(st.sampled_from(options))
        return [draw(padded(st.just(chosen)))], chosen
    if kind == "consent":
        if mode == "bad":
            return [draw(st.sampled_from(["Yes", "on", "true", "1", "no", "yes please"]))], INVALID
        return [draw(padded(st.just("yes")))], True
    # Questions whose answers are not counted: only their acceptance matters. A careful
    # post mostly sends what a person might type (awkward but likely to be accepted).
    likely, anything = value_strategies(q)
    if careful and draw(st.integers(0, 9)) < 8:
        return [draw(likely)], None
    return [draw(st.one_of(likely, anything))], None


def value_strategies(q: dict[str, Any]) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """(likely accepted, anything) strings for a text, email, number or date question."""
    kind = q["type"]
    if kind in ("text", "textarea"):
        limit = q["max_length"]
        words = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=6)
        likely = st.builds(
            lambda a, b, c: (a + b + c)[:limit], awkward_text(limit), words, free_text(limit)
        )
        return likely, st.one_of(
            free_text(limit),
            awkward_text(limit),
            padded(st.text(CHARS, min_size=limit - 2, max_size=limit)),
            st.integers(1, limit).map(lambda n: "a\r\n" * n),
        )
    if kind == "email":
        return st.one_of(padded(st.sampled_from(EMAILS)), st.emails()), st.one_of(
            made_up_email(), free_text(30)
        )
    if kind == "number":
        low = -(10**12) if q.get("min") is None else int(q["min"])
        high = 10**12 if q.get("max") is None else int(q["max"])
        whole = st.integers(low, high)
        return st.one_of(
            padded(st.sampled_from(NUMBERS)),
            padded(whole.map(str)),
            whole.map(lambda n: f"{n:,}"),
            whole.map(lambda n: f"{n}.0"),
            whole.map(lambda n: f"+{n:04d}"),
        ), st.one_of(
            st.floats(allow_nan=False, allow_infinity=False).map(repr),
            st.decimals(allow_nan=False, allow_infinity=False).map(str),
            free_text(12),
        )
    if kind == "date":
        low = date.fromisoformat(q["min"]) if q.get("min") else date.min
        high = date.fromisoformat(q["max"]) if q.get("max") else date.max
        days = st.dates(low, high)
        return st.one_of(
            padded(st.sampled_from(DATES)),
            padded(days.map(date.isoformat)),
            st.tuples(days, st.sampled_from("/.-")).map(
                lambda d: f"{d[0].day}{d[1]}{d[0].month}{d[1]}{d[0].year:04d}"
            ),
            days.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
        ), free_text(12)
    raise AssertionError(f"no strategy for question type {q['type']!r}")


@st.composite
def posts(draw: st.DrawFn, manifest: dict[str, Any]) -> Post:
    careful = draw(st.booleans())  # half the posts try to be accepted
    fields: list[tuple[str, str]] = []
    meant: dict[str, Any] = {}
    for q in manifest["questions"]:
        values, meaning = draw(answer(q, careful))
        fields += [(q["id"], v) for v in values]
        meant[q["id"]] = meaning
    return Post(draw(st.permutations(fields)), meant, draw(st.booleans()))


# -- the endpoint ------------------------------------------------------------------------


def open_manifest() -> dict[str, Any]:
    """The sample form with nothing required and no bounds, and no publication consent."""
    manifest = variant(OPEN_FORM, publication_consent=None)
    questions = copy.deepcopy(manifest["questions"])
    for q in questions:
        q["required"] = False
        if q["type"] == "number":
            q.update(min=None, max=None, integer=False)
        if q["type"] == "date":
            q.update(min=None, max=None)
        if q["type"] == "checkboxes":
            q.update(min_selected=None, max_selected=None)
        if q["type"] == "textarea":
            q.update(min_length=None, max_length=5000)
    manifest["questions"] = questions
    return manifest


@dataclass
class Portal:
    root: Path
    site: Path
    database_url: str
    server: Server
    manifests: dict[str, dict[str, Any]]
    accepted: dict[str, list[Post]] = field(default_factory=dict)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A SQLite file, and a real PostgreSQL server (the same posts, the same checks)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'responses.sqlite3'}"
        return
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Portal]:
    root = tmp_path_factory.mktemp("input-to-export")
    (root / "mkdocs.yml").write_text("site_name: Test portal\n", encoding="utf-8")  # results
    site = make_site(root)
    write_form(site, open_manifest())
    manifests = {
        name: json.loads((site / "api" / "forms" / f"{name}.json").read_text(encoding="utf-8"))
        for name in (FORM_ID, OPEN_FORM)
    }
    server = start_endpoint(
        site, database_url, root / "endpoint.log", env={"PORTAL_EXPORT_TOKEN": TOKEN}
    )
    try:
        yield Portal(root, site, database_url, server, manifests)
    finally:
        server.stop()


def send(http: httpx.Client, form_id: str, post: Post, number: int) -> httpx.Response:
    sid = f"in2out-{form_id}-{number:06d}-0000"
    headers = {"content-type": "application/x-www-form-urlencoded"}
    if post.json:
        headers["accept"] = "application/json"
    body = urlencode([*post.fields, ("submission_id", sid)])
    return http.post(f"/responses/{form_id}", content=body, headers=headers)


def accepted_reference(reply: httpx.Response, post: Post) -> str | None:
    if post.json and reply.status_code == 200:
        data = reply.json()
        assert data["ok"] is True, data
        return str(data["reference"])
    if not post.json and reply.status_code == 303:
        return reply.headers["location"].split("#")[0].rsplit("/", 1)[-1]
    assert reply.status_code == 422, (reply.status_code, reply.text[:2000])
    return None


def post_everything(running: Portal, form_id: str) -> list[Post]:
    accepted: list[Post] = []
    numbers = itertools.count()
    with httpx.Client(base_url=running.server.url, timeout=30) as http:

        @settings(RUN, max_examples=EXAMPLES[form_id])
        @given(posts(running.manifests[form_id]))
        def post_one(post: Post) -> None:
            reply = send(http, form_id, post, next(numbers))
            reference = accepted_reference(reply, post)
            if reference is None:
                return
            broken = [qid for qid, meaning in post.meant.items() if meaning == INVALID]
            assert not broken, f"accepted answers that break their questions' rules: {broken}"
            post.reference = reference
            accepted.append(post)

        post_one()
    return accepted


# -- reading what the commands wrote -----------------------------------------------------


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding), newline="")))


def valid(package: Path) -> None:
    report = validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def counted(manifest: dict[str, Any], accepted: list[Post]) -> tuple[Counter[Any], Counter[Any]]:
    """Per (question, option) and per (question, scale point) totals the posts meant."""
    options: Counter[tuple[str, str]] = Counter()
    scales: Counter[tuple[str, str]] = Counter()
    for q in manifest["questions"]:
        if q.get("personal") or not q.get("public", True):
            continue
        if q["type"] not in (*CHOICE, "checkboxes"):
            continue
        for post in accepted:
            meaning = post.meant[q["id"]]
            chosen = meaning if isinstance(meaning, frozenset) else {meaning} - {None}
            for value in chosen:
                (scales if q["type"] == "scale" else options)[(q["id"], value)] += 1
    return options, scales


def check_staff_rows(
    manifest: dict[str, Any], rows: list[dict[str, str]], sent: list[Post]
) -> None:
    by_reference = {p.reference: p for p in sent}
    assert sorted(r["reference"] for r in rows) == sorted(by_reference)
    for row in rows:
        post = by_reference[row["reference"]]
        for q in manifest["questions"]:
            meaning = post.meant[q["id"]]
            if q["type"] == "checkboxes":
                for value in option_values(q):
                    assert row[f"{q['id']}.{value}"] == str(value in meaning).lower(), q["id"]
            elif q["type"] in CHOICE:
                assert row[q["id"]] == (meaning or ""), q["id"]
            elif q["type"] == "consent":
                assert row[q["id"]] == str(meaning).lower(), q["id"]


# -- the test ----------------------------------------------------------------------------


@pytest.mark.parametrize("form_id", [FORM_ID, OPEN_FORM])
def test_every_accepted_answer_exports_validates_and_counts(
    running: Portal, form_id: str, tmp_path: Path
) -> None:
    manifest = running.manifests[form_id]
    accepted = post_everything(running, form_id)
    print(f"{form_id}: {len(accepted)} of {EXAMPLES[form_id]} generated posts accepted")
    assert len(accepted) >= 50, "too few posts were accepted to test the exports"
    env = {"DATABASE_URL": running.database_url}
    site = ["--site-dir", str(running.site)]

    def export(*extra: str) -> Path:
        out = tmp_path / "-".join(["export", *(e.strip("-") for e in extra)])
        portal("export", form_id, "--out", str(out), *site, *extra, root=running.root, env=env)
        valid(out / "datapackage.json")
        return out

    # The staff export: every accepted post, once, as it was meant.
    staff = export("--spreadsheet")
    rows = read_csv(staff / "responses.csv")
    assert len(rows) == len(accepted)
    check_staff_rows(manifest, rows, accepted)
    sheet = read_csv(staff / "responses-spreadsheet.csv", encoding="utf-8-sig")
    assert len(sheet) == len(accepted)

    # The public export: only those who agreed to publication (nobody, without the question).
    public = read_csv(export("--public") / "responses.csv")
    consent = manifest["publication_consent"]
    assert len(public) == sum(1 for p in accepted if consent and p.meant[consent] is True)

    # The staff download over HTTP holds the same package, and it validates.
    reply = httpx.get(
        f"{running.server.url}/exports/{form_id}.zip",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert reply.status_code == 200, running.server.read_log()
    unzipped = tmp_path / "zip"
    zipfile.ZipFile(io.BytesIO(reply.content)).extractall(unzipped)
    valid(unzipped / form_id / "datapackage.json")
    assert len(read_csv(unzipped / form_id / "responses.csv")) == len(accepted)

    # The results count every accepted answer.
    portal("results", form_id, "--now", "2099-01-01T00:00", *site, root=running.root, env=env)
    results = running.root / "datasets" / f"{form_id}-results"
    valid(results / "datapackage.json")
    summary = read_csv(results / "data" / "summary.csv")
    assert int(summary[0]["respondents"]) == len(accepted)
    assert sum(int(d["responses"]) for d in read_csv(results / "data" / "days.csv")) == len(
        accepted
    )
    options, scales = counted(manifest, accepted)
    found_options = {
        (r["question"], r["option"]): int(r["count"])
        for r in read_csv(results / "data" / "options.csv")
    }
    assert {k: v for k, v in found_options.items() if v} == dict(options)
    found_scales = {
        (r["question"], r["value"]): int(r["count"])
        for r in read_csv(results / "data" / "scales.csv")
    }
    assert {k: v for k, v in found_scales.items() if v} == dict(scales)
