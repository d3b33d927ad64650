"""The adapter's small parts, and a failed Pelican build."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.pelican_plugin.config import markdown_settings
from portal.pelican_plugin.links import site_link
from portal.pelican_plugin.nav import NavLink, is_current, nav_links
from tests.foundation.bad_content import GOOD
from tests.support import FIXTURE_SITE, copy_site, portal


@pytest.mark.parametrize(
    ("link", "src_uri", "expected"),
    [
        ("privacy.md", "about.md", "../privacy/"),
        ("../privacy.md#rights", "programme/enquire.md", "../../privacy/#rights"),
        ("index.md", "programme/enquire.md", "../../programme/"),
        ("enquire.md", "programme/index.md", "../programme/enquire/"),
        ("index.md", "about.md", "../"),
        ("images/map.png", "about.md", "../images/map.png"),
        ("plan.pdf", "consultations/x/index.md", "../../consultations/x/plan.pdf"),
        ("https://example.org/a.md", "about.md", "https://example.org/a.md"),
        ("/privacy/", "about.md", "/privacy/"),
        ("#top", "about.md", "#top"),
        ("mailto:a@example.org", "about.md", "mailto:a@example.org"),
    ],
)
def test_links_are_rebased_like_mkdocs(link: str, src_uri: str, expected: str) -> None:
    assert site_link(link, src_uri) == expected


def test_nav_comes_from_mkdocs_yml() -> None:
    nav = [
        {"Home": "index.md"},
        {"Programme": ["programme/index.md", {"Enquire": "programme/enquire.md"}]},
        "about.md",
        {"Elsewhere": "https://example.org/"},
    ]
    links = nav_links(nav, {"about.md": "About us"})
    assert links == [
        NavLink("Home", ""),
        NavLink("Programme", "programme/"),
        NavLink("About us", "about/"),
    ]
    assert is_current(links[1], "programme/enquire/")
    assert not is_current(links[0], "programme/")
    assert is_current(links[0], "")


def test_markdown_settings_follow_mkdocs_yml() -> None:
    settings = markdown_settings(
        {"markdown_extensions": ["attr_list", {"toc": {"permalink": False}}]}
    )
    configs = settings["extension_configs"]
    assert configs["toc"] == {"permalink": False}
    assert {"attr_list", "tables", "fenced_code"} <= configs.keys()


def test_a_page_starting_with_a_colon_line_keeps_it(tmp_path: Path) -> None:
    """Pelican's own reader would take "Note: ..." as metadata; the adapter must not."""
    root = copy_site(FIXTURE_SITE, tmp_path / "root")
    (root / "content" / "note.md").write_text(
        "---\ntitle: A note\n---\nNote: this line is text.\n", encoding="utf-8"
    )
    site = tmp_path / "site"
    portal("build", "--generator", "pelican", "--site-dir", str(site), root=root)
    html = (site / "note" / "index.html").read_text(encoding="utf-8")
    assert "Note: this line is text." in html
    assert "<title>A note - " in html and "<h1>A note</h1>" in html


def test_invalid_content_fails_with_every_problem_and_keeps_the_old_site(tmp_path: Path) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "root")
    site = tmp_path / "site"
    portal("build", "--generator", "pelican", "--site-dir", str(site), root=root)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    for name in ["one", "two"]:
        folder = root / "consultations" / f"bad-{name}"
        folder.mkdir()
        (folder / "index.md").write_text(GOOD.replace("opens: 2027-01-01\n", ""), encoding="utf-8")
    result = portal(
        "build", "--generator", "pelican", "--site-dir", str(site), root=root, check=False
    )
    assert result.returncode == 1
    assert "consultations/bad-one/index.md" in result.stderr
    assert "consultations/bad-two/index.md" in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
