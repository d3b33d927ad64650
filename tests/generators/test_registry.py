"""Generators are found by entry point (portal.generators); the command and a deployment's
PORTAL_GENERATOR pick one, and a wrong name is said plainly."""

from __future__ import annotations

from pathlib import Path

from portal import generators
from tests.support import portal


def test_every_adapter_is_registered() -> None:
    assert generators.names() == ["mkdocs", "pelican", "properdocs", "zensical"]
    for name in generators.names():
        generator = generators.get(name)
        assert isinstance(generator, generators.Generator) and generator.name == name
        assert generator.summary


def test_an_unknown_name_on_the_command_line_lists_the_choices(tmp_path: Path) -> None:
    done = portal("build", "--generator", "hugo", "--site-dir", str(tmp_path), check=False)
    assert done.returncode == 2
    assert "invalid choice: 'hugo'" in done.stderr and "zensical" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_name_in_the_environment_builds_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = portal("build", "--site-dir", str(site), env={generators.ENV: "hugo"}, check=False)
    assert done.returncode == 1
    assert "There is no site generator called 'hugo'" in done.stderr
    assert "mkdocs, pelican, properdocs, zensical" in done.stderr
    assert "Traceback" not in done.stderr and not site.exists()


def test_the_environment_picks_the_generator(tmp_path: Path) -> None:
    site = tmp_path / "site"
    portal("build", "--site-dir", str(site), env={generators.ENV: "pelican"})
    # Pelican's theme is the portal's own; Material's pages have its md-header.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="site-header' in home and "md-header" not in home
