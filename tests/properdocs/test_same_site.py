"""The MkDocs adapter, unchanged, on ProperDocs: the same site as on MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generators.same_site import (
    all_pages,
    differences,
    downloads,
    in_default_language,
    manifests,
)

GENERATOR_TAG = '<meta name="generator" content="mkdocs-ProperDocs '


@pytest.fixture(params=["portal build", "properdocs build"])
def built(request: pytest.FixtureRequest) -> Path:
    name = "properdocs_site" if request.param == "portal build" else "properdocs_cli_site"
    site: Path = request.getfixturevalue(name)
    return site


def test_built_by_properdocs_not_mkdocs(built: Path) -> None:
    """Material names the generator it ran on: ProperDocs, whose mkdocs.* it is."""
    assert GENERATOR_TAG in (built / "index.html").read_text(encoding="utf-8")


def expected_pages(demo_site: Path, built: Path, request: pytest.FixtureRequest) -> set[str]:
    """Every page of the MkDocs build; ``properdocs build`` alone, like ``mkdocs build``
    alone, builds the default language (one build per language is ``portal build``'s)."""
    pages = all_pages(demo_site)
    cli = request.node.callspec.params.get("built") == "properdocs build"
    return in_default_language(pages) if cli else pages


def test_same_pages(demo_site: Path, built: Path, request: pytest.FixtureRequest) -> None:
    assert all_pages(built) == expected_pages(demo_site, built, request)


def test_manifests_are_byte_identical(demo_site: Path, built: Path) -> None:
    expected = manifests(demo_site)
    assert expected and differences(expected, manifests(built)) == []


def test_same_downloads_feeds_and_data(demo_site: Path, built: Path) -> None:
    expected = downloads(demo_site)
    assert expected and differences(expected, downloads(built)) == []


def test_same_search_index(demo_site: Path, built: Path) -> None:
    """Material's search index, which the endpoint's search without JavaScript reads."""
    index = "search/search_index.json"
    assert (built / index).read_bytes() == (demo_site / index).read_bytes()


def test_pages_differ_only_in_the_generator_tag(
    demo_site: Path, built: Path, request: pytest.FixtureRequest
) -> None:
    changed = []
    for page in sorted(expected_pages(demo_site, built, request)):
        mkdocs = (demo_site / page).read_text(encoding="utf-8")
        properdocs = (built / page).read_text(encoding="utf-8")
        if properdocs.replace("mkdocs-ProperDocs 1.6.7", "mkdocs-1.6.1") != mkdocs:
            changed.append(page)
    assert changed == []
