"""Deployed as shipped: the builder, the endpoint's user and nginx's user are three users.

On a server (deploy/portal-*.service, deploy/nginx/portal.conf) the site is built by one
user, read by the endpoint as a user systemd makes up (DynamicUser=yes), and served by
nginx's workers as www-data. A site only its builder can read (``portal build`` once left
``site/`` at mkdtemp's 0700) passes every test that runs all three as one user, and fails
every respondent on the server. This test runs them as three users, as root must here:

- ``portal build`` of this repository's demo content as root (the builder) with the build
  unit's UMask=0022, into a folder under /tmp whose whole path everyone can traverse
  (pytest's tmp_path is 0700 and would hide a bad mode behind its own);
- ``portal endpoint`` as ``nobody`` (``runuser``), with nothing in its environment but what
  the unit sets, and its SQLite database in a state folder owned by nobody with mode 0700,
  as systemd's StateDirectory= makes it;
- Debian's nginx with deploy/nginx/portal.conf (templated as tests/deploy/test_nginx.py
  does: root, ports, log), its master started as root and its workers as ``user www-data``.

Then a consultation is answered through nginx as a browser without JavaScript answers it:
the page is fetched, the form's fields are sent as the HTML says a browser sends them, the
answer is acknowledged with a 303, the confirmation page shows the reference, and the row
is in the database.

The interpreter. The endpoint must run with this virtual environment's Python, but here the
venv's ``python`` is a link into root's home (``/root/.pyenv``, mode 0700), which nobody
cannot enter: as nobody it does not even start. On a server the venv is made from
``/usr/bin/python3.11`` and everyone can run it. So, only when nobody cannot start
``sys.executable``, the same interpreter is made runnable from a readable place: its
binary, ``libpython`` and standard library are hard-linked (or copied, on another file
system) into the test's folder, unchanged, and a venv there (``pyvenv.cfg`` with ``home``
pointing at them) has the real venv's site-packages folder as its own (a link: the packages
are read where they are installed, and /work/main/.venv is readable by everyone). Nothing
in root's home is changed. The repository itself (``--root``, the theme, the code) must be
readable by nobody; the test checks that first and says so if not.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest

from tests.deploy.test_nginx import (
    FORM_ID,
    FORM_PAGE,
    MIME_TYPES,
    NGINX,
    REFERENCE,
    assert_security_headers,
    site_config,
)
from tests.support import ROOT, Server, free_port

ENDPOINT_USER = "nobody"  # stands in for the endpoint unit's DynamicUser
NGINX_USER = "www-data"  # Debian's nginx workers

pytestmark = [
    pytest.mark.skipif(not Path(NGINX).exists(), reason="Debian's nginx is not installed"),
    pytest.mark.skipif(
        os.geteuid() != 0, reason="needs root: to run the endpoint and nginx as other users"
    ),
    pytest.mark.skipif(shutil.which("runuser") is None, reason="runuser is not installed"),
]


def _uid(user: str) -> int:
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        pytest.skip(f"there is no user {user!r} on this machine")


# -- the interpreter, runnable by nobody ------------------------------------------------


def _as_user(user: str, *command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=120,
    )


def _link_or_copy(source: str, dest: str) -> None:
    """A hard link to a file everyone may read; a copy, made readable, of any other.

    A link is the file itself: its mode is never changed here.
    """
    if os.stat(source).st_mode & 0o004:
        try:
            os.link(source, dest)
            return
        except OSError:  # another file system
            pass
    shutil.copy2(source, dest)
    os.chmod(dest, os.stat(dest).st_mode | 0o444)


def readable_python(folder: Path, env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """This venv's interpreter as a path (and environment) that nobody can run."""
    if _as_user(ENDPOINT_USER, sys.executable, "-c", "import portal", env=env).returncode == 0:
        return sys.executable, {}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys.base_prefix)
    binary = Path(os.path.realpath(sys.executable))
    home = folder / "python"
    (home / "bin").mkdir(parents=True)
    _link_or_copy(str(binary), str(home / "bin" / version))
    (home / "lib").mkdir()
    for library in (base / "lib").glob("libpython*.so*"):
        _link_or_copy(str(library), str(home / "lib" / library.name))
    shutil.copytree(
        base / "lib" / version,
        home / "lib" / version,
        ignore=shutil.ignore_patterns("site-packages", "test"),
        copy_function=_link_or_copy,
        symlinks=True,
    )
    venv = folder / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / version).symlink_to(home / "bin" / version)
    (venv / "lib" / version).mkdir(parents=True)
    (venv / "lib" / version / "site-packages").symlink_to(sysconfig.get_paths()["purelib"])
    (venv / "pyvenv.cfg").write_text(
        f"home = {home / 'bin'}\ninclude-system-site-packages = false\n"
        f"version = {sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}\n",
        encoding="utf-8",
    )
    # The folders are this test's own (copytree copied their modes): everyone may enter.
    for path in (folder, *folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    # The binary's RUNPATH names root's home; the loader goes on to LD_LIBRARY_PATH.
    return str(venv / "bin" / version), {"LD_LIBRARY_PATH": str(home / "lib")}


# -- processes and their users ----------------------------------------------------------


def _status(pid: int, name: str) -> int:
    """A number from /proc/PID/status (its first one, for Uid: the real user), or -1."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return -1
    match = re.search(rf"^{name}:\s+(\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else -1


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        children.setdefault(_status(int(entry.name), "PPid"), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def modes(path: Path) -> str:
    """Who may enter each folder on the way to ``path``, for failure messages."""
    parts = [path, *path.parents]
    return ", ".join(f"{p} {p.stat().st_mode & 0o7777:04o}" for p in reversed(parts) if p.exists())


# -- a browser without JavaScript -------------------------------------------------------


@dataclass
class Form:
    action: str = ""
    method: str = "get"
    enctype: str = "application/x-www-form-urlencoded"
    controls: list[dict[str, object]] = field(default_factory=list)


class FormReader(HTMLParser):
    """The form whose action starts with ``action``, with its controls in document order."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.prefix = action
        self.form: Form | None = None
        self.inside = False
        self.select: dict[str, object] | None = None
        self.textarea: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and a.get("action", "").startswith(self.prefix):
            self.form = Form(a["action"], a.get("method", "get").lower())
            self.form.enctype = a.get("enctype") or self.form.enctype
            self.inside = True
            return
        if not self.inside or self.form is None:
            return
        if tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            self.form.controls.append({"tag": tag, "type": kind, **a})
        elif tag == "select":
            self.select = {"tag": "select", "options": [], **a}
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            assert "value" in a, "the test reads options by their value attribute"
            self.select["options"].append(a)  # type: ignore[attr-defined]
        elif tag == "textarea":
            self.textarea = {"tag": "textarea", "text": "", **a}
            self.form.controls.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["text"] = str(self.textarea["text"]) + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def entries(form: Form, choose: dict[str, str]) -> list[tuple[str, str]]:
    """What a browser sends for ``form`` (HTML's form data set) after ``choose`` is ticked."""
    sent: list[tuple[str, str]] = []
    for control in form.controls:
        name = str(control.get("name", ""))
        if not name or "disabled" in control:
            continue
        if control["tag"] == "select":
            options = [o for o in control["options"] if "disabled" not in o]  # type: ignore[attr-defined]
            chosen = [o for o in options if "selected" in o] or options[:1]
            sent += [(name, o["value"]) for o in chosen]
        elif control["tag"] == "textarea":
            text = str(control["text"])
            text = text[1:] if text.startswith("\n") else text  # the parser drops it
            sent.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
        elif control["type"] in ("radio", "checkbox"):
            value = str(control.get("value", "on"))
            if choose.get(name) == value or (name not in choose and "checked" in control):
                sent.append((name, value))
        elif control["type"] not in ("submit", "image", "reset", "button", "file"):
            sent.append((name, str(control.get("value", ""))))
    return sent


# -- the deployment ---------------------------------------------------------------------


@dataclass
class Deployment:
    folder: Path
    site: Path
    database: Path
    url: str
    endpoint: Server
    nginx: Server


def build_site(site: Path) -> subprocess.CompletedProcess[str]:
    """``portal build`` as the build unit runs it: the builder's own user, UMask=0022."""
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        timeout=900,
        umask=0o022,
    )


