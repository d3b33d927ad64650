"""The systemd units, read against what the endpoint, the build and the purge need.

tests/deploy/test_deployed_as_shipped.py runs the three users these units make (a builder,
the endpoint's dynamic user, nginx's www-data); this file checks that the units set up the
same thing: where each process may write, what it can read, and which user owns the
database. No systemd runs here, so the units are read as systemd reads them (key=value
lines in sections; a later Environment= line wins over an earlier one for the same name).
"""

from __future__ import annotations

import shlex
from pathlib import Path, PurePosixPath

from tests.deploy.test_deploy_files import DEPLOY, unit, values

# What ProtectHome=yes makes empty and unreadable, and PrivateTmp=yes private to the unit.
PROTECT_HOME = ("/home", "/root", "/run/user")
PRIVATE_TMP = ("/tmp", "/var/tmp")
# Where systemd puts StateDirectory=NAME (a link to /var/lib/private/NAME for DynamicUser).
STATE_ROOT = PurePosixPath("/var/lib")


def service(name: str) -> list[tuple[str, str]]:
    return unit(DEPLOY / name)["Service"]


def setting(section: list[tuple[str, str]], key: str) -> str | None:
    found = values(section, key)
    return found[-1] if found else None


def environment(section: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in values(section, "Environment"):
        for assignment in shlex.split(line):
            name, _, value = assignment.partition("=")
            env[name] = value
    return env


def env_file(path: Path) -> dict[str, str]:
    """The settings a copy of deploy/endpoint.env.example would give (comments left out)."""
    env: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    return env


def sqlite_file(url: str) -> PurePosixPath:
    assert url.startswith("sqlite:////"), f"{url}: not an absolute SQLite path"
    return PurePosixPath(url.removeprefix("sqlite:///"))


def under(path: PurePosixPath, folders: tuple[str, ...] | list[str]) -> bool:
    return any(path == PurePosixPath(f) or PurePosixPath(f) in path.parents for f in folders)


def command_root(section: list[tuple[str, str]], subcommand: str) -> PurePosixPath:
    """The --root of the unit's ``portal ... SUBCOMMAND`` command."""
    for line in values(section, "ExecStart"):
        words = shlex.split(line)
        if words[0].endswith("/portal") and subcommand in words:
            assert "--site-dir" not in words, "the site folder is ROOT/site in every unit"
            return PurePosixPath(words[words.index("--root") + 1])
    raise AssertionError(f"no 'portal {subcommand}' command in the unit")


def dynamic_user(name: str, section: list[tuple[str, str]]) -> str:
    """The name of the user systemd makes up: User=, or else the unit's own name."""
    assert setting(section, "DynamicUser") == "yes", f"{name}: DynamicUser=yes"
    return setting(section, "User") or name.removesuffix(".service")


def test_endpoint_writes_only_its_state_directory_and_keeps_the_database_there() -> None:
    endpoint = service("portal-endpoint.service")
    assert setting(endpoint, "DynamicUser") == "yes"
    assert setting(endpoint, "ProtectSystem") == "strict"  # read-only everywhere else
    assert setting(endpoint, "ReadWritePaths") is None  # ... with no exception
    state = setting(endpoint, "StateDirectory")
    assert state == "portal"
    # Only the endpoint's user may enter it: it holds personal answers.
    assert setting(endpoint, "StateDirectoryMode") == "0700"
    assert int(setting(endpoint, "UMask") or "0022", 8) & 0o077 == 0o077
    database = sqlite_file(environment(endpoint)["DATABASE_URL"])
    # SQLite writes the -wal and -shm files beside the database: the folder must be writable.
    assert database.parent == STATE_ROOT / state, database


def test_endpoint_reads_the_site_and_theme_where_it_may_and_needs_no_write() -> None:
    endpoint = service("portal-endpoint.service")
    env = environment(endpoint)
    root = command_root(endpoint, "endpoint")
    assert setting(endpoint, "ProtectHome") == "yes"
    assert setting(endpoint, "PrivateTmp") == "yes"
    for name in ("PORTAL_SITE_DIR", "PORTAL_THEME_DIR"):
        path = PurePosixPath(env[name])
        assert path.is_absolute(), name
        assert not under(path, PROTECT_HOME), f"{name}={path}: ProtectHome=yes hides it"
        assert not under(path, PRIVATE_TMP), f"{name}={path}: PrivateTmp=yes hides it"
        # ProtectSystem=strict makes it read-only, which is all the endpoint needs; it must
        # not be where the endpoint writes either (a site the endpoint could change).
        assert not under(path, [str(STATE_ROOT / "portal")]), name
    # The site the endpoint reads is the one the build writes and nginx serves.
    assert PurePosixPath(env["PORTAL_SITE_DIR"]) == root / "site"
    assert PurePosixPath(env["PORTAL_THEME_DIR"]) == root / "theme"
    nginx = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8")
    assert f"root {root / 'site'};" in nginx
    working = PurePosixPath(setting(endpoint, "WorkingDirectory") or "/")
    assert not under(working, PROTECT_HOME)


def test_the_settings_file_agrees_with_the_unit() -> None:
    """endpoint.env wins over the unit's Environment= lines: a copy must not move things."""
    endpoint = environment(service("portal-endpoint.service"))
    example = env_file(DEPLOY / "endpoint.env.example")
    for name in ("PORTAL_SITE_DIR", "PORTAL_THEME_DIR", "DATABASE_URL", "PORTAL_TRUSTED_PROXIES"):
        assert example[name] == endpoint[name], name


def test_build_leaves_the_site_readable_by_the_endpoint_and_nginx() -> None:
    build = service("portal-build.service")
    endpoint = service("portal-endpoint.service")
    # Built by a user of its own, who is neither the endpoint's user nor root.
    user = setting(build, "User")
    assert user and user != "root" and setting(build, "DynamicUser") in (None, "no")
    assert user != dynamic_user("portal-endpoint.service", endpoint)
    # New files 0644 and folders 0755: others (the endpoint, www-data) may read and enter.
    umask = int(setting(build, "UMask") or "0022", 8)
    assert umask & 0o005 == 0, f"UMask={umask:04o} hides the site from other users"
    assert umask & 0o002, "other users must not be able to change the site"
    # `portal build` builds into a new folder beside site/ and renames it into place, and
    # git pull writes the checkout: the checkout, with site/ and its parent, is writable.
    root = command_root(build, "build")
    site = root / "site"
    writable = [p for line in values(build, "ReadWritePaths") for p in shlex.split(line)]
    assert setting(build, "ProtectSystem") == "strict"
    assert under(site.parent, writable), (site, writable)
    assert PurePosixPath(environment(endpoint)["PORTAL_SITE_DIR"]) == site
    assert not under(site, PROTECT_HOME) and not under(site, PRIVATE_TMP)
    pull = [c for c in values(build, "ExecStart") if "/git " in c]
    assert pull and all(under(PurePosixPath(shlex.split(c)[2]), writable) for c in pull)


def test_purge_shares_the_endpoints_state_directory_and_user() -> None:
    purge = service("portal-purge.service")
    endpoint = service("portal-endpoint.service")
    assert setting(purge, "StateDirectory") == setting(endpoint, "StateDirectory")
    assert environment(purge)["DATABASE_URL"] == environment(endpoint)["DATABASE_URL"]
    assert setting(purge, "EnvironmentFile") == setting(endpoint, "EnvironmentFile")
    # systemd gives a unit's StateDirectory= (recursively) to the unit's user when it starts.
    # A purge with a dynamic user of its own would take the database away from the running
    # endpoint; with the same User= name, the two units share one dynamic user.
    assert dynamic_user("portal-purge.service", purge) == dynamic_user(
        "portal-endpoint.service", endpoint
    )
    assert int(setting(purge, "UMask") or "0022", 8) & 0o077 == 0o077
    # It reads the retention periods from the site's form manifests, as the endpoint reads them.
    assert command_root(purge, "purge") == command_root(endpoint, "endpoint")
    assert setting(purge, "ProtectHome") == "yes" and setting(purge, "ProtectSystem") == "strict"
