"""The Zensical build publishes the same portal as the MkDocs build, from the same files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

from portal.forms.render import end_marker, start_marker
from tests.generators.same_site import (
    all_pages,
    differences,
    downloads,
    in_default_language,
    manifests,
    pages_under,
)

OPEN_FORMS = {"programme-enquiry", "smart-parking-sensors"}
ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
HREF = re.compile(r'href="([^"]*)"')


def test_same_pages(demo_site: Path, zensical_site: Path) -> None:
    """Every address of the MkDocs build, pages and the rows of the data, and no other."""
    assert all_pages(zensical_site) == in_default_language(all_pages(demo_site))
    assert pages_under(zensical_site, "consultations")


def test_manifests_are_byte_identical(demo_site: Path, zensical_site: Path) -> None:
    expected = manifests(demo_site)
    assert expected and differences(expected, manifests(zensical_site)) == []


def test_same_downloads_feeds_and_data(demo_site: Path, zensical_site: Path) -> None:
    expected = downloads(demo_site)
    assert expected and differences(expected, downloads(zensical_site)) == []


def test_no_theme_files_in_the_site(zensical_site: Path) -> None:
    """The staged theme is the theme's templates and assets, not its Python or its YAML."""
    assert not (zensical_site / "__init__.py").exists()
    assert not (zensical_site / "mkdocs_theme.yml").exists()
    assert not (zensical_site / "material").exists()


def test_every_open_form_page_has_its_form_region(zensical_site: Path) -> None:
    """The endpoint re-renders a form by swapping this region in the built page."""
    checked = []
    for manifest_file in sorted((zensical_site / "api" / "forms").glob("*.json")):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        html = (zensical_site / manifest["page_file"]).read_text(encoding="utf-8")
        if manifest["id"] in OPEN_FORMS:
            assert start_marker(manifest["id"]) in html and end_marker(manifest["id"]) in html
            checked.append(manifest["id"])
    assert checked == sorted(OPEN_FORMS)


def test_shell_page_has_the_slot_and_the_site_name(zensical_site: Path) -> None:
    html = (zensical_site / "_portal" / "page" / "index.html").read_text(encoding="utf-8")
    assert html.count("<!--portal:slot-->") == 1
    assert "<title>Your response - Northbridge Participation Portal</title>" in html


def test_page_content_is_the_mkdocs_content(demo_site: Path, zensical_site: Path) -> None:
    """Inside <article>, the same HTML (blank lines and Zensical's skip target aside) on
    every page: staff-written, consultations, datasets, filters."""
    changed = []
    for page in sorted(in_default_language(all_pages(demo_site))):
        if "/rows/" in page or page == "404.html":  # data rows are files, not pages
            continue
        mkdocs, zensical = (_article(site, page) for site in (demo_site, zensical_site))
        if mkdocs != zensical:
            changed.append(page)
    assert changed == []


def test_contents_rail_lists_the_headings(demo_site: Path, zensical_site: Path) -> None:
    """A long staff guide (show_toc: true) has its contents, from the final HTML."""
    page = "publishers/index.html"
    assert _contents(zensical_site / page) == _contents(demo_site / page)
    assert len(_contents(demo_site / page)) >= 5


def _contents(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    rail = html[html.index('data-md-type="toc"') :]
    rail = rail[: rail.index("</nav>")]
    return re.findall(r'href="(#[^"]+)"', rail)


def _article(site: Path, page: str) -> str:
    """The article, each link as the address it leads to ('../' and '../../programme/' from
    programme/enquire/ are one page: MkDocs writes the one, the Markdown the other)."""
    found = ARTICLE.search((site / page).read_text(encoding="utf-8"))
    assert found, page
    html = found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "")
    here = "https://site.test/" + page.removesuffix("index.html")
    html = HREF.sub(lambda link: f'href="{urljoin(here, link.group(1))}"', html)
    return "\n".join(line for line in html.splitlines() if line.strip())


def test_links_between_staff_pages_point_at_addresses(zensical_site: Path) -> None:
    about = (zensical_site / "about" / "index.html").read_text(encoding="utf-8")
    enquire = (zensical_site / "programme" / "enquire" / "index.html").read_text(encoding="utf-8")
    assert 'href="../privacy/"' in about
    assert 'href="../../privacy/"' in enquire
    assert '.md"' not in about + enquire


def test_materials_search_index_has_the_same_entries(demo_site: Path, zensical_site: Path) -> None:
    """The endpoint's search without JavaScript reads Material's index, in both builds."""
    index = "search/search_index.json"
    mkdocs = json.loads((demo_site / index).read_text(encoding="utf-8"))
    zensical = json.loads((zensical_site / index).read_text(encoding="utf-8"))
    assert zensical["config"] == mkdocs["config"]
    assert sorted((d["location"], d["title"]) for d in zensical["docs"]) == sorted(
        (d["location"], d["title"]) for d in mkdocs["docs"]
    )
