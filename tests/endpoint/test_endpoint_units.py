"""Small pure parts of the endpoint: URL rewriting, client keys, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from portal.endpoint.config import DEFAULT_DATABASE_URL, EndpointSettings
from portal.endpoint.pages import absolute_url, absolutize
from portal.endpoint.ratelimit import client_key, networks

BASE = "/consultations/bus-lanes/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../../assets/main.css", "/assets/main.css"),
        ("../", "/consultations/"),
        ("./", BASE),
        ("doc.pdf", BASE + "doc.pdf"),
        ("?page=2", BASE + "?page=2"),
        ("", BASE),
        ("#views", "#views"),
        ("/already/absolute/", "/already/absolute/"),
        ("https://example.org/x", "https://example.org/x"),
        ("//cdn.example/x.js", "//cdn.example/x.js"),
        ("mailto:team@example.org", "mailto:team@example.org"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ],
)
def test_absolute_url(url: str, expected: str) -> None:
    assert absolute_url(url, BASE) == expected


def test_absolutize_rewrites_attributes_only() -> None:
    html = (
        '<link href="../../a.css"><img src=\'img/p.png\' srcset="img/a.png 1x, img/b.png 2x"'
        ' alt="../not-a-link"><p>href="../text"</p><a href="#x">x</a>'
        '<script id="__config" type="application/json">{"base": "../..", "x": 1}</script>'
    )
    out = absolutize(html, BASE)
    assert '<link href="/a.css">' in out
    assert "src='/consultations/bus-lanes/img/p.png'" in out
    assert (
        'srcset="/consultations/bus-lanes/img/a.png 1x, /consultations/bus-lanes/img/b.png 2x"'
    ) in out
    assert 'alt="../not-a-link"' in out and '<p>href="../text"</p>' in out
    assert 'href="#x"' in out
    assert '{"base": "/", "x": 1}' in out


def test_absolutize_shell_base() -> None:
    assert absolutize('<a href="../../">Home</a>', "/_portal/page/") == '<a href="/">Home</a>'


def request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request(
        {
            "type": "http",
            "method": "POST",
            "path": "/",
            "headers": headers,
            "client": (peer, 5000),
            "query_string": b"",
        }
    )


def test_client_key_is_the_peer_without_trusted_proxies() -> None:
    assert client_key(request("198.51.100.7", "203.0.113.1"), []) == "198.51.100.7"


def test_client_key_from_forwarded_for_behind_a_trusted_proxy() -> None:
    proxies = networks(["10.0.0.0/8", "127.0.0.1"])
    # The client may send its own X-Forwarded-For; only the part our proxies added counts.
    forwarded = "1.2.3.4, 203.0.113.9, 10.0.0.5"
    assert client_key(request("127.0.0.1", forwarded), proxies) == "203.0.113.9"
    assert client_key(request("127.0.0.1"), proxies) == "127.0.0.1"
    assert client_key(request("198.51.100.7", "203.0.113.9"), proxies) == "198.51.100.7"


def test_settings_from_environment() -> None:
    settings = EndpointSettings.from_env(
        {
            "PORTAL_SITE_DIR": "/srv/site",
            "PORTAL_THEME_DIR": "/srv/theme",
            "DATABASE_URL": "postgresql://db/portal",
            "PORTAL_ALLOWED_ORIGINS": "https://www.example.org/, https://example.org",
            "PORTAL_TRUSTED_PROXIES": "10.0.0.0/8",
            "PORTAL_RATE_LIMIT": "5/minute",
            "PORTAL_EXPORT_TOKEN": "secret",
        }
    )
    assert settings.site_dir == Path("/srv/site") and settings.theme_dir == Path("/srv/theme")
    assert settings.database_url == "postgresql://db/portal"
    assert settings.allowed_origins == ("https://www.example.org", "https://example.org")
    assert settings.trusted_proxies == ("10.0.0.0/8",)
    assert settings.rate_limit == "5/minute" and settings.export_token == "secret"


def test_settings_defaults() -> None:
    settings = EndpointSettings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///var/responses.sqlite3"
    assert settings.rate_limit == "10/minute" and settings.allowed_origins == ()
    assert settings.export_token is None and settings.max_body_bytes == 100 * 1024
