"""What the staff-area tests share: a served demo portal with its staff area on, an account
made with the real ``portal staff add``, and signing in as a person would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support import ROOT

SECRET = "test-secret-" + "0123456789abcdef" * 3
EMAIL = "jo.staff@council.example"
PASSWORD = "correct horse battery staple"
STAFF_ENV = {"PORTAL_SECRET_KEY": SECRET}


def add_account(db_path: Path, email: str = EMAIL, password: str = PASSWORD) -> str:
    """``portal staff add EMAIL --password-stdin`` against the database at ``db_path``."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal.cli",
            "--root",
            str(ROOT),
            "staff",
            "add",
            email,
            "--password-stdin",
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def sign_in(page: Any, base: str, email: str = EMAIL, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, with or without JavaScript."""
    page.goto(f"{base}/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
