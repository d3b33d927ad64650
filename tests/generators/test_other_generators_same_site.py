"""The Zensical and the Pelican build publish the same portal as the MkDocs build, from the
same files: the same addresses, manifests and downloads, and the regions the endpoint needs.

What only one of them must show is in its own folder (tests/zensical/test_same_site.py:
Material's parts that Zensical writes again).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.forms.render import end_marker, start_marker
from tests.generators.same_site import all_pages, differences, downloads, manifests, pages_under
from tests.support import built_with

# Forms open in the demo content for months either side of today (tests/e2e relies on it too).
OPEN_FORMS = {"programme-enquiry", "smart-parking-sensors"}
STAFF_PAGES = [
    "index.html",
    "about/index.html",
    "programme/index.html",
    "programme/enquire/index.html",
    "publishers/index.html",
    "_portal/page/index.html",
    "404.html",
]


@pytest.fixture(params=["zensical", "pelican"])
def built(request: pytest.FixtureRequest) -> Path:
    """The generator's build, the one its own folder's tests read."""
    return built_with(request, request.param)


def test_same_pages(demo_site: Path, built: Path) -> None:
    """Every address of the MkDocs build, pages and the rows of the data, and no other."""
    assert all_pages(built) == all_pages(demo_site)
    for folder in ["consultations", "datasets"]:
        mkdocs = pages_under(demo_site, folder)
        assert mkdocs, f"the MkDocs build has no {folder} pages"
        assert pages_under(built, folder) == mkdocs


def test_same_staff_pages(demo_site: Path, built: Path) -> None:
    for address in STAFF_PAGES:
        assert (demo_site / address).is_file(), address
        assert (built / address).is_file(), address


def test_manifests_are_byte_identical(demo_site: Path, built: Path) -> None:
    expected, found = manifests(demo_site), manifests(built)
    assert expected and found.keys() == expected.keys()
    assert differences(expected, found) == []


def test_same_downloads_feeds_and_data(demo_site: Path, built: Path) -> None:
    """Consultation documents, dataset files, feeds and the API, byte for byte."""
    expected = downloads(demo_site)
    for folder in ["consultations", "datasets"]:
        assert any(name.startswith(f"{folder}/") for name in expected), folder
    assert differences(expected, downloads(built)) == []


def test_every_open_form_page_has_its_form_region(built: Path) -> None:
    """The endpoint re-renders a form by swapping this region in the built page."""
    checked = []
    for manifest_file in sorted((built / "api" / "forms").glob("*.json")):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        html = (built / manifest["page_file"]).read_text(encoding="utf-8")
        if manifest["id"] in OPEN_FORMS:
            assert start_marker(manifest["id"]) in html and end_marker(manifest["id"]) in html
            checked.append(manifest["id"])
    assert checked == sorted(OPEN_FORMS)


def test_shell_page_has_the_slot_and_the_site_name(built: Path) -> None:
    html = (built / "_portal" / "page" / "index.html").read_text(encoding="utf-8")
    assert html.count("<!--portal:slot-->") == 1
    assert "<title>Your response - Northbridge Participation Portal</title>" in html
    # The endpoint's content brings the page's one heading.
    assert "<h1" not in html.split("<!--portal:slot-->")[0].split("<main")[1]


def test_links_between_staff_pages_point_at_addresses(built: Path) -> None:
    about = (built / "about" / "index.html").read_text(encoding="utf-8")
    enquire = (built / "programme" / "enquire" / "index.html").read_text(encoding="utf-8")
    assert 'href="../privacy/"' in about
    assert 'href="../../privacy/"' in enquire
    assert '.md"' not in about + enquire