def nginx_main_config(folder: Path, site_conf: Path) -> str:
    """An nginx.conf as Debian's: master as root, workers as www-data."""
    return (
        f"user {NGINX_USER};\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n"
        # nginx makes these and gives them to the workers' user.
        + "".join(
            f"    {name}_temp_path {folder / 'temp' / name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site_conf};\n}}\n"
    )


@pytest.fixture()
def deployment() -> Iterator[Deployment]:
    nobody = _uid(ENDPOINT_USER)
    _uid(NGINX_USER)
    # Not tmp_path: a 0700 folder on the way would make every mode below it irrelevant.
    folder = Path(tempfile.mkdtemp(prefix="portal-deployed-", dir="/tmp"))
    servers: list[Server] = []
    try:
        folder.chmod(0o755)
        srv = folder / "srv"
        srv.mkdir(mode=0o755)
        site = srv / "site"
        built = build_site(site)
        assert built.returncode == 0, f"portal build failed:\n{built.stdout}\n{built.stderr}"

        state = folder / "state"  # StateDirectory=portal, StateDirectoryMode=0700
        state.mkdir()
        os.chown(state, nobody, -1)
        state.chmod(0o700)
        database = state / "responses.sqlite3"

        # What systemd gives the endpoint (the unit's Environment= lines), and no more;
        # PYTHONPATH only when the tests themselves run with one (an older tree's code).
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PORTAL_SITE_DIR": str(site),
            "PORTAL_THEME_DIR": str(ROOT / "theme"),
            "DATABASE_URL": f"sqlite:///{database}",
            "PORTAL_TRUSTED_PROXIES": "127.0.0.1,::1",
        }
        if os.environ.get("PYTHONPATH"):
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        python_dir = folder / "interpreter"
        python_dir.mkdir(mode=0o755)
        python, extra = readable_python(python_dir, env)
        env.update(extra)

        # The endpoint's user can read what it needs of the repository and venv, and it
        # imports the code under test (so an older tree's run tests the older code).
        probe = _as_user(
            ENDPOINT_USER,
            python,
            "-c",
            "import portal, portal.endpoint.app, uvicorn, sqlalchemy; print(portal.__file__)",
            env=env,
        )
        assert probe.returncode == 0, (
            f"{ENDPOINT_USER} cannot run the endpoint's code: {probe.stderr}\n"
            f"(modes: {modes(ROOT / 'plugins')})"
        )
        import portal

        assert probe.stdout.strip() == portal.__file__, (probe.stdout, portal.__file__)
        theme = _as_user(ENDPOINT_USER, "test", "-r", str(ROOT / "theme" / "main.html"), env=env)
        assert theme.returncode == 0, f"{ENDPOINT_USER} cannot read the theme: {modes(ROOT)}"

        endpoint_port = free_port()
        command = [
            "runuser",
            "-u",
            ENDPOINT_USER,
            "--",
            "env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            python,
            "-m",
            "portal.cli",
            "--root",
            str(ROOT),
            "endpoint",
            "--host",
            "127.0.0.1",
            "--port",
            str(endpoint_port),
            "--workers",
            "2",  # as the unit runs it
        ]
        umask = os.umask(0o077)  # the endpoint unit's UMask=0077 (inherited through runuser)
        try:
            endpoint = Server(command, endpoint_port, folder / "endpoint.log", {})
        finally:
            os.umask(umask)
        servers.append(endpoint)
        endpoint.wait("/health")

        nginx_dir = folder / "nginx"
        nginx_dir.mkdir(mode=0o755)
        (nginx_dir / "temp").mkdir(mode=0o755)
        http_port = free_port()
        site_conf = nginx_dir / "portal.conf"
        site_conf.write_text(
            site_config(site, http_port, endpoint_port, None, nginx_dir / "portal-access.log"),
            encoding="utf-8",
        )
        conf = nginx_dir / "nginx.conf"
        conf.write_text(nginx_main_config(nginx_dir, site_conf), encoding="utf-8")
        args = [NGINX, "-p", str(nginx_dir), "-c", str(conf), "-e", str(nginx_dir / "error.log")]
        tested = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
        assert tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}"
        nginx = Server([*args, "-g", "daemon off;"], http_port, nginx_dir / "nginx.out", {})
        servers.append(nginx)
        nginx.wait("/health")

        yield Deployment(folder, site, database, nginx.url, endpoint, nginx)
    finally:
        for server in reversed(servers):
            if server is servers[0]:
                stop_below_runuser(server)
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def stop_below_runuser(server: Server) -> None:
    """SIGTERM to the endpoint itself, as systemd sends it, and wait for it to finish.

    runuser passes a SIGTERM on but kills its child 2 s later, before uvicorn has stopped
    its workers; stopping the endpoint first lets it shut down as it does in production.
    """
    children = [
        p for p in descendants(server.process.pid) if _status(p, "PPid") == server.process.pid
    ]
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(timeout=30)


