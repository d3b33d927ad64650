"""Sites built once per session for the discovery tests, all at the same pinned instant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from discovery_sites import SITE_URL, add_past_consultations, build, fixture_copy, static_server
from tests.support import ROOT, Server


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture portal with a site_url, so feeds carry absolute addresses."""
    root = fixture_copy(tmp_path_factory.mktemp("fixture") / "src", site_url=SITE_URL)
    build(root, root / "site")
    return root / "site"


@pytest.fixture(scope="session")
def relative_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture portal without site_url: addresses are root-relative."""
    root = fixture_copy(tmp_path_factory.mktemp("relative") / "src")
    build(root, root / "site")
    return root / "site"


@pytest.fixture(scope="session")
def pinned_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's demo portal as of the pinned instant (statuses do not drift)."""
    folder = tmp_path_factory.mktemp("pinned-demo")
    build(ROOT, folder / "site")
    return folder / "site"


@pytest.fixture(scope="session")
def demo_static(pinned_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("static") / "server.log"
    with static_server(pinned_demo, log) as server:
        yield server


@pytest.fixture(scope="session")
def paged_static(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The fixture portal with enough past consultations for second pages, served."""
    folder = tmp_path_factory.mktemp("paged")
    root = fixture_copy(folder / "src", demo_assets=True)
    add_past_consultations(root, 22)
    build(root, folder / "site")
    with static_server(folder / "site", folder / "server.log") as server:
        yield server
