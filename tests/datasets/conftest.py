"""Fixtures for the datasets tests: a throwaway portal root holding data packages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portal.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# shared/ sits beside the repository (../shared), here and in CI's fresh clone alike.
SHARED = next(
    (
        p
        for p in (ROOT.parent / "shared" / "data-packages", Path("/work/shared/data-packages"))
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "data-packages",
)

MakePackage = Callable[..., Path]


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """A portal root with the real theme and an empty datasets/ folder."""
    (tmp_path / "datasets").mkdir()
    (tmp_path / "theme").symlink_to(ROOT / "theme")
    return Settings(root=tmp_path, site_name="Test portal", site_url="https://example.org/")


@pytest.fixture()
def make_package(settings: Settings) -> MakePackage:
    """Write datasets/NAME/ with a descriptor and files {relative path: text}."""

    def make(name: str, descriptor: dict[str, Any], files: dict[str, str]) -> Path:
        folder = settings.datasets_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
        (folder / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        return folder

    return make


@pytest.fixture()
def copy_shared(settings: Settings) -> Callable[[str], Path]:
    """Copy one of the published test packages in, byte for byte."""

    def copy(name: str) -> Path:
        if not (SHARED / name).is_dir():
            pytest.fail(f"shared test package {name} is missing from {SHARED}")
        return Path(shutil.copytree(SHARED / name, settings.datasets_dir / name))

    return copy
