"""Forms written once, labelled per language (issue 21): a throwaway portal in English and
Welsh (``languages: [en, cy]``) whose form gives its words as maps per language.

Real ``portal check`` and ``portal build``, the real endpoint on 127.0.0.1 answering posts
over a socket, and the real ``portal export`` and ``portal results``."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from portal.fields import FieldReader
from portal.forms.definition import manifest, read_form
from portal.forms.languages import in_language
from portal.frontmatter import parse_yaml
from portal.problems import Problems
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import Server, portal, serve_portal

FORM_ID = "bus-lanes"
PAGE = "/consultations/bus-lanes/"
# Open at the second portal's pinned moment (2027-02-10, Pacific/Auckland).
INDEX = """\
---
title: Bus lanes on the coast road
summary: We propose bus lanes on the coast road. Tell us what you think.
organisation: Kōwhai Coast District Council
contact:
  email: transport@kowhaicoast.example.nz
opens: 2027-01-01
closes: 2027-12-31
topics: [Transport]
area: District-wide
form:
  id: bus-lanes
  title: {en: "Tell us about bus lanes", cy: "Dywedwch wrthym am lonydd bysiau"}
  submit_label: {en: "Send my answers", cy: "Anfon fy atebion"}
  questions:
    - id: travel
      type: radio
      label: {en: "How often do you take the bus?", cy: "Pa mor aml ydych chi'n dal y bws?"}
      hint: {en: "Think of a usual week", cy: "Meddyliwch am wythnos arferol"}
      options:
        - {en: "Yes, often", cy: "Ydw, yn aml"}
        - {value: rarely, label: {en: "Rarely", cy: "Anaml"}}
    - id: views
      type: textarea
      label:
        en: What do you think of the bus lanes?
        cy: Beth yw eich barn am y lonydd bysiau?
      min_length: 10
      required: false
