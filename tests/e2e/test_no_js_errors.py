"""Without JavaScript, a rejected answer lands on the error summary, not the page's top."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_error_summary_is_in_view_after_a_rejected_post(demo_server: Any, page_no_js: Any) -> None:
    page = page_no_js
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(demo_server.url + "/consultations/smart-parking-sensors/")
    with page.expect_navigation() as navigation:
        page.locator("form.portal-form button[type=submit]").click()
    assert navigation.value.status == 422
    assert page.url.endswith("#smart-parking-sensors-errors")
    summary = page.locator("#smart-parking-sensors-errors")
    assert summary.is_visible()
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 800, box
    # The hidden summary of the static page is not listed as contents of the page.
    assert page.locator(".md-sidebar--secondary", has_text="There is a problem").count() == 0
