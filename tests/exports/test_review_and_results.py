"""Issue 15, items 3, 7 and 8: reviewed free text, readable results, a spreadsheet that opens.

Answers are posted over HTTP to the real endpoint; ``portal review``, ``export``, ``results``,
``check`` and ``build`` are the real commands on a real copy of the fixture site.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from frictionless import validate

from tests.exports.conftest import read_csv
from tests.support import (
    FIXTURE_SITE,
    axe_violations,
    copy_site,
    describe,
    horizontal_overflow,
    portal,
    serve_portal,
)

FORM = """---
title: Bus lanes on the ring road
summary: We propose bus lanes on the inner ring road.
organisation: Fixture Council
contact:
  email: transport@fixture.example
opens: 2020-01-01T09:00
closes: 2099-02-28
topics: [Transport]
area: City centre
documents:
  - title: Proposal
    file: documents/proposal.txt
form:
  publication_consent: publish
  questions:
    - id: support
      type: radio
      label: Do you support bus lanes?
      required: true
      options:
        - Yes
        - No
        - {value: unsure, label: Not sure}
    - id: modes
      type: checkboxes
      label: How do you travel?
      options: [Bus, Bike, Car]
    - id: rating
      type: scale
      label: How good are buses now?
      min: 1
      max: 5
      min_label: Very poor
      max_label: Very good
    - id: trips
      type: number
      label: How many bus trips do you make a month?
      integer: true
      min: 0
      max: 500
    - id: start
      type: date
      label: When could you start using the lanes?
    - id: comment
      type: textarea
      label: Any comments?
    - id: name
      type: text
      label: Your name
      personal: true
    - id: email
      type: email
      label: Your email
      personal: true
    - id: publish
      type: consent
      label: You may publish my answers
      required: false
---
## What we propose

Bus lanes from 7am to 7pm.
"""
NEIGHBOUR = "Call my neighbour Bob Smith on 07700 900123, he hates buses"
ANSWERS: list[dict[str, Any]] = [
    {
        "support": "yes",
        "modes": ["bus", "bike"],
        "rating": "4",
        "trips": "10",
        "start": "2027-03-01",
        "comment": "Great idea, please hurry",
        "name": "Ann Example",
        "email": "ann@example.org",
        "publish": "yes",
    },
    {
        "support": "no",
        "modes": ["car"],
        "rating": "2",
        "trips": "0",
        "comment": NEIGHBOUR,
        "name": "Carl Example",
        "email": "carl@example.org",
        "publish": "yes",
    },
    {  # did not agree to publication: counted, never listed
        "support": "yes",
        "rating": "5",
        "trips": "25",
        "start": "2027-03-01",
        "comment": "Private view: the 8am bus is always late",
        "name": "Dee Example",
        "publish": "",
    },
    {
        "support": "unsure",
        "modes": ["bus"],
        "rating": "3",
        "trips": "40",
        "start": "2027-04-15",
        "comment": "=SUM(1)\nsecond line",
        "publish": "yes",
    },
    {"support": "yes", "modes": ["bus"], "rating": "4", "trips": "7", "publish": "yes"},
]
LATE = {
    "support": "no",
    "rating": "1",
    "comment": "Written after the first review",
    "publish": "yes",
}
PERSONAL = ("Ann Example", "Carl Example", "Dee Example", "ann@example.org", "carl@example.org")
SETTINGS = "      timezone: Europe/London\n"
# The demo's style sheets, so the browser judges the pages as a portal publishes them.
STYLES = "extra_css:\n" + "".join(
    f"  - assets/portal/{name}.css\n" for name in ("portal", "forms", "datasets", "discovery")
)


def post(url: str, answers: dict[str, Any], number: int) -> None:
    fields: list[tuple[str, str]] = [("submission_id", f"review-test-{number:04d}-abcdef")]
    for key, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            if item != "":
                fields.append((key, str(item)))
    reply = httpx.post(
        f"{url}/responses/bus-lanes",
        content=urlencode(fields),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["ok"] is True


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """(root, database, url) of the fixture portal, built, served, with ANSWERS posted."""
    root = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("review") / "portal")
    (root / "consultations" / "bus-lanes" / "index.md").write_text(FORM, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert SETTINGS in text
    text = text.replace(
        SETTINGS, SETTINGS + "      organisation: Fixture Council\n      licence: OGL-UK-3.0\n"
    )
    config.write_text(text + STYLES, encoding="utf-8")
    portal("build", root=root)
    db = root.parent / "responses.sqlite3"
    with serve_portal(root / "site", db, root.parent / "server.log") as server:
        for number, answers in enumerate(ANSWERS):
            post(server.url, answers, number)
        yield root, db, server.url


def env(db: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{db}"}


def review_file(root: Path) -> Path:
    return root / "consultations" / "bus-lanes" / "review.yml"


def entries(root: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(review_file(root).read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = data["answers"]
    return found


def decide(root: Path, decisions: dict[str, dict[str, str | None]]) -> None:
    """Staff edit the review file: set each listed answer's fields (by its text)."""
    path = review_file(root)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["answers"]:
        item.update(decisions.get(item["answer"], {}))
        for key in [k for k, v in item.items() if v is None]:  # None: take the field out
            del item[key]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def reviewed(site: tuple[Path, Path, str]) -> tuple[Path, Path, str]:
    """The first review made and decided: publish, redact, withhold; one left undecided."""
    root, db, url = site
    portal("review", "bus-lanes", root=root, env=env(db))
    decide(
        root,
        {
            "Great idea, please hurry": {"decision": "publish", "note": "fine"},
            NEIGHBOUR: {"decision": "redact", "redacted": "Call my neighbour [name removed]"},
            "=SUM(1)\nsecond line": {"decision": "withhold"},
        },
    )
    post(url, LATE, 99)  # came after the review: awaiting it
    return site


