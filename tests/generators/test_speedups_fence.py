"""Material's speed-ups (portal.mkdocs_plugin.speedups) can make the build faster, never
different: the demo built with them off is the demo built with them on, file for file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from portal.mkdocs_plugin import speedups
from tests.support import portal


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("plain") / "site"
    portal("build", "--site-dir", str(site), env={speedups.ENV: "off"})
    return site


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_every_file_is_the_same_with_the_speedups_off(demo_site: Path, plain_site: Path) -> None:
    fast, plain = files_of(demo_site), files_of(plain_site)
    assert sorted(plain) == sorted(fast)
    assert [name for name in sorted(fast) if plain[name] != fast[name]] == []


def test_the_search_index_is_materials_own(demo_site: Path, plain_site: Path) -> None:
    """Said on its own: the index made on the second core is the one Material makes."""
    index = "search/search_index.json"
    assert (plain_site / index).read_bytes() == (demo_site / index).read_bytes()


def test_pages_outside_the_navigation_share_one_sidebar(plain_site: Path) -> None:
    """What the shared navigation rests on: rendered for each page (the plain build), two
    consultations in one folder get the same sidebar, so rendering it once is enough."""
    sidebars = {
        _sidebar(plain_site / "consultations" / slug / "index.html")
        for slug in ["smart-parking-sensors", "open-data-charter"]
    }
    assert len(sidebars) == 1


def _sidebar(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start : html.index("</nav>", start)]


def test_a_changed_material_takes_the_plain_path_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def moved() -> str:
        raise AttributeError("'SearchIndex' object has no attribute 'entries'")

    with caplog.at_level(logging.WARNING, logger=speedups.log.name):
        results = [speedups.attempt("test speed-up", moved, lambda: "plain") for _ in range(2)]
    assert results == ["plain", "plain"]
    said = [r.getMessage() for r in caplog.records if "test speed-up" in r.getMessage()]
    assert len(said) == 1 and "Material or MkDocs has changed" in said[0]


def test_a_failure_of_its_own_is_not_taken_for_a_change() -> None:
    """Only what a changed Material raises falls back; a real build error still stops."""

    def broken() -> str:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        speedups.attempt("other speed-up", broken, lambda: "plain")
