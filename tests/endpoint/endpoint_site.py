"""A tiny built site (manifests, a form page, the shell) and an endpoint over it per test.

Helpers live here rather than in conftest.py so tests can import them by a unique name.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette

sys.path.insert(0, str(Path(__file__).parent.parent / "forms"))

from form_sample import THEME_DIR, VALID, sample_manifest

from portal import clock
from portal.endpoint import EndpointSettings, create_app
from portal.forms.render import render_form
from portal.storage import Storage

STATIC_ID = "static-build-id-000000000"
SITE_NAME = "Test portal"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - {site}</title>
<link rel="stylesheet" href="../../assets/stylesheets/main.css">
<script id="__config" type="application/json">{{"base": "../..", "features": []}}</script>
</head><body>
<a href="../../">Home</a> <a href="../">Consultations</a> <a href="https://example.org/x">Out</a>
<a href="#top">Top</a>
<main><h1>{title}</h1>
{content}
</main><script src="../../assets/javascripts/bundle.js"></script></body></html>
"""


def write_form(site: Path, manifest: dict[str, Any]) -> None:
    folder = site / "api" / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{manifest['id']}.json").write_text(json.dumps(manifest), encoding="utf-8")
    form = render_form(
        manifest,
        theme_dir=THEME_DIR,
        submission_id=STATIC_ID,
        action=f"/responses/{manifest['id']}",
    )
    page = site / manifest["page_file"]
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        PAGE.format(title=manifest["title"], site=SITE_NAME, content=form), encoding="utf-8"
    )


def variant(form_id: str, **changes: Any) -> dict[str, Any]:
    manifest = sample_manifest()
    manifest.update(
        id=form_id,
        page_url=f"/consultations/{form_id}/",
        page_file=f"consultations/{form_id}/index.html",
        **changes,
    )
    return manifest


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    now = clock.now()
    write_form(
        site, sample_manifest(opens=now - timedelta(days=1), closes=now + timedelta(days=30))
    )
    write_form(site, variant("closed", closes=(now - timedelta(minutes=1)).isoformat()))
    write_form(site, variant("future", opens=(now + timedelta(days=2)).isoformat()))
    shell = site / "_portal" / "page" / "index.html"
    shell.parent.mkdir(parents=True)
    shell.write_text(
        PAGE.format(title="Your response", site=SITE_NAME, content="<!--portal:slot-->"),
        encoding="utf-8",
    )
    return site


def settings_for(site: Path, **changes: Any) -> EndpointSettings:
    base = EndpointSettings(
        site_dir=site,
        theme_dir=THEME_DIR,
        database_url=f"sqlite:///{site.parent / 'var' / 'responses.sqlite3'}",
        rate_limit="1000/minute",
    )
    return EndpointSettings(**{**base.__dict__, **changes})


@pytest.fixture
def settings(site: Path) -> EndpointSettings:
    return settings_for(site)


class Client:
    """A real HTTP client (httpx) talking to the app in-process; a list as ``content`` is
    streamed chunk by chunk with no Content-Length, as a lying or streaming client would."""

    def __init__(self, app: Starlette, base_url: str = "http://testserver") -> None:
        self.app = app
        self.base_url = base_url

    @property
    def storage(self) -> Storage:
        found: Storage = self.app.state.storage
        return found

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        content = kwargs.get("content")
        if isinstance(content, list):
            chunks = list(content)

            async def stream() -> Any:
                for chunk in chunks:
                    yield chunk

            kwargs["content"] = stream()

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as http:
                response = await http.request(method, url, **kwargs)
                await response.aread()
                return response

        return anyio.run(send)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def make_client(settings: EndpointSettings, **kwargs: Any) -> Client:
    site = kwargs.pop("site_dir_to_serve", None)
    return Client(create_app(settings, site_dir_to_serve=site), **kwargs)


@pytest.fixture
def client(settings: EndpointSettings) -> Iterator[Client]:
    client = make_client(settings)
    yield client
    client.storage.dispose()


@pytest.fixture
def storage(client: Client) -> Storage:
    return client.storage


def fields(**changes: Any) -> list[tuple[str, str]]:
    """The sample's valid answers with some replaced (list: several values; None: removed)."""
    out = [(k, v) for k, v in VALID if k not in changes]
    for key, value in changes.items():
        if value is not None:
            out += [(key, v) for v in (value if isinstance(value, list) else [value])]
    return out
