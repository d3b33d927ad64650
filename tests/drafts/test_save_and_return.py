"""Save and return in Chromium, with JavaScript off and on: part of the long form saved, the
code and link given, the link opened in another browser (every answer there), the form
finished and sent: one response and no draft. The code typed on the resume page works too,
and saving a resumed draft again keeps its code."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.drafts.conftest import PAGE, PART, REST, RESUME, DraftsPortal, fill, save, shown
from tests.support import axe_violations, describe

CODE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")


def context(browser: Any, js: bool, width: int = 1280) -> Any:
    return browser.new_context(java_script_enabled=js, viewport={"width": width, "height": 900})


def overflow(page: Any) -> int:
    found: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return found


@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_save_resume_in_another_browser_and_send(
    served: DraftsPortal, browser: Any, js: bool
) -> None:
    before = len(served.responses())
    first = context(browser, js)
    page = first.new_page()
    page.goto(served.url + PAGE)
    fill(page, PART)
    code, link = save(page)
    assert CODE.fullmatch(code), code
    assert link == f"{served.url}{RESUME}?code={code}"
    assert page.title().startswith("Your answers have been saved")
    assert "30 June 2027" in page.locator("article").inner_text()  # when the form closes
    # On the server, not in the page: one draft, holding its code's hash, never the code.
    rows = served.drafts()
    assert len(rows) == 1
    assert code not in json.dumps([dict(r) for r in rows], default=str)
    assert len(rows[0]["code_hash"]) == 64
    if js:  # the page after saving, as a respondent meets it
        assert axe_violations(page) == [], describe(axe_violations(page))
        page.set_viewport_size({"width": 320, "height": 800})
        assert overflow(page) <= 0
    first.close()

    # Another browser, as on another day or device: the link brings every answer back.
    second = context(browser, js)
    page = second.new_page()
    page.goto(link)
    assert shown(page, PART) == {
        **PART,
        "drop_in_date": "15/3/2027",
        "comments": PART["comments"],
    }
    assert shown(page, REST) == {"email": "", "publish_answers": False}
    assert "You are finishing answers you saved earlier" in page.inner_text(
        "form[data-portal-form]"
    )
    if js:
        assert axe_violations(page) == [], describe(axe_violations(page))
    fill(page, REST)
    page.get_by_role("button", name="Send your response").click()
    page.wait_for_url(re.compile(r"/confirmation/PR-"))
    second.close()

    stored = served.responses()
    assert len(stored) == before + 1, "one response, however it was saved"
    answers = json.loads(stored[-1]["answers"])
    assert answers == {
        "connection": "mobile-data-on-my-phone-only",
        "household_users": 3,
        "barriers": ["the-cost-of-a-device", "worries-about-scams-and-safety"],
        "priority": "free-public-wifi-in-community-buildings",
        "strategy_agreement": "4",
        "drop_in_date": "2027-03-15",
        "comments": answers["comments"],
        "email": "resident@example.org",
        "publish_answers": True,
    }
    assert answers["comments"].replace("\r\n", "\n") == PART["comments"]
    assert served.drafts() == [], "the draft goes once its response is stored"


@pytest.mark.parametrize("js", [False, True], ids=["javascript-off", "javascript-on"])
def test_code_typed_on_the_resume_page_and_saved_again(
    served: DraftsPortal, browser: Any, js: bool
) -> None:
    for row in served.drafts():  # another test's draft would make the counts below unclear
        served.query("DELETE FROM drafts WHERE id = ?", row["id"])
    ctx = context(browser, js)
    page = ctx.new_page()
    page.goto(served.url + PAGE)
    # An unfinished form: the required priority is not chosen; saving is not refused.
    fill(page, {"connection": PART["connection"], "comments": "First thoughts."})
    code, _ = save(page)
    ctx.close()

    ctx = context(browser, js)
    page = ctx.new_page()
    page.goto(served.url + PAGE)
    page.get_by_role("link", name="Continue a saved response").click()
    page.get_by_label("Resume code").fill(code.lower().replace("-", " "))  # as typed
    if js:
        assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Continue").click()
    page.locator("[data-portal-question='comments']").wait_for()
    assert shown(page, {"connection": "", "comments": ""}) == {
        "connection": PART["connection"],
        "comments": "First thoughts.",
    }
    # Sent unfinished: the form says what is missing (the script, or the server's 422 page)
    # and is still the same draft.
    page.get_by_role("button", name="Send your response").click()
    page.get_by_role("link", name=re.compile("Select an answer to .*5 priorities", re.I)).wait_for()
    assert page.locator("input[name='draft_code']").get_attribute("value") == code
    page.locator("#comments").fill("Second thoughts.")
    again, _ = save(page)
    assert again == code, "saving a resumed draft keeps its code"
    rows = served.drafts()
    assert len(rows) == 1
    assert json.loads(rows[0]["answers"])["comments"] == ["Second thoughts."]
    ctx.close()


def test_resume_pages_fit_a_small_screen(served: DraftsPortal, browser: Any) -> None:
    ctx = context(browser, True, width=320)
    page = ctx.new_page()
    page.goto(served.url + RESUME)
    assert overflow(page) <= 0
    page.get_by_label("Resume code").fill("2222-3333-4444")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("We could not find saved answers with that code").first.wait_for()
    assert overflow(page) <= 0
    assert axe_violations(page) == [], describe(axe_violations(page))
    # A resumed form, as on a phone: the code's hint and both buttons fit too.
    page.goto(served.url + PAGE)
    page.locator("#comments").fill("On a phone.")
    _, link = save(page)
    assert overflow(page) <= 0
    page.goto(link)
    page.locator("input[name='draft_code']").wait_for(state="attached")
    assert overflow(page) <= 0
    ctx.close()
