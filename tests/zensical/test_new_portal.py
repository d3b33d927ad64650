"""A portal made by 'portal init' (theme: name: portal, the engine's theme) builds with
Zensical too, with the engine's templates and nothing of the theme's package in the site."""

from __future__ import annotations

from pathlib import Path

from tests.support import portal


def test_a_new_portal_builds_with_zensical(tmp_path: Path) -> None:
    root = tmp_path / "our-portal"
    portal("init", str(root))
    site = tmp_path / "site"
    portal("build", "--generator", "zensical", "--site-dir", str(site), root=root)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/portal/forms.css" in home, "the engine's theme styles the page"
    assert 'href="#__skip" class="md-skip"' in home
    assert list((site / "api" / "forms").glob("*.json")), "the example form's manifest"
    assert list((site / "consultations").rglob("index.html"))
    for not_site in ["__init__.py", "mkdocs_theme.yml", "pelican", "material"]:
        assert not (site / not_site).exists(), not_site
