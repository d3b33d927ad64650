"""A served demo portal with the staff area on and one account, per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.staff.helpers import STAFF_ENV, add_account
from tests.support import Server, fresh_db, serve_portal


@pytest.fixture(scope="module")
def staff_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = fresh_db(tmp_path_factory.mktemp("staff"))
    add_account(path)
    return path


@pytest.fixture(scope="module")
def staff_server(demo_site: Path, staff_db: Path) -> Iterator[Server]:
    with serve_portal(demo_site, staff_db, staff_db.parent / "server.log", env=STAFF_ENV) as s:
        yield s
