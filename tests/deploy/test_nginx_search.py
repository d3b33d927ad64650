"""nginx proxies search and the combined filter to the endpoint, and nothing beside them.

/search and /consultations/filter are exact locations: /search/search_index.json (the index
Material's search reads in the browser) and /consultations/filter/ (the page with the filter)
stay nginx's static files.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from portal.slugs import slugify as _slugify
from tests.deploy import test_nginx
from tests.deploy.test_nginx import NGINX, Proxied, assert_security_headers

# The endpoint + nginx stack of test_nginx, started once for this module.
proxied_factory = test_nginx.proxied_factory
proxied = test_nginx.proxied


def slugify(label: str) -> str:
    return _slugify(label, fallback="other")


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
    ),
]


def test_search_reaches_the_endpoint(proxied: Proxied) -> None:
    page = httpx.get(proxied.url + "/search", params={"query": "parking"}, timeout=10)
    assert page.status_code == 200
    assert "results for ‘parking’" in page.text  # the endpoint's page, not a static 404
    assert '<a href="/consultations/smart-parking-sensors/">' in page.text
    assert_security_headers(page)


def test_the_combined_filter_reaches_the_endpoint(proxied: Proxied, demo_site: Path) -> None:
    published = json.loads((demo_site / "api" / "consultations.json").read_text("utf-8"))
    first = published["consultations"][0]
    topic, area = first["topics"][0], first["area"][0]
    expected = [c for c in published["consultations"] if topic in c["topics"] and area in c["area"]]
    page = httpx.get(
        proxied.url + "/consultations/filter",
        params={"status": "", "topic": slugify(topic), "area": slugify(area)},
        timeout=10,
    )
    assert page.status_code == 200
    noun = "consultation matches" if len(expected) == 1 else "consultations match"
    assert f"{len(expected)} {noun}: Topic: {topic}, Area: {area}." in page.text
    assert_security_headers(page)
    wrong = httpx.get(proxied.url + "/consultations/filter?area=atlantis", timeout=10)
    assert wrong.status_code == 400  # the endpoint's own answer, passed through
    assert "There is a problem" in wrong.text
    assert "Choose an area from the list" in wrong.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/search/search_index.json", '"config"'),
        ("/consultations/filter/", "Find a consultation"),
    ],
)
def test_the_static_files_beside_them_stay_static(
    proxied: Proxied, path: str, expected: str
) -> None:
    response = httpx.get(proxied.url + path, timeout=10)
    assert response.status_code == 200
    assert expected in response.text
    assert "last-modified" in response.headers  # nginx's file, not an endpoint page
