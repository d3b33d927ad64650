"""The demo portal for the accessibility checks: every page the build writes, and every
page the endpoint answers with (422, 429, 410, 403, the confirmation), reached as a person
reaches them, by a post from the form's own page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.support import TEST_NOW, Server, serve_portal


@dataclass(frozen=True)
class Form:
    id: str
    page: str  # the form's page, from the site's root ("/consultations/x/")
    manifest: dict[str, Any]

    @property
    def action(self) -> str:
        return f"/responses/{self.id}"


def manifests(site: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((site / "api/forms").glob("*.json"))]


def is_open(manifest: dict[str, Any]) -> bool:
    now = datetime.fromisoformat(TEST_NOW)
    opens, closes = manifest.get("opens"), manifest.get("closes")
    return (not opens or datetime.fromisoformat(opens) <= now) and (
        not closes or now < datetime.fromisoformat(closes)
    )


def open_forms(site: Path) -> list[Form]:
    return [Form(m["id"], m["page_url"], m) for m in manifests(site) if is_open(m)]


def form_with(site: Path, *, opened: bool, closed: bool) -> Form:
    """A form of the demo that has opened (or not) and closed (or not) at TEST_NOW."""
    now = datetime.fromisoformat(TEST_NOW)
    for m in manifests(site):
        has_opened = not m.get("opens") or datetime.fromisoformat(m["opens"]) <= now
        has_closed = bool(m.get("closes")) and datetime.fromisoformat(m["closes"]) <= now
        if has_opened == opened and has_closed == closed:
            return Form(m["id"], m["page_url"], m)
    raise AssertionError(f"the demo has no form with opened={opened}, closed={closed}")


def valid_answers(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """An answer to every required question that the endpoint accepts."""
    fields: list[tuple[str, str]] = []
    for q in manifest["questions"]:
        if not q.get("required"):
            continue
        kind, qid = q["type"], q["id"]
        if kind == "consent":
            fields.append((qid, "yes"))
        elif kind in ("radio", "select"):
            fields.append((qid, q["options"][0]["value"]))
        elif kind == "checkboxes":
            for option in q["options"][: max(1, q.get("min_selected") or 1)]:
                fields.append((qid, option["value"]))
        elif kind == "scale":
            fields.append((qid, str(q["min"])))
        elif kind == "number":
            fields.append((qid, str(q.get("min") or 1)))
        elif kind == "date":
            fields.append((qid, "1/1/2027"))
        elif kind == "email":
            fields.append((qid, "someone@example.org"))
        else:
            fields.append((qid, "x" * max(1, q.get("min_length") or 1)))
    return fields


def confirmation_url(server: Server, form: Form) -> str:
    """A real response to ``form``; the address of its confirmation page."""
    fields = [*valid_answers(form.manifest), ("submission_id", f"a11y-{form.id}")]
    reply = httpx.post(
        server.url + form.action,
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert reply.status_code == 303, reply.text[-2000:]
    return server.url + reply.headers["location"]


def plain_post(page: Any, action: str) -> Any:
    """From the form on ``page``, the post a browser without JavaScript makes with nothing
    answered, to ``action``: the endpoint's answer (422 with the form, 410, 403, 429)."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """(action) => {
            const form = document.querySelector('form[data-portal-form]');
            form.action = action;
            HTMLFormElement.prototype.submit.call(form);
        }""",
            action,
        )
    return navigation.value


@pytest.fixture(scope="session")
def a11y_server(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("a11y")
    with serve_portal(
        demo_site,
        folder / "responses.sqlite3",
        folder / "server.log",
        env={"PORTAL_RATE_LIMIT": "1000/minute"},
    ) as server:
        yield server


@pytest.fixture(scope="module")
def limited_server(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo with a limit of one response a minute, for the 429 page."""
    folder = tmp_path_factory.mktemp("a11y-limited")
    with serve_portal(
        demo_site,
        folder / "responses.sqlite3",
        folder / "server.log",
        env={"PORTAL_RATE_LIMIT": "1/minute"},
    ) as server:
        yield server


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the build, as a path from the site's root; the shell page the
    endpoint fills is not a page anyone visits. The refusal pages nginx answers with
    (_portal/refusals/, portal.endpoint.refusals) are, in each language."""
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("_portal/page/"):
            continue
        found.append("/" + relative.removesuffix("index.html"))
    return found


@dataclass(frozen=True)
class EndpointPage:
    """One page the endpoint answers with, and how a person gets there."""

    name: str
    status: int

    def open(self, page: Any, site: Path, server: Server, limited: Server) -> None:
        """Bring ``page`` (JavaScript on or off) to this endpoint page."""
        kind, _, form_id = self.name.partition(":")
        if kind == "confirmation":
            form = open_forms(site)[0]
            page.goto(confirmation_url(server, form))
            return
        if kind == "422":
            form = next(f for f in open_forms(site) if f.id == form_id)
            page.goto(server.url + form.page)
            response = plain_post(page, form.action)
        elif kind == "410":
            page.goto(server.url + open_forms(site)[0].page)
            response = plain_post(page, form_with(site, opened=True, closed=True).action)
        elif kind == "403":
            page.goto(server.url + open_forms(site)[0].page)
            response = plain_post(page, form_with(site, opened=False, closed=False).action)
        elif kind == "429":
            form = open_forms(site)[0]
            fields = [*valid_answers(form.manifest), ("submission_id", "a11y-use-the-limit")]
            httpx.post(  # the one response a minute: 303, or 429 when already used
                limited.url + form.action,
                content=urlencode(fields),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=30,
            )
            page.goto(limited.url + form.page)
            response = plain_post(page, form.action)
        else:
            raise AssertionError(f"no such endpoint page: {self.name}")
        assert response.status == self.status, (self.name, response.status)


def endpoint_pages(site: Path) -> list[EndpointPage]:
    forms = [EndpointPage(f"422:{f.id}", 422) for f in open_forms(site)]
    others = [EndpointPage(n, s) for n, s in (("410", 410), ("403", 403), ("429", 429))]
    return [*forms, *others, EndpointPage("confirmation", 200)]
