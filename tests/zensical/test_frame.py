"""The council's frame, the header's search box and the search forms' endpoint in the Zensical
build as in the MkDocs one: Zensical's templates get no Python globals and no options of
plugins it does not know, so its adapter stages them as data (config.extra)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import ROOT, portal


def test_the_council_frame_is_on_every_page(demo_site: Path, zensical_site: Path) -> None:
    for page in ["index.html", "consultations/smart-parking-sensors/index.html"]:
        mkdocs = (demo_site / page).read_text(encoding="utf-8")
        zensical = (zensical_site / page).read_text(encoding="utf-8")
        for part in ['class="portal-phase"', 'class="portal-footer__links"', 'rel="license"']:
            assert part in mkdocs, (page, part)
            assert part in zensical, (page, part)


def test_search_forms_post_to_an_endpoint_elsewhere(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    for part in ["content", "consultations", "datasets", "theme", "form-versions"]:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, root / part)
    shutil.copyfile(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('endpoint_url: ""', 'endpoint_url: "https://forms.example.org/"', 1)
    config.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    portal("build", "--generator", "zensical", "--site-dir", str(site), root=root)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'action="https://forms.example.org/search"' in home


def test_the_header_has_the_search_box(demo_site: Path, zensical_site: Path) -> None:
    for site in (demo_site, zensical_site):
        home = (site / "index.html").read_text(encoding="utf-8")
        assert 'data-md-component="search"' in home, site
        assert 'class="portal-site-search"' in home, site
