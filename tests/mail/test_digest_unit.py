"""The digest's systemd units, read as systemd reads them: the endpoint's user, database and
settings (the mail settings are the endpoint's), every morning, and they verify."""

from __future__ import annotations

import shlex

from tests.deploy.test_deploy_files import DEPLOY, unit, values
from tests.deploy.test_units_for_the_endpoint import (
    command_root,
    dynamic_user,
    environment,
    service,
    setting,
)


def test_the_digest_runs_as_the_endpoint_with_its_database_and_settings() -> None:
    digest = service("portal-mail-digest.service")
    endpoint = service("portal-endpoint.service")
    assert setting(digest, "Type") == "oneshot"
    assert setting(digest, "StateDirectory") == setting(endpoint, "StateDirectory")
    assert environment(digest)["DATABASE_URL"] == environment(endpoint)["DATABASE_URL"]
    assert setting(digest, "EnvironmentFile") == setting(endpoint, "EnvironmentFile")
    assert dynamic_user("portal-mail-digest.service", digest) == dynamic_user(
        "portal-endpoint.service", endpoint
    )
    assert int(setting(digest, "UMask") or "0022", 8) & 0o077 == 0o077
    assert command_root(digest, "digest") == command_root(endpoint, "endpoint")
    commands = [shlex.split(line)[3:] for line in values(digest, "ExecStart")]
    assert commands == [["mail", "digest"], ["mail", "send"]]  # queue, then send


def test_the_digest_timer_runs_every_morning() -> None:
    timer = unit(DEPLOY / "portal-mail-digest.timer")
    assert values(timer["Timer"], "OnCalendar") == ["*-*-* 06:00:00"]
    assert values(timer["Timer"], "Persistent") == ["true"]  # a missed morning runs at boot
    assert values(timer["Install"], "WantedBy") == ["timers.target"]
