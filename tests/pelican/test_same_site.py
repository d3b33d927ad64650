"""The Pelican build publishes the same portal as the MkDocs build, from the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.forms.render import end_marker, start_marker

# Forms open in the demo content for months either side of today (tests/e2e relies on it too).
OPEN_FORMS = {"programme-enquiry", "smart-parking-sensors"}


def pages_under(site: Path, folder: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / folder).rglob("index.html")}


@pytest.mark.parametrize("folder", ["consultations", "datasets"])
def test_same_addresses(demo_site: Path, pelican_site: Path, folder: str) -> None:
    mkdocs = pages_under(demo_site, folder)
    assert mkdocs, f"the MkDocs build has no {folder} pages"
    assert pages_under(pelican_site, folder) == mkdocs


def test_same_staff_pages(demo_site: Path, pelican_site: Path) -> None:
    for address in [
        "index.html",
        "about/index.html",
        "programme/index.html",
        "programme/enquire/index.html",
        "publishers/index.html",
        "_portal/page/index.html",
        "404.html",
    ]:
        assert (demo_site / address).is_file(), address
        assert (pelican_site / address).is_file(), address


def test_manifests_are_byte_identical(demo_site: Path, pelican_site: Path) -> None:
    mkdocs = {p.name: p.read_bytes() for p in (demo_site / "api" / "forms").glob("*.json")}
    pelican = {p.name: p.read_bytes() for p in (pelican_site / "api" / "forms").glob("*.json")}
    assert mkdocs and pelican.keys() == mkdocs.keys()
    for name, data in mkdocs.items():
        assert pelican[name] == data, name


def test_same_downloads(demo_site: Path, pelican_site: Path) -> None:
    """Consultation documents and dataset files, byte for byte."""
    for folder in ["consultations", "datasets"]:
        files = {
            p.relative_to(demo_site)
            for p in (demo_site / folder).rglob("*")
            if p.is_file() and p.suffix != ".html"
        }
        assert files, folder
        for relative in files:
            copy = pelican_site / relative
            assert copy.is_file(), relative
            assert copy.read_bytes() == (demo_site / relative).read_bytes(), relative


def test_every_open_form_page_has_its_form_region(pelican_site: Path) -> None:
    """The endpoint re-renders a form by swapping this region in the built page."""
    checked = []
    for manifest_file in sorted((pelican_site / "api" / "forms").glob("*.json")):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        html = (pelican_site / manifest["page_file"]).read_text(encoding="utf-8")
        if manifest["id"] in OPEN_FORMS:
            assert start_marker(manifest["id"]) in html and end_marker(manifest["id"]) in html
            checked.append(manifest["id"])
    assert checked == sorted(OPEN_FORMS)


def test_shell_page_has_the_slot_and_the_site_name(pelican_site: Path) -> None:
    html = (pelican_site / "_portal" / "page" / "index.html").read_text(encoding="utf-8")
    assert html.count("<!--portal:slot-->") == 1
    assert "<title>Your response - Northbridge Participation Portal</title>" in html
    assert "<h1" not in html.split("<!--portal:slot-->")[0].split("<main")[1]


def test_links_between_staff_pages_point_at_addresses(pelican_site: Path) -> None:
    about = (pelican_site / "about" / "index.html").read_text(encoding="utf-8")
    enquire = (pelican_site / "programme" / "enquire" / "index.html").read_text(encoding="utf-8")
    assert 'href="../privacy/"' in about
    assert 'href="../../privacy/"' in enquire
    assert '.md"' not in about + enquire
