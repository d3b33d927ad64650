"""Publication review and exports in the staff area, as staff use them.

Responses with written answers (and publication consent, or not) are posted over HTTP to
the demo's smart-parking form on the real endpoint; staff sign in with Chromium (JavaScript
on and off), decide in the browser, download review.yml and the exports. The review file is
applied with the real ``portal review --from`` on a copy of the demo's content, and the real
``portal export --public`` and ``portal results`` must then publish exactly what was
decided.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import insert

from portal.storage import Storage
from portal.storage.staff import response_tags
from tests.staff.helpers import EMAIL, PASSWORD, sign_in
from tests.support import ROOT, axe_violations, describe, portal

FORM_ID = "smart-parking-sensors"
REVIEW = f"/staff/forms/{FORM_ID}/review"
EXPORTS = f"/staff/forms/{FORM_ID}/exports"
CROSS_SITE = {"sec-fetch-site": "cross-site", "origin": "https://evil.example"}
PUBLISH = "Sensors would save me circling round the market every Saturday"
NEIGHBOUR = "My neighbour John Smith at 14 Mill Lane parks across my drive every night"
REDACTED = "My neighbour [name and address removed] parks across my drive every night"
WITHHOLD = "The council wastes money on gadgets\nand nobody listens"
REFUSED = "Please keep the Blue Badge bays near the library"
UNDECIDED = "Signs on the ring road would help most"
PRIVATE = "Private view: I would rather nobody read this"
PERSONAL = ("Ann Respondent", "ann@example.org", "NB4 7QT", "Bob Respondent", "NB9 9ZZ")


@dataclass(frozen=True)
class Posted:
    base: str
    db: Path
    references: dict[str, str]  # answer text: reference


def _post(base: str, number: int, comment: str, consent: bool, **more: str) -> str:
    fields = {
        "submission_id": f"review-exports-{number:04d}-abcdef",
        "support": "yes",
        "privacy_confidence": "4",
        "privacy": "yes",
        "comments": comment,
        **more,
    }
    if consent:
        fields["publish_answers"] = "yes"
    reply = httpx.post(
        f"{base}/responses/{FORM_ID}",
        data=fields,
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    reference: str = reply.json()["reference"]
    return reference


@pytest.fixture(scope="module")
def posted(staff_server: Any, staff_db: Path) -> Posted:
    """Six responses: five agreed to publication, one did not; two give personal details."""
    base = staff_server.url
    answers = [
        (PUBLISH, True, {"full_name": "Ann Respondent", "email": "ann@example.org"}),
        (NEIGHBOUR, True, {"postcode": "NB4 7QT"}),
        (WITHHOLD, True, {}),
        (PRIVATE, False, {"full_name": "Bob Respondent", "postcode": "NB9 9ZZ"}),
        (REFUSED, True, {}),
        (UNDECIDED, True, {}),
    ]
    references = {
        text: _post(base, n, text, consent, **more)
        for n, (text, consent, more) in enumerate(answers)
    }
    # Tags as the tagging page stores them (pages.py's, built beside this): two themes on
    # the published answer.
    storage = Storage(f"sqlite:///{staff_db}")
    with storage.engine.begin() as conn:
        for theme in ("Traffic", "Cost"):
            conn.execute(
                insert(response_tags),
                {
                    "form_id": FORM_ID,
                    "reference": references[PUBLISH],
                    "question": "comments",
                    "theme": theme,
                    "who": EMAIL,
                    "at": datetime(2026, 12, 1, 12, tzinfo=UTC),
                },
            )
    storage.dispose()
    return Posted(base, staff_db, references)


def _section(page: Any, reference: str) -> Any:
    return page.locator("section.portal-review__item", has_text=reference)


def _decide(page: Any, reference: str, value: str, *, redacted: str = "", note: str = "") -> None:
    section = _section(page, reference)
    section.locator(f"input[name=decision][value={value}]").check()
    if redacted:
        section.locator("textarea[name=redacted]").fill(redacted)
    if note:
        section.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        section.locator("button:has-text('Save decision')").click()


@pytest.fixture(scope="module")
def decided(posted: Posted, browser: Any) -> Posted:
    """In Chromium with JavaScript: publish one answer, redact one, withhold one."""
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, posted.base)
        page.goto(posted.base + REVIEW)
        refs = posted.references
        _decide(page, refs[PUBLISH], "publish", note="Fine as it is")
        assert "Saved: publish as written" in page.locator(".portal-notice").inner_text()
        _decide(page, refs[NEIGHBOUR], "redact", redacted=REDACTED, note="Names a neighbour")
        _decide(page, refs[WITHHOLD], "withhold", note="Abusive")
    finally:
        context.close()
    return posted


def decisions(db: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT reference, question, decision, redacted, note, who FROM review_decisions "
            "ORDER BY reference"
        ).fetchall()
    return [tuple(r) for r in rows]


def audit_rows(db: Path, action: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT who, form_id, detail FROM audit_log WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    return [tuple(r) for r in rows]


# Review ----------------------------------------------------------------------------------


def test_review_lists_consenting_answers_and_saves_decisions(decided: Posted, page: Any) -> None:
    refs = decided.references
    stored = {r[0]: r for r in decisions(decided.db)}
    assert stored[refs[PUBLISH]][2:] == ("publish", "", "Fine as it is", EMAIL)
    assert stored[refs[NEIGHBOUR]][2:] == ("redact", REDACTED, "Names a neighbour", EMAIL)
    assert stored[refs[WITHHOLD]][2:] == ("withhold", "", "Abusive", EMAIL)
    assert set(stored) == {refs[PUBLISH], refs[NEIGHBOUR], refs[WITHHOLD]}
    details = [detail for _, _, detail in audit_rows(decided.db, "review")]
    assert f"{refs[PUBLISH]} comments: publish" in details
    assert f"{refs[NEIGHBOUR]} comments: redact" in details
    assert f"{refs[WITHHOLD]} comments: withhold" in details

    sign_in(page, decided.base)
    page.goto(decided.base + REVIEW)  # undecided first, by default
    listed = page.locator("main").inner_text()
    assert refs[REFUSED] in listed and refs[UNDECIDED] in listed
    for gone in (refs[PUBLISH], refs[NEIGHBOUR], refs[WITHHOLD], refs[PRIVATE]):
        assert gone not in listed  # decided, or the respondent did not agree to publication
    for secret in (PRIVATE, *PERSONAL):
        assert secret not in page.content()
    # The redaction box starts as the answer, so staff edit rather than retype.
    box = _section(page, refs[REFUSED]).locator("textarea[name=redacted]")
    assert box.input_value() == REFUSED
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.click("a:has-text('All (5)')")
    page.wait_for_url("**show=all")
    listed = page.locator("main").inner_text()
    order = [listed.index(refs[t]) for t in (REFUSED, UNDECIDED, PUBLISH, NEIGHBOUR, WITHHOLD)]
    assert max(order[:2]) < min(order[2:])  # undecided first
    redact = _section(page, refs[NEIGHBOUR])
    assert f"by {EMAIL} on 1 December 2026 at 12:00 GMT" in redact.inner_text()
    assert redact.locator("textarea[name=redacted]").input_value() == REDACTED
    assert redact.locator("input[value=redact]").is_checked()
    page.click("a:has-text('Withheld (1)')")
    page.wait_for_url("**show=withhold")
    assert page.locator("section.portal-review__item").count() == 1
    assert page.locator("a[aria-current=page]").inner_text() == "Withheld (1)"


@pytest.mark.parametrize("javascript", [False, True])
def test_an_empty_redaction_is_refused_and_keeps_the_note(
    decided: Posted, browser: Any, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    try:
        sign_in(page, decided.base)
        page.goto(decided.base + REVIEW)
        section = _section(page, decided.references[REFUSED])
        section.locator("input[value=redact]").check()
        section.locator("textarea[name=redacted]").fill("   ")
        section.locator("textarea[name=note]").fill("Ask the Blue Badge team first")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            section.locator("button:has-text('Save decision')").click()
        assert answer.value.status == 422
        page.wait_for_load_state()
        assert page.title().startswith("Error: ")
        summary = page.locator(".portal-error-summary")
        assert "Enter the text to publish instead" in summary.inner_text()
        target = summary.locator("a").get_attribute("href")
        field = page.locator(str(target))
        assert field.get_attribute("name") == "redacted"
        assert field.get_attribute("aria-invalid") == "true"
        # Nothing typed is lost: the note, and the choice.
        kept = _section(page, decided.references[REFUSED])
        assert kept.locator("textarea[name=note]").input_value() == "Ask the Blue Badge team first"
        assert kept.locator("input[value=redact]").is_checked()
        error = kept.locator(".portal-error-message").inner_text()
        assert "Enter the text to publish instead" in error
        if javascript:  # axe runs as a script in the page
            violations = axe_violations(page)
            assert not violations, describe(violations)
    finally:
        context.close()
    assert decided.references[REFUSED] not in {r[0] for r in decisions(decided.db)}


def test_a_cross_site_post_is_refused_and_stores_nothing(decided: Posted) -> None:
    before_decisions = decisions(decided.db)
    before_exports = audit_rows(decided.db, "export")
    with httpx.Client(base_url=decided.base, timeout=30) as client:
        signed = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD})
        assert signed.status_code == 303
        decision = {
            "reference": decided.references[UNDECIDED],
            "question": "comments",
            "decision": "publish",
        }
        refused = client.post(REVIEW, data=decision, headers=CROSS_SITE)
        assert refused.status_code == 403
        assert "refused" in refused.text
        refused = client.post(EXPORTS, data={"kind": "staff"}, headers=CROSS_SITE)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        # The same posts from the staff area's own pages are taken.
        same = {"sec-fetch-site": "same-origin", "origin": decided.base}
        assert client.post(EXPORTS, data={"kind": "nothing"}, headers=same).status_code == 400
    assert decisions(decided.db) == before_decisions
    assert audit_rows(decided.db, "export") == before_exports


# The review file -------------------------------------------------------------------------


def _download(page: Any, click: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(click)
    download = info.value
    path = download.path()
    return download.suggested_filename, Path(path).read_bytes()


@pytest.fixture(scope="module")
def review_yml(decided: Posted, browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """review.yml as downloaded from the review page, with JavaScript off."""
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, decided.base)
        page.goto(decided.base + REVIEW)
        name, content = _download(page, "a:has-text('download the decisions as review.yml')")
    finally:
        context.close()
    assert name == "review.yml"
    path = tmp_path_factory.mktemp("download") / name
    path.write_bytes(content)
    return path


def _content_copy(folder: Path) -> Path:
    """The demo's content and settings, as a member of staff's clone has them."""
    root = folder / "portal"
    root.mkdir()
    for name in ("consultations", "content", "datasets", "form-versions"):
        shutil.copytree(ROOT / name, root / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def test_the_download_applied_with_portal_review_publishes_exactly_what_was_decided(
    review_yml: Path, decided: Posted, demo_site: Path, tmp_path: Path
) -> None:
    refs = decided.references
    data = yaml.safe_load(review_yml.read_text(encoding="utf-8"))
    by_reference = {e["reference"]: e for e in data["answers"]}
    assert by_reference[refs[PUBLISH]]["decision"] == "publish"
    assert by_reference[refs[NEIGHBOUR]]["redacted"] == REDACTED
    assert by_reference[refs[WITHHOLD]]["answer"] == WITHHOLD  # line break kept exactly
    assert refs[PRIVATE] not in by_reference
    for secret in (PRIVATE, *PERSONAL):
        assert secret not in review_yml.read_text(encoding="utf-8")
    assert (EMAIL, FORM_ID, "review.yml") in audit_rows(decided.db, "export")

    root = _content_copy(tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{decided.db}"}
    site = ["--site-dir", str(demo_site)]
    done = portal("review", FORM_ID, "--from", str(review_yml), *site, root=root)
    target = root / "consultations" / FORM_ID / "review.yml"
    assert done.stdout.strip() == (
        f"{target}: 3 decisions taken from {review_yml} (0 replacing a different one), "
        "5 answers added; 2 awaiting a decision"
    )
    out = tmp_path / "public"
    portal("export", FORM_ID, "--public", "--out", str(out), *site, root=root, env=env)
    with (out / "responses.csv").open(encoding="utf-8", newline="") as handle:
        comments = [row["comments"] for row in csv.DictReader(handle)]
    # Consenting respondents in the order they came: published, redacted, withheld, then
    # the two still awaiting a decision.
    assert comments == [PUBLISH, REDACTED, "", "", ""]

    portal("results", FORM_ID, "--now", "2027-04-01T00:00", "--force", *site, root=root, env=env)
    results = root / "datasets" / f"{FORM_ID}-results"
    with (results / "data" / "answers.csv").open(encoding="utf-8", newline="") as handle:
        published = [row["answer"] for row in csv.DictReader(handle)]
    assert published == [PUBLISH, REDACTED]
    everything = "".join(
        p.read_text(encoding="utf-8") for p in [*out.iterdir(), *results.rglob("*.*")]
    )
    for secret in (NEIGHBOUR, "wastes money", REFUSED, UNDECIDED, PRIVATE, *PERSONAL):
        assert secret not in everything


def test_a_download_whose_answer_was_edited_is_refused_at_its_line(
    review_yml: Path, decided: Posted, demo_site: Path, tmp_path: Path
) -> None:
    root = _content_copy(tmp_path)
    site = ["--site-dir", str(demo_site)]
    portal("review", FORM_ID, "--from", str(review_yml), *site, root=root)
    target = root / "consultations" / FORM_ID / "review.yml"
    before = target.read_text(encoding="utf-8")

    edited = tmp_path / "edited.yml"
    text = review_yml.read_text(encoding="utf-8")
    assert text.count(f"answer: {PUBLISH}") == 1
    edited.write_text(text.replace(f"answer: {PUBLISH}", "answer: Something else"), "utf-8")
    line = next(
        n for n, t in enumerate(edited.read_text("utf-8").splitlines(), 1) if "Something" in t
    )
    refused = portal("review", FORM_ID, "--from", str(edited), *site, root=root, check=False)
    assert refused.returncode == 1
    assert f"{edited}:" in refused.stderr and "[review-answer-changed]" in refused.stderr
    (reported,) = re.findall(rf"{re.escape(str(edited))}:(\d+)", refused.stderr)
    assert line - 3 <= int(reported) <= line  # the entry that holds it
    assert target.read_text(encoding="utf-8") == before  # nothing changed

    wrong = tmp_path / "wrong.yml"
    wrong.write_text(text.replace("decision: withhold", "decision: maybe"), "utf-8")
    line = next(n for n, t in enumerate(wrong.read_text("utf-8").splitlines(), 1) if "maybe" in t)
    refused = portal("review", FORM_ID, "--from", str(wrong), *site, root=root, check=False)
    assert refused.returncode == 1
    assert f"{wrong}:{line}: 'maybe' is not a decision" in refused.stderr
    assert target.read_text(encoding="utf-8") == before


def test_applying_again_keeps_what_was_decided_in_git(
    review_yml: Path, decided: Posted, demo_site: Path, tmp_path: Path
) -> None:
    root = _content_copy(tmp_path)
    site = ["--site-dir", str(demo_site)]
    portal("review", FORM_ID, "--from", str(review_yml), *site, root=root)
    target = root / "consultations" / FORM_ID / "review.yml"
    # In git, staff decide one answer the staff area left undecided, and change another.
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    for item in data["answers"]:
        if item["answer"] == UNDECIDED:
            item.update(decision="publish", note="Decided in git")
        if item["answer"] == PUBLISH:
            item.update(decision="withhold", note="Changed in git")
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    done = portal("review", FORM_ID, "--from", str(review_yml), *site, root=root)
    assert "1 decision taken from" in done.stdout  # the staff area's publish, again
    assert "(1 replacing a different one), 0 answers added; 1 awaiting" in done.stdout
    after = {e["answer"]: e for e in yaml.safe_load(target.read_text("utf-8"))["answers"]}
    assert (after[UNDECIDED]["decision"], after[UNDECIDED]["note"]) == ("publish", "Decided in git")
    assert (after[PUBLISH]["decision"], after[PUBLISH]["note"]) == ("publish", "Fine as it is")
    assert after[NEIGHBOUR]["redacted"] == REDACTED


# Exports ---------------------------------------------------------------------------------


def _rows_of(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(f"{FORM_ID}/{name}").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("javascript", [True, False])
def test_exports_download_from_buttons(decided: Posted, browser: Any, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    refs = decided.references
    try:
        sign_in(page, decided.base)
        page.goto(decided.base + EXPORTS)
        assert "This holds personal data" in page.locator("main").inner_text()
        if javascript:  # axe runs as a script in the page
            violations = axe_violations(page)
            assert not violations, describe(violations)
        name, staff = _download(page, "button:has-text('Download the staff package')")
        assert name == f"{FORM_ID}-responses-staff.zip"
        name, public = _download(page, "button:has-text('Download the public package')")
        assert name == f"{FORM_ID}-responses-public.zip"
        name, sheet = _download(page, "button:has-text('Download the spreadsheet copy')")
        assert name == f"{FORM_ID}-responses-spreadsheet.csv"
    finally:
        context.close()

    with zipfile.ZipFile(io.BytesIO(staff)) as archive:
        assert sorted(archive.namelist()) == [
            f"{FORM_ID}/datapackage.json",
            f"{FORM_ID}/responses.csv",
        ]
        rows = {r["reference"]: r for r in _rows_of(archive, "responses.csv")}
        package = json.loads(archive.read(f"{FORM_ID}/datapackage.json"))
    assert rows[refs[PUBLISH]]["full_name"] == "Ann Respondent"
    assert rows[refs[NEIGHBOUR]]["postcode"] == "NB4 7QT"
    assert rows[refs[NEIGHBOUR]]["comments"] == NEIGHBOUR  # staff see what was written
    assert rows[refs[PUBLISH]]["comments.tags"] == "Cost; Traffic"
    assert rows[refs[NEIGHBOUR]]["comments.tags"] == ""
    assert refs[PRIVATE] in rows
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["comments.tags"]["type"] == "string"
    assert list(fields).index("comments.tags") == list(fields).index("comments") + 1
    assert "full_name.tags" not in fields  # personal answers are not tagged

    with zipfile.ZipFile(io.BytesIO(public)) as archive:
        rows_public = _rows_of(archive, "responses.csv")
        everything = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    assert [r["comments"] for r in rows_public] == [PUBLISH, REDACTED, "", "", ""]
    for column in ("reference", "full_name", "email", "postcode", "comments.tags"):
        assert column not in rows_public[0]
    for secret in (NEIGHBOUR, "wastes money", PRIVATE, "Traffic", *PERSONAL, *refs.values()):
        assert secret not in everything

    assert sheet.startswith("\ufeff".encode())  # the byte order mark Excel needs
    header = next(csv.reader(io.StringIO(sheet.decode("utf-8-sig"))))
    assert "Your name" in header
    assert "Ann Respondent" in sheet.decode("utf-8-sig")

    kinds = [detail for _, form, detail in audit_rows(decided.db, "export") if form == FORM_ID]
    assert {"staff", "public", "spreadsheet"} <= set(kinds)


def test_downloads_are_not_cached_and_are_attachments(decided: Posted) -> None:
    with httpx.Client(base_url=decided.base, timeout=60) as client:
        signed = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD})
        assert signed.status_code == 303
        for kind in ("staff", "public", "spreadsheet"):
            answer = client.post(EXPORTS, data={"kind": kind})
            assert answer.status_code == 200
            assert answer.headers["cache-control"] == "no-store"
            assert answer.headers["content-disposition"].startswith("attachment; ")
        answer = client.get(REVIEW + ".yml")
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["content-disposition"] == 'attachment; filename="review.yml"'
        # Signed out: nothing is downloaded.
    with httpx.Client(base_url=decided.base, timeout=60) as client:
        assert client.get(REVIEW + ".yml").status_code == 303
        assert client.post(EXPORTS, data={"kind": "staff"}).status_code == 401


def test_the_audit_page_shows_the_review_and_the_exports(decided: Posted, page: Any) -> None:
    sign_in(page, decided.base)
    page.goto(decided.base + EXPORTS)
    assert page.locator("button:has-text('Download the staff package')").count() == 1
    page.goto(f"{decided.base}/staff/audit?form={FORM_ID}")
    text = page.locator("table.portal-audit").inner_text()
    assert f"{decided.references[NEIGHBOUR]} comments: redact" in text
    assert "Review decision" in text
    assert "Downloaded an export" in text
    assert "127.0.0.1" not in page.content()


@pytest.fixture()
def narrow(browser: Any, decided: Posted) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, decided.base)
    yield page
    context.close()


@pytest.mark.parametrize("path", [REVIEW, REVIEW + "?show=all", EXPORTS])
def test_pages_fit_320_px_and_pass_axe(narrow: Any, decided: Posted, path: str) -> None:
    narrow.goto(decided.base + path)
    assert narrow.locator("h1").count() == 1
    overflow = narrow.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    violations = axe_violations(narrow)
    assert not violations, describe(violations)
