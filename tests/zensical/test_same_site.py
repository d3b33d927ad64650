"""The Zensical build publishes the same portal as the MkDocs build, from the same files:
here what Zensical writes again of Material (the article, the contents, the search index);
what every generator must share is in tests/generators/test_other_generators_same_site.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

from tests.generators.same_site import all_pages

ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)
HREF = re.compile(r'href="([^"]*)"')


def test_no_theme_files_in_the_site(zensical_site: Path) -> None:
    """The staged theme is the theme's templates and assets, not its Python or its YAML."""
    assert not (zensical_site / "__init__.py").exists()
    assert not (zensical_site / "mkdocs_theme.yml").exists()
    assert not (zensical_site / "material").exists()


def test_page_content_is_the_mkdocs_content(demo_site: Path, zensical_site: Path) -> None:
    """Inside <article>, the same HTML (blank lines and Zensical's skip target aside) on
    every page: staff-written, consultations, datasets, filters."""
    changed = []
    for page in sorted(all_pages(demo_site)):
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


def test_materials_search_index_has_the_same_entries(demo_site: Path, zensical_site: Path) -> None:
    """The endpoint's search without JavaScript reads Material's index, in both builds."""
    index = "search/search_index.json"
    mkdocs = json.loads((demo_site / index).read_text(encoding="utf-8"))
    zensical = json.loads((zensical_site / index).read_text(encoding="utf-8"))
    assert zensical["config"] == mkdocs["config"]
    assert sorted((d["location"], d["title"]) for d in zensical["docs"]) == sorted(
        (d["location"], d["title"]) for d in mkdocs["docs"]
    )
