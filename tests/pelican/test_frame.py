"""The council's frame in the Pelican build: the same header facts, phase banner and footer
as the MkDocs build (both from portal.frame), compared page by page between the two builds
rather than against a list written here. axe and 320 px on these pages: test_browser.py."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.frame.html import parse, select, target, text

PAGES = [
    "index.html",
    "privacy/index.html",
    "consultations/smart-parking-sensors/index.html",
    "programme/enquire/index.html",
    "datasets/uk-digital-skills-gap/index.html",
]
# Words of the tools (the staff guides name Pelican and Material as the tools they are).
BRANDING = ["Built with", "Made with", "Material for MkDocs"]


def resolved(page: str, href: str) -> str:
    """A link as the browser follows it from ``page``: the two builds write the same
    address differently ("./" and "../privacy/" on the privacy notice)."""
    return urljoin("http://site/" + page.removesuffix("index.html"), href)


def links(site: Path, page: str, footer: str) -> list[tuple[str, str]]:
    (found,) = select(parse(site, page), footer)
    return [(text(a), resolved(page, a.get("href") or "")) for a in select(found, "a")]


@pytest.mark.parametrize("page", PAGES)
def test_footer_is_the_mkdocs_footer(demo_site: Path, pelican_site: Path, page: str) -> None:
    mkdocs = links(demo_site, page, "footer.portal-footer")
    pelican = links(pelican_site, page, "footer.site-footer")
    assert len(mkdocs) >= 5, mkdocs  # the support links and the licence
    assert pelican == mkdocs
    for _, address in pelican:
        if address.startswith("http://site/"):
            file = target(pelican_site, "", address.removeprefix("http://site/"))
            assert file is not None and file.is_file(), address
    mkdocs_text = text(select(parse(demo_site, page), "footer.portal-footer")[0])
    pelican_text = text(select(parse(pelican_site, page), "footer.site-footer")[0])
    assert pelican_text == mkdocs_text


@pytest.mark.parametrize("page", PAGES)
def test_header_shows_the_organisation_and_its_logo(
    demo_site: Path, pelican_site: Path, page: str
) -> None:
    mkdocs = parse(demo_site, page)
    pelican = parse(pelican_site, page)
    (home,) = select(pelican, "header a.site-name")
    assert resolved(page, home.get("href") or "") == "http://site/"
    words = text(home)
    assert "Northbridge City Council" in words  # the frame's organisation, from mkdocs.yml
    assert text(select(mkdocs, ".md-header__topic")[0]) in words  # and the site's name
    (logo,) = select(home, "img")
    (mkdocs_logo,) = select(mkdocs, "header a.md-logo img")
    assert logo.get("alt") == "", "the link's words name it; the mark is decoration"
    assert resolved(page, logo.get("src") or "") == resolved(page, mkdocs_logo.get("src") or "")
    assert (pelican_site / "assets" / "northbridge-logo.svg").read_bytes() == (
        demo_site / "assets" / "northbridge-logo.svg"
    ).read_bytes()
    icons = [
        [resolved(page, link.get("href") or "") for link in select(doc, "link[rel=icon]")]
        for doc in (mkdocs, pelican)
    ]
    assert icons[0] and icons[1] == icons[0]


@pytest.mark.parametrize("page", PAGES)
def test_phase_banner_is_the_mkdocs_banner(demo_site: Path, pelican_site: Path, page: str) -> None:
    (mkdocs,) = select(parse(demo_site, page), ".md-banner .portal-phase")
    (pelican,) = select(parse(pelican_site, page), ".site-phase .portal-phase")
    assert text(pelican) == text(mkdocs)
    assert [resolved(page, a.get("href") or "") for a in select(pelican, "a")] == [
        resolved(page, a.get("href") or "") for a in select(mkdocs, "a")
    ]


def test_no_tool_branding_on_any_pelican_page(pelican_site: Path) -> None:
    pages = list(pelican_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text("utf-8")
        body = html[html.find("<body") :]
        found = [b for b in BRANDING if b in body]
        assert not found, (page, found)