def wait_for_children(pid: int, seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = descendants(pid)
        if found:
            return found
        time.sleep(0.1)
    return []


def test_answer_a_form_through_nginx_with_each_part_as_its_own_user(
    deployment: Deployment,
) -> None:
    d = deployment
    # The users are the ones meant: the endpoint's processes are nobody's, nginx's workers
    # www-data's under a master that is root's.
    endpoint_pids = wait_for_children(d.endpoint.process.pid)
    assert endpoint_pids, "runuser started no endpoint process"
    assert {_status(p, "Uid") for p in endpoint_pids} == {_uid(ENDPOINT_USER)}
    assert _status(d.nginx.process.pid, "Uid") == 0
    workers = wait_for_children(d.nginx.process.pid)
    assert workers and {_status(p, "Uid") for p in workers} == {_uid(NGINX_USER)}

    with httpx.Client(base_url=d.url, timeout=30, follow_redirects=False) as browser:
        page_url = d.url + FORM_PAGE
        page = browser.get(FORM_PAGE)
        assert page.status_code == 200, (
            f"nginx ({NGINX_USER}) could not serve the built page: {page.status_code}; "
            f"modes on the way: {modes(d.site / FORM_PAGE.strip('/') / 'index.html')}"
        )
        reader = FormReader(f"/responses/{FORM_ID}")
        reader.feed(page.text)
        form = reader.form
        assert form is not None, "the consultation page has no form posting to /responses/"
        assert (form.method, form.enctype) == ("post", "application/x-www-form-urlencoded")
        fields = entries(form, {"data_use": "no"})
        assert ("data_use", "no") in fields and ("submission_id", "") in fields, fields

        # The address the browser posts to: the action resolved against the page, without
        # its fragment; the headers Chromium sends with a same-origin form post.
        action = urljoin(page_url, form.action).split("#", 1)[0]
        assert urlsplit(action).path == f"/responses/{FORM_ID}"
        posted = browser.post(
            action,
            content=urlencode(fields).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": d.url,
                "Referer": page_url,
                "Sec-Fetch-Site": "same-origin",
                "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document",
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            },
        )
        assert posted.status_code == 303, (
            f"the post was not acknowledged: {posted.status_code}\n{posted.text[:2000]}\n"
            f"endpoint log:\n{d.endpoint.read_log()}"
        )
        assert_security_headers(posted)
        location = urljoin(action, posted.headers["location"])
        assert urlsplit(location).path.startswith(f"/responses/{FORM_ID}/confirmation/")
        reference = REFERENCE.search(location)
        assert reference, location

        confirmation = browser.get(location.split("#", 1)[0])
        assert confirmation.status_code == 200, confirmation.text[:2000]
        assert_security_headers(confirmation)
        assert "Your reference number" in confirmation.text
        assert reference.group(0) in confirmation.text

        # A post too long for nginx from the Welsh page: nginx (www-data) answers with the
        # Welsh refusal page the build (root, UMask=0022) wrote, not its inline English one.
        too_long = browser.post(
            f"{action}?language=cy",
            content=b"a" * 200_000,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": d.url},
        )
        assert too_long.status_code == 413
        assert '<html lang="cy"' in too_long.text, (
            f"not the built Welsh page: {too_long.text[:500]}\nmodes on the way: "
            f"{modes(d.site / 'cy/_portal/refusals/too_large.html')}"
        )
        assert "Mae eich ymateb yn rhy hir i’w anfon" in too_long.text

    # The answer is stored, as the endpoint's user, in the state folder it alone can enter.
    assert d.database.stat().st_uid == _uid(ENDPOINT_USER)
    assert d.database.parent.stat().st_mode & 0o777 == 0o700
    with sqlite3.connect(f"file:{d.database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT form_id, reference FROM responses").fetchall()
    assert rows == [(FORM_ID, reference.group(0))], rows