---
We propose bus lanes on the coast road.
"""
INDEX_CY = """\
---
title: Lonydd bysiau ar ffordd yr arfordir
summary: Rydym yn cynnig lonydd bysiau ar ffordd yr arfordir. Dywedwch wrthym beth yw eich barn.
---
Rydym yn cynnig lonydd bysiau ar ffordd yr arfordir.
"""
# The same form, its second question's label and one option in English only.
UNTRANSLATED = INDEX.replace(
    "      label:\n"
    "        en: What do you think of the bus lanes?\n"
    "        cy: Beth yw eich barn am y lonydd bysiau?\n",
    "      label: What do you think of the bus lanes?\n",
).replace('        - {value: rarely, label: {en: "Rarely", cy: "Anaml"}}\n', "        - Rarely\n")


def make_portal(dest: Path, index: str = INDEX) -> Path:
    """The second portal in English and Welsh, with one consultation: the one above."""
    root = copy_second_portal(dest)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert '      repo_url: ""\n' in text
    config.write_text(
        text.replace('      repo_url: ""\n', '      repo_url: ""\n      languages: [en, cy]\n'),
        encoding="utf-8",
    )
    for folder in (root / "consultations").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    folder = root / "consultations" / "bus-lanes"
    folder.mkdir()
    (folder / "index.md").write_text(index, encoding="utf-8")
    (folder / "index.cy.md").write_text(INDEX_CY, encoding="utf-8")
    return root


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def output(result: object) -> str:
    return str(getattr(result, "stdout", "")) + str(getattr(result, "stderr", ""))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_portal(tmp_path_factory.mktemp("form-words") / "portal")
    portal("build", root=root, env=NOW)
    return root


@pytest.fixture(scope="module")
def server(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("form-words-server")
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute"}
    db = root / "var" / "responses.sqlite3"  # where `portal export` looks by default
    db.parent.mkdir(exist_ok=True)
    with serve_portal(root / "site", db, folder / "server.log", env=env) as running:
        yield running


def post(server: Server, fields: list[tuple[str, str]], accept: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/responses/{FORM_ID}",
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        timeout=30,
    )


# -- the manifest -------------------------------------------------------------------------
def test_the_manifest_holds_both_languages(root: Path) -> None:
    data = json.loads((root / "site" / "api" / "forms" / f"{FORM_ID}.json").read_text("utf-8"))
    assert data["languages"] == ["en", "cy"]
    # The default language's words where every reader of a manifest looks for them.
    assert data["title"] == "Tell us about bus lanes"
    assert data["submit_label"] == "Send my answers"
    travel, views = data["questions"]
    assert travel["label"] == "How often do you take the bus?"
    assert travel["hint"] == "Think of a usual week"
    # Values made from the English label, as a plain '- Yes, often' option's is.
    assert travel["options"] == [
        {"value": "yes-often", "label": "Yes, often"},
        {"value": "rarely", "label": "Rarely"},
    ]
    assert data["translations"]["cy"]["title"] == "Dywedwch wrthym am lonydd bysiau"
    assert data["translations"]["cy"]["submit_label"] == "Anfon fy atebion"
    assert travel["translations"] == {
        "cy": {
            "label": "Pa mor aml ydych chi'n dal y bws?",
            "hint": "Meddyliwch am wythnos arferol",
            "options": {"yes-often": "Ydw, yn aml", "rarely": "Anaml"},
        }
    }
    assert views["translations"]["cy"]["label"] == "Beth yw eich barn am y lonydd bysiau?"
    # One function gives a language's words, falling back to the default's.
    welsh = in_language(data, "cy")
    assert welsh["questions"][0]["options"][0] == {"value": "yes-often", "label": "Ydw, yn aml"}
    assert in_language(data, "fr")["questions"][0]["label"] == travel["label"]
    # Its page in Welsh is the one under cy/ (the endpoint's pages link back to it).
    assert (welsh["page_url"], welsh["page_file"]) == (
        "/cy/consultations/bus-lanes/",
        "cy/consultations/bus-lanes/index.html",
    )
    assert (root / "site" / welsh["page_file"]).is_file()
    assert in_language(data, "en")["page_url"] == data["page_url"] == PAGE


def test_a_single_language_form_has_the_manifest_it_always_had(tmp_path: Path) -> None:
    """Plain strings on a site in one language: no new key in the manifest."""
    text = "form:\n  title: Bus lanes\n  questions:\n    - id: travel\n      type: radio\n"
    text += "      label: How often?\n      options: [Often, Rarely]\n"
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    located = parse_yaml(text, path, problems)
    assert located is not None
    reader = FieldReader(path, located, problems, ("form",), located.data["form"])
    form = read_form(
        reader, default_id="x", default_title="X", retention_days=30, languages=("en",)
    )
    assert form is not None and not problems.items and not problems.notes
    assert form["untranslated"] == []
    built = manifest(
        form,
        page_url="/x/",
        page_file="x/index.html",
        opens=None,
        closes=None,
        timezone="UTC",
        site_url="",
    )
    assert "languages" not in built and "translations" not in built
    assert "translations" not in built["questions"][0]
    assert built["questions"][0]["options"] == [
        {"value": "often", "label": "Often"},
        {"value": "rarely", "label": "Rarely"},
    ]
    assert built["submit_label"] == "Send response"


def test_each_languages_page_has_the_form_in_its_words(root: Path) -> None:
    english = (root / "site" / "consultations" / "bus-lanes" / "index.html").read_text("utf-8")
    welsh = (root / "site" / "cy" / "consultations" / "bus-lanes" / "index.html").read_text("utf-8")
    assert "How often do you take the bus?" in english and "Yes, often" in english
    assert "Ydw, yn aml" not in english and "Anfon fy atebion" not in english
    assert "Ydw, yn aml" in welsh and "Anaml" in welsh and "Anfon fy atebion" in welsh
    assert "Meddyliwch am wythnos arferol" in welsh
    assert "Yes, often" not in welsh and "How often do you take the bus?" not in welsh
    assert '<input type="hidden" name="portal_language" value="cy">' in welsh
    # The values posted are the same in both: answers count together.
    assert english.count('value="yes-often"') == welsh.count('value="yes-often"') == 1


# -- portal check ---------------------------------------------------------------------------
def test_a_missing_welsh_label_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = make_portal(tmp_path / "portal", UNTRANSLATED)
    index = root / "consultations" / "bus-lanes" / "index.md"
    result = portal("check", root=root, env=NOW, check=False)
    said = output(result)
    assert result.returncode == 0, said
    label = line_of(index, "label: What do you think of the bus lanes?")
    option = line_of(index, "        - Rarely")
    where = "consultations/bus-lanes/index.md"
    assert f"{where}:{label}: the question 'views' has no Welsh (cy) label" in said, said
    assert f"{where}:{option}: the option 'Rarely' of the question 'travel' has no Welsh (cy)" in (
        said
    )
    assert "Traceback" not in said
    # The form says which language it is incomplete in, for the build to withhold it.
    problems = Problems(root)
    text = index.read_text(encoding="utf-8").split("---\n")[1]
    located = parse_yaml(text, index, problems, offset=2)
    assert located is not None
    reader = FieldReader(index, located, problems, ("form",), located.data["form"])
    form = read_form(
        reader, default_id="x", default_title="X", retention_days=30, languages=("en", "cy")
    )
    assert form is not None and form["untranslated"] == ["cy"]
    assert {p.line for p in problems.notes} == {label, option}
    assert {p.code for p in problems.notes} == {"translation-missing"}


def test_words_in_a_language_the_site_lacks_are_an_error_at_their_line(tmp_path: Path) -> None:
    index = INDEX.replace(
        "        cy: Beth yw eich barn am y lonydd bysiau?\n",
        "        cy: Beth yw eich barn am y lonydd bysiau?\n"
        "        fr: Que pensez-vous des voies de bus ?\n",
    )
    root = make_portal(tmp_path / "portal", index)
    result = portal("check", root=root, env=NOW, check=False)
    said = output(result)
    assert result.returncode == 1, said
    line = line_of(root / "consultations" / "bus-lanes" / "index.md", "fr: Que pensez")
    assert f"consultations/bus-lanes/index.md:{line}: " in said, said
    assert "'fr', which is not one of the site's languages (en, cy)" in said
    assert "Traceback" not in said


# -- the endpoint ---------------------------------------------------------------------------
def test_a_refused_welsh_post_comes_back_in_welsh(server: Server, root: Path) -> None:
    typed = "Rhy fyr"  # shorter than the 10 characters the question asks for
    reply = post(
        server, [("portal_language", "cy"), ("travel", "often!"), ("views", typed)], "text/html"
    )
    assert reply.status_code == 422, reply.text
    html = reply.text
    assert "Pa mor aml ydych chi&#39;n dal y bws?" in html or "Pa mor aml ydych chi'n" in html
    assert "Meddyliwch am wythnos arferol" in html
    assert "Ydw, yn aml" in html and "Anaml" in html
    assert "Anfon fy atebion" in html
    assert "How often do you take the bus?" not in html and "Yes, often" not in html
    # The portal's Welsh messages, quoting the Welsh labels.
    assert "Mae problem wedi codi" in html
    assert "Beth yw eich barn am y lonydd bysiau?" in html
    assert typed in html
    # In the Welsh page: its language, and its own text around the form.
    assert '<html lang="cy"' in html
    assert "Rydym yn cynnig lonydd bysiau ar ffordd yr arfordir." in html
    reply = post(server, [("portal_language", "cy"), ("travel", "often!")], "application/json")
    messages = {item["field"]: item["message"] for item in reply.json()["errors"]}
    assert "“Pa mor aml ydych chi'n dal y bws?”" in messages["travel"], messages
    # The same post from the English page: English words.
    reply = post(server, [("portal_language", "en"), ("travel", "often!")], "application/json")
    messages = {item["field"]: item["message"] for item in reply.json()["errors"]}
    assert "“How often do you take the bus?”" in messages["travel"], messages


def test_answers_in_both_languages_are_stored_with_their_language_and_count_together(
    server: Server, root: Path, tmp_path: Path
) -> None:
    # Each respondent's page gives its own submission id (as the page's script does): the
    # same answers from one connection moments apart would otherwise be one double click.
    def sent(number: int, language: str, travel: str) -> list[tuple[str, str]]:
        return [
            ("submission_id", f"form-words-test-{number:04d}"),
            ("portal_language", language),
            ("travel", travel),
        ]

    for number, language in enumerate(("en", "cy")):
        reply = post(server, sent(number, language, "yes-often"), "application/json")
        assert reply.status_code == 200, (reply.text, server.read_log())
    # A language the form has no words in is stored as the form's default.
    reply = post(server, sent(2, "fr", "rarely"), "application/json")
    assert reply.status_code == 200
    # The Welsh respondent's confirmation page is in Welsh.
    reply = post(server, sent(3, "cy", "rarely"), "text/html")
    assert reply.status_code == 303
    assert reply.headers["location"].endswith("?language=cy#confirmation")
    page = httpx.get(server.url + reply.headers["location"].split("#")[0], timeout=30)
    assert page.status_code == 200 and "Dywedwch wrthym am lonydd bysiau" in page.text
    assert 'href="/cy/consultations/bus-lanes/"' in page.text  # back to the Welsh page

    db = root / "var" / "responses.sqlite3"
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "SELECT language, json_extract(answers, '$.travel') FROM responses ORDER BY id"
        ).fetchall()
    assert stored == [("en", "yes-often"), ("cy", "yes-often"), ("en", "rarely"), ("cy", "rarely")]

    out = tmp_path / "staff"
    env = {**NOW, "DATABASE_URL": f"sqlite:///{db}"}
    portal("export", FORM_ID, "--out", str(out), "--spreadsheet", root=root, env=env)
    with (out / "responses.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["language"], r["travel"]) for r in rows] == stored
    with (out / "responses-spreadsheet.csv").open(encoding="utf-8-sig", newline="") as handle:
        sheet = list(csv.DictReader(handle))
    assert [(r["Language"], r["How often do you take the bus?"]) for r in sheet] == [
        ("en", "Yes, often"),
        ("cy", "Yes, often"),
        ("en", "Rarely"),
        ("cy", "Rarely"),
    ]
    schema = json.loads((out / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in schema["resources"][0]["schema"]["fields"]}
    assert fields["language"]["constraints"]["enum"] == ["en", "cy"]
    assert fields["travel"]["title"] == "How often do you take the bus?"
    assert fields["travel"]["titles"] == {
        "en": "How often do you take the bus?",
        "cy": "Pa mor aml ydych chi'n dal y bws?",
    }

    # The results count on option values: the English and the Welsh "yes, often" add up.
    portal("results", "bus-lanes", "--now", "2099-03-01T00:00", root=root, env=env)
    data = root / "datasets" / "bus-lanes-results" / "data"
    counted = {}
    for table in data.glob("*.csv"):
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                value = row.get("option") or row.get("value")
                if row.get("question") == "travel" and value in ("yes-often", "rarely"):
                    counted[value] = row.get("count") or row.get("responses")
    assert counted == {"yes-often": "2", "rarely": "2"}, counted


def read(text: str, tmp_path: Path) -> tuple[dict[str, object] | None, Problems]:
    """A form (front matter) read as the build reads it, for a site in English and Welsh."""
    path = tmp_path / "index.md"
    path.write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    located = parse_yaml(text, path, problems)
    assert located is not None
    reader = FieldReader(path, located, problems, ("form",), located.data["form"])
    form = read_form(
        reader, default_id="x", default_title="X", retention_days=30, languages=("en", "cy")
    )
    return form, problems


def test_welsh_without_english_and_a_shorthand_in_another_language_are_errors(
    tmp_path: Path,
) -> None:
    text = (
        "form:\n"  # 1
        "  questions:\n"  # 2
        "    - id: travel\n"  # 3
        "      type: radio\n"  # 4
        "      label: {en: How often?, cy: Pa mor aml?}\n"  # 5
        "      hint: {cy: Meddyliwch}\n"  # 6
        "      options:\n"  # 7
        "        - {en: Often, cy: Yn aml}\n"  # 8
        "        - {en: Rarely, fr: Rarement}\n"  # 9
    )
    form, problems = read(text, tmp_path)
    assert form is None
    found = {(p.line, p.code) for p in problems.items}
    assert (6, "field-missing") in found, problems.items  # the Welsh hint has no English
    assert (9, "language-unknown") in found, problems.items
    assert [p.line for p in problems.notes] == [9], "the option without Welsh is noted too"


def test_a_welsh_post_after_closing_lists_the_answers_under_the_welsh_words(
    root: Path, tmp_path: Path
) -> None:
    """The 410 page keeps what was sent, by question: in the words the respondent read."""
    later = {"PORTAL_NOW": "2028-02-01T10:00:00+13:00", "PORTAL_RATE_LIMIT": "1000/minute"}
    db = tmp_path / "responses.sqlite3"
    with serve_portal(root / "site", db, tmp_path / "server.log", env=later) as closed:
        fields = [("portal_language", "cy"), ("travel", "yes-often"), ("views", "Dim lonydd")]
        reply = post(closed, fields, "text/html")
    assert reply.status_code == 410, reply.text
    assert "<dt>Pa mor aml ydych chi&#39;n dal y bws?</dt>" in reply.text
    assert "<dd>Ydw, yn aml</dd>" in reply.text and "<dd>Dim lonydd</dd>" in reply.text
    assert 'href="/cy/consultations/bus-lanes/"' in reply.text
    assert "Yes, often" not in reply.text
