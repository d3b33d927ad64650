"""Issue 15, item 4: personal data never lands in the work tree by default.

A copy of a portal as a real git repository with this repository's .gitignore: responses
posted to the real endpoint into var/, then the real ``portal export``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.exports.helpers15 import FORM_ID, NOW, build, post_all, site_with_form
from tests.support import ROOT, portal


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def test_staff_exports_stay_out_of_git(tmp_path: Path) -> None:
    root = site_with_form(tmp_path)
    shutil.copyfile(ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    git(root, "config", "user.email", "staff@example.org")
    git(root, "config", "user.name", "Staff")
    build(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the portal")
    db = root / "var" / "responses.sqlite3"  # where `portal serve` keeps them
    post_all(root, db, tmp_path / "server.log", [{"support": "yes", "email": "ann@example.org"}])
    env = {**NOW, "DATABASE_URL": f"sqlite:///{db}"}

    made = portal("export", FORM_ID, "--spreadsheet", root=root, env=env)
    folder = root / "var" / "exports" / FORM_ID
    assert str(folder / "responses.csv") in made.stdout
    assert "ann@example.org" in (folder / "responses.csv").read_text(encoding="utf-8")
    assert (folder / "responses-spreadsheet.csv").is_file()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""

    # The folder older guides used is ignored too.
    portal("export", FORM_ID, "--out", str(root / "exports" / FORM_ID), root=root, env=env)
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""

    # A folder git would commit is refused, and nothing is written there.
    tracked = root / "content" / "responses"
    refused = portal("export", FORM_ID, "--out", str(tracked), root=root, env=env, check=False)
    assert refused.returncode == 1
    assert f"{tracked} is inside the git repository" in refused.stderr
    assert "git does not ignore it" in refused.stderr and "var/exports" in refused.stderr
    assert not tracked.exists()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""

    # Outside the repository is staff's choice; a public export may go anywhere.
    portal("export", FORM_ID, "--out", str(tmp_path / "elsewhere"), root=root, env=env)
    assert (tmp_path / "elsewhere" / "responses.csv").is_file()
    public = root / "datasets" / "bus-lanes-public"
    portal("export", FORM_ID, "--public", "--out", str(public), root=root, env=env)
    assert "ann@example.org" not in (public / "responses.csv").read_text(encoding="utf-8")


def test_every_folder_the_commands_write_personal_data_to_is_ignored() -> None:
    """This repository's and a new portal's .gitignore (portal init) alike."""
    starter = ROOT / "plugins" / "portal" / "starter" / "files" / "dot-gitignore"
    for ignore in (ROOT / ".gitignore", starter):
        patterns = ignore.read_text(encoding="utf-8").splitlines()
        assert "/var/" in patterns, ignore  # the database and var/exports/
        assert "/exports/" in patterns, ignore
    paths = [
        "var/responses.sqlite3",
        "var/responses.sqlite3-wal",
        f"var/exports/{FORM_ID}/responses.csv",
        f"exports/{FORM_ID}/responses-spreadsheet.csv",
    ]
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--no-index", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert sorted(result.stdout.split()) == sorted(paths)
