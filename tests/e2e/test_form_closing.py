"""With JavaScript, a form left open in a tab hides itself when the consultation closes."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support import axe_violations, describe

pytestmark = pytest.mark.e2e
PAGE = "/consultations/smart-parking-sensors/"


def closes(demo_site: Path) -> datetime:
    manifest = json.loads(
        (demo_site / "api" / "forms" / "smart-parking-sensors.json").read_text("utf-8")
    )
    return datetime.fromisoformat(manifest["closes"])


def preview_at(page: Any, moment: datetime) -> None:
    """Serve the page as a build pinned to ``moment`` would (PORTAL_NOW), as staff preview."""

    def handle(route: Any) -> None:
        response = route.fetch()
        html = re.sub(
            r'data-preview-now="[^"]*"', f'data-preview-now="{moment.isoformat()}"', response.text()
        )
        assert "data-preview-now" in html, "the demo build is pinned by tests/conftest.py"
        route.fulfill(response=response, body=html)

    page.route(f"**{PAGE}", handle)


def test_form_hides_itself_at_the_closing_time(
    demo_server: Any, demo_site: Path, browser: Any
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.install(time=closes(demo_site) - timedelta(seconds=30))
        preview_at(page, closes(demo_site) - timedelta(seconds=30))
        page.goto(demo_server.url + PAGE)
        form = page.locator("form.portal-form")
        notice = page.locator("[data-portal-closed-notice]")
        assert form.is_visible() and notice.is_hidden()
        page.clock.run_for(29_000)
        assert form.is_visible(), "still open a second before closing"
        page.clock.run_for(2_000)
        assert form.is_hidden()
        assert notice.is_visible()
        assert "You can no longer send a response" in notice.inner_text()
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_page_opened_after_closing_shows_the_notice(
    demo_server: Any, demo_site: Path, browser: Any
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.install(time=closes(demo_site) + timedelta(days=1))
        preview_at(page, closes(demo_site) + timedelta(days=1))
        page.goto(demo_server.url + PAGE)
        assert page.locator("form.portal-form").is_hidden()
        assert page.locator("[data-portal-closed-notice]").is_visible()
    finally:
        context.close()


def test_a_preview_shows_the_form_as_open_at_its_moment(
    demo_server: Any, demo_site: Path, browser: Any
) -> None:
    """PORTAL_NOW previews forms too: the browser's own clock, past the closing time here,
    does not hide a form that is open at the moment the preview is pinned to."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.install(time=closes(demo_site) + timedelta(days=1))
        preview_at(page, closes(demo_site) - timedelta(hours=1))
        page.goto(demo_server.url + PAGE)
        assert page.locator("form.portal-form").is_visible()
        assert page.locator("[data-portal-closed-notice]").is_hidden()
    finally:
        context.close()
