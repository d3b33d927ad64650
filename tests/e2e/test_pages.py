"""Every page type in a real browser: axe (WCAG 2.0/2.1/2.2 A and AA), language, skip link,
visible keyboard focus, navigation, and no horizontal scrolling at 320 px or 200% zoom."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import axe_violations, describe, horizontal_overflow, unfocused_stops

# One page of each type in the demo portal (status as of the build: real time, and the demo
# content keeps these statuses for months).
PAGE_TYPES = {
    "home": "/",
    "consultations index": "/consultations/",
    "open consultation with form": "/consultations/smart-parking-sensors/",
    "forthcoming consultation": "/consultations/ev-charging-points/",
    "closed consultation": "/consultations/air-quality-sensors-schools/",
    "outcome published": "/consultations/riverside-park-climate-plan/",
    "programme": "/programme/",
    "enquiry form": "/programme/enquire/",
    "about": "/about/",
    "privacy notice": "/privacy/",
    "accessibility statement": "/accessibility/",
    "publishers' guide": "/publishers/",
    "datasets catalogue": "/datasets/",
    "dataset": "/datasets/uk-digital-skills-gap/",
    "datasets by keyword": "/datasets/keywords/air-quality/",
    "consultations filter": "/consultations/filter/",
    "page shell": "/_portal/page/",
    "not found": "/no-such-page/",
}

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_type_passes_axe_and_basics(demo_server: Any, page: Any, path: str) -> None:
    response = page.goto(demo_server.url + path)
    assert response is not None
    if path == "/no-such-page/":
        assert response.status == 404
    else:
        assert response.status == 200, path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title().strip(), "every page has a title"
    assert page.locator("h1").count() == 1, "exactly one main heading"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["/", "/consultations/smart-parking-sensors/", "/programme/"])
def test_skip_link_is_first_and_visible_on_focus(demo_server: Any, page: Any, path: str) -> None:
    page.goto(demo_server.url + path)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {text: el.textContent.trim(), href: el.getAttribute('href'),
                visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
                outline: style.outlineStyle + ' ' + style.outlineWidth,
                shadow: style.boxShadow};
    }""")
    assert "Skip to content" in focused["text"]
    assert focused["visible"], focused
    page.keyboard.press("Enter")
    # After following the skip link the next Tab lands inside the main content.
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => !!document.activeElement.closest('.md-content, main')")
    assert inside_main


def test_keyboard_focus_is_always_visible(demo_server: Any, page: Any) -> None:
    page.goto(demo_server.url + "/consultations/smart-parking-sensors/")
    invisible = unfocused_stops(page, 40)
    assert invisible == [], invisible


def test_navigation_reaches_every_section(demo_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo_server.url + "/")
    for name, heading in [
        ("Consultations", "Consultations"),
        ("Open data", None),
        ("About", None),
        ("Privacy notice", None),
    ]:
        page.locator("nav.md-nav--primary").get_by_role("link", name=name, exact=True).first.click()
        assert page.locator("h1").count() == 1
        if heading:
            assert page.locator("h1").inner_text().strip() == heading


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "200% zoom"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/consultations/",
        "/consultations/smart-parking-sensors/",
        "/programme/",
        "/datasets/uk-digital-skills-gap/",
    ],
)
def test_no_horizontal_scrolling(demo_server: Any, browser: Any, width: int, path: str) -> None:
    # 200% zoom of a 1280 px window is a 640 CSS px viewport at twice the pixel density.
    scale = 2 if width == 640 else 1
    overflow = horizontal_overflow(browser, demo_server.url + path, width, scale)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
