"""What saving and resuming refuse: a cross-site save (nothing stored), wrong codes past the
limit (429, even for the right code then), a form that does not offer saving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.drafts.conftest import PAGE, POST, RESUME, DraftsPortal, drafts_portal, save


@pytest.fixture(scope="module")
def refusing(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DraftsPortal]:
    # Its own endpoint: the wrong codes below lock this client out of it for a minute.
    with drafts_portal(demo_site, tmp_path_factory.mktemp("drafts-refusals")) as served:
        yield served


def test_cross_site_save_is_refused_and_stores_nothing(refusing: DraftsPortal) -> None:
    answer = httpx.post(
        refusing.url + POST,
        data={"comments": "Forged.", "portal_action": "save"},
        headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
        timeout=30,
    )
    assert answer.status_code == 403
    assert "another website" in answer.text
    assert refusing.drafts() == []


def test_form_without_save_and_return_does_not_offer_it(
    refusing: DraftsPortal, browser: Any
) -> None:
    page = browser.new_page()
    page.goto(refusing.url + "/consultations/smart-parking-sensors/")
    assert page.locator("form [data-portal-submit]").count() == 1
    assert page.get_by_role("button", name="Save and come back later").count() == 0
    page.close()
    answer = httpx.post(
        refusing.url + "/responses/smart-parking-sensors",
        data={"comments": "Save me?", "portal_action": "save"},
        timeout=30,
    )
    assert answer.status_code == 404
    assert refusing.drafts() == []
    assert refusing.query("SELECT count(*) FROM responses")[0][0] == 0
    resume = httpx.get(refusing.url + "/responses/smart-parking-sensors/resume", timeout=30)
    assert resume.status_code == 404


def test_wrong_codes_are_rate_limited(refusing: DraftsPortal, browser: Any) -> None:
    page = browser.new_page(java_script_enabled=False)
    page.goto(refusing.url + PAGE)
    page.locator("#comments").fill("Keep me.")
    code, _ = save(page)
    page.close()
    statuses = []
    for n in range(10):
        wrong = f"2222-3333-{n + 2:04d}".replace("0", "Z").replace("1", "Y")
        answer = httpx.get(refusing.url + RESUME, params={"code": wrong}, timeout=30)
        statuses.append(answer.status_code)
        assert "We could not find saved answers with that code" in answer.text
    assert statuses == [404] * 10
    limited = httpx.get(refusing.url + RESUME, params={"code": "2222-3333-4444"}, timeout=30)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in limited.text
    # A guesser gains nothing by hitting the right code now: the limit holds for it too.
    right = httpx.get(refusing.url + RESUME, params={"code": code}, timeout=30)
    assert right.status_code == 429
    assert "Keep me." not in right.text
    assert len(refusing.drafts()) == 1, "the draft itself is untouched"
