"""The site's own words in Welsh (issue 21): topics, areas, navigation and document titles
from mkdocs.yml's ``translations:`` and the consultation's front matter, and the data
package's pages of rows in the language of their build, built for real.

A topic's label is Welsh on the Welsh pages, its address the English one in both languages;
a topic with no Welsh is shown in English, marked so, and warned of at its line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.i18n.test_bilingual_site import HREFLANG, METERS, SITE_URL, make_bilingual
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import portal

GLOSSARY = """      translations:
        cy:
          Have your say: Dweud eich dweud
          Water: Dŵr
          District-wide: Ar draws yr ardal
"""
DOCUMENTS = """documents:
  - title: {en: Questions about water meters, cy: Cwestiynau am fesuryddion dŵr}
    file: documents/questions.txt
"""
WATER = "consultations/filter/topic/water/"
BILLS = "consultations/filter/topic/household-bills/"
SWITCH = re.compile(r'<a class="[^"]*portal-language"[^>]*href="([^"]+)"[^>]*hreflang="(\w+)"')


def add_words(root: Path) -> Path:
    """The glossary in mkdocs.yml; the water meters consultation with a second topic that
    has no Welsh, and a document whose title is in both languages."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      languages: [en, cy]\n" in text
    config.write_text(
        text.replace("      languages: [en, cy]\n", "      languages: [en, cy]\n" + GLOSSARY),
        encoding="utf-8",
    )
    index = root / METERS / "index.md"
    text = index.read_text(encoding="utf-8")
    assert "topics: [Water]\n" in text
    text = text.replace("topics: [Water]\n", "topics: [Water, Household bills]\n" + DOCUMENTS)
    index.write_text(text, encoding="utf-8")
    (root / METERS / "documents").mkdir()
    (root / METERS / "documents" / "questions.txt").write_text("Questions.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def worded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_second_portal(tmp_path_factory.mktemp("worded") / "portal")
    root = add_words(make_bilingual(root))
    site = tmp_path_factory.mktemp("worded-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env={**NOW, "SITE_URL": SITE_URL})
    return root, site


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_topics_and_areas_are_welsh_at_the_same_addresses(worded: tuple[Path, Path]) -> None:
    _, site = worded
    index = read(site / "cy" / "consultations" / "index.html")
    assert re.search(rf'href="[./]*{WATER}">Dŵr</a>', index), "the Welsh label, English address"
    assert re.search(rf'href="[./]*{BILLS}"><span lang="en">Household bills</span></a>', index)
    english = read(site / "consultations" / "index.html")
    assert re.search(rf'href="[./]*{WATER}">Water</a>', english)
    for folder in (site, site / "cy"):
        assert (folder / WATER / "index.html").is_file()
    assert not (site / "cy" / "consultations" / "filter" / "topic" / "dwr").exists()
    water = read(site / "cy" / WATER / "index.html")
    assert "<title>" in water and re.search(r"<h1[^>]*>[^<]*Dŵr", water)
    # The filter's form: the Welsh label, the same value (filter.js and the endpoint match it).
    browse = read(site / "cy" / "consultations" / "filter" / "index.html")
    assert re.search(r'<option value="water">Dŵr \(1\)</option>', browse)
    assert '<option value="household-bills" lang="en">Household bills (1)</option>' in browse
    page = read(site / "cy" / METERS / "index.html")
    assert 'Dŵr, <span lang="en">Household bills</span>' in page
    assert "Ar draws yr ardal" in page and "District-wide" not in page
    # The navigation's title, from the same glossary.
    assert "Dweud eich dweud" in read(site / "cy" / "index.html")
    assert "Dweud eich dweud" not in read(site / "index.html")


def test_api_and_feed_name_topics_in_their_language(worded: tuple[Path, Path]) -> None:
    _, site = worded
    api = json.loads(read(site / "cy" / "api" / "consultations.json"))
    meters = next(c for c in api["consultations"] if c["slug"] == "water-meters")
    assert meters["topics"] == ["Water", "Household bills"]  # as written: what filters match
    assert meters["topic_labels"] == ["Dŵr", "Household bills"]
    assert meters["area_labels"] == ["Ar draws yr ardal"]
    english = json.loads(read(site / "api" / "consultations.json"))
    assert next(c for c in english["consultations"] if c["slug"] == "water-meters")[
        "topic_labels"
    ] == ["Water", "Household bills"]
    calendar = read(site / "cy" / "feeds" / "consultations.ics").replace("\r\n ", "")
    assert "CATEGORIES:Dŵr" in calendar


def test_a_topic_without_welsh_is_warned_at_its_line(worded: tuple[Path, Path]) -> None:
    root, _ = worded
    line = read(root / METERS / "index.md").splitlines().index("topics: [Water, Household bills]")
    checked = portal("check", root=root, env=NOW)
    warned = [w for w in checked.stderr.splitlines() if "Household bills" in w]
    assert len(warned) == 1, checked.stderr
    assert warned[0].startswith(f"Warning: {METERS}index.md:{line + 1}: 'Household bills' has no")
    assert "translations: {cy: {Household bills: ...}}" in warned[0]
    assert warned[0].endswith("[translation-missing]")
    assert "'Water'" not in checked.stderr and "District-wide" not in checked.stderr


def test_a_document_title_in_welsh(worded: tuple[Path, Path]) -> None:
    _, site = worded
    welsh = read(site / "cy" / METERS / "index.html")
    assert ">Cwestiynau am fesuryddion dŵr</a>" in welsh
    assert "Questions about water meters" not in welsh
    assert ">Questions about water meters</a>" in read(site / METERS / "index.html")
    api = json.loads(read(site / "cy" / "api" / "consultations.json"))
    meters = next(c for c in api["consultations"] if c["slug"] == "water-meters")
    assert meters["documents"][0]["title"] == "Cwestiynau am fesuryddion dŵr"


def test_a_document_title_without_welsh_withholds_the_consultation(
    worded: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = worded
    copy = tmp_path / "portal"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build", "var"))
    index = copy / METERS / "index.md"
    text = read(index).replace(
        "{en: Questions about water meters, cy: Cwestiynau am fesuryddion dŵr}",
        "Questions about water meters",
    )
    index.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - title: Questions about water meters") + 1
    site = tmp_path / "site"
    built = portal("build", "--site-dir", str(site), root=copy, env=NOW)
    assert f"{METERS}index.md:{line}: this document has no Welsh (cy) title" in built.stderr
    for folder in (site, site / "cy"):
        assert not (folder / METERS).exists()


def test_rows_pages_in_welsh_link_to_themselves_in_english(worded: tuple[Path, Path]) -> None:
    _, site = worded
    pages = sorted((site / "cy" / "datasets").glob("*/resources/*/rows/*.html"))
    assert pages, "the second portal's data package has pages of rows"
    for page in pages[:3]:
        html = read(page)
        assert '<html lang="cy">' in html
        switch = SWITCH.findall(html)
        assert len(switch) == 1 and switch[0][1] == "en", page
        target = (page.parent / switch[0][0]).resolve()
        english = site / page.relative_to(site / "cy")
        assert target == english.resolve() and english.is_file()
        assert SWITCH.findall(read(english))[0][1] == "cy"
        address = page.relative_to(site).as_posix()
        assert sorted(HREFLANG.findall(html)) == [
            ("cy", f"{SITE_URL}{address}"),
            ("en", f"{SITE_URL}{address.removeprefix('cy/')}"),
        ]


def test_check_refuses_translations_of_the_wrong_shape(
    worded: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = worded
    copy = tmp_path / "portal"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "build", "var"))
    config = copy / "mkdocs.yml"
    text = read(config).replace(
        GLOSSARY,
        "      translations:\n        cy: [Dŵr]\n        fr: {}\n        en: {Water: H2O}\n",
    )
    config.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    checked = portal("check", root=copy, env=NOW, check=False)
    assert checked.returncode != 0
    said = checked.stdout + checked.stderr
    assert f"mkdocs.yml:{lines.index('        cy: [Dŵr]') + 1}: the words in 'cy'" in said
    assert (
        f"mkdocs.yml:{lines.index('        fr: {}') + 1}: 'translations:' gives words in 'fr'"
        in said
    )
    # The default language's words are the ones written: no second place for them.
    assert f"mkdocs.yml:{lines.index('        en: {Water: H2O}') + 1}: 'translations:'" in said


def test_a_passage_is_marked_only_in_another_language() -> None:
    """Words.marks: the one rule for lang= on a passage (dataset pages, charts, licences)."""
    from portal.i18n import words

    assert words("cy").marks("en") == "en"
    assert words("en").marks("cy") == "cy"
    assert words("en").marks("en") == ""
    assert words("en-GB").marks("en") == ""  # the same language, another region
    assert words("cy").marks("") == ""  # a package that says no language
