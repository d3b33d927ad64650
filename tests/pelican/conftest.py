"""The demo portal built with Pelican, once per run (tests/support.py's built_with: the same
build serves tests/generators' browser and same-site tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import built_with


@pytest.fixture(scope="session")
def pelican_site(request: pytest.FixtureRequest) -> Path:
    return built_with(request, "pelican")
