"""`portal serve`: the whole portal on one origin, rebuilt when a file changes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx

from tests.support import FIXTURE_SITE, Server, copy_site, free_port


def test_serve_shows_the_site_posts_to_the_endpoint_and_rebuilds_on_change(
    tmp_path: Path,
) -> None:
    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    port = free_port()
    server = Server(
        [sys.executable, "-m", "portal.cli", "--root", str(root), "serve", "--port", str(port)],
        port,
        tmp_path / "serve.log",
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'responses.sqlite3'}"},
    )
    try:
        server.wait("/consultations/", seconds=120)
        page = server.url + "/consultations/library-hours/"
        assert "Library opening hours" in httpx.get(page).text
        assert httpx.get(server.url + "/health").status_code == 200

        source = root / "consultations" / "library-hours" / "index.md"
        source.write_text(
            source.read_text("utf-8").replace(
                "title: Library opening hours", "title: Library hours, revised"
            ),
            encoding="utf-8",
        )
        # Bounded wait for the rebuild (a count of tries, not a time limit on the build).
        for _ in range(240):
            if "Library hours, revised" in httpx.get(page).text:
                break
            time.sleep(0.5)
        else:
            raise AssertionError(f"the page was not rebuilt:\n{server.read_log()}")
    finally:
        server.stop()
