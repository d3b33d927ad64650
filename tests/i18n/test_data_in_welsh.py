"""Open data pages in Welsh (issue 21): what the portal writes about a package is Welsh, and
what the package itself says is marked as the language it is written in.

A data package is written once, in one language. On a page in another language the
portal's own words around it are the page's (the "may be out of date" note, the update
frequency, the reading of each chart, a licence the portal knows), and the package's words
(its title, description, field titles, rows) carry ``lang`` so a screen reader says them
in their own language. Built for real: the demo, the second portal with ``languages: [en,
cy]`` and a real published package (the Bank of England bond yields, from datahub.io), and
a Welsh-only portal whose republished English package says so in its ``portal.yml``.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from tests.datasets.conftest import SHARED
from tests.i18n.test_bilingual_site import make_bilingual
from tests.i18n.test_welsh_pages import words_of
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import portal

BONDS = SHARED / "bond-yields-uk-10y"  # ../shared, beside the repository
AIR = "datasets/air-quality-sensors/index.html"
SWIMMING = "datasets/swimming-water-quality/index.html"
BOND_PAGE = "datasets/bond-yields-uk-10y/index.html"
STALE = re.compile(r'id="stale-notice">[^<]*</p>\s*<p>([^<]*)</p>')
OUR_CC = '"title": "Creative Commons Attribution 4.0"'
THEIR_CC = '"title": "CC BY 4.0 (attribution)"'
ELEMENT_IN_ENGLISH = re.compile(r'<(\w+)[^>]*\blang="en"[^>]*>')


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def marked_english(page: str) -> list[str]:
    """The elements of a page marked as English, the page's own <html> left out."""
    return [m[0] for m in ELEMENT_IN_ENGLISH.finditer(page) if m[1] != "html"]


def with_bonds(root: Path, language: str = "") -> Path:
    """The real bond yields package, republished in the portal's datasets folder."""
    folder = root / "datasets" / BONDS.name
    shutil.copytree(BONDS, folder)
    if language:
        (folder / "portal.yml").write_text(f"language: {language}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_second_portal(tmp_path_factory.mktemp("data-welsh") / "portal")
    root = with_bonds(make_bilingual(root))
    # The publisher's own name for a licence the portal knows (CC-BY-4.0).
    swimming = root / "datasets" / "swimming-water-quality" / "datapackage.json"
    text = swimming.read_text(encoding="utf-8")
    assert OUR_CC in text
    swimming.write_text(text.replace(OUR_CC, THEIR_CC), encoding="utf-8")
    site = tmp_path_factory.mktemp("data-welsh-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    return site


@pytest.fixture(scope="module")
def welsh_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The second portal in Welsh only, republishing the English bond yields package."""
    root = with_bonds(copy_second_portal(tmp_path_factory.mktemp("cy-only") / "portal"), "en")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text
    config.write_text(text.replace("  language: en\n", "  language: cy\n"), encoding="utf-8")
    site = tmp_path_factory.mktemp("cy-only-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    return root, site


def test_the_out_of_date_note_and_the_frequency_are_welsh(demo_site: Path) -> None:
    english, welsh = read(demo_site, AIR), read(demo_site, f"cy/{AIR}")
    english_note, welsh_note = STALE.search(english), STALE.search(welsh)
    assert english_note and welsh_note, "the air quality package is no longer out of date"
    days = re.search(r"last changed ([\d,]+) days", english_note[1])
    assert days, english_note[1]
    assert english_note[1].startswith("This dataset says it is updated daily,")
    assert welsh_note[1] == (
        "Mae’r set ddata hon yn dweud ei bod yn cael ei diweddaru bob dydd, ond newidiodd "
        f"ddiwethaf {days[1]} diwrnod cyn i’r dudalen hon gael ei llunio, felly gall fod yn hen."
    )
    assert "Pa mor aml y caiff ei diweddaru</dt><dd>bob dydd</dd>" in welsh
    assert "Update frequency</dt><dd>daily</dd>" in english


def chart_readings(page: str) -> list[str]:
    """The text of each chart's summary paragraph, its markup taken out."""
    found = re.findall(r'<p id="chart-[\w-]+-summary">(.*?)</p>', page, flags=re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)) for text in found]


def test_a_chart_is_read_out_in_welsh(demo_site: Path) -> None:
    english = " ".join(chart_readings(read(demo_site, AIR)))
    page = read(demo_site, f"cy/{AIR}")
    welsh = " ".join(chart_readings(page))
    reading = r"Line chart of (.+?) by (.+?)\. ([\d,]+) values from (\S+) to (\S+) "
    read_out = re.search(reading, english)
    assert read_out, "the English reading of the chart is missing"
    value, category, count, first, last = read_out.groups()
    assert f"Siart llinell o {value} yn ôl {category}. {count} gwerth o {first} i {last}" in welsh
    assert "Isaf " in welsh and "; uchaf " in welsh
    assert "Line chart of" not in welsh and " values from " not in welsh
    # The package's names in the Welsh reading are marked as English; none in the English.
    assert f'yn ôl <span lang="en">{html.escape(category)}</span>' in page
    summaries = re.findall(r'<p id="chart-[^"]+">.*?</p>', read(demo_site, AIR), re.DOTALL)
    assert summaries and 'lang="en"' not in "".join(summaries)


