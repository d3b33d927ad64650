"""The build puts the new site in place in one step (building.swap_in), so the endpoint and
nginx, which read site/ while it is rebuilt every hour, never find it missing."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from portal.building import _exchange, swap_in


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_are_exchanged(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text("new")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old")
    assert _exchange(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "new"
    assert (tmp_path / "new" / "index.html").read_text() == "old"


def test_the_site_is_never_missing_while_it_is_swapped(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0")
    missing = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            if not (site / "index.html").exists():
                missing.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 300):
            staging = tmp_path / f".site-{n}"
            staging.mkdir()
            (staging / "index.html").write_text(str(n))
            swap_in(staging, site)
    finally:
        done.set()
        reader.join()
    assert (site / "index.html").read_text() == "299"
    assert missing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
