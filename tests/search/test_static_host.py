"""With the site on a static host, the plain forms go to the endpoint's own address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.discovery.discovery_sites import build, fixture_copy

ENDPOINT = "https://endpoint.example.org"


@pytest.fixture(scope="module")
def hosted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("static-host")
    root = fixture_copy(folder / "src")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "      timezone: Europe/London\n",
        f"      timezone: Europe/London\n      endpoint_url: {ENDPOINT}/\n",
        1,
    )
    config.write_text(text, encoding="utf-8")
    build(root, folder / "site")
    return folder / "site"


def actions(html: str, form_class: str) -> list[str]:
    return re.findall(rf'<form class="{form_class}[^"]*" action="([^"]*)"', html)


def test_the_header_search_goes_to_the_endpoint(hosted_site: Path) -> None:
    for page in ["index.html", "consultations/index.html"]:
        html = (hosted_site / page).read_text(encoding="utf-8")
        assert actions(html, "portal-site-search") == [f"{ENDPOINT}/search"], page


def test_the_filter_goes_to_the_endpoint(hosted_site: Path) -> None:
    browse = (hosted_site / "consultations/filter/index.html").read_text(encoding="utf-8")
    assert actions(browse, "portal-filter__form") == [f"{ENDPOINT}/consultations/filter"]
    facet = next((hosted_site / "consultations/filter/topic").glob("*/index.html"))
    html = facet.read_text(encoding="utf-8")
    assert actions(html, "portal-filter__form") == [f"{ENDPOINT}/consultations/filter"]
