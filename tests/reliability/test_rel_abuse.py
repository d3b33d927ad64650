"""Issue 7, items 3, 4, 6, 7, 9 and 10: unsafe storage refused, idempotent parallel posts,
limits, abuse refused with nothing stored, security headers on every answer, no address kept.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rel_support import (
    FORM_HEADERS,
    FORM_ID,
    THEME_DIR,
    VALID,
    Client,
    body,
    make_client,
    make_site,
    settings_for,
    sqlite_rows,
    start_endpoint,
    submission_id,
)
from tests.support import ROOT

from portal.storage import Storage, StorageError

URL = f"/responses/{FORM_ID}"


@pytest.fixture
def rel_site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def rel_client(rel_site: Path) -> Client:
    client = make_client(settings_for(rel_site, theme_dir=THEME_DIR))
    yield client  # type: ignore[misc]
    client.storage.dispose()


def post(
    client: Client, fields: list[tuple[str, str]] | None = None, **kw: object
) -> httpx.Response:
    headers = {**FORM_HEADERS, **kw.pop("headers", {})}  # type: ignore[dict-item]
    return client.post(URL, content=body(submission_id(), fields), headers=headers, **kw)


# -- 3. unsafe storage -------------------------------------------------------------------
def test_in_memory_sqlite_is_refused_with_a_reason() -> None:
    with pytest.raises(StorageError, match="journal_mode=memory"):
        Storage("sqlite:///:memory:").create()


def test_portal_endpoint_refuses_to_start_on_unsafe_sqlite(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "endpoint", "--port", "9"],
        env={
            "PATH": "/usr/bin:/bin",
            "PORTAL_SITE_DIR": str(site),
            "DATABASE_URL": "sqlite:///:memory:",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "not durable" in result.stderr + result.stdout


# -- 4. one submission id, 20 parallel posts ---------------------------------------------
def test_same_submission_id_twenty_times_in_parallel_is_one_row(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    db = tmp_path / "var" / "r.sqlite3"
    server = start_endpoint(site, f"sqlite:///{db}", tmp_path / "log", workers=2)
    sid = submission_id()

    async def twenty() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            return list(
                await asyncio.gather(
                    *(http.post(URL, content=body(sid), headers=FORM_HEADERS) for _ in range(20))
                )
            )

    try:
        answers = asyncio.run(twenty())
    finally:
        server.stop()
    assert [r.status_code for r in answers] == [303] * 20
    assert len({r.headers["location"] for r in answers}) == 1
    rows = sqlite_rows(db)
    assert len(rows) == 1
    assert rows[0][1] == sid
    assert answers[0].headers["location"].split("#")[0].endswith(rows[0][2])


# -- 6. limits ---------------------------------------------------------------------------
def test_body_over_100_kb_is_413_and_nothing_stored(rel_client: Client) -> None:
    fields = [*VALID, ("views", "x" * (101 * 1024))]
    assert post(rel_client, fields).status_code == 413
    # Streamed without a Content-Length, a lying client gets the same.
    chunks = [b"views=" + b"x" * 1024] * 120
    r = rel_client.post(URL, content=chunks, headers=FORM_HEADERS)
    assert r.status_code == 413
    assert rel_client.storage.count() == 0


def test_surplus_fields_are_422_and_nothing_stored(rel_client: Client) -> None:
    fields = [*VALID, *((f"extra{i}", "x") for i in range(200))]
    assert post(rel_client, fields).status_code == 422
    assert rel_client.storage.count() == 0


def test_over_a_thousand_fields_is_413_or_422(rel_client: Client) -> None:
    fields = [*VALID, *(("e", "") for _ in range(1500))]
    r = post(rel_client, fields)
    assert rel_client.storage.count() == 0
    assert r.status_code in (413, 422)


def test_over_long_answers_are_422_with_answers_kept(rel_client: Client) -> None:
    long_name = "Ann " + "Q" * 150  # the name question allows 100 characters
    long_views = "V" * 250  # views allows 200
    fields = [(k, v) for k, v in VALID if k not in ("name", "views")]
    r = post(rel_client, [*fields, ("name", long_name), ("views", long_views)])
    assert r.status_code == 422
    assert long_name in r.text and long_views in r.text
    assert "ann@example.org" in r.text
    assert rel_client.storage.count() == 0


# -- 7. abuse ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "https://sub.evil.example"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ],
)
def test_cross_site_and_foreign_origin_are_403_nothing_stored(
    rel_client: Client, headers: dict[str, str]
) -> None:
    assert post(rel_client, headers=headers).status_code == 403
    assert rel_client.storage.count() == 0


def test_filled_honeypot_looks_like_success_and_stores_nothing(rel_client: Client) -> None:
    r = post(rel_client, [*VALID, ("website", "http://spam.example")])
    assert r.status_code == 303
    assert rel_client.get(r.headers["location"]).status_code == 200
    assert rel_client.storage.count() == 0


def test_rate_limit_burst_and_spoofed_forwarded_for(rel_site: Path) -> None:
    client = make_client(settings_for(rel_site, rate_limit="5/minute"))
    try:
        statuses = [post(client).status_code for _ in range(5)]
        assert statuses == [303] * 5
        refused = post(client)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        # The peer is not a trusted proxy: claiming another address changes nothing.
        for fake in ("203.0.113.7", "198.51.100.1, 203.0.113.8", "127.0.0.2"):
            spoofed = post(client, headers={"x-forwarded-for": fake})
            assert spoofed.status_code == 429, fake
        assert post(client).status_code == 429  # not reset by the spoof
        assert client.storage.count() == 5
    finally:
        client.storage.dispose()


# -- 9. security headers -----------------------------------------------------------------
def _assert_headers(r: httpx.Response, https: bool) -> None:
    csp = r.headers.get("content-security-policy", "")
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors"):
        assert part in csp, (r.status_code, r.request.url, csp)
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert r.headers.get("referrer-policy")
    assert ("strict-transport-security" in r.headers) == https, (r.status_code, https)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_security_headers_on_every_endpoint_response(rel_site: Path, scheme: str) -> None:
    client = make_client(
        settings_for(rel_site, rate_limit="1/minute"), base_url=f"{scheme}://testserver"
    )
    https = scheme == "https"
    try:
        seen = {}
        seen["422"] = post(client, [("name", "x")])  # not a response yet: not counted
        ok = post(client)  # the one a minute allowed
        seen["303"] = ok
        seen["confirmation"] = client.get(ok.headers["location"])
        seen["404"] = client.post("/responses/nope", content="a=b", headers=FORM_HEADERS)
        seen["404 get"] = client.get("/nothing-here")
        seen["405"] = client.get(URL)
        seen["403"] = post(client, headers={"sec-fetch-site": "cross-site"})
        seen["413"] = post(client, [("views", "x" * 200_000)])
        seen["429"] = post(client)
        seen["health"] = client.get("/health")
        seen["json"] = post(client, headers={"accept": "application/json"})
        assert {k: r.status_code for k, r in seen.items()} == {
            "303": 303,
            "confirmation": 200,
            "422": 422,
            "404": 404,
            "404 get": 404,
            "405": 405,
            "403": 403,
            "413": 413,
            "429": 429,
            "health": 200,
            "json": 429,
        }
        for response in seen.values():
            _assert_headers(response, https)
        # A forwarded https claim from an untrusted peer does not turn HSTS on.
        if not https:
            r = client.get("/health", headers={"x-forwarded-proto": "https"})
            assert "strict-transport-security" not in r.headers
    finally:
        client.storage.dispose()


def test_hsts_behind_trusted_proxy_forwarding_https(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    server = start_endpoint(
        site,
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        tmp_path / "log",
        env={"PORTAL_TRUSTED_PROXIES": "127.0.0.1"},
    )
    try:
        r = httpx.get(server.url + "/health", headers={"x-forwarded-proto": "https"})
    finally:
        server.stop()
    assert "strict-transport-security" in r.headers


# -- 10. no address kept -----------------------------------------------------------------
def test_no_ip_address_in_the_database(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    client = make_client(settings_for(site, trusted_proxies=("127.0.0.1",)))
    try:
        for address in ("203.0.113.99", "2001:db8::99"):
            r = post(client, headers={"x-forwarded-for": address})
            assert r.status_code == 303
        r = post(client, [("name", "x")], headers={"x-forwarded-for": "203.0.113.99"})
        assert r.status_code == 422
        assert client.storage.count() == 2
    finally:
        client.storage.dispose()
    data = b"".join(p.read_bytes() for p in (tmp_path / "var").iterdir())
    for needle in (b"203.0.113.99", b"2001:db8::99", b"127.0.0.1", b"testclient"):
        assert needle not in data