def test_the_packages_own_words_are_marked_english_on_welsh_pages(demo_site: Path) -> None:
    welsh = read(demo_site, f"cy/{AIR}")
    assert re.search(r'<h1[^>]*lang="en"[^>]*>Air quality', welsh)
    assert re.search(r'<p class="portal-lead" lang="en">', welsh)
    assert re.search(r'<div class="portal-dataset__description" lang="en">', welsh)
    # The portal's words stay unmarked Welsh around them.
    assert '<h2 id="about">Am y set ddata hon</h2>' in welsh
    # An English page marks nothing: it is all in its own language.
    assert marked_english(read(demo_site, AIR)) == []
    assert marked_english(read(demo_site, "datasets/index.html")) == []


def test_the_open_government_licence_has_its_welsh_name(demo_site: Path) -> None:
    welsh, english = read(demo_site, f"cy/{AIR}"), read(demo_site, AIR)
    assert 'rel="license">Trwydded Llywodraeth Agored v3.0</a>' in welsh
    assert "Open Government Licence" not in words_of(welsh)
    assert 'rel="license">Open Government Licence v3.0</a>' in english
    footer = re.search(r'portal-footer__licence">(.*?)</p>', read(demo_site, "cy/index.html"))
    assert footer and ">Trwydded Llywodraeth Agored v3.0</a>" in footer[1]


def test_a_licence_without_a_welsh_name_is_marked_english(bilingual_site: Path) -> None:
    """The real package names its licence by an old id (odc-pddl) and no title: the page
    gives the licence's name, in English on both pages, and marks it so on the Welsh one."""
    name = "Open Data Commons Public Domain Dedication and License v1.0"
    welsh = read(bilingual_site, f"cy/{BOND_PAGE}")
    assert re.search(rf'rel="license" lang="en">{re.escape(name)}</a>', welsh)
    english = read(bilingual_site, BOND_PAGE)
    assert f'rel="license">{name}</a>' in english
    # A publisher's own title for a licence with no Welsh name is theirs: kept, and marked
    # as the package's language on the Welsh page.
    swimming = read(bilingual_site, f"cy/{SWIMMING}")
    assert 'rel="license" lang="en">CC BY 4.0 (attribution)</a>' in swimming
    assert 'rel="license">CC BY 4.0 (attribution)</a>' in read(bilingual_site, SWIMMING)
    # A frequency the portal does not know is the publisher's words, marked as theirs.
    assert '<span lang="en">yearly, after each summer sampling season</span>' in swimming


def test_a_real_packages_resource_and_row_pages_mark_its_words(bilingual_site: Path) -> None:
    resource = read(bilingual_site, "cy/datasets/bond-yields-uk-10y/resources/quarterly/index.html")
    assert re.search(r'<thead lang="en">', resource), "the preview's headings are unmarked"
    assert re.search(r'<tbody lang="en">', resource), "the preview's rows are unmarked"
    assert "Rhagolwg" in resource  # the portal's heading, in Welsh
    rows = sorted((bilingual_site / "cy/datasets/bond-yields-uk-10y").rglob("rows/index.html"))
    assert rows, "the bond yields have no row pages"
    index = rows[0].read_text(encoding="utf-8")
    assert '<html lang="cy">' in index
    assert re.search(r'<li><a href="[^"]*">\s*<span lang="en">10y UK Government Bond', index)
    english_rows = bilingual_site / rows[0].relative_to(bilingual_site / "cy")
    assert marked_english(english_rows.read_text(encoding="utf-8")) == []


def test_a_welsh_portal_marks_a_package_its_portal_yml_says_is_english(
    welsh_only: tuple[Path, Path],
) -> None:
    _root, site = welsh_only
    bonds = read(site, BOND_PAGE)
    assert '<html lang="cy"' in bonds
    assert re.search(r'<h1[^>]*lang="en"[^>]*>10y UK Government Bond Yields', bonds)
    # Its own package says nothing, so it is taken to be in the site's language: only the
    # licence's name, which the portal gives in English, is marked.
    assert [m for m in marked_english(read(site, SWIMMING)) if 'rel="license"' not in m] == []


def test_check_reports_a_packages_language_that_is_not_a_tag(
    welsh_only: tuple[Path, Path],
) -> None:
    root, _site = welsh_only
    options = root / "datasets" / BONDS.name / "portal.yml"
    options.write_text("validation: fail\nlanguage: Saesneg\n", encoding="utf-8")
    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert f"{options.relative_to(root).as_posix()}:2" in said, said
    assert "language 'Saesneg' is not a language tag" in said
    assert "Traceback" not in said
