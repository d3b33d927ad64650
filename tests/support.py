"""Helpers the tests share: building sites, a real browser, axe, and real servers."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The suite's "now" (see tests/conftest.py): a moment when the demo's consultations are as
# the tests expect them (the smart-parking one open, the open-data charter open, and so on).
TEST_NOW = "2026-12-01T12:00:00+00:00"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def portal(
    *args: str, root: Path = ROOT, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the real ``portal`` command, as staff would."""
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"portal {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def copy_site(source: Path, dest: Path) -> Path:
    """A writable copy of a site whose theme is the repository's own."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("site", "var", ".site-*"))
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("custom_dir: ../../../theme", f"custom_dir: {ROOT / 'theme'}")
    if "custom_dir: theme" in text:
        text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    config.write_text(text, encoding="utf-8")
    return dest


class Server:
    """A real server process on a free 127.0.0.1 port, with its log for failure messages."""

    def __init__(self, args: list[str], port: int, log: Path, env: dict[str, str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            args,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            cwd=ROOT,
        )

    def wait(self, path: str = "/health", seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.read_log()}")
            try:
                if httpx.get(self.url + path, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server did not start in {seconds}s:\n{self.read_log()}")

    def read_log(self) -> str:
        self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-8000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


def endpoint_command(port: int, workers: int = 1) -> list[str]:
    """``portal endpoint`` as production runs it (settings from the environment)."""
    return [
        sys.executable,
        "-m",
        "portal.cli",
        "--root",
        str(ROOT),
        "endpoint",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def post_answers(
    server: Server, form_id: str, answers: dict[str, Any], submission_id: str | None = None
) -> str:
    """One response as the form's page sends it (a list is one field per item), stored;
    its reference."""
    fields: list[tuple[str, str]] = []
    if submission_id is not None:
        fields.append(("submission_id", submission_id))
    for key, value in answers.items():
        fields.extend((key, str(item)) for item in (value if isinstance(value, list) else [value]))
    reply = httpx.post(
        f"{server.url}/responses/{form_id}",
        content=urlencode(fields),
        headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert reply.status_code == 200, (reply.text, server.read_log())
    assert reply.json()["ok"] is True
    reference: str = reply.json()["reference"]
    return reference


def horizontal_overflow(browser: Any, url: str, width: int, scale: int = 1) -> int:
    """How far ``url`` scrolls sideways at ``width`` CSS pixels (0 or less: it does not)."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=scale
    )
    try:
        page = context.new_page()
        page.goto(url)
        overflow: int = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        return overflow
    finally:
        context.close()


FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== 'none');
    return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 30), shown};
}"""


def unfocused_stops(page: Any, presses: int) -> list[dict[str, Any]]:
    """Press Tab ``presses`` times; every element reached whose focus cannot be seen."""
    invisible = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_SHOWN)
        if info and not info["shown"]:
            invisible.append(info)
    return invisible


@contextmanager
def serve_portal(
    site_dir: Path,
    db_path: Path,
    log: Path,
    *,
    root: Path = ROOT,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """``portal serve`` semantics (site and endpoint on one origin) on a built site."""
    port = free_port()
    server_env = {
        "PORTAL_SITE_DIR": str(site_dir),
        "PORTAL_THEME_DIR": str(ROOT / "theme"),
        "DATABASE_URL": f"sqlite:///{db_path}",
        **(env or {}),
    }
    server = Server(
        [sys.executable, "-m", "tests.serve_built", str(site_dir), str(port)], port, log, server_env
    )
    try:
        server.wait()
        yield server
    finally:
        server.stop()


def fresh_db(folder: Path) -> Path:
    """An empty responses database in ``folder``, made as the endpoint makes it on first start."""
    from portal.storage import Storage

    db = folder / "responses.sqlite3"
    storage = Storage(f"sqlite:///{db}")
    storage.create()
    storage.dispose()
    return db


@dataclass
class ServedPortal:
    """A built site served with its endpoint (serve_portal), and the database it writes."""

    server: Server
    db: Path
    site: Path

    @property
    def url(self) -> str:
        return self.server.url

    def query(self, sql: str, *args: object) -> list[sqlite3.Row]:
        with sqlite3.connect(self.db) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, args).fetchall()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (bundled, offline) with the WCAG 2.0/2.1/2.2 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [n["target"] for n in v["nodes"]][:5]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)
