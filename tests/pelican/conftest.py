"""The demo portal built with Pelican, once per run, and served with the endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import portal, serve_portal


@pytest.fixture(scope="session")
def pelican_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("pelican") / "site"
    portal("build", "--generator", "pelican", "--site-dir", str(site))
    return site


@pytest.fixture(scope="session")
def pelican_server(pelican_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The Pelican site and the endpoint on one origin, with a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("pelican-server")
    with serve_portal(pelican_site, folder / "responses.sqlite3", folder / "server.log") as server:
        yield server
