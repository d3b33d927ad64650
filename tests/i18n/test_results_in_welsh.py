"""The results of a form in English and Welsh, published in both (issue 21).

A throwaway portal in ``[en, cy]`` (the second portal, with the bilingual bus-lanes form of
test_form_words) takes answers in both languages through the real endpoint over a socket;
the real ``portal results`` writes the package in English and, beside it, in Welsh
(``datapackage.cy.json``, its tables in ``data/cy/``); the real ``portal build`` makes the
dataset's pages from each; a real Chromium reads the Welsh one with axe, at 320 px too.

The Welsh words expected come from the form itself (its ``cy:`` labels) and from the
portal's Welsh catalogue, read through ``portal.i18n`` (the catalogue is the translators'
file, not code under test).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from portal.i18n import words
from tests.i18n.test_data_in_welsh import BONDS, with_bonds
from tests.i18n.test_form_words import FORM_ID, make_portal, output, post
from tests.second_portal.conftest import NOW
from tests.support import (
    Server,
    axe_violations,
    describe,
    horizontal_overflow,
    portal,
    serve_portal,
)

pytestmark = pytest.mark.e2e

SLUG = "bus-lanes"
PACKAGE = f"{SLUG}-results"
WELSH = words("cy")
# (page language, travel answer) of each respondent: two "often", one "rarely", in both.
ANSWERS = [("en", "yes-often"), ("cy", "yes-often"), ("cy", "rarely")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    root = make_portal(tmp_path_factory.mktemp("results-cy") / "portal")
    portal("build", root=root, env=NOW)
    db = root / "var" / "responses.sqlite3"
    db.parent.mkdir(exist_ok=True)
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute"}
    log = tmp_path_factory.mktemp("results-cy-server") / "server.log"
    with serve_portal(root / "site", db, log, env=env) as server:
        for number, (language, travel) in enumerate(ANSWERS):
            fields = [
                ("submission_id", f"results-in-welsh-{number:04d}"),
                ("portal_language", language),
                ("travel", travel),
            ]
            reply = post(server, fields, "application/json")
            assert reply.status_code == 200, (reply.text, server.read_log())
        staff = {**NOW, "DATABASE_URL": f"sqlite:///{db}"}
        portal("results", SLUG, "--now", "2099-03-01T00:00", root=root, env=staff)
        portal("build", root=root, env=NOW)  # the results are a dataset of the site now
        yield root, server


def copy_of(root: Path, tmp_path: Path) -> Path:
    """The portal as committed (its results included), to change without touching the
    module's."""
    copy = tmp_path / "portal"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "var", ".cache"))
    return copy


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def descriptor(root: Path, name: str) -> dict[str, Any]:
    data = json.loads((root / "datasets" / PACKAGE / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_package_is_written_in_each_language_of_the_form(
    site: tuple[Path, Server],
) -> None:
    root, _ = site
    folder = root / "datasets" / PACKAGE
    english, welsh = descriptor(root, "datapackage.json"), descriptor(root, "datapackage.cy.json")
    for name in ("datapackage.json", "datapackage.cy.json"):
        report = validate(str(folder / name))
        assert report.valid, report.flatten(["type", "note"])
    # One package (its name is its folder's), described twice.
    assert english["name"] == welsh["name"] == PACKAGE
    assert english["title"] == "Results: Tell us about bus lanes"
    assert welsh["title"] == WELSH("Results: {title}", title="Dywedwch wrthym am lonydd bysiau")
    assert welsh["title"] != english["title"]
    assert (
        WELSH.plural("{n} person responded.", "{n} people responded.", 3)[:9]
        in (welsh["description"])
    )
    assert "people responded" not in welsh["description"]
    assert [r["name"] for r in welsh["resources"]] == [r["name"] for r in english["resources"]]
    assert all(r["path"].startswith("data/cy/") for r in welsh["resources"])
    assert all(
        r["path"].startswith("data/") and "/cy/" not in r["path"] for r in english["resources"]
    )
    welsh_fields = {f["name"]: f["title"] for f in welsh["resources"][2]["schema"]["fields"]}
    assert welsh_fields["option_label"] == WELSH("Option") != "Option"


def test_both_languages_count_the_same_answers_under_their_own_labels(
    site: tuple[Path, Server],
) -> None:
    root, _ = site
    data = root / "datasets" / PACKAGE / "data"
    english, welsh = rows(data / "q1-travel.csv"), rows(data / "cy" / "q1-travel.csv")
    assert [(r["option"], r["option_label"], r["count"]) for r in english] == [
        ("yes-often", "Yes, often", "2"),
        ("rarely", "Rarely", "1"),
    ]
    assert [(r["option"], r["option_label"], r["count"]) for r in welsh] == [
        ("yes-often", "Ydw, yn aml", "2"),
        ("rarely", "Anaml", "1"),
    ]
    question = rows(data / "cy" / "questions.csv")[0]
    assert question["question_label"] == "Pa mor aml ydych chi'n dal y bws?"
    assert rows(data / "summary.csv") == rows(data / "cy" / "summary.csv")


def test_each_languages_dataset_page_is_made_from_its_own_descriptor(
    site: tuple[Path, Server],
) -> None:
    root, _ = site
    built = root / "site"
    english = (built / "datasets" / PACKAGE / "index.html").read_text(encoding="utf-8")
    welsh = (built / "cy" / "datasets" / PACKAGE / "index.html").read_text(encoding="utf-8")
    assert "Results: Tell us about bus lanes" in english
    assert "Ydw, yn aml" not in english
    title = WELSH("Results: {title}", title="Dywedwch wrthym am lonydd bysiau")
    assert f">{title}</h1>" in welsh
    assert "Ydw, yn aml" in welsh and "Yes, often" not in welsh
    # The descriptor offered for download is the page's own.
    assert 'href="datapackage.cy.json" download' in welsh
    assert 'href="datapackage.json" download' in english
    # Its words are in the page's language: nothing of it is marked as another language.
    # (The second portal's menu is not translated, and says so: only the article counts.)
    assert 'lang="en"' not in welsh.split("<article", 1)[1].split("</article>", 1)[0]
    # Both descriptors and every table are published, whichever page links them.
    for name in ("datapackage.cy.json", "data/cy/q1-travel.csv", "data/q1-travel.csv"):
        assert (built / "datasets" / PACKAGE / name).is_file()
    # The Welsh catalogue lists it under its Welsh title.
    catalogue = (built / "cy" / "datasets" / "index.html").read_text(encoding="utf-8")
    assert title in catalogue
    # Its keywords are the Welsh descriptor's, said as Welsh: not marked as English.
    keyword = WELSH("consultation")
    assert f'datasets/keywords/{keyword}/">{keyword} <span class="portal-count">' in catalogue


def test_the_welsh_results_page_is_accessible(
    site: tuple[Path, Server], page: Any, browser: Any
) -> None:
    _, server = site
    for address in (f"/cy/datasets/{PACKAGE}/", f"/cy/datasets/{PACKAGE}/resources/q1-travel/"):
        page.goto(server.url + address)
        assert page.locator("html").get_attribute("lang") == "cy"
        page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        assert horizontal_overflow(browser, server.url + address, 320) <= 0


def test_a_welsh_page_never_shows_the_english_readme(
    site: tuple[Path, Server], tmp_path: Path
) -> None:
    root = copy_of(site[0], tmp_path)
    folder = root / "datasets" / PACKAGE
    (folder / "README.md").write_text("# Results\n\nMade-up answers, in English.\n", "utf-8")
    portal("build", root=root, env=NOW)
    welsh = root / "site" / "cy" / "datasets" / PACKAGE / "index.html"
    english = root / "site" / "datasets" / PACKAGE / "index.html"
    assert "Made-up answers, in English." in english.read_text(encoding="utf-8")
    assert "Made-up answers, in English." not in welsh.read_text(encoding="utf-8")
    (folder / "README.cy.md").write_text("# Canlyniadau\n\nAtebion ffug, yn Gymraeg.\n", "utf-8")
    portal("build", root=root, env=NOW)
    assert "Atebion ffug, yn Gymraeg." in welsh.read_text(encoding="utf-8")
    # README.cy.md is the Welsh page itself, not a document of the package.
    assert not (root / "site" / "datasets" / PACKAGE / "README.cy").exists()


def test_check_reports_a_broken_welsh_descriptor_at_its_line(
    site: tuple[Path, Server], tmp_path: Path
) -> None:
    root = copy_of(site[0], tmp_path)
    assert portal("check", root=root, env=NOW, check=False).returncode == 0
    path = root / "datasets" / PACKAGE / "datapackage.cy.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if '"title"' in line)
    lines[at - 1] = lines[at - 1].rstrip(",")  # a missing comma: not JSON any more
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = portal("check", root=root, env=NOW, check=False)
    said = output(result)
    assert result.returncode == 1, said
    assert "Traceback" not in said
    assert f"datasets/{PACKAGE}/datapackage.cy.json:" in said
    assert "not valid JSON" in said


def test_a_descriptor_in_a_language_the_site_lacks_is_a_warning(
    site: tuple[Path, Server], tmp_path: Path
) -> None:
    root = copy_of(site[0], tmp_path)
    folder = root / "datasets" / PACKAGE
    shutil.copy(folder / "datapackage.cy.json", folder / "datapackage.fr.json")
    result = portal("check", root=root, env=NOW, check=False)
    said = output(result)
    assert result.returncode == 0, said
    assert "datapackage.fr.json" in said and "'fr'" in said
    assert FORM_ID in (folder / "datapackage.fr.json").read_text(encoding="utf-8")


def test_a_real_package_given_a_welsh_descriptor_is_welsh_on_the_welsh_pages(
    site: tuple[Path, Server], tmp_path: Path
) -> None:
    # The Bank of England's bond yields (datahub.io), as published, and a council's Welsh
    # description of it beside the original.
    root = with_bonds(copy_of(site[0], tmp_path))
    folder = root / "datasets" / BONDS.name
    welsh = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    welsh["title"] = "Cynnyrch bondiau 10 mlynedd Llywodraeth y DU"
    welsh["description"] = "Cyfraddau llog hirdymor, bob mis a bob chwarter."
    del welsh["readme"]  # datahub embeds its English README; the translator leaves it out
    (folder / "datapackage.cy.json").write_text(json.dumps(welsh, indent=2), encoding="utf-8")
    portal("build", root=root, env=NOW)
    page = (root / "site" / "cy" / "datasets" / BONDS.name / "index.html").read_text("utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert re.search(r"<h1[^>]*>Cynnyrch bondiau 10 mlynedd Llywodraeth y DU</h1>", article)
    assert "Cyfraddau llog hirdymor" in article
    # The English README is the English page's; the Welsh one has none, so it says its own.
    readme = "considered a standard indicator of long-term"
    assert readme in (BONDS / "README.md").read_text(encoding="utf-8")
    english = (root / "site" / "datasets" / BONDS.name / "index.html").read_text("utf-8")
    assert "10y UK Government Bond Yields" in english and "Cynnyrch" not in english
    assert "10y UK Government Bond Yields" not in article
    assert readme in english and readme not in article


def test_check_names_the_line_of_a_welsh_readme_that_is_not_utf8(
    site: tuple[Path, Server], tmp_path: Path
) -> None:
    root = copy_of(site[0], tmp_path)
    path = root / "datasets" / PACKAGE / "README.cy.md"
    path.write_bytes(b"# Canlyniadau\n\nAtebion ffug.\n" + b"\xff\xfe\n")
    result = portal("check", root=root, env=NOW, check=False)
    said = output(result)
    assert result.returncode == 1, said
    assert "Traceback" not in said
    assert f"datasets/{PACKAGE}/README.cy.md:4: README.cy.md is not UTF-8 text" in said
