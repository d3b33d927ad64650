"""The page `portal serve` shows while a rebuild has failed: accessible, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from portal.failed_build import error_page
from tests.support import axe_violations, describe

pytestmark = pytest.mark.e2e

FAILURE = (
    "The build failed; the previous site is unchanged.\n"
    "PORTAL_NOW: 'soon' is not a date and time (or unset it to use the real time) [env-invalid]\n"
    "content/index.md:8: the link 'plan.md' goes to 'plan.md', which does not exist "
    "(correct the address, or add the page or file it names) [link-broken]\n"
    "2 problems found; nothing was built."
)


def test_the_error_page_lists_every_problem_and_passes_axe(page: Any) -> None:
    page.set_content(error_page(FAILURE))
    assert page.locator("h1").count() == 1
    items = page.locator("main ul li").all_inner_texts()
    assert items == [line for line in FAILURE.splitlines() if "[" in line]
    assert page.title().startswith("Error: ")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "long problem lines wrap on a phone-sized window"
