"""A page replaced while it is being served (portal serve's preview renames each page into
place) is sent wholly old or wholly new, never the old length with the new bytes
(portal.endpoint.static)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx

from tests.support import serve_portal

OLD = b"<p>old</p>" * 90_000  # 900 KB, about the size of a listing page at 5,000
NEW = b"<p>new!</p>" * 77_000  # 847 KB: another length, so a mix-up shows


def test_a_page_renamed_into_place_mid_request_is_sent_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    page = site / "consultations" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(OLD)
    stop = threading.Event()

    def keep_replacing() -> None:
        for turn in range(1_000_000):
            if stop.is_set():
                return
            made = page.with_name(f".index.{turn}.tmp")
            made.write_bytes(NEW if turn % 2 else OLD)
            os.replace(made, page)

    writer = threading.Thread(target=keep_replacing, daemon=True)
    with serve_portal(site, tmp_path / "responses.sqlite3", tmp_path / "server.log") as server:
        writer.start()
        seen = {"old": 0, "new": 0}
        try:
            with httpx.Client(base_url=server.url, timeout=30) as client:
                for _ in range(300):
                    reply = client.get("/consultations/")
                    assert reply.status_code == 200
                    assert reply.content in (OLD, NEW), (
                        f"a mixed page: {len(reply.content)} bytes, "
                        f"Content-Length {reply.headers['content-length']}"
                    )
                    assert int(reply.headers["content-length"]) == len(reply.content)
                    seen["old" if reply.content == OLD else "new"] += 1
        finally:
            stop.set()
            writer.join(timeout=10)
    assert seen["old"] and seen["new"], seen  # the page did change while it was served
