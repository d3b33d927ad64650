"""A site in two languages (issue 21): the second test portal with ``languages: [en, cy]``,
some pages and one consultation written in Welsh beside their English, built for real.

Every page exists in both languages; each links to itself in the other (a plain link that
needs no JavaScript) and names both in ``hreflang``, as the sitemap does; a page with no
Welsh yet is published in English and marked so; each language has its own search index,
feed and API; a consultation in English only is not published in Welsh, and one offered in
Welsh without its Welsh text is published in neither, with a warning at its line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import portal, serve_portal

SITE_URL = "https://kowhai.example.nz/"
WELSH_HOME = (
    "# Croeso i Arfordir Kōwhai\n\nDywedwch eich dweud. "
    "Darllenwch ein [hysbysiad preifatrwydd](privacy.md).\n"
)
WELSH_METERS = (
    "---\ntitle: Mesuryddion dŵr i bob cartref\nsummary: Rydym yn cynnig gosod mesurydd dŵr "
    "ym mhob cartref.\n---\n## Cefndir\n\nMae dŵr glân yn werthfawr i bawb yn yr ardal.\n"
)
# A page with a form, not translated: English in the Welsh site too.
REPORT = """---
title: Report a beach problem
form:
  id: beach-report
  questions:
    - id: beach
      type: text
      label: Which beach?
    - id: seen
      type: textarea
      label: What did you see?
---
Tell us what you saw at a beach.
"""
ENGLISH_ONLY = "consultations/coastal-erosion-kowhai-bay/"
WITHHELD = "consultations/rural-library-hours/"
METERS = "consultations/water-meters/"
SWITCH = re.compile(r'<a class="[^"]*portal-language"[^>]*href="([^"]+)"[^>]*hreflang="(\w+)"')
HREFLANG = re.compile(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">')


def make_bilingual(root: Path) -> Path:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert '      repo_url: ""\n' in text
    config.write_text(
        text.replace('      repo_url: ""\n', '      repo_url: ""\n      languages: [en, cy]\n'),
        encoding="utf-8",
    )
    (root / "content" / "index.cy.md").write_text(WELSH_HOME, encoding="utf-8")
    (root / "content" / "privacy.cy.md").write_text(
        "# Hysbysiad preifatrwydd\n\nRydym yn cadw eich data yn ddiogel.\n", encoding="utf-8"
    )
    (root / METERS / "index.cy.md").write_text(WELSH_METERS, encoding="utf-8")
    (root / "content" / "report.md").write_text(REPORT, encoding="utf-8")
    coastal = root / ENGLISH_ONLY / "index.md"
    text = coastal.read_text(encoding="utf-8")
    coastal.write_text(text.replace("area: ", "languages: [en]\narea: ", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = make_bilingual(copy_second_portal(tmp_path_factory.mktemp("bilingual") / "portal"))
    site = tmp_path_factory.mktemp("bilingual-site") / "site"
    built = portal("build", "--site-dir", str(site), root=root, env={**NOW, "SITE_URL": SITE_URL})
    return root, site, built.stderr


def pages(site: Path) -> set[str]:
    """Every page of one language's site, by address ('' is the home page)."""
    return {
        p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith("cy/")
    }


def test_every_page_exists_in_both_languages(bilingual: tuple[Path, Path, str]) -> None:
    _, site, _ = bilingual
    english, welsh = pages(site), pages(site / "cy")
    assert len(english) > 20
    # The consultation in English only, and the filter pages only it is on (its topics).
    only_english = english - welsh
    assert ENGLISH_ONLY in only_english
    assert {a for a in only_english if a != ENGLISH_ONLY} == {
        "consultations/filter/topic/coast-and-climate/",
        "consultations/filter/topic/parks-and-reserves/",
        "consultations/filter/area/kowhai-bay/",
    }
    assert welsh - english == set()
    assert not (site / "cy" / ENGLISH_ONLY).exists()
    for withheld in (site / WITHHELD, site / "cy" / WITHHELD):
        assert not withheld.exists()  # offered in Welsh, but with no Welsh: in neither


