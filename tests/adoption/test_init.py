"""`portal init`: a new portal, made in an empty folder, that checks, builds, serves and
takes an answer with no edit, with the engine's theme found in the installed package."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from tests.support import ROOT, Server, free_port, portal

FORM_PAGE = "/consultations/example-consultation/"
PORTAL = [sys.executable, "-m", "portal.cli"]


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the page's form, as a browser would send them."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    return [(name, value) for name, value in found]


def test_init_writes_a_portal_that_checks_builds_serves_and_takes_an_answer(
    tmp_path: Path,
) -> None:
    root = tmp_path / "our-portal"
    made = portal("init", str(root))
    assert "Wrote a new portal" in made.stdout
    # Content and settings only: the theme comes from the installed engine.
    assert not (root / "theme").exists()
    assert "name: portal" in (root / "mkdocs.yml").read_text("utf-8")
    assert "All content is valid: 1 consultations, 1 forms, 0 datasets." in (
        portal("check", root=root).stdout
    )

    port = free_port()
    db = root / "var" / "responses.sqlite3"  # where `portal serve` keeps responses
    server = Server(
        [*PORTAL, "--root", str(root), "serve", "--no-watch", "--port", str(port)],
        port,
        tmp_path / "serve.log",
        {"DATABASE_URL": f"sqlite:///{db}"},
    )
    try:
        server.wait(FORM_PAGE, seconds=120)
        page = httpx.get(server.url + FORM_PAGE)
        assert page.status_code == 200
        assert "assets/portal/forms.css" in page.text, "the engine's theme styles the page"
        action = re.search(r'<form[^>]*action="([^"]*/responses/[^"]+)"', page.text)
        assert action, page.text
        fields = [
            *hidden_fields(page.text),
            ("support", "yes"),
            ("comments", "Thursday evenings would help me."),
            ("privacy", "yes"),
        ]
        # As a browser without JavaScript sends it: a same-origin form post.
        reply = httpx.post(
            httpx.URL(server.url + FORM_PAGE).join(action.group(1)),
            data=dict(fields),
            headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin"},
            follow_redirects=True,
        )
        assert reply.status_code == 200, (reply.text, server.read_log())
        assert "Response sent" in reply.text
        reference = re.search(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}", reply.text)
        assert reference, reply.text
    finally:
        server.stop()

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT form_id, reference, answers FROM responses").fetchall()
    assert len(rows) == 1
    form_id, stored_reference, answers = rows[0]
    assert (form_id, stored_reference) == ("example-consultation", reference.group())
    assert json.loads(answers)["comments"] == "Thursday evenings would help me."

    # Staff export it, into the folder .gitignore keeps out of the repository.
    out = root / "exports" / "example"
    portal(
        "export",
        "example-consultation",
        "--out",
        str(out),
        root=root,
        env={"DATABASE_URL": f"sqlite:///{db}"},
    )
    assert "Thursday evenings would help me." in (out / "responses.csv").read_text("utf-8")

    # Nothing built, stored or exported would be committed by `git add -A`.
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    tracked = subprocess.run(
        ["git", "-C", str(root), "ls-files"], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "mkdocs.yml" in tracked and ".github/workflows/deploy.yml" in tracked
    assert not [p for p in tracked if p.startswith(("site/", "var/", "exports/"))], tracked
    # The versions of the form that took answers are kept in git (portal.forms.versions).
    assert [p for p in tracked if p.startswith("form-versions/example-consultation/")]


def test_the_new_portal_builds_with_pelican_too(tmp_path: Path) -> None:
    root = tmp_path / "our-portal"
    portal("init", str(root))
    portal("build", "--generator", "pelican", "--site-dir", str(tmp_path / "site"), root=root)
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "Example Council Participation Portal" in home
    assert (tmp_path / "site" / "consultations" / "example-consultation" / "index.html").exists()


def test_every_value_to_fill_in_is_marked_and_the_dates_say_where_they_come_from(
    tmp_path: Path,
) -> None:
    root = tmp_path / "our-portal"
    portal("init", str(root), env={"PORTAL_NOW": "2031-05-20T10:00:00+00:00"})
    config = (root / "mkdocs.yml").read_text("utf-8")
    for line in ("site_name:", "site_url:", "organisation:", "timezone:", "endpoint_url:"):
        assert any(line in row and "FILL IN" in row for row in _with_previous(config)), line
    for page in ("privacy.md", "accessibility.md"):
        assert "FILL IN" in (root / "content" / page).read_text("utf-8"), page
    example = (root / "consultations" / "example-consultation" / "index.md").read_text("utf-8")
    assert "opens: 2031-05-19T09:00" in example and "closes: 2031-08-11" in example
    assert "`portal init` set these dates on the day it ran (2031-05-20)" in example
    requirement = (root / "requirements.txt").read_text("utf-8")
    assert re.search(r"^portal @ git\+https://\S+@v\d+\.\d+\.\d+$", requirement, re.M)
    readme = (root / "README.md").read_text("utf-8")
    assert "Take a new release of the engine" in readme


def test_init_pins_the_engine_it_is_given(tmp_path: Path) -> None:
    wheel = "portal @ file:///opt/wheels/portal-0.1.0-py3-none-any.whl"
    portal("init", str(tmp_path / "p"), "--engine", wheel)
    assert (tmp_path / "p" / "requirements.txt").read_text("utf-8").splitlines()[-1] == wheel


def test_init_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = portal("init", str(tmp_path), check=False)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_installed_package_carries_the_theme_and_the_starter(tmp_path: Path) -> None:
    """Built as a release is (a wheel) and used from there, not from this checkout."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("portal-*.whl")
    installed = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "zipfile", "-e", str(wheel), str(installed)], check=True)
    env = {"PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import portal.theme, portal.starter; print(portal.theme.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    ).stdout
    assert where.startswith(str(installed)), where
    root = tmp_path / "our-portal"
    for args in (["init", str(root)], ["check"], ["build"]):
        done = subprocess.run(
            [*PORTAL, "--root", str(root), *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    site = root / "site"
    assert (site / "assets" / "portal" / "forms.js").exists()
    assert not (site / "pelican").exists(), "the Pelican theme is not published by MkDocs"
    page = (site / "consultations" / "example-consultation" / "index.html").read_text("utf-8")
    assert 'class="portal-form' in page


def _with_previous(text: str) -> list[str]:
    """Each line joined to the comment lines just above it (a FILL IN may sit there)."""
    lines = text.splitlines()
    out, comments = [], ""
    for line in lines:
        if line.strip().startswith("#"):
            comments += line
            continue
        out.append(comments + line)
        comments = ""
    return out


def test_the_new_portals_workflows_install_the_pinned_engine_check_and_build(
    tmp_path: Path,
) -> None:
    from tests.deploy.test_workflows import check_jobs, runs, uses

    root = tmp_path / "our-portal"
    portal("init", str(root))
    for name in ("ci.yml", "deploy.yml"):
        workflow = yaml.safe_load((root / ".github" / "workflows" / name).read_text("utf-8"))
        workflow["on"] = workflow.pop(True)  # YAML 1.1 reads a bare `on:` as true
        jobs = check_jobs(workflow)
        commands = [line for job in jobs.values() if "steps" in job for line in runs(job)]
        assert commands[:1] == ["python -m pip install -r requirements.txt"], name
        assert "portal check" in commands and "portal build" in commands, name
    deploy = yaml.safe_load((root / ".github" / "workflows" / "deploy.yml").read_text("utf-8"))
    assert deploy[True]["schedule"], "an hourly rebuild opens and closes consultations on time"
    assert "actions/deploy-pages@v4" in uses(deploy["jobs"]["deploy"])


def test_the_engines_styles_and_scripts_come_with_its_theme_once_before_the_sites(
    tmp_path: Path,
) -> None:
    root = tmp_path / "our-portal"
    portal("init", str(root))
    (root / "content" / "assets").mkdir()
    (root / "content" / "assets" / "ours.css").write_text("h1{color:#000}", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8") + "extra_css:\n  - assets/ours.css\n", encoding="utf-8"
    )
    portal("build", root=root)
    page = (root / "site" / "privacy" / "index.html").read_text("utf-8")
    engine = ["portal.css", "forms.css", "datasets.css", "discovery.css", "forms.js", "filter.js"]
    for name in engine:
        assert page.count(f"assets/portal/{name}") == 1, name
        assert (root / "site" / "assets" / "portal" / name).is_file(), name
    # The site's own stylesheet comes after the engine's, so it can override them.
    assert page.index("assets/portal/discovery.css") < page.index("assets/ours.css")
