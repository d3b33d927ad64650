"""What every generator's build must share with the MkDocs build, byte for byte or by name.

tests/zensical and tests/properdocs call these with their own build; tests/pelican has its
own copies, written first.
"""

from __future__ import annotations

from pathlib import Path


def pages_under(site: Path, folder: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / folder).rglob("index.html")}


def all_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def in_default_language(pages: set[str]) -> set[str]:
    """The pages of the demo's default language: a generator that publishes one language
    (portal.generators.one_language_note) leaves out the others' folders (``cy/``)."""
    from portal.settings import load_settings
    from tests.support import ROOT

    others = set(load_settings(ROOT).all_languages[1:])
    return {p for p in pages if p.split("/")[0] not in others}


def manifests(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (site / "api" / "forms").glob("*.json")}


def downloads(site: Path) -> dict[str, bytes]:
    """Consultation documents, dataset files, feeds and the API: everything not a page."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for folder in ["consultations", "datasets", "feeds", "api"]
        for p in (site / folder).rglob("*")
        if p.is_file() and p.suffix != ".html"
    }


def differences(expected: dict[str, bytes], built: dict[str, bytes]) -> list[str]:
    missing = sorted(set(expected) - set(built))
    changed = sorted(name for name in expected if name in built and built[name] != expected[name])
    return [f"missing: {name}" for name in missing] + [f"not the same: {name}" for name in changed]
