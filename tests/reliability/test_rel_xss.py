"""Issue 7, item 8: 50+ XSS payloads through the error re-render and the confirmation page:
escaped in the HTML, and in a real browser (Debian's Chromium) no injected script runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from rel_support import (
    FORM_HEADERS,
    FORM_ID,
    VALID,
    Client,
    body,
    make_client,
    make_site,
    settings_for,
    start_endpoint,
    submission_id,
)
from tests.support import Server

URL = f"/responses/{FORM_ID}"
JS = "window.__xss=1"
PAYLOADS = [
    f"<script>{JS}</script>",
    f"<img src=x onerror={JS}>",
    f'<img src=x onerror="{JS}">',
    f"<svg onload={JS}>",
    f"<svg/onload={JS}>",
    f"<body onload={JS}>",
    f'<iframe srcdoc="<script>parent.{JS}</script>"></iframe>',
    f'<iframe src="javascript:parent.{JS}"></iframe>',
    f'"><script>{JS}</script>',
    f"'><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</title><script>{JS}</script>",
    f"</option><script>{JS}</script>",
    f'" autofocus onfocus="{JS}',
    f"' autofocus onfocus='{JS}",
    f'" onmouseover="{JS}',
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<select autofocus onfocus={JS}>",
    f"<textarea autofocus onfocus={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<audio src=x onerror={JS}>",
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    f'<a href="javascript:{JS}" id=xss>x</a>',
    f"<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror={JS}>",
    f"<style>@import 'javascript:{JS}';</style>",
    f"<marquee onstart={JS}>",
    f'<div style="width:expression({JS})">',
    f'<base href="javascript:{JS}//">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<link rel=import href="data:text/html,<script>{JS}</script>">',
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<ScRiPt>{JS}</sCrIpT>",
    f'<script\x20type="text/javascript">{JS}</script>',
    f'<script src="data:text/javascript,{JS}"></script>',
    '<img src="x" onerror="&#119;indow.__xss=1">',
    f"<img src=x onerror=eval(atob('{'d2luZG93Ll9feHNzPTE='}'))>",
    f"{{{{constructor.constructor('{JS}')()}}}}",
    f"${{{JS}}}",
    f"<!--<script>{JS}</script>-->",
    f"]]><script>{JS}</script>",
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f'<form><button formaction="javascript:{JS}">x</button></form>',
    f"<isindex type=image src=1 onerror={JS}>",
    f'<table background="javascript:{JS}">',
    f"<x onclick={JS} id=xss>click</x>",
    f"javascript:{JS}",
    f"\u2028<script>{JS}</script>",
    f"<img src=x onerror={JS}//\x00>",
    f"<svg><script>{JS}</script></svg>",
    f"<template><script>{JS}</script></template><img src=x onerror={JS}>",
]
# Each payload in the questions whose answers come back: short text, long text, email.
FIELDS = ("name", "views", "email")


class Finder(HTMLParser):
    """Markup the payload could have made: a script or handler that sets the flag."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if "__xss" in (value or "") and (
                name.startswith("on")
                or name
                in (
                    "href",
                    "src",
                    "srcdoc",
                    "data",
                    "action",
                    "formaction",
                    "style",
                    "background",
                    "content",
                )
            ):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "__xss" in data:
            self.found.append(f"script: {data[:80]!r}")


def injected(html: str) -> list[str]:
    finder = Finder()
    finder.feed(html)
    return finder.found


def invalid_fields(payload: str) -> list[tuple[str, str]]:
    # The radio question left empty makes the post invalid, so the form comes back.
    kept = [(k, v) for k, v in VALID if k not in (*FIELDS, "travel")]
    return [
        *kept,
        ("name", payload[:100]),
        ("views", (payload * 2)[:200]),
        ("email", payload[:100]),
    ]


def test_at_least_fifty_payloads() -> None:
    assert len(set(PAYLOADS)) >= 50


@pytest.fixture
def rel_client(tmp_path: Path) -> Iterator[Client]:
    client = make_client(settings_for(make_site(tmp_path), rate_limit="1000000/minute"))
    yield client
    client.storage.dispose()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_escaped_in_error_rerender_and_confirmation(
    rel_client: Client, payload: str
) -> None:
    r = rel_client.post(
        URL, content=body(submission_id(), invalid_fields(payload)), headers=FORM_HEADERS
    )
    assert r.status_code == 422
    if any(c in payload for c in "<>\"'"):
        assert payload[:100] not in r.text
    assert injected(r.text) == []
    # JSON clients get the same answers back only as data, never as markup.
    j = rel_client.post(
        URL,
        content=body(submission_id(), invalid_fields(payload)),
        headers={**FORM_HEADERS, "accept": "application/json"},
    )
    assert j.status_code == 422 and j.headers["content-type"].startswith("application/json")
    # A stored answer holding the payload, then the confirmation page.
    fields = [(k, v) for k, v in VALID if k != "views"] + [("views", (payload + " ok")[:200])]
    ok = rel_client.post(URL, content=body(submission_id(), fields), headers=FORM_HEADERS)
    assert ok.status_code == 303
    page = rel_client.get(ok.headers["location"])
    assert page.status_code == 200 and JS not in page.text and injected(page.text) == []
    # The payload where the reference goes: refused, not reflected.
    bad = rel_client.get(f"{URL}/confirmation/{quote(payload, safe='')}")
    assert bad.status_code == 404 and JS not in bad.text


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("xss")
    server = start_endpoint(
        make_site(folder), f"sqlite:///{folder / 'r.sqlite3'}", folder / "endpoint.log"
    )
    yield server
    server.stop()


SUBMIT = """([action, fields]) => {
  const form = document.createElement('form');
  form.method = 'post'; form.action = action;
  for (const [k, v] of fields) {
    const input = document.createElement('textarea'); input.name = k; input.value = v;
    form.appendChild(input);
  }
  document.body.appendChild(form); form.submit();
}"""


@pytest.mark.e2e
def test_no_injected_script_runs_in_chromium(xss_server: Server, page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ran = []
    for payload in PAYLOADS:
        page.goto(xss_server.url + "/health")
        with page.expect_navigation():
            page.evaluate(SUBMIT, [URL, invalid_fields(payload)])
        page.wait_for_load_state("load")
        assert page.title().startswith("Error:"), payload
        # Give handlers such as autofocus/onfocus and onerror their chance, then look.
        page.focus("#name") if page.locator("#name").count() else None
        page.mouse.move(10, 10)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        if page.evaluate("() => window.__xss") is not None:
            ran.append(payload)
    assert ran == []
    assert dialogs == []
