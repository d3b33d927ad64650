"""WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a phone, or 1280 px at 400% zoom) no page
scrolls sideways, with or without JavaScript: every page of the demo build, and every page
the endpoint answers with (each form's 422 page, with every question of every form and its
longest label and option, 429, 410, 403 and the confirmation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.a11y.conftest import built_pages, endpoint_pages
from tests.support import Server

# How far the page scrolls sideways, and the widest elements that stick out (not those
# inside a scroller of their own, such as a table's region).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const over = document.documentElement.scrollWidth - width;
    if (over <= 0) return null;
    const clipped = (el) => {
        for (let a = el.parentElement; a; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`)
        .slice(-3);
    return {over, wide};
}"""


def too_wide(page: Any) -> Any:
    return page.evaluate(OVERFLOW)


@pytest.mark.timeout(1800)  # every built page, twice: more than the suite's 600 s under load
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_every_built_page_fits_320_px(
    demo_site: Path, demo_server: Server, browser: Any, js: bool
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=js)
    page = context.new_page()
    failures = []
    pages = built_pages(demo_site)
    assert len(pages) > 60, pages  # the whole build, not a sample
    for path in pages:
        page.goto(demo_server.url + path)
        found = too_wide(page)
        if found:
            failures.append(f"{path}: {found}")
    context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(
    "size",
    [{"width": 320, "height": 640, "scale": 1}, {"width": 320, "height": 180, "scale": 4}],
    ids=["320px", "1280px-at-400pct"],
)
def test_every_endpoint_page_fits_320_px(
    demo_site: Path,
    a11y_server: Server,
    limited_server: Server,
    browser: Any,
    js: bool,
    size: dict[str, int],
) -> None:
    """1280 px at 400% zoom is a 320 by 180 CSS pixel viewport at a device scale of 4."""
    context = browser.new_context(
        viewport={"width": size["width"], "height": size["height"]},
        device_scale_factor=size["scale"],
        java_script_enabled=js,
    )
    page = context.new_page()
    failures = []
    for endpoint_page in endpoint_pages(demo_site):
        endpoint_page.open(page, demo_site, a11y_server, limited_server)
        found = too_wide(page)
        if found:
            failures.append(f"{endpoint_page.name}: {found}")
    context.close()
    assert not failures, "\n".join(failures)


def test_every_form_with_its_script_errors_fits_320_px(
    demo_site: Path, a11y_server: Server, browser: Any
) -> None:
    """With JavaScript the errors are the script's, on the static page: the same check."""
    from tests.a11y.conftest import open_forms

    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    failures = []
    for form in open_forms(demo_site):
        page.goto(a11y_server.url + form.page)
        page.locator("[data-portal-submit]").click()
        page.locator("[data-portal-error-summary]:not([hidden])").wait_for()
        found = too_wide(page)
        if found:
            failures.append(f"{form.id}: {found}")
    context.close()
    assert not failures, "\n".join(failures)
