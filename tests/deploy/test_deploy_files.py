"""The files an operator installs: container file, systemd units, and the security headers.

No container engine runs here, so the Containerfile is checked by reading its instructions;
the systemd units are checked by ``systemd-analyze verify`` when it is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portal.endpoint import refusals
from portal.endpoint.headers import content_security_policy
from tests.support import ROOT

DEPLOY = ROOT / "deploy"


# -- Containerfile ----------------------------------------------------------------------


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    found: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        keyword, _, args = whole.partition(" ")
        found.append((keyword.upper(), args.strip()))
    assert not pending, "a continuation line runs off the end of the file"
    return found


KNOWN = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
}


def stages(steps: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, args in steps:
        if keyword == "FROM":
            found.append([])
        found[-1].append((keyword, args))
    return found


def test_containerfile_instructions() -> None:
    steps = instructions(DEPLOY / "Containerfile")
    assert steps[0][0] == "FROM", "the first instruction is FROM"
    assert {k for k, _ in steps} <= KNOWN, {k for k, _ in steps} - KNOWN
    final = stages(steps)[-1]
    assert final[0][1].split()[0] == "python:3.11-slim"
    assert all(a.split()[0] == "python:3.11-slim" for k, a in steps if k == "FROM")

    # Installed with the pinned constraints.
    assert any("pip install" in a and "-c constraints.txt" in a for k, a in steps if k == "RUN")

    # Runs as an unprivileged user, which the image creates, from USER on to the end.
    users = [a for k, a in final if k == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert any("useradd" in a and (user in a) for k, a in final if k == "RUN")

    # Runs `portal endpoint`, listening on all container interfaces.
    [cmd] = [a for k, a in final if k == "CMD"]
    command = json.loads(cmd)  # exec form: signals reach the server, no shell in between
    assert command[0] == "portal" and "endpoint" in command
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert not [a for k, a in final if k == "ENTRYPOINT"]

    env = " ".join(a for k, a in final if k == "ENV")
    for name in ("PORTAL_SITE_DIR", "PORTAL_THEME_DIR", "DATABASE_URL"):
        assert name in env


def test_containerfile_copies_only_what_exists() -> None:
    """The build context is the repository: every COPY source must be there."""
    for keyword, args in instructions(DEPLOY / "Containerfile"):
        if keyword != "COPY" or args.startswith("--from"):
            continue
        *sources, _dest = args.split()
        for source in sources:
            assert (ROOT / source).exists(), (
                f"COPY {source}: not in the repository (pyproject.toml needs it to install)"
            )


# -- systemd ----------------------------------------------------------------------------


def unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
            continue
        assert current is not None, f"{path.name}: {line} outside a section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not key=value: {line}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(section: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in section if k == key]


def test_endpoint_unit_is_hardened() -> None:
    sections = unit(DEPLOY / "portal-endpoint.service")
    service = dict(sections["Service"])
    assert service.get("DynamicUser") == "yes" or service.get("User") not in (None, "root")
    assert service["ProtectSystem"] == "strict"
    for flag in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert service[flag] == "yes", flag
    assert service["CapabilityBoundingSet"] == ""
    state = service["StateDirectory"]
    environment = dict(v.split("=", 1) for v in values(sections["Service"], "Environment"))
    # The SQLite file is in the only writable place, the state directory.
    assert environment["DATABASE_URL"] == f"sqlite:////var/lib/{state}/responses.sqlite3"
    assert environment["PORTAL_TRUSTED_PROXIES"].split(",")[0] == "127.0.0.1"
    assert service["EnvironmentFile"].lstrip("-").startswith("/etc/")
    command = service["ExecStart"].split()
    assert command[0].endswith("/portal")
    assert "endpoint" in command and command[command.index("--host") + 1] == "127.0.0.1"
    # It listens where nginx's upstream points.
    port = command[command.index("--port") + 1]
    nginx = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8")
    assert f"server 127.0.0.1:{port};" in nginx
    assert sections["Install"] == [("WantedBy", "multi-user.target")]


def test_rebuild_timer_runs_hourly() -> None:
    timer = dict(unit(DEPLOY / "portal-build.timer")["Timer"])
    assert re.fullmatch(r"\*-\*-\* \*:\d\d:00", timer["OnCalendar"])
    service = unit(DEPLOY / "portal-build.service")["Service"]
    commands = values(service, "ExecStart")
    assert any(c.endswith(" check") for c in commands)
    assert commands[-1].endswith(" build")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    # Point the commands at programs that exist here; everything else is verified as is.
    portal = Path(sys.executable).with_name("portal")
    for name in sorted(p.name for p in DEPLOY.glob("portal-*.*")):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = text.replace("/srv/portal/.venv/bin/portal", str(portal))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(p) for p in sorted(tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Outside a booted systemd it may note that it cannot reach the manager; unit errors
    # always name the unit file.
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines() if "portal-" in line
    ]
    assert not complaints, "\n".join(complaints)


# -- security headers: nginx, static hosts and the endpoint agree -----------------------


def nginx_static_headers() -> dict[str, str]:
    """The server-level add_header lines of deploy/nginx/portal.conf (the static site)."""
    text = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8")
    server = text[text.index("server {") :]
    top_level = re.split(r"\n    location ", server)[0]
    return {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(
            r'^    add_header ([\w-]+) "?(.*?)"? always;$', top_level, re.MULTILINE
        )
    }


def static_host_headers() -> dict[str, str]:
    headers: dict[str, str] = {}
    lines = (DEPLOY / "static-headers" / "_headers").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line.strip() and not line.startswith("#")]
    assert rules[0] == "/*"
    for line in rules[1:]:
        if not line.startswith(" "):
            break  # the next path's rules (cache lifetimes of fingerprinted files)
        assert line.startswith("  "), line
        name, _, value = line.strip().partition(": ")
        headers[name.lower()] = value
    return headers


def test_nginx_static_host_and_endpoint_send_the_same_headers() -> None:
    nginx = nginx_static_headers()
    static = static_host_headers()
    assert nginx.pop("strict-transport-security") == "$portal_hsts"  # https only
    assert static.pop("strict-transport-security") == "max-age=31536000; includeSubDomains"
    assert nginx == static
    # The same policy as the endpoint's own pages, so a page behaves the same either way.
    assert static["content-security-policy"] == content_security_policy(())
    csp = static["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert static["x-content-type-options"] == "nosniff"
    assert static["referrer-policy"]


def test_nginx_refusal_pages_have_the_static_sites_headers_and_wait() -> None:
    """The build's refusal pages are the site's pages: the same headers as the static site,
    never cached, and the Retry-After their words give (portal.endpoint.refusals)."""
    text = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8")
    block = text[text.index("/_portal/refusals/(?<portal_refusal>") :]
    block = block[: block.index("\n    }")]
    headers = {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(
            r'^        add_header ([\w-]+) "?(.*?)"? always;$', block, re.MULTILINE
        )
    }
    assert headers.pop("cache-control") == "no-store"
    assert headers.pop("retry-after") == "$portal_retry_after"
    assert headers == nginx_static_headers()  # its caching is not "always": not among them
    waits = text[text.index("map $status $portal_retry_after {") :]
    waits = waits[: waits.index("}")]
    for status in ("429", "502", "504"):
        assert re.search(rf"^    {status} +{refusals.WAIT};$", waits, re.MULTILINE), status
    # The plain pages nginx falls back on say the same wait.
    assert text.count(f'add_header Retry-After "{refusals.WAIT}" always;') == 2


def test_nginx_limits_bodies_and_replaces_forwarded_for() -> None:
    lines = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    responses = text[text.index("location /responses/ {") :]
    responses = responses[: responses.index("}")]
    assert "client_max_body_size 100k;" in responses
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "$proxy_add_x_forwarded_for" not in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    for path in ("/responses/", "/exports/"):
        block = text[text.index(f"location {path} {{") :]
        assert "proxy_pass http://portal_endpoint;" in block[: block.index("}")]
