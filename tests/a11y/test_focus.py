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

FOCUSED = """async (scripts) => {
    // As the focus looks once the page's scripts have answered it: Material opens its
    // search a debounced moment (a 1 ms timer) after its box takes the focus. A timer set
    // now fires after that one, whatever the machine's load; then a frame for the styles.
    // (With scripts off no timer or frame ever fires, and nothing answers the focus.)
    if (scripts) {
        await new Promise((done) => setTimeout(done, 5));
        await new Promise((done) => requestAnimationFrame(() => done()));
    }
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


def invisible_stops(page: Any, *, scripts: bool) -> tuple[int, list[str]]:
    """Tab through the page once round; every stop whose focus a sighted person cannot see.
    ``scripts``: whether the page runs JavaScript."""
    page.locator("body").focus()
    first, stops, wrong = None, 0, []
    for _ in range(MAX_PRESSES):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED, scripts)
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


# Below 76.25em Material's navigation is a drawer; its closed links take no focus, and the
# header's menu button (theme/partials/header.html) opens it; without JavaScript the drawer
# slides in while the focus is in it. Both at 320 px, as a phone or 400% zoom has it.
@pytest.mark.parametrize(
    ("js", "width"),
    [(True, 1280), (False, 1280), (True, 320), (False, 320)],
    ids=["js", "no-js", "js-320px", "no-js-320px"],
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
        stops, found = invisible_stops(page, scripts=js)
        assert stops > 3, (path, stops)
        wrong += [f"{path} {w}" for w in found]
    for endpoint_page in endpoint_pages(demo_site):
        if endpoint_page.name not in ENDPOINT_PAGES:
            continue
        endpoint_page.open(page, demo_site, a11y_server, a11y_server)
        stops, found = invisible_stops(page, scripts=js)
        assert stops > 3, (endpoint_page.name, stops)
        wrong += [f"{endpoint_page.name} {w}" for w in found]
    context.close()
    assert not wrong, "\n".join(wrong)


# The navigation's links (not the current page's contents list, which the drawer leaves
# out), and whether a sighted person sees each: on the screen and not covered (by the
# overlay, or by the header over a closed drawer).
NAV_LINKS = """() => [...document.querySelectorAll('.md-sidebar--primary .md-nav--primary a')]
    .filter((a) => !a.closest('.md-nav--secondary') && !a.classList.contains('md-logo')
        && getComputedStyle(a).display !== 'none')
    .map((a) => {
        a.scrollIntoView({block: 'nearest'});
        for (const x of document.getAnimations()) { try { x.finish(); } catch (e) {} }
        const r = a.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const top = document.elementFromPoint(x, y);
        const seen = a.checkVisibility({opacityProperty: true, visibilityProperty: true})
            && r.left >= 0 && r.right <= innerWidth && !!top && a.contains(top);
        return {href: a.getAttribute('href'), seen};
    })"""
IN_DRAWER = "() => !!document.activeElement.closest('.md-sidebar--primary')"
MENU_PAGES = ["/", "/consultations/smart-parking-sensors/", "/datasets/"]


def tab_to(page: Any, test: str, presses: int = 40) -> bool:
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return True
    return False


@pytest.mark.parametrize("path", MENU_PAGES)
def test_menu_button_opens_the_navigation_by_keyboard_at_320px(
    demo_server: Server, browser: Any, path: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(demo_server.url + path)
    button = page.locator("header button[aria-controls]")
    assert tab_to(page, "() => document.activeElement.matches('header button[aria-controls]')")
    focused = page.evaluate(FOCUSED, True)
    assert focused["ring"] and focused["sized"] and focused["seen"], focused
    assert button.get_attribute("aria-expanded") == "false"
    drawer = page.locator(f"#{button.get_attribute('aria-controls')}")
    assert drawer.locator("nav.md-nav--primary").count() == 1
    links = page.evaluate(NAV_LINKS)
    assert len(links) >= 5, links
    assert not any(link["seen"] for link in links), "the closed drawer shows no link"

    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate(IN_DRAWER), "the focus goes into the open drawer"
    assert [link for link in page.evaluate(NAV_LINKS) if not link["seen"]] == []
    # Every stop in the open drawer is seen; tabbing past its last link closes it.
    for _ in range(len(links) + 5):
        page.keyboard.press("Tab")
        if not page.evaluate(IN_DRAWER):
            break
        focused = page.evaluate(FOCUSED, True)
        assert focused["ring"] and focused["sized"] and focused["seen"], focused
    else:
        raise AssertionError("the focus never left the drawer")
    assert button.get_attribute("aria-expanded") == "false"

    button.focus()
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"
    assert all(link["seen"] for link in page.evaluate(NAV_LINKS))
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.matches('header button[aria-controls]')")
    assert not any(link["seen"] for link in page.evaluate(NAV_LINKS))
    context.close()


@pytest.mark.parametrize("path", MENU_PAGES)
def test_navigation_is_reached_by_keyboard_at_320px_without_javascript(
    demo_server: Server, browser: Any, path: str
) -> None:
    """Without JavaScript the menu button is Material's label (a click or tap opens the
    drawer); the keyboard reaches the links by tabbing, and the drawer slides in then."""
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server.url + path)
    assert not any(link["seen"] for link in page.evaluate(NAV_LINKS))
    assert tab_to(page, IN_DRAWER), "the keyboard reaches the navigation"
    seen = 0
    while page.evaluate(IN_DRAWER):
        focused = page.evaluate(FOCUSED, False)
        assert focused["ring"] and focused["sized"] and focused["seen"], focused
        shown = {link["href"]: link["seen"] for link in page.evaluate(NAV_LINKS)}
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert shown.get(href, True), (href, shown)
        seen += 1
        assert seen < 50
        page.keyboard.press("Tab")
    assert seen >= 5
    assert not any(link["seen"] for link in page.evaluate(NAV_LINKS)), "closed again"
    context.close()
