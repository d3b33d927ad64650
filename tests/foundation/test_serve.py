"""`portal serve`: the whole portal on one origin, rebuilt when a file changes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
import pytest

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


def _serve(root: Path, tmp_path: Path, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    return Server(
        [sys.executable, "-m", "portal.cli", "--root", str(root), "serve", "--port", str(port)],
        port,
        tmp_path / "serve.log",
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'responses.sqlite3'}", **(env or {})},
    )


def _until(server: Server, url: str, status: int) -> httpx.Response:
    # Bounded wait for the rebuild (a count of tries, not a time limit on the build).
    for _ in range(240):
        response = httpx.get(url)
        if response.status_code == status:
            return response
        time.sleep(0.5)
    raise AssertionError(f"{url} never answered {status}:\n{server.read_log()}")


def test_serve_shows_a_failed_rebuild_on_every_page_until_it_is_fixed(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    server = _serve(root, tmp_path)
    try:
        server.wait("/consultations/", seconds=120)
        page = server.url + "/consultations/library-hours/"
        source = root / "consultations" / "library-hours" / "index.md"
        good = source.read_text("utf-8")
        source.write_text(good + "\nSee [the survey](survey.pdf).\n", encoding="utf-8")

        failed = _until(server, page, 503)
        for address in ("/", "/consultations/", "/consultations/bus-lanes/"):
            assert httpx.get(server.url + address).status_code == 503, address
        assert httpx.get(server.url + "/health").status_code == 200, "the endpoint still answers"

        class Shape(HTMLParser):
            def __init__(self) -> None:
                super().__init__()
                self.tags: list[str] = []
                self.items: list[str] = []
                self._in_li = False

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                self.tags.append(tag)
                self._in_li = tag == "li" or self._in_li

            def handle_endtag(self, tag: str) -> None:
                self._in_li = self._in_li and tag != "li"

            def handle_data(self, data: str) -> None:
                if self._in_li and data.strip():
                    self.items.append(data.strip())

        shape = Shape()
        shape.feed(failed.text)
        assert shape.tags.count("h1") == 1 and "main" in shape.tags
        assert 'lang="en"' in failed.text and "<title>Error: " in failed.text
        assert any(
            item.startswith("consultations/library-hours/index.md:12: ")
            and item.endswith("[link-broken]")
            for item in shape.items
        ), shape.items

        source.write_text(good, encoding="utf-8")
        fixed = _until(server, page, 200)
        assert "Library opening hours" in fixed.text
    finally:
        server.stop()


@pytest.mark.parametrize("earlier_site", [False, True])
def test_serve_with_a_malformed_portal_now_stops_with_the_reason(
    earlier_site: bool, tmp_path: Path
) -> None:
    """Never the earlier site as if it were current: the reason, and a non-zero exit."""
    from tests.support import portal

    root = copy_site(FIXTURE_SITE, tmp_path / "portal")
    if earlier_site:
        portal("build", root=root)
    result = portal(
        "serve", "--port", str(free_port()), root=root, env={"PORTAL_NOW": "soon"}, check=False
    )
    assert result.returncode != 0
    assert "PORTAL_NOW: 'soon' is not a date and time" in result.stderr
    assert "Traceback" not in result.stderr
