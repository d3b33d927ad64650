"""`portal serve`'s edit-to-preview loop (portal.preview), on a real server over real HTTP.

One server for the module, and the tests in order: each edits real files on disk and polls
the served pages until the change shows. The polls are bounded by a count of tries that
only keeps a broken loop from hanging the suite: how fast an edit shows is measured by
bench/preview.py, not asserted here.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import FIXTURE_SITE, Server, copy_site, free_port, portal

TRIES = 600  # of 0.1 s each
READY = "Edited consultations now show as soon as they are saved."


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("preview")
    root = copy_site(FIXTURE_SITE, tmp / "portal")
    port = free_port()
    server = Server(
        [sys.executable, "-m", "portal.cli", "--root", str(root), "serve", "--port", str(port)],
        port,
        tmp / "serve.log",
        {"DATABASE_URL": f"sqlite:///{tmp / 'responses.sqlite3'}"},
    )
    try:
        server.wait("/consultations/", seconds=180)
        # The quick preview is ready once it says so; before, edits show by full builds.
        _until(server, "the quick preview", lambda: READY in server.read_log())
        yield server, root
    finally:
        server.stop()


def _until(server: Server, what: str, seen: Callable[[], bool]) -> None:
    for _ in range(TRIES):
        if seen():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} never showed:\n{server.read_log()}")


def _page(server: Server, address: str) -> httpx.Response:
    response = httpx.get(server.url + address, timeout=30)
    if response.status_code == 200 and "text/html" in response.headers.get("content-type", ""):
        # Each page is served whole, old or new: never a file caught half-written.
        assert response.text.rstrip().endswith("</html>"), response.text[-200:]
    return response


def _shows(server: Server, address: str, text: str) -> Callable[[], bool]:
    def seen() -> bool:
        response = _page(server, address)
        return response.status_code == 200 and text in response.text

    return seen


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_title_shows_on_its_page_and_in_the_listings(
    served: tuple[Server, Path],
) -> None:
    server, root = served
    source = root / "consultations" / "library-hours" / "index.md"
    _edit(source, "title: Library opening hours", "title: Library hours, as revised")
    _until(
        server,
        "the new title on its page",
        _shows(server, "/consultations/library-hours/", "Library hours, as revised"),
    )
    for listing in ("/consultations/", "/consultations/filter/topic/libraries/"):
        _until(server, f"the new title on {listing}", _shows(server, listing, "as revised"))
    assert "Library opening hours" not in _page(server, "/consultations/library-hours/").text


def test_a_new_consultation_shows_with_its_place_in_the_index_and_filter_pages(
    served: tuple[Server, Path],
) -> None:
    server, root = served
    folder = root / "consultations" / "reading-rooms"
    shutil.copytree(root / "consultations" / "library-hours", folder)
    _edit(folder / "index.md", "title: Library hours, as revised", "title: Quiet reading rooms")
    _until(
        server,
        "the new consultation's page",
        _shows(server, "/consultations/reading-rooms/", "Quiet reading rooms"),
    )
    for listing in (
        "/consultations/",
        "/consultations/filter/topic/libraries/",
        "/consultations/filter/status/forthcoming/",
    ):
        _until(
            server,
            f"the new consultation on {listing}",
            _shows(server, listing, "Quiet reading rooms"),
        )


def test_a_broken_edit_shows_its_problems_while_the_last_good_site_stays(
    served: tuple[Server, Path],
) -> None:
    server, root = served
    source = root / "consultations" / "library-hours" / "index.md"
    good = source.read_text("utf-8")
    _edit(source, "opens: 2027-01-10", "opens: the tenth of January")

    def failed() -> bool:
        response = _page(server, "/consultations/library-hours/")
        return response.status_code == 503 and "consultations/library-hours/index.md:" in (
            response.text
        )

    _until(server, "the problem page", failed)
    problem = _page(server, "/consultations/")
    assert problem.status_code == 503 and "opens" in problem.text
    # The files behind it are still the last good site, whole.
    on_disk = (root / "site" / "consultations" / "library-hours" / "index.html").read_text("utf-8")
    assert "Library hours, as revised" in on_disk and "the tenth of January" not in on_disk

    source.write_text(good.replace("Library hours, as revised", "Library hours, fixed"), "utf-8")
    _until(
        server,
        "the fixed page",
        _shows(server, "/consultations/library-hours/", "Library hours, fixed"),
    )


def test_a_broken_link_is_refused_at_once(served: tuple[Server, Path]) -> None:
    server, root = served
    source = root / "consultations" / "reading-rooms" / "index.md"
    good = source.read_text("utf-8")
    source.write_text(good + "\nSee [the survey](no-such-survey.pdf).\n", encoding="utf-8")

    def failed() -> bool:
        response = _page(server, "/consultations/reading-rooms/")
        return response.status_code == 503 and "[link-broken]" in response.text

    _until(server, "the broken link's problem", failed)
    assert "no-such-survey" not in (
        root / "site" / "consultations" / "reading-rooms" / "index.html"
    ).read_text("utf-8")
    source.write_text(good, encoding="utf-8")
    _until(
        server,
        "the page again",
        lambda: _page(server, "/consultations/reading-rooms/").status_code == 200,
    )


def _differences(a: Path, b: Path) -> list[str]:
    """Files in only one of the two sites, or with other bytes."""
    left = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"only in one: {name}" for name in sorted(left ^ right)]
    for name in sorted(left & right):
        if (a / name).read_bytes() != (b / name).read_bytes():
            found.append(f"differs: {name}")
    return found


def test_once_edits_settle_the_served_site_is_what_portal_build_makes(
    served: tuple[Server, Path], tmp_path: Path
) -> None:
    server, root = served
    fresh = tmp_path / "fresh"
    portal("build", "--site-dir", str(fresh), root=root)
    differences: list[str] = []
    for _ in range(TRIES):
        differences = _differences(root / "site", fresh)
        if not differences:
            break
        time.sleep(0.1)
    assert not differences, (differences[:20], server.read_log())
    assert "Showed consultations/reading-rooms/" in server.read_log(), "the fast path ran"
