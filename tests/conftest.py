"""Fixtures shared by every test folder: built sites, a real browser, real servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mail.smtp import SmtpServer
from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT, TEST_NOW, portal, serve_portal

# One moment for the whole suite (portal.clock): the builds, the endpoints and the commands
# the tests start all read it, so no test depends on the day it runs. Tests of real time
# (the rate limit, timeouts) do not use this clock. A test that wants another moment sets
# PORTAL_NOW for what it starts.
os.environ.setdefault("PORTAL_NOW", TEST_NOW)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portal (this repository's own content), built once per test run."""
    site = tmp_path_factory.mktemp("demo") / "site"
    portal("build", "--site-dir", str(site))
    return site


@pytest.fixture(scope="session")
def demo_server(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The demo portal served with its endpoint on one origin, with a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("demo-server")
    with serve_portal(demo_site, folder / "responses.sqlite3", folder / "server.log") as server:
        yield server


# Per module, not per session: Playwright's sync API keeps an event loop running in the
# main thread while it is open, and in-process ASGI tests in later modules need that thread.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run 'make test' (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture()
def page_no_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture()
def root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (tests/mail/smtp.py) that keeps what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
