"""nginx proxies the alerts' three endpoint addresses and leaves /alerts/ (the page with the
form) a static file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.deploy import test_nginx
from tests.deploy.test_nginx import NGINX, Proxied, assert_security_headers

proxied_factory = test_nginx.proxied_factory
proxied = test_nginx.proxied

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
    ),
]


def test_the_alerts_page_is_static_and_its_posts_reach_the_endpoint(proxied: Proxied) -> None:
    page = httpx.get(proxied.url + "/alerts/", timeout=10)
    assert page.status_code == 200
    assert 'action="/alerts/subscribe"' in page.text
    wrong = httpx.post(
        proxied.url + "/alerts/subscribe", data={"email": "not an address"}, timeout=10
    )
    assert wrong.status_code == 422  # the endpoint's answer: nginx has no such file
    assert "Enter your email address in the correct format" in wrong.text
    assert_security_headers(wrong)
    link = httpx.get(proxied.url + "/alerts/confirm?token=nothing", timeout=10)
    assert link.status_code == 410
    big = httpx.post(proxied.url + "/alerts/subscribe", data={"email": "a" * 20_000}, timeout=10)
    assert big.status_code == 413  # refused by nginx before the endpoint
