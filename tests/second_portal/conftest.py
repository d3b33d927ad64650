"""The second test portal (tests/fixtures/second-portal), copied, built with each generator
and served with the endpoint, all at one pinned moment in its own time zone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e_forms.conftest import FormsServer
from tests.support import ROOT, portal, serve_portal

SECOND_PORTAL = ROOT / "tests" / "fixtures" / "second-portal"
# Summer in New Zealand (daylight time, +13:00): the coastal erosion consultation is open,
# the library one has closed with an outcome, the water meters one opens after the clocks
# go back in April (+12:00).
NOW = {"PORTAL_NOW": "2027-02-10T10:00:00+13:00"}
FORM = "/consultations/coastal-erosion-kowhai-bay/"
FORM_ID = "coastal-erosion"
GENERATORS = ["mkdocs", "pelican"]


@dataclass
class SecondServer(FormsServer):
    """A served build of the second portal: the site it serves and the generator of it."""

    site: Path = Path()
    generator: str = ""


def copy_second_portal(dest: Path) -> Path:
    """A writable copy: a build writes site/, build/ (a cache) and var/ beside the content."""
    ignore = shutil.ignore_patterns("site", "build", "var", ".site-*")
    shutil.copytree(SECOND_PORTAL, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="session")
def second_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_second_portal(tmp_path_factory.mktemp("second") / "portal")


@pytest.fixture(scope="session")
def second_sites(second_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The portal built by each generator, as `portal build` builds it."""
    sites = {}
    for generator in GENERATORS:
        site = tmp_path_factory.mktemp(f"second-{generator}") / "site"
        portal(
            "build", "--generator", generator, "--site-dir", str(site), root=second_root, env=NOW
        )
        sites[generator] = site
    return sites


@pytest.fixture(scope="module", params=GENERATORS)
def second_server(
    request: pytest.FixtureRequest,
    second_sites: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SecondServer]:
    """Each generator's site and the endpoint on one origin, with a fresh SQLite file."""
    generator = str(request.param)
    folder = tmp_path_factory.mktemp(f"second-server-{generator}")
    db = folder / "responses.sqlite3"
    env = {**NOW, "PORTAL_RATE_LIMIT": "1000/minute"}
    with serve_portal(second_sites[generator], db, folder / "server.log", env=env) as server:
        yield SecondServer(server, db, second_sites[generator], generator)
