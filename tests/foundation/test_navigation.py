"""Material's navigation, rendered once per folder for pages outside it, is the same HTML
Material writes when it renders the navigation into every page."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import ROOT, portal

NOW = {"PORTAL_NOW": "2027-02-01T12:00:00"}


def demo_copy(dest: Path, theme: Path) -> Path:
    """The demo site outside git (so both builds date changes alike), with ``theme``."""
    dest.mkdir()
    for name in ("content", "consultations", "datasets"):
        shutil.copytree(ROOT / name, dest / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        config.replace("custom_dir: theme", f"custom_dir: {theme}"), encoding="utf-8"
    )
    return dest


def pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_shared_navigation_is_the_navigation_material_renders(tmp_path: Path) -> None:
    plain_theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", plain_theme)
    (plain_theme / "partials" / "nav.html").unlink()
    shared = demo_copy(tmp_path / "shared", ROOT / "theme")
    plain = demo_copy(tmp_path / "plain", plain_theme)
    portal("build", root=shared, env=NOW)
    portal("build", root=plain, env=NOW)
    ours, material = pages(shared / "site"), pages(plain / "site")
    assert sorted(ours) == sorted(material)
    assert [name for name in ours if ours[name] != material[name]] == []
    # Pages in many folders, in and out of the navigation, were compared.
    assert {"consultations/smart-parking-sensors/index.html", "about/index.html"} <= set(ours)
    assert "datasets/uk-digital-skills-gap/index.html" in ours
    assert b'class="md-nav md-nav--primary"' in ours["consultations/filter/index.html"]
