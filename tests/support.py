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
import pytest

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


_BUILT_WITH = pytest.StashKey[dict[str, Path]]()


def built_with(request: pytest.FixtureRequest, generator: str) -> Path:
    """The demo portal built by ``portal build --generator GENERATOR``, once per test run:
    tests/zensical, tests/pelican and tests/generators each have a fixture for it, and a
    conftest's fixture is seen only below its folder, so the build is kept here."""
    built = request.config.stash.setdefault(_BUILT_WITH, {})
    if generator not in built:
        factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
        site = factory.mktemp(generator) / "site"
        portal("build", "--generator", generator, "--site-dir", str(site))
        built[generator] = site
    return built[generator]


@contextmanager
def portal_serve(root: Path, folder: Path, *, seconds: float = 120) -> Iterator[Server]:
    """``portal serve`` of ``root`` (it builds, then rebuilds on change) on a free port, its
    database and log in ``folder``; yielded once it serves /consultations/."""
    port = free_port()
    server = Server(
        [sys.executable, "-m", "portal.cli", "--root", str(root), "serve", "--port", str(port)],
        port,
        folder / "serve.log",
        {"DATABASE_URL": f"sqlite:///{folder / 'responses.sqlite3'}"},
    )
    try:
        server.wait("/consultations/", seconds=seconds)
        yield server
    finally:
        server.stop()


# -- nginx as shipped (deploy/nginx/portal.conf) ------------------------------------------

NGINX = "/usr/sbin/nginx"
PORTAL_CONF = ROOT / "deploy" / "nginx" / "portal.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def _replace_once(text: str, old: str, new: str, shipped: Path) -> str:
    assert text.count(old) == 1, f"{shipped} should contain {old!r} once"
    return text.replace(old, new)


def site_config(
    site: Path,
    http_port: int,
    endpoint_port: int,
    tls: tuple[int, Path, Path] | None,
    log: Path,
    *,
    shipped: Path = PORTAL_CONF,
) -> str:
    """deploy/nginx/portal.conf (or ``shipped``, another tree's) with only the root, ports,
    access log (and a test certificate) changed."""
    text = shipped.read_text(encoding="utf-8")
    listen = f"listen 127.0.0.1:{http_port};"
    if tls is not None:
        port, cert, key = tls
        listen += (
            f"\n    listen 127.0.0.1:{port} ssl;\n    ssl_certificate {cert};"
            f"\n    ssl_certificate_key {key};"
        )
    for old, new in [
        ("listen 80;", listen),
        ("listen [::]:80;", ""),
        ("root /srv/portal/site;", f"root {site};"),
        ("access_log /var/log/nginx/portal.access.log", f"access_log {log}"),
        ("server 127.0.0.1:8001;", f"server 127.0.0.1:{endpoint_port};"),
    ]:
        text = _replace_once(text, old, new, shipped)
    return text


def main_config(folder: Path, site_conf: Path, *, user: str | None = None) -> str:
    """The nginx.conf around the site, as Debian's own is, with every path in ``folder``.

    ``user``: the workers' user. By default root when the tests run as root: otherwise the
    workers would run as nobody, who cannot read pytest's tmp folders."""
    if user is None and os.geteuid() == 0:
        user = "root"
    # nginx makes the temporary folders in here and gives them to the workers' user.
    (folder / "temp").mkdir(mode=0o755, exist_ok=True)
    users = f"user {user};\n" if user else ""
    return (
        f"{users}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n"
        + "".join(
            f"    {name}_temp_path {folder / 'temp' / name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site_conf};\n}}\n"
    )


def start_nginx(
    folder: Path,
    site: Path,
    endpoint_port: int,
    *,
    http_port: int | None = None,
    tls: tuple[int, Path, Path] | None = None,
    user: str | None = None,
    shipped: Path = PORTAL_CONF,
) -> Server:
    """Debian's nginx with deploy/nginx/portal.conf (site_config: only root, ports and log
    paths changed) on ``http_port`` (a free 127.0.0.1 port unless given), in front of the
    endpoint on ``endpoint_port``; its files in ``folder``. Checked with ``nginx -t`` first;
    returned once it answers /health, which the endpoint behind it must serve."""
    port = free_port() if http_port is None else http_port
    site_conf = folder / "portal.conf"
    site_conf.write_text(
        site_config(site, port, endpoint_port, tls, folder / "portal-access.log", shipped=shipped),
        encoding="utf-8",
    )
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site_conf, user=user), encoding="utf-8")
    args = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    tested = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
    assert tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}"
    server = Server([*args, "-g", "daemon off;"], port, folder / "nginx.out", {})
    try:
        server.wait("/health")
    except BaseException:
        server.stop()
        raise
    return server


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