def test_review_file_lists_consenting_free_text_only_with_no_personal_field(
    site: tuple[Path, Path, str],
) -> None:
    root, db, _ = site
    done = portal("review", "bus-lanes", root=root, env=env(db))
    assert "3 new answers" in done.stdout
    text = review_file(root).read_text(encoding="utf-8")
    listed = entries(root)
    assert [e["answer"] for e in listed] == [
        "Great idea, please hurry",
        NEIGHBOUR,
        "=SUM(1)\nsecond line",
    ]
    assert all(e["question"] == "comment" and e["decision"] == "undecided" for e in listed)
    assert all(re.fullmatch(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", e["reference"]) for e in listed)
    assert set(listed[0]) == {"reference", "received", "question", "answer", "decision"}
    # Neither the personal answers nor the respondent who did not consent.
    for personal in (*PERSONAL, "Private view"):
        assert personal not in text
    portal("check", root=root)  # a file just written is valid


def test_rerun_keeps_decisions_and_adds_new_answers(reviewed: tuple[Path, Path, str]) -> None:
    root, db, _ = reviewed
    done = portal("review", "bus-lanes", root=root, env=env(db))
    assert "1 new answer, 3 kept" in done.stdout
    by_answer = {e["answer"]: e for e in entries(root)}
    assert by_answer["Great idea, please hurry"]["decision"] == "publish"
    assert by_answer["Great idea, please hurry"]["note"] == "fine"
    assert by_answer[NEIGHBOUR]["redacted"] == "Call my neighbour [name removed]"
    assert by_answer["=SUM(1)\nsecond line"]["decision"] == "withhold"
    assert by_answer["Written after the first review"]["decision"] == "undecided"


def test_public_export_publishes_only_reviewed_free_text(
    reviewed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, db, _ = reviewed
    portal("export", "bus-lanes", "--public", "--out", str(tmp_path), root=root, env=env(db))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    comments = [r["comment"] for r in read_csv(tmp_path / "responses.csv")]
    # Consenting respondents in order: published, redacted, withheld, none written, late.
    assert comments == ["Great idea, please hurry", "Call my neighbour [name removed]", "", "", ""]
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "2 are published (1 edited" in package["description"]
    assert "1 is withheld after review and 1 is awaiting review" in package["description"]
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    for secret in (NEIGHBOUR, "=SUM(1)", "Written after", "Private view", *PERSONAL):
        assert secret not in everything


def results(root: Path, db: Path, site: Path | None = None) -> Path:
    """``portal results``; ``site`` is the built site of a copy (copy_site leaves it out)."""
    where = ["--site-dir", str(site)] if site else []
    portal(
        "results",
        "bus-lanes",
        "--now",
        "2099-03-01T00:00",
        "--force",
        *where,
        root=root,
        env=env(db),
    )
    return root / "datasets" / "bus-lanes-results"


def test_results_publish_reviewed_answers_and_say_what_was_withheld(
    reviewed: tuple[Path, Path, str],
) -> None:
    root, db, _ = reviewed
    folder = results(root, db)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    answers = read_csv(folder / "data" / "answers.csv")
    assert [(a["answer"], a["edited"]) for a in answers] == [
        ("Great idea, please hurry", "false"),
        ("Call my neighbour [name removed]", "true"),
    ]
    (summary,) = read_csv(folder / "data" / "summary.csv")
    assert summary["respondents"] == "6"
    assert summary["without_publication_consent"] == "1"
    assert [summary[f"text_answers_{s}"] for s in ("published", "redacted")] == ["1", "1"]
    assert [summary[f"text_answers_{s}"] for s in ("withheld", "awaiting_review")] == ["1", "1"]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "1 did not agree to publication" in package["description"]
    everything = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.*"))
    for secret in (NEIGHBOUR, "=SUM(1)", "Written after", "Private view", *PERSONAL):
        assert secret not in everything
    # Licence and publisher are the site's settings (mkdocs.yml), not a hard-coded pair.
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert package["contributors"] == [{"title": "Fixture Council", "roles": ["publisher"]}]


def test_one_chart_per_question_with_its_own_counts_only(reviewed: tuple[Path, Path, str]) -> None:
    root, db, _ = reviewed
    folder = results(root, db)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    views = {v["title"]: v for v in package["views"]}
    assert list(views) == [
        "Do you support bus lanes?",
        "How do you travel?",
        "How good are buses now?",
        "How many bus trips do you make a month?",
        "When could you start using the lanes?",
    ]
    resources = {r["name"]: r for r in package["resources"]}

    def rows(title: str) -> list[dict[str, str]]:
        (name,) = views[title]["resources"]
        return read_csv(folder / resources[name]["path"])

    assert [(r["option_label"], r["count"]) for r in rows("Do you support bus lanes?")] == [
        ("Yes", "3"),
        ("No", "2"),
        ("Not sure", "1"),
    ]
    assert [(r["option_label"], r["count"]) for r in rows("How do you travel?")] == [
        ("Bus", "3"),
        ("Bike", "1"),
        ("Car", "1"),
    ]
    assert [(r["value_label"], r["count"]) for r in rows("How good are buses now?")] == [
        ("1 (Very poor)", "1"),
        ("2", "1"),
        ("3", "1"),
        ("4", "2"),
        ("5 (Very good)", "1"),
    ]
    trips = rows("How many bus trips do you make a month?")
    assert sum(int(r["count"]) for r in trips) == 5  # the late respondent left it out
    assert [(r["answer"], r["count"]) for r in trips if r["count"] != "0"] == [
        ("0 to under 5", "1"),
        ("5 to under 10", "1"),
        ("10 to under 15", "1"),
        ("25 to under 30", "1"),
        ("40 to under 45", "1"),
    ]
    assert [(r["date"], r["count"]) for r in rows("When could you start using the lanes?")] == [
        ("2027-03-01", "2"),
        ("2027-04-15", "1"),
    ]
    medians = {q["question"]: q["median"] for q in read_csv(folder / "data" / "questions.csv")}
    assert medians["rating"] == "3.5" and medians["trips"] == "10.0"
    assert medians["support"] == ""
    # Whole-number axes: every tick is a whole number of responses.
    for view in package["views"]:
        axis = next(e for e in view["spec"]["encoding"].values() if e["field"] == "count")
        assert all(isinstance(v, int) for v in axis["axis"]["values"]), view["name"]


@pytest.fixture(scope="module")
def built(reviewed: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built after the consultation closed, with its outcome and the results."""
    root, db, _ = reviewed
    results(root, db)
    (root / "consultations" / "bus-lanes" / "outcome.md").write_text(
        "We will build the bus lanes.\n", encoding="utf-8"
    )
    out = tmp_path_factory.mktemp("built") / "site"
    portal("build", "--site-dir", str(out), root=root, env={"PORTAL_NOW": "2099-03-01T00:00"})
    return out


def test_the_built_results_page_has_a_chart_a_text_alternative_and_a_table_per_question(
    built: Path,
) -> None:
    html = (built / "datasets" / "bus-lanes-results" / "index.html").read_text("utf-8")
    figures = re.findall(r'<figure class="portal-chart.*?</figure>', html, re.S)
    assert len(figures) == 5, html
    support = next(f for f in figures if "Do you support bus lanes?" in f)
    # The text alternative states the counts of this question only.
    assert "Yes: 3; No: 2; Not sure: 1" in support
    assert "Bike" not in support
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", support)
    assert cells == ["Option", "Responses", "Yes", "3", "No", "2", "Not sure", "1"]
    svg = next(built.glob("datasets/bus-lanes-results/q1-support.svg")).read_text("utf-8")
    ticks = re.findall(r">(\d+(?:\.\d+)?)</text>", svg)
    assert ticks and all("." not in t for t in ticks), ticks
    assert "Open Government Licence v3.0" in html and "Fixture Council" in html
    assert "Creative Commons" not in html
    # The published written answers, and how many were not published.
    answers = built / "datasets" / "bus-lanes-results" / "resources" / "answers" / "index.html"
    listed = answers.read_text("utf-8")
    assert "Great idea, please hurry" in listed and "Call my neighbour [name removed]" in listed
    assert "07700" not in listed and "SUM(1)" not in listed and "Written after" not in listed
    assert "1 is withheld after review and 1 is awaiting review" in html
    outcome = (built / "consultations" / "bus-lanes" / "index.html").read_text("utf-8")
    assert outcome.count('<figure class="portal-chart"') == 5
    assert outcome.count('class="portal-chart__pair"><img') == 5
    assert "The numbers in the chart: How good are buses now?" in outcome


def test_check_reports_each_problem_of_a_review_file_at_its_line(
    reviewed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, _, _ = reviewed
    copy = copy_site(root, tmp_path / "portal")
    path = review_file(copy)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if "decision: publish" in line)
    lines[first] = lines[first].replace("publish", "publsh")
    reference = next(n for n, line in enumerate(lines) if "reference:" in line)
    lines[reference] = "- reference: PR-NOT-REAL"
    question = next(n for n, line in enumerate(lines) if "question: comment" in line and n > first)
    lines[question] = lines[question].replace("comment", "email")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = portal("check", root=copy, check=False)
    assert check.returncode == 1
    where = "consultations/bus-lanes/review.yml"
    assert f"{where}:{first + 1}: 'publsh' is not a decision" in check.stderr
    assert f"{where}:{reference + 1}: 'PR-NOT-REAL' is not a response reference" in check.stderr
    assert f"{where}:{question + 1}: the form has no free-text question 'email'" in check.stderr
    assert "[review-decision]" in check.stderr and "[review-reference]" in check.stderr
    build = portal("build", "--site-dir", str(tmp_path / "out"), root=copy, check=False)
    assert build.returncode != 0 and "'publsh' is not a decision" in build.stderr + build.stdout


def test_a_decision_changed_in_git_stops_the_build_until_results_are_made_again(
    reviewed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, db, _ = reviewed
    results(root, db)
    copy = copy_site(root, tmp_path / "portal")
    decide(copy, {"Great idea, please hurry": {"decision": "withhold"}})
    check = portal("check", root=copy, check=False)
    assert check.returncode == 1
    assert "datasets/bus-lanes-results/data/answers.csv:2: this answer to 'comment'" in (
        check.stderr
    )
    assert "[review-stale]" in check.stderr
    results(copy, db, root / "site")
    portal("check", root=copy)
    answers = read_csv(copy / "datasets" / "bus-lanes-results" / "data" / "answers.csv")
    assert [a["answer"] for a in answers] == ["Call my neighbour [name removed]"]


def test_an_answer_edited_in_the_review_file_is_not_published(
    reviewed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, db, _ = reviewed
    copy = copy_site(root, tmp_path / "portal")
    decide(
        copy, {NEIGHBOUR: {"answer": "Call my neighbour", "decision": "publish", "redacted": None}}
    )
    shutil.rmtree(copy / "datasets" / "bus-lanes-results", ignore_errors=True)
    site = ["--site-dir", str(root / "site")]
    made = portal("results", "bus-lanes", *site, root=copy, env=env(db), check=False)
    assert made.returncode == 1
    assert "is not what they wrote" in made.stderr and "[review-answer-changed]" in made.stderr
    assert not (copy / "datasets" / "bus-lanes-results").exists()
    out = tmp_path / "public"
    public = portal(
        "export",
        "bus-lanes",
        "--public",
        "--out",
        str(out),
        *site,
        root=copy,
        env=env(db),
        check=False,
    )
    assert public.returncode == 1 and "[review-answer-changed]" in public.stderr
    assert not (out / "responses.csv").exists()


def test_spreadsheet_copy_reads_as_people_answered(
    reviewed: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, db, _ = reviewed
    out = tmp_path / "staff"
    portal("export", "bus-lanes", "--out", str(out), "--spreadsheet", root=root, env=env(db))
    raw = (out / "responses-spreadsheet.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    sheet = read_csv(out / "responses-spreadsheet.csv", encoding="utf-8-sig")
    first = sheet[0]
    assert first["Do you support bus lanes?"] == "Yes"
    assert sheet[3]["Do you support bus lanes?"] == "Not sure"
    assert first["How do you travel?: Bus"] == "Yes" and first["How do you travel?: Car"] == "No"
    assert first["You may publish my answers"] == "Yes"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (GMT|BST)", first["Received at (Europe/London time)"]
    )
    assert sheet[3]["Any comments?"] == "'=SUM(1)\nsecond line"  # still safe to open
    # The package's own CSV keeps the codes and the exact answers.
    package = read_csv(out / "responses.csv")
    assert package[3]["support"] == "unsure" and package[0]["modes.bus"] == "true"
    assert package[3]["comment"] == "=SUM(1)\nsecond line"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "path",
    ["/datasets/bus-lanes-results/", "/consultations/bus-lanes/"],
    ids=["dataset", "outcome"],
)
def test_results_pages_pass_axe_and_fit_320_pixels(
    built: Path, browser: Any, path: str, tmp_path: Path
) -> None:
    with serve_portal(built, tmp_path / "responses.sqlite3", tmp_path / "server.log") as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(server.url + path)
            assert page.locator("figure.portal-chart table").count() == 5
            violations = axe_violations(page)
            assert not violations, describe(violations)
        finally:
            context.close()
        assert horizontal_overflow(browser, server.url + path, 320) <= 0


TRICKY = [
    "yes",
    "2027-01-01",
    "- a list?",
    "# not a comment",
    "key: value",
    "  leading and trailing  ",
    "tab\tinside",
    "lines\nand\n\nblank ones",
    "next line \u0085 (NEL)",
    "line separator \u2028 here",
    "ünïcödé 😀",
    "'single' and \"double\"",
    "=SUM(1)",
    "null",
]


def test_every_answer_reads_back_exactly_from_the_review_file(tmp_path: Path) -> None:
    """YAML folds some characters; an answer that read back otherwise could never match its
    decision. The staff export is the record of what was stored."""
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    (root / "consultations" / "bus-lanes" / "index.md").write_text(FORM, encoding="utf-8")
    portal("build", root=root)
    db = tmp_path / "responses.sqlite3"
    limit = {"PORTAL_RATE_LIMIT": "100/minute"}  # more answers than a person sends
    with serve_portal(root / "site", db, tmp_path / "server.log", env=limit) as server:
        for number, text in enumerate(TRICKY):
            post(server.url, {"support": "yes", "comment": text, "publish": "yes"}, number)
    portal("review", "bus-lanes", root=root, env=env(db))
    portal("export", "bus-lanes", "--out", str(tmp_path / "staff"), root=root, env=env(db))
    stored = {r["reference"]: r["comment"] for r in read_csv(tmp_path / "staff" / "responses.csv")}
    listed = {e["reference"]: e["answer"] for e in entries(root)}
    assert listed == stored
    assert len(listed) == len(TRICKY)
    portal("check", root=root)


def test_a_licence_the_portal_does_not_know_is_reported_at_its_line(tmp_path: Path) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(SETTINGS, SETTINGS + "      licence: OGL-3.0\n"), "utf-8")
    line = 1 + config.read_text(encoding="utf-8").splitlines().index("      licence: OGL-3.0")
    check = portal("check", root=root, check=False)
    assert check.returncode == 1
    assert f"mkdocs.yml:{line}: 'OGL-3.0' is not a licence the portal knows" in check.stderr
    assert "did you mean 'OGL-UK-3.0'?" in check.stderr and "[config-value]" in check.stderr
