"""A draft expires when its consultation closes: the endpoint, restarted after the close
(PORTAL_NOW), refuses it with a page that says so (410), and ``portal purge`` removes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.drafts.conftest import PAGE, POST, RESUME, drafts_portal, save
from tests.support import axe_violations, describe

# After the digital inclusion form closes (2027-06-30T23:59 Europe/London).
AFTER_CLOSE = "2027-07-01T09:00:00+01:00"


def test_expired_draft_is_refused_and_purged(
    demo_site: Path, tmp_path_factory: pytest.TempPathFactory, browser: Any
) -> None:
    folder = tmp_path_factory.mktemp("drafts-expiry")
    (folder / "open").mkdir()
    (folder / "closed").mkdir()
    # Saved while the consultation is open (the suite's PORTAL_NOW)...
    with drafts_portal(demo_site, folder / "open") as served:
        page = browser.new_page(java_script_enabled=False)
        page.goto(served.url + PAGE)
        page.locator("#comments").fill("Saved before the close.")
        code, _ = save(page)
        page.close()
        db = served.db
        # Not yet due: purge at the suite's moment keeps it.
        kept = served.portal("purge", "--site-dir", str(demo_site))
        assert "0 expired saved drafts removed" in kept.stdout
    assert len(served.drafts()) == 1

    # ...and opened after it closed, on an endpoint that knows the time has passed.
    with drafts_portal(demo_site, folder / "closed", {"PORTAL_NOW": AFTER_CLOSE}, db) as later:
        answer = httpx.get(f"{later.url}{RESUME}", params={"code": code}, timeout=30)
        assert answer.status_code == 410
        assert "Your saved answers have expired" in answer.text
        assert "has closed" in answer.text
        page = browser.new_page()
        page.goto(f"{later.url}{RESUME}?code={code}")
        assert page.locator("h1").inner_text().strip() == "Your saved answers have expired"
        assert axe_violations(page) == [], describe(axe_violations(page))
        page.close()
        # Nor can it be saved again, or sent: the form is closed.
        again = httpx.post(
            later.url + POST,
            data={"comments": "Too late.", "portal_action": "save", "draft_code": code},
            timeout=30,
        )
        assert again.status_code == 410
        assert len(later.drafts()) == 1

        dry = later.portal(
            "purge", "--site-dir", str(demo_site), "--dry-run", env={"PORTAL_NOW": AFTER_CLOSE}
        )
        assert "1 expired saved drafts would be removed" in dry.stdout
        assert len(later.drafts()) == 1
        done = later.portal("purge", "--site-dir", str(demo_site), env={"PORTAL_NOW": AFTER_CLOSE})
        assert "1 expired saved drafts removed" in done.stdout
        assert later.drafts() == []
        gone = httpx.get(f"{later.url}{RESUME}", params={"code": code}, timeout=30)
        assert gone.status_code == 404
        assert "We could not find saved answers with that code" in gone.text
