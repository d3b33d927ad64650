"""The demo portal built on ProperDocs, once per run: by 'portal build --generator
properdocs', and by ProperDocs' own command, 'properdocs build'."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, portal


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("properdocs") / "site"
    portal("build", "--generator", "properdocs", "--site-dir", str(site))
    return site


@pytest.fixture(scope="session")
def properdocs_cli_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """'properdocs build -f mkdocs.yml', as a site that left MkDocs for ProperDocs runs it."""
    site = tmp_path_factory.mktemp("properdocs-cli") / "site"
    command = shutil.which("properdocs", path=str(Path(sys.executable).parent))
    assert command, "properdocs is not installed: run 'make setup' (it is in the test extras)"
    done = subprocess.run(
        [command, "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return site
