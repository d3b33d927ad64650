"""The demo portal built with Zensical, once per run, and served with the endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import portal, serve_portal


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("zensical") / "site"
    portal("build", "--generator", "zensical", "--site-dir", str(site))
    return site


@pytest.fixture(scope="session")
def zensical_server(zensical_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The Zensical site and the endpoint on one origin, with a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("zensical-server")
    with serve_portal(zensical_site, folder / "responses.sqlite3", folder / "server.log") as s:
        yield s
