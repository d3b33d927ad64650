"""Sites for the discovery tests: the fixture and demo portals built at a pinned instant,
a copy in a temporary git repository with known commits, and a plain static server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import FIXTURE_SITE, ROOT, Server, copy_site, free_port, portal

NOW = "2027-01-15T12:00"
SITE_URL = "https://consult.example.org/"
REPO_URL = "https://git.example.org/council/portal"


def build(root: Path, site_dir: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    return portal(
        "build", "--site-dir", str(site_dir), root=root, env={"PORTAL_NOW": NOW}, check=check
    )


def set_options(
    root: Path,
    *,
    site_url: str | None = None,
    repo_url: str | None = None,
    demo_assets: bool = False,
) -> None:
    """Edit a copied site's mkdocs.yml as its publisher would."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if site_url is not None:
        text = re.sub(r"(?m)^site_url:.*\n", "", text)
        text = f"site_url: {site_url}\n{text}"
    if repo_url is not None:
        text = text.replace(
            "      timezone: Europe/London\n",
            f"      timezone: Europe/London\n      repo_url: {repo_url}\n",
        )
    if demo_assets:
        demo = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        extra = demo[demo.index("extra_css:") : demo.index("markdown_extensions:")]
        text += "\n" + extra
    config.write_text(text, encoding="utf-8")


def fixture_copy(dest: Path, **options: str | None) -> Path:
    root = copy_site(FIXTURE_SITE, dest)
    set_options(root, **options)
    return root


def add_past_consultations(root: Path, count: int) -> None:
    """``count`` consultations about Transport that closed in early 2025, newest last."""
    for i in range(count):
        folder = root / "consultations" / f"old-{i:02d}"
        folder.mkdir()
        (folder / "index.md").write_text(
            f"---\ntitle: Old consultation {i:02d}\nsummary: Long closed.\n"
            f"organisation: Fixture Council\ncontact: {{email: old@fixture.example}}\n"
            f"topics: [Transport]\n"
            f"opens: 2025-01-{i + 1:02d}\ncloses: 2025-02-{i + 1:02d}\n---\nBody.\n",
            "utf-8",
        )


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Publisher",
        "GIT_AUTHOR_EMAIL": "pub@example.org",
        "GIT_COMMITTER_NAME": "Publisher",
        "GIT_COMMITTER_EMAIL": "pub@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


@contextmanager
def static_server(site_dir: Path, log: Path) -> Iterator[Server]:
    """The built site alone, as any static host would serve it."""
    port = free_port()
    server = Server(
        [
            sys.executable,
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            str(port),
            "--directory",
            str(site_dir),
        ],
        port,
        log,
        {},
    )
    try:
        server.wait("/")
        yield server
    finally:
        server.stop()
