"""No invisible focus stop: tabbing through each page type, every element that takes the
focus has a visible focus indicator, a size and is not hidden (transparent, invisible, or
cut away by a parent that clips it), with and without JavaScript; the endpoint's pages too.
(Material's search results wrapper, tabindex 0 while search is closed, was such a stop.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.a11y.conftest import endpoint_pages
from tests.support import Server

PAGE_TYPES = [
    "/",
    "/consultations/",
    "/consultations/smart-parking-sensors/",  # open, with a form
    "/consultations/street-lighting-night-dimming/",  # closed, with results
    "/consultations/filter/topic/transport/",
    "/programme/",
    "/programme/enquire/",
    "/datasets/",
    "/datasets/uk-digital-skills-gap/",
    "/datasets/uk-digital-skills-gap/resources/skills-gap/",
    "/datasets/uk-digital-skills-gap/resources/skills-gap/rows/",
    "/alerts/",
    "/accessibility/",
    "/404.html",
]
ENDPOINT_PAGES = ("422:smart-parking-sensors", "410", "403", "confirmation")
MAX_PRESSES = 400

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    // As the focus looks once its transitions (a skip link fading in) have run.
    for (const a of document.getAnimations()) { try { a.finish(); } catch (e) {} }
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== 'none');
    const r = el.getBoundingClientRect();
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    // Off the page to the left or right, where no scrolling brings it (a closed drawer).
    if (r.right <= 0 || r.left >= document.documentElement.scrollWidth) return {
        name: `${el.tagName.toLowerCase()}#${el.id}.${el.className}`, ring, sized: false,
        seen: false, key: el.tagName + el.className + r.top + r.left};
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const st = getComputedStyle(a);
        if (st.overflowX === 'visible' && st.overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        left = Math.max(left, b.left); top = Math.max(top, b.top);
        right = Math.min(right, b.right); bottom = Math.min(bottom, b.bottom);
    }
    const sized = right - left >= 1 && bottom - top >= 1;
    const seen = el.checkVisibility({opacityProperty: true, visibilityProperty: true});
    const name = `${el.tagName.toLowerCase()}#${el.id}.${el.className}`
        + ` "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
    return {name, ring, sized, seen, key: name + r.top + r.left};
}"""


def invisible_stops(page: Any) -> tuple[int, list[str]]:
    """Tab through the page once round; every stop whose focus a sighted person cannot see."""
    page.locator("body").focus()
    first, stops, wrong = None, 0, []
    for _ in range(MAX_PRESSES):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None:
            if stops:
                break  # past the last stop, back to the page itself
            continue
        if found["key"] == first:
            break
        first = first or found["key"]
        stops += 1
        problems = [
            w
            for w, ok in (
                ("no focus indicator", found["ring"]),
                ("no size", found["sized"]),
                ("hidden", found["seen"]),
            )
            if not ok
        ]
        if problems:
            wrong.append(f"{found['name']}: {', '.join(problems)}")
    return stops, wrong


# Below 76.25em Material's navigation is a drawer pushed off the screen, and its links still
# take the focus there; the drawer's button is a label, which the keyboard never reaches, so
# hiding the links would leave keyboard users at 320 px without the navigation. Fixing it
# needs a focusable drawer button in the header (issue 17, left to the header's owner).
DRAWER = pytest.mark.xfail(strict=True, reason="Material's closed drawer takes the focus")


@pytest.mark.parametrize(
    ("js", "width"),
    [(True, 1280), (False, 1280), pytest.param(True, 320, marks=DRAWER)],
    ids=["js", "no-js", "js-320px"],
)
def test_no_invisible_focus_stop_on_any_page_type(
    demo_site: Path,
    demo_server: Server,
    a11y_server: Server,
    browser: Any,
    js: bool,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
    page = context.new_page()
    wrong = []
    for path in PAGE_TYPES:
        page.goto(demo_server.url + path)
        stops, found = invisible_stops(page)
        assert stops > 3, (path, stops)
        wrong += [f"{path} {w}" for w in found]
    for endpoint_page in endpoint_pages(demo_site):
        if endpoint_page.name not in ENDPOINT_PAGES:
            continue
        endpoint_page.open(page, demo_site, a11y_server, a11y_server)
        stops, found = invisible_stops(page)
        assert stops > 3, (endpoint_page.name, stops)
        wrong += [f"{endpoint_page.name} {w}" for w in found]
    context.close()
    assert not wrong, "\n".join(wrong)