def test_pages_say_their_language(bilingual: tuple[Path, Path, str]) -> None:
    _, site, _ = bilingual
    home = (site / "cy" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy"' in home and "Croeso i Arfordir Kōwhai" in home
    assert '<html lang="en"' in (site / "index.html").read_text(encoding="utf-8")
    meters = (site / "cy" / METERS / "index.html").read_text(encoding="utf-8")
    assert "Mesuryddion dŵr i bob cartref" in meters and "Cefndir" in meters
    assert "Water meters for every home" not in meters
    # A page not yet in Welsh: in English, marked as English, and saying so in Welsh.
    swimming = (site / "cy" / "swimming" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cy"' in swimming
    assert '<div lang="en"><h1 id="page-title">Is it safe to swim?' in swimming
    assert "portal-untranslated" in swimming


def test_each_page_links_to_itself_in_the_other_language(
    bilingual: tuple[Path, Path, str],
) -> None:
    _, site, _ = bilingual
    checked = 0
    for page in site.rglob("index.html"):
        if page.relative_to(site).parts[0] in {"_portal"}:
            continue
        html = page.read_text(encoding="utf-8")
        if 'class="md-header' not in html:
            continue  # a data package's pages of rows: their own frame
        switch = SWITCH.findall(html)
        assert len(switch) == 1, page
        href, language = switch[0]
        welsh = page.relative_to(site).parts[0] == "cy"
        assert language == ("en" if welsh else "cy")
        target = (page.parent / href / "index.html").resolve()
        assert target.is_file(), f"{page}: {href}"
        address = page.parent.relative_to(site).as_posix() + "/"
        if (site / "cy" / address).is_dir() and not welsh:
            # The same page, and it links back.
            back = SWITCH.findall(target.read_text(encoding="utf-8"))[0][0]
            assert (target.parent / back / "index.html").resolve() == page.resolve()
        elif not welsh:  # no Welsh version: the Welsh home page
            assert target == (site / "cy" / "index.html").resolve()
        checked += 1
    assert checked > 40


def test_hreflang_in_head_and_sitemap(bilingual: tuple[Path, Path, str]) -> None:
    _, site, _ = bilingual
    head = HREFLANG.findall((site / "cy" / "privacy" / "index.html").read_text(encoding="utf-8"))
    assert sorted(head) == [("cy", f"{SITE_URL}cy/privacy/"), ("en", f"{SITE_URL}privacy/")]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / "cy" / "sitemap.xml").exists()
    entry = re.search(rf"<url><loc>{re.escape(SITE_URL)}cy/{METERS}</loc>.*?</url>", sitemap, re.S)
    assert entry is not None
    assert f'hreflang="en" href="{SITE_URL}{METERS}"' in entry.group()
    assert f"<loc>{SITE_URL}{ENGLISH_ONLY}</loc>" in sitemap
    assert f"<loc>{SITE_URL}cy/{ENGLISH_ONLY}</loc>" not in sitemap


def test_search_feeds_and_api_are_per_language(bilingual: tuple[Path, Path, str]) -> None:
    _, site, _ = bilingual

    def titles(folder: Path) -> set[str]:
        index = json.loads((folder / "search" / "search_index.json").read_text("utf-8"))
        return {doc["title"] for doc in index["docs"]}

    assert "Mesuryddion dŵr i bob cartref" in titles(site / "cy")
    assert "Mesuryddion dŵr i bob cartref" not in titles(site)
    assert "Water meters for every home" not in titles(site / "cy")
    feed = (site / "cy" / "feeds" / "consultations.atom").read_text(encoding="utf-8")
    assert 'xml:lang="cy"' in feed and f"{SITE_URL}cy/consultations/" in feed
    calendar = (site / "cy" / "feeds" / "consultations.ics").read_text(encoding="utf-8")
    assert "Mesuryddion dŵr i bob cartref" in calendar.replace("\r\n ", "")
    assert f"{SITE_URL}cy/{METERS}" in calendar.replace("\r\n ", "")
    api = json.loads((site / "cy" / "api" / "consultations.json").read_text("utf-8"))
    assert "Mesuryddion dŵr i bob cartref" in json.dumps(api, ensure_ascii=False)


def test_check_warns_at_the_line_of_what_is_not_translated(
    bilingual: tuple[Path, Path, str],
) -> None:
    root, _, built = bilingual
    checked = portal("check", root=root, env=NOW)
    for said in (checked.stderr, built):
        assert (
            "consultations/rural-library-hours/index.md:1: this consultation is published in "
            "Welsh (cy) but has no index.cy.md" in said
        )
    # Once, not once per language built.
    assert built.count("rural-library-hours/index.md:1:") == 1


def test_a_generator_with_one_language_builds_the_default_and_says_so(
    bilingual: tuple[Path, Path, str], tmp_path: Path
) -> None:
    root, _, _ = bilingual
    said = "the pelican build publishes one language, en: the pages in cy are left out"
    checked = portal("check", root=root, env={**NOW, "PORTAL_GENERATOR": "pelican"})
    assert said in checked.stderr
    assert "publishes one language" not in portal("check", root=root, env=NOW).stderr
    site = tmp_path / "site"
    built = portal("build", "--generator", "pelican", "--site-dir", str(site), root=root, env=NOW)
    assert said in built.stderr
    assert not (site / "cy").exists() and not (site / "index.cy").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Croeso" not in home and '<html lang="en"' in home


def test_search_without_javascript_searches_the_page_language(
    bilingual: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, site, _ = bilingual
    with serve_portal(site, tmp_path / "db.sqlite3", tmp_path / "server.log", env=NOW) as server:
        welsh = httpx.get(
            f"{server.url}/search", params={"query": "Mesuryddion", "language": "cy"}, timeout=30
        )
        english = httpx.get(f"{server.url}/search", params={"query": "Mesuryddion"}, timeout=30)
    assert welsh.status_code == 200
    assert '<html lang="cy"' in welsh.text
    assert f'href="/cy/{METERS}"' in welsh.text
    assert '<input type="hidden" name="language" value="cy">' in welsh.text
    assert '<html lang="en"' in english.text
    assert f"/cy/{METERS}" not in english.text


def test_a_page_not_yet_in_welsh_has_its_form_in_english_too(
    bilingual: tuple[Path, Path, str],
) -> None:
    """The English page published in the Welsh site keeps its form in English: the
    portal's words, and the language the endpoint will answer in."""
    _, site, _ = bilingual
    html = (site / "cy" / "report" / "index.html").read_text("utf-8")
    assert "portal-untranslated" in html and '<html lang="cy"' in html
    assert '<input type="hidden" name="portal_language" value="en">' in html
    assert "(optional)" in html and "(dewisol)" not in html


def test_without_site_url_no_hreflang_but_the_switch(
    bilingual: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """hreflang must be a full address (search engines, Lighthouse's audit): without
    site_url there is none to give, and the plain link does the switching."""
    root, _, _ = bilingual
    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), root=root, env={**NOW, "SITE_URL": ""})
    html = (site / "cy" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert HREFLANG.findall(html) == []
    assert SWITCH.findall(html) == [("../../privacy/", "en")]


def test_search_results_page_words_are_the_page_language(
    bilingual: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, site, _ = bilingual
    with serve_portal(site, tmp_path / "db.sqlite3", tmp_path / "server.log", env=NOW) as server:
        welsh = httpx.get(
            f"{server.url}/search", params={"query": "dŵr", "language": "cy"}, timeout=30
        )
        too_long = httpx.get(
            f"{server.url}/search", params={"query": "x" * 500, "language": "cy"}, timeout=30
        )
    assert "<title>Canlyniadau chwilio am ‘dŵr’" in welsh.text
    assert "Search results" not in welsh.text
    assert too_long.status_code == 400 and "Mae eich chwiliad yn rhy hir" in too_long.text


def test_check_reports_a_broken_or_orphaned_translation(tmp_path: Path) -> None:
    """What the Welsh build would refuse, check reports first: a page's translation that
    is not UTF-8, and one whose English page does not exist."""
    root = make_bilingual(copy_second_portal(tmp_path / "portal"))
    (root / "content" / "swimming.cy.md").write_bytes(b"\xff\xfe not text")
    (root / "content" / "about.cy.md").write_text("# Amdanom ni\n", encoding="utf-8")
    checked = portal("check", root=root, env=NOW, check=False)
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1 and "Traceback" not in said
    assert "content/swimming.cy.md: the file is not UTF-8 text" in said
    assert "content/about.cy.md: about.cy.md is the translation of about.md, which does" in said
