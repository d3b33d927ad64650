"""Following a link in the error summary shows the question: its label (or legend) and its
error message are inside the viewport and not under Material's sticky header, with the
endpoint's 422 page (no JavaScript) and with the script's own summary, on a phone and a
desktop screen, for every link of every open form of the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.a11y.conftest import open_forms, plain_post
from tests.support import Server

# Where the question's label and error message are, against the header and the viewport.
PLACES = """(id) => {
    const target = document.getElementById(id);
    const group = target.closest('.portal-form-group');
    const label = group.querySelector('.portal-fieldset__legend, .portal-label');
    const error = group.querySelector('.portal-error-message');
    const header = document.querySelector('.md-header').getBoundingClientRect();
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom};
    };
    return {header: header.bottom, height: window.innerHeight,
            label: box(label), error: error ? box(error) : null};
}"""

SIZES = [{"width": 320, "height": 640}, {"width": 1280, "height": 800}]


def hidden_parts(page: Any, target: str) -> list[str]:
    found = page.evaluate(PLACES, target)
    wrong = []
    for part in ("label", "error"):
        box = found[part]
        if box is None:
            wrong.append(f"{target}: no error message")
        elif box["top"] < found["header"] - 1 or box["bottom"] > found["height"] + 1:
            wrong.append(
                f"{target}: the {part} is at {box['top']:.0f}-{box['bottom']:.0f}, "
                f"header ends at {found['header']:.0f}, viewport {found['height']}"
            )
    return wrong


def follow_every_link(page: Any) -> tuple[int, list[str]]:
    links = page.locator(".portal-error-summary a")
    count = links.count()
    wrong = []
    for i in range(count):
        link = links.nth(i)
        target = str(link.get_attribute("href")).split("#", 1)[1]
        if target.endswith("-form"):
            continue  # a message about the whole form, not a question
        link.click()
        page.wait_for_function(
            "(id) => document.activeElement && document.activeElement.id === id "
            "|| location.hash === '#' + id",
            arg=target,
        )
        page.wait_for_timeout(50)  # a smooth scroll, if any, has ended
        wrong += hidden_parts(page, target)
    return count, wrong


@pytest.mark.parametrize("size", SIZES, ids=["320px", "1280px"])
@pytest.mark.parametrize("js", [False, True], ids=["no-js-422", "js"])
def test_error_links_show_the_question(
    demo_site: Path, a11y_server: Server, browser: Any, js: bool, size: dict[str, int]
) -> None:
    context = browser.new_context(viewport=size, java_script_enabled=js)
    page = context.new_page()
    wrong, followed = [], 0
    forms = open_forms(demo_site)
    assert forms
    for form in forms:
        page.goto(a11y_server.url + form.page)
        if js:
            page.locator("[data-portal-submit]").click()
        else:
            assert plain_post(page, form.action).status == 422
        page.locator(".portal-error-summary:not([hidden]) a").first.wait_for()
        count, found = follow_every_link(page)
        followed += count
        wrong += [f"{form.id} {w}" for w in found]
    context.close()
    assert followed > len(forms), followed
    assert not wrong, "\n".join(wrong)
