"""nginx's own refusals (413, 429, 502 and 504) in the language of the page a post came from.

The build writes them as pages in each language's folder (portal.endpoint.refusals); nginx
answers with the one for the language the form's address names (``?language=cy``), else
the site's own, else a plain English page of its own where the build wrote none. Through
Debian's real nginx with deploy/nginx/portal.conf as shipped. The 429 and 502 pages in
Welsh are tried in test_nginx_limits.py, with the stacks that make them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from portal.endpoint import refusals
from tests.deploy import test_nginx
from tests.deploy.test_nginx import (
    FORM_ID,
    NGINX,
    Proxied,
    assert_refusal,
    assert_security_headers,
    over_https,
    start_nginx,
)
from tests.support import free_port

proxied_factory = test_nginx.proxied_factory
proxied = test_nginx.proxied

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TOO_LONG = b"comments=" + b"x" * (100 * 1024)  # over the 100 KB nginx lets through
# What the language of a form's address may be, and is not: each gets the site's own page.
NOT_A_LANGUAGE_OF_THE_SITE = [
    "",  # a page in the site's own language names none
    "?language=en",  # the site's own, named: it has no folder of its own
    "?language=zz",  # a language tag, but not one the site is built in
    "?language=../../etc",
    "?language=%2e%2e%2f%2e%2e%2fetc",
    "?language=cy%2f..%2f..",
]


def post_too_long(url: str) -> httpx.Response:
    return httpx.post(url, content=TOO_LONG, headers=FORM, timeout=30)


@pytest.mark.parametrize("path", [f"/responses/{FORM_ID}", "/staff/sign-in", "/alerts/subscribe"])
def test_a_post_too_long_from_a_welsh_page_is_refused_in_welsh(proxied: Proxied, path: str) -> None:
    before = proxied.rows()
    response = post_too_long(f"{proxied.url}{path}?language=cy")
    assert response.status_code == 413
    assert_refusal(response, refusals.TOO_LARGE, "cy")
    assert "Mae eich ymateb yn rhy hir i’w anfon" in response.text
    assert "retry-after" not in response.headers  # waiting does not make it shorter
    assert proxied.rows() == before


@pytest.mark.parametrize("query", NOT_A_LANGUAGE_OF_THE_SITE)
def test_a_post_too_long_naming_no_language_of_the_site_gets_the_sites_own(
    proxied: Proxied, query: str
) -> None:
    response = post_too_long(f"{proxied.url}/responses/{FORM_ID}{query}")
    assert response.status_code == 413
    assert_refusal(response, refusals.TOO_LARGE, "en")


def test_the_endpoint_says_the_same_when_it_sees_the_body_first(proxied: Proxied) -> None:
    """A body too large is one refusal, whichever of nginx and the endpoint refuses it."""
    response = post_too_long(f"{proxied.endpoint.url}/responses/{FORM_ID}?language=cy")
    assert response.status_code == 413
    assert_refusal(response, refusals.TOO_LARGE, "cy")


@pytest.mark.parametrize("name", [refusal.name for refusal in refusals.REFUSALS])
@pytest.mark.parametrize("folder", ["", "/cy"])
def test_the_refusal_pages_are_only_answers(proxied: Proxied, folder: str, name: str) -> None:
    """They are written into the site, but asked for at their own address they are not
    there: a 200 for a page that says 'too long' would mislead."""
    response = httpx.get(f"{proxied.url}{folder}/{refusals.FOLDER}/{name}.html", timeout=10)
    assert response.status_code == 404
    assert_security_headers(response)


def test_a_refusal_page_over_https_has_hsts_once(proxied: Proxied) -> None:
    https_url, context = over_https(proxied)
    url = f"{https_url}/responses/{FORM_ID}?language=cy"
    response = httpx.post(url, content=TOO_LONG, headers=FORM, verify=context, timeout=30)
    assert response.status_code == 413
    assert_refusal(response, refusals.TOO_LARGE, "cy")
    assert response.headers.get_list("strict-transport-security") == [
        "max-age=31536000; includeSubDomains"
    ]


# -- a site whose build wrote fewer refusal pages ---------------------------------------


@dataclass(frozen=True)
class Sparse:
    """nginx over a site that each test fills as it needs, with no endpoint behind it."""

    site: Path
    url: str

    def only(self, demo: Path, *folders: str) -> None:
        """The site's refusal pages: the demo's in these language folders, no others."""
        shutil.rmtree(self.site, ignore_errors=True)
        self.site.mkdir()
        for folder in folders:
            shutil.copytree(demo / folder / refusals.FOLDER, self.site / folder / refusals.FOLDER)


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sparse]:
    folder = tmp_path_factory.mktemp("nginx-refusals")
    site = folder / "site"
    site.mkdir()
    nginx, http_port, _https, _cert = start_nginx(folder, site, free_port())
    try:
        nginx.wait("/")
        yield Sparse(site, f"http://127.0.0.1:{http_port}/responses/{FORM_ID}?language=cy")
    finally:
        nginx.stop()


def test_a_language_the_build_wrote_no_pages_in_gets_the_sites_own(
    sparse: Sparse, demo_site: Path
) -> None:
    """A generator that publishes the default language only writes no cy/ folder."""
    sparse.only(demo_site, "")
    response = post_too_long(sparse.url)
    assert response.status_code == 413
    assert_refusal(response, refusals.TOO_LARGE, "en")
    down = httpx.post(sparse.url, content=b"data_use=no", headers=FORM, timeout=30)
    assert down.status_code == 502
    assert_refusal(down, refusals.UNAVAILABLE, "en")
    assert down.headers["retry-after"] == str(refusals.WAIT)


def test_without_the_pages_nginx_still_answers_with_its_own(
    sparse: Sparse, demo_site: Path
) -> None:
    """A site built before the build wrote them: nginx's plain page, not its bare default."""
    sparse.only(demo_site)
    too_long = post_too_long(sparse.url)
    assert too_long.status_code == 413
    assert "Your response is too long to send" in too_long.text
    down = httpx.post(sparse.url, content=b"data_use=no", headers=FORM, timeout=30)
    assert down.status_code == 502
    assert "If you were sending a response" in down.text
    assert down.headers["retry-after"] == "60"
    for response in (too_long, down):
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert '<html lang="en">' in response.text
        assert response.headers["cache-control"] == "no-store"
        assert_security_headers(response)
