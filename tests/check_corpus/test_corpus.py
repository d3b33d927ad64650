"""`portal check` is the one gate: every broken case is reported at its file and line with
its code, and `portal build` (with each generator where it matters) refuses it with the
very same words, building nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.check_corpus.cases import CASES, NEW, Case
from tests.support import FIXTURE_SITE, copy_site, portal

NOW = {"PORTAL_NOW": "2027-01-15T12:00:00+00:00"}


def expected_place(root: Path, case: Case) -> str:
    if case.needle is None:
        return f"{case.path}: "
    text = (root / case.path).read_text("utf-8")
    assert case.needle in text, f"{case.name}: {case.needle!r} is not in {case.path}"
    line = text[: text.index(case.needle)].count("\n") + 1
    return f"{case.path}:{line}: "


def reported(output: str, place: str, code: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line.startswith(place) and line.endswith(f"[{code}]")
    ]


REFUSED = [c for c in CASES if c.refused]
WARNED = [c for c in CASES if not c.refused]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_check_reports_it_and_build_refuses_it_in_the_same_words(
    case: Case, tmp_path: Path
) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "site")
    case.edit(root)
    env = {**NOW, **case.env}
    place = expected_place(root, case)

    check = portal("check", root=root, env=env, check=False)
    assert check.returncode == 1, f"{case.name}: check passed\n{check.stdout}{check.stderr}"
    assert "Traceback" not in check.stderr
    found = reported(check.stderr, place, case.code)
    assert found, f"{case.name}: no [{case.code}] at {place!r} in:\n{check.stderr}"

    build = portal("build", root=root, env=env, check=False)
    assert build.returncode == 1, f"{case.name}: build passed\n{build.stderr}"
    assert "Traceback" not in build.stderr
    assert "The build failed; the previous site is unchanged." in build.stderr
    for line in found:
        assert line in build.stderr.splitlines(), f"{case.name}: build said\n{build.stderr}"
    assert not (root / "site").exists(), "nothing was built"


@pytest.mark.parametrize("case", WARNED, ids=[c.name for c in WARNED])
def test_check_and_build_give_the_same_warning_at_its_line(case: Case, tmp_path: Path) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "site")
    case.edit(root)
    place = "Warning: " + expected_place(root, case)
    check = portal("check", root=root, env=NOW, check=False)
    found = reported(check.stderr, place, case.code)
    assert check.returncode == 0 and found, check.stderr
    build = portal("build", root=root, env=NOW, check=False)
    assert build.returncode == 0, build.stderr
    assert set(found) <= set(build.stderr.splitlines()), build.stderr


PELICAN_CASES = ["page-link-missing", "html-image-missing", "option-wrong-type"]


@pytest.mark.parametrize("name", PELICAN_CASES)
def test_the_pelican_build_refuses_it_in_the_same_words(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    root = copy_site(FIXTURE_SITE, tmp_path / "site")
    case.edit(root)
    place = expected_place(root, case)
    check = portal("check", root=root, env=NOW, check=False)
    build = portal("build", "--generator", "pelican", root=root, env=NOW, check=False)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    for line in reported(check.stderr, place, case.code):
        assert line in build.stderr.splitlines(), build.stderr


def test_one_run_reports_problems_with_and_without_lines(tmp_path: Path) -> None:
    """A folder with no index.md (no line) beside broken links (lines): all, in order."""
    root = copy_site(FIXTURE_SITE, tmp_path / "site")
    # One case per file that cases write whole; every case that adds to a file.
    # Not the refused label on bus-lanes' form: a refused consultation makes no pages, so the
    # content page written at its address would then collide with nothing (address-taken).
    content_cases = [
        c
        for c in REFUSED
        if c.path not in ("mkdocs.yml", NEW)
        and not c.env
        and c.name != "required-label-says-optional"
    ]
    content_cases += [c for c in CASES if c.name == "date-impossible"]
    for case in content_cases:
        case.edit(root)
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    for case in content_cases:
        assert any(line.endswith(f"[{case.code}]") for line in lines), case.name
    places = [re.match(r"^([^:]+)(?::(\d+))?: ", line) for line in lines[:-1]]
    keys = [(m.group(1), int(m.group(2) or 0)) for m in places if m]
    assert keys == sorted(keys), "by file, then line; a problem with no line first"


def test_the_fixture_and_its_links_pass(tmp_path: Path) -> None:
    """Links that work are not reported: to pages, documents, headings and the portal's own
    sections, written as Markdown, as HTML and site-absolute."""
    root = copy_site(FIXTURE_SITE, tmp_path / "site")
    (root / "content" / "about.md").write_text(
        "---\ntitle: About\n---\n# About us\n\n"
        "[Home](index.md) [Bus lanes](consultations/bus-lanes/index.md) "
        "[Respond](consultations/bus-lanes/index.md#respond) [Top](#about-us) "
        "[All](/consultations/) [Proposal](consultations/bus-lanes/documents/proposal.txt) "
        "[Feed](/feeds/consultations.atom) [Mail](mailto:a@b.example) [Web](https://x.example)\n\n"
        '<p><a href="../consultations/">Consultations</a> <a id="here"></a>[Here](#here)</p>\n'
        "\n`[code](nowhere.md)`\n\n```\n![in a block](nowhere.png)\n```\n",
        "utf-8",
    )
    bus = root / "consultations" / "bus-lanes" / "index.md"
    bus.write_text(
        bus.read_text("utf-8")
        + "\n[Proposal](documents/proposal.txt) [Library](../library-hours/) "
        "[Home](../../) [Details](#details) [What](#what-we-propose)\n",
        "utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  - Home: index.md\n", "  - Home: index.md\n  - About: about.md\n"
        ),
        "utf-8",
    )
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 0, result.stderr
    portal("build", root=root, env=NOW)
    portal(
        "build",
        "--generator",
        "pelican",
        "--site-dir",
        str(tmp_path / "pelican"),
        root=root,
        env=NOW,
    )
