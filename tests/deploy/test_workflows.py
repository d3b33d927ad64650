"""The GitHub Actions workflows: valid YAML with the structure GitHub expects."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads a bare `on:` key as the boolean True; GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found = job["steps"]
    assert isinstance(found, list) and found
    for step in found:
        # Every step either uses an action or runs a command, never both.
        assert ("uses" in step) != ("run" in step), step
    return found


def runs(job: dict[str, Any]) -> list[str]:
    return [
        line.strip()
        for step in steps(job)
        if "run" in step
        for line in str(step["run"]).splitlines()
    ]


def uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in steps(job) if "uses" in step]


def check_jobs(workflow: dict[str, Any]) -> dict[str, Any]:
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict) and jobs
    for name, job in jobs.items():
        assert "runs-on" in job, name
        needs = job.get("needs", [])
        for needed in [needs] if isinstance(needs, str) else needs:
            assert needed in jobs, f"{name} needs unknown job {needed}"
        for action in uses(job):
            # Pinned to a release (or a commit), never a moving branch.
            assert "@" in action and not action.endswith(("@main", "@master")), action
    return jobs


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml"])
def test_workflow_has_name_triggers_and_jobs(name: str) -> None:
    workflow = load(name)
    assert workflow.get("name")
    assert workflow["on"]
    check_jobs(workflow)


def test_ci_runs_make_test_on_pull_requests_and_pushes() -> None:
    workflow = load("ci.yml")
    assert "pull_request" in workflow["on"]
    assert "push" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    [job] = check_jobs(workflow).values()
    assert "actions/checkout@v4" in uses(job)
    # Python 3.11: either set up by actions/setup-python or the official python:3.11 image.
    image = (job.get("container") or {}).get("image", "")
    setup = [s for s in steps(job) if str(s.get("uses", "")).startswith("actions/setup-python")]
    assert image.startswith("python:3.11") or (
        setup and str(setup[0]["with"]["python-version"]) == "3.11"
    )
    assert "make test" in runs(job)
    # Content is checked too (make test runs portal check; CI says so as its own step).
    assert "make check" in runs(job) or "portal check" in runs(job)


def test_deploy_publishes_to_pages_on_main_hourly_and_by_hand() -> None:
    workflow = load("deploy.yml")
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and 0 <= int(minute) < 60, "once an hour, at a fixed minute"
    assert (hour, day, month, weekday) == ("*", "*", "*", "*")

    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False

    jobs = check_jobs(workflow)
    build, deploy = jobs["build"], jobs["deploy"]
    setup = [s for s in steps(build) if str(s.get("uses", "")).startswith("actions/setup-python")]
    assert str(setup[0]["with"]["python-version"]) == "3.11"
    commands = runs(build)
    install = next(c for c in commands if "pip install" in c)
    assert "-c constraints.txt" in install
    assert commands.index("portal check") < commands.index("portal build")
    upload = next(
        s
        for s in steps(build)
        if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "site"

    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(a.startswith("actions/deploy-pages@") for a in uses(deploy))
