"""The portal behind Debian's real nginx, configured by deploy/nginx/portal.conf itself.

The configuration is used as written; only what a test must change is templated: the site
folder, the ports (127.0.0.1 only), and the pid, log and temporary paths. The endpoint runs
as production runs it (``portal endpoint``), trusting X-Forwarded-For from 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from markupsafe import escape

from portal import i18n
from portal.endpoint.headers import content_security_policy
from portal.endpoint.refusals import Refusal
from tests.support import ROOT, Server, endpoint_command, free_port

NGINX = "/usr/sbin/nginx"
PORTAL_CONF = ROOT / "deploy" / "nginx" / "portal.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
FORM_ID = "open-data-charter"  # open in the demo content
FORM_PAGE = f"/consultations/{FORM_ID}/"
REFERENCE = re.compile(r"PR-[0-9A-Z]{4}-[0-9A-Z]{4}")
SECURITY_HEADERS = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
]

STAFF_SECRET = "nginx-test-secret-" + "0123456789abcdef" * 3

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
)


@dataclass
class Proxied:
    """nginx on 127.0.0.1 (http, and https when openssl is there) with the endpoint behind."""

    url: str
    https_url: str | None
    certificate: Path | None
    endpoint: Server
    database: Path

    def rows(self) -> int:
        """Stored responses, read as an operator would: read-only, beside the live endpoint."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM responses").fetchone()[0])

    def references(self) -> list[str]:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return [r[0] for r in db.execute("SELECT reference FROM responses")]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx/portal.conf should contain {old!r} once"
    return text.replace(old, new)


def site_config(
    site: Path,
    http_port: int,
    endpoint_port: int,
    tls: tuple[int, Path, Path] | None,
    log: Path,
) -> str:
    """deploy/nginx/portal.conf with only the root, ports (and a test certificate) changed."""
    text = PORTAL_CONF.read_text(encoding="utf-8")
    listen = f"listen 127.0.0.1:{http_port};"
    if tls is not None:
        port, cert, key = tls
        listen += (
            f"\n    listen 127.0.0.1:{port} ssl;\n    ssl_certificate {cert};"
            f"\n    ssl_certificate_key {key};"
        )
    text = _replace_once(text, "listen 80;", listen)
    text = _replace_once(text, "listen [::]:80;", "")
    text = _replace_once(text, "root /srv/portal/site;", f"root {site};")
    text = _replace_once(text, "access_log /var/log/nginx/portal.access.log", f"access_log {log}")
    return _replace_once(text, "server 127.0.0.1:8001;", f"server 127.0.0.1:{endpoint_port};")


def main_config(folder: Path, site_conf: Path) -> str:
    """The nginx.conf around the site, as Debian's own is, with every path in ``folder``."""
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    # As root, workers would otherwise run as nobody, who cannot read pytest's tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n"
        + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
        + f"    include {site_conf};\n}}\n"
    )


def self_signed(folder: Path) -> tuple[Path, Path] | None:
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def start_nginx(
    folder: Path, site: Path, endpoint_port: int
) -> tuple[Server, int, int | None, Path | None]:
    http_port = free_port()
    pair = self_signed(folder)
    tls = (free_port(), *pair) if pair else None
    site_conf = folder / "portal.conf"
    site_conf.write_text(
        site_config(site, http_port, endpoint_port, tls, folder / "portal-access.log"),
        encoding="utf-8",
    )
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site_conf), encoding="utf-8")
    args = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    tested = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
    assert tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}"
    server = Server([*args, "-g", "daemon off;"], http_port, folder / "nginx.out", {})
    return server, http_port, (tls[0] if tls else None), (tls[1] if tls else None)


@pytest.fixture(scope="module")
def proxied_factory(
    demo_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Proxied]]:
    """Start endpoint + nginx stacks; every process is stopped when the module is done."""
    servers: list[Server] = []

    def start(rate_limit: str) -> Proxied:
        folder = tmp_path_factory.mktemp("nginx")
        database = folder / "responses.sqlite3"
        endpoint_port = free_port()
        endpoint = Server(
            endpoint_command(endpoint_port),
            endpoint_port,
            folder / "endpoint.log",
            {
                "PORTAL_SITE_DIR": str(demo_site),
                "PORTAL_THEME_DIR": str(ROOT / "theme"),
                "DATABASE_URL": f"sqlite:///{database}",
                "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
                "PORTAL_RATE_LIMIT": rate_limit,
                # The staff area on, with single sign-on trusting nginx's address: so a
                # client's own identity header must never get through nginx.
                "PORTAL_SECRET_KEY": STAFF_SECRET,
                "PORTAL_STAFF_IDENTITY_HEADER": "X-Forwarded-Email",
                "PORTAL_STAFF_ALLOW": "@council.example",
            },
        )
        servers.append(endpoint)
        endpoint.wait("/health")
        nginx, _http_port, https_port, cert = start_nginx(folder, demo_site, endpoint_port)
        servers.append(nginx)
        nginx.wait("/health")
        https_url = f"https://127.0.0.1:{https_port}" if https_port else None
        return Proxied(nginx.url, https_url, cert, endpoint, database)

    try:
        yield start
    finally:
        for server in reversed(servers):
            server.stop()


@pytest.fixture(scope="module")
def proxied(proxied_factory: Callable[[str], Proxied]) -> Proxied:
    return proxied_factory("100/minute")


def assert_security_headers(response: httpx.Response) -> None:
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_list(name)) == 1, (name, response.headers)
    csp = response.headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def assert_refusal(response: httpx.Response, refusal: Refusal, language: str) -> None:
    """The build's page for ``refusal`` in ``language``, with the site's own headers."""
    words = i18n.chosen(language)
    assert words.language == language, "the portal has no words in the language asked"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{language}"' in response.text
    title, paragraphs = refusal.said(words)
    for text in (title, *paragraphs):
        assert str(escape(text)) in response.text, text
    assert response.headers["cache-control"] == "no-store"
    assert_security_headers(response)
    # The site's own policy, not the plain page's: this page loads the site's stylesheets.
    assert response.headers["content-security-policy"] == content_security_policy(())


@pytest.mark.parametrize("path", ["/", FORM_PAGE, "/programme/", "/sitemap.xml"])
def test_built_pages_are_served_with_security_headers(proxied: Proxied, path: str) -> None:
    response = httpx.get(proxied.url + path, timeout=10)
    assert response.status_code == 200
    assert_security_headers(response)
    # Plain http: no HSTS (a browser would ignore it, and it must not leak into dev setups).
    assert "strict-transport-security" not in response.headers
    assert response.headers.get("server") == "nginx"  # server_tokens off: no version


def test_missing_page_is_404_with_headers(proxied: Proxied) -> None:
    response = httpx.get(proxied.url + "/no-such-page/", timeout=10)
    assert response.status_code == 404
    assert_security_headers(response)


def test_a_missing_welsh_page_is_the_welsh_404(proxied: Proxied) -> None:
    """The demo is in English and Welsh (portal.languages): a page missing under /cy/ gets
    the Welsh 404 page the build wrote there, with the headers; elsewhere the site's own."""
    welsh = httpx.get(proxied.url + "/cy/no-such-page/", timeout=10)
    assert welsh.status_code == 404
    assert '<html lang="cy"' in welsh.text
    assert_security_headers(welsh)
    for path in ("/no-such-page/", "/zz/no-such-page/"):  # no /zz/ folder: the site's own
        english = httpx.get(proxied.url + path, timeout=10)
        assert english.status_code == 404, path
        assert '<html lang="en"' in english.text, path


def test_endpoint_responses_carry_each_header_once(proxied: Proxied) -> None:
    """The endpoint sets its own headers; nginx must not add a second copy."""
    response = httpx.get(proxied.url + "/health", timeout=10)
    assert response.status_code == 200
    assert_security_headers(response)


def over_https(proxied: Proxied) -> tuple[str, ssl.SSLContext]:
    """The https listener's address and a context that trusts its test certificate."""
    if proxied.https_url is None or proxied.certificate is None:
        pytest.skip("openssl is not installed: no test certificate for the https listener")
    return proxied.https_url, ssl.create_default_context(cafile=str(proxied.certificate))


def test_hsts_only_over_https(proxied: Proxied) -> None:
    https_url, context = over_https(proxied)
    for path in ("/", "/health"):
        response = httpx.get(https_url + path, verify=context, timeout=10)
        assert response.status_code == 200
        assert response.headers.get_list("strict-transport-security") == [
            "max-age=31536000; includeSubDomains"
        ]
        assert_security_headers(response)


def test_answer_a_consultation_through_nginx(proxied: Proxied, page: Any) -> None:
    before = proxied.rows()
    page.goto(proxied.url + FORM_PAGE)
    form = page.locator(f"form[action^='/responses/{FORM_ID}']")
    form.get_by_label("No", exact=True).check()
    form.get_by_role("button").last.click()
    page.wait_for_url(re.compile(rf"/responses/{FORM_ID}/confirmation/"), timeout=30_000)
    text = page.locator("body").inner_text()
    assert "Your reference number" in text
    match = REFERENCE.search(text)
    assert match, text
    assert proxied.rows() == before + 1
    assert match.group(0) in proxied.references()
    # Neither nginx's access log nor the endpoint's log holds the client's address.
    folder = proxied.database.parent
    access = (folder / "portal-access.log").read_text(encoding="utf-8")
    assert f"POST /responses/{FORM_ID}" in access
    assert "127.0.0.1" not in access
    assert "127.0.0.1" not in proxied.endpoint.read_log()


def post(url: str, forwarded_for: str | None = None, body: bytes = b"data_use=") -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    return httpx.post(url, content=body, headers=headers, timeout=10)


# A valid answer: the rate limit counts responses, not posts a 422 turns back (issue 15).
ANSWER = b"data_use=no"


def test_spoofed_forwarded_for_does_not_escape_the_rate_limit(
    proxied_factory: Callable[[str], Proxied],
) -> None:
    stack = proxied_factory("3/minute")
    direct = f"{stack.endpoint.url}/responses/{FORM_ID}"
    through_nginx = f"{stack.url}/responses/{FORM_ID}"

    # Straight to the endpoint from 127.0.0.1 (a trusted proxy address), X-Forwarded-For is
    # believed: four different claimed clients are four clients, none limited. So the check
    # below is meaningful: if nginx passed the client's header on, it would escape too.
    statuses = [post(direct, f"198.51.100.{i}", ANSWER).status_code for i in range(1, 5)]
    assert 429 not in statuses and max(statuses) < 500, statuses

    # Through nginx, every request claims another address; nginx replaces the header with
    # the address it saw (127.0.0.1), so all count against one client: 3 go on, the 4th not.
    spoofs = ["203.0.113.1", "203.0.113.2, 10.0.0.1", "unknown, 198.51.100.77", "203.0.113.4"]
    responses = [post(through_nginx, spoof, ANSWER) for spoof in spoofs]
    statuses = [r.status_code for r in responses]
    assert 429 not in statuses[:3] and max(statuses[:3]) < 500, statuses
    assert statuses[3] == 429, statuses
    assert int(responses[3].headers["retry-after"]) >= 1

    # And the key they were counted under is the real client, 127.0.0.1: a request from it
    # with no forwarded address at all is now limited too.
    assert post(direct, None, ANSWER).status_code == 429
    # The four claimed clients, and one through nginx: the same answers from the same client
    # and browser within seconds are one response (a double click, see repeats.py).
    assert stack.rows() == 4 + 1


def test_body_over_100_kb_is_refused_by_nginx(proxied: Proxied) -> None:
    before = proxied.rows()
    url = f"{proxied.url}/responses/{FORM_ID}"
    too_big = b"comments=" + b"x" * (100 * 1024)
    response = httpx.post(
        url,
        content=too_big,
        timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "too long" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert_security_headers(response)
    # Just under the limit reaches the endpoint (which answers: the required answer is missing).
    small = b"comments=" + b"x" * (50 * 1024)
    response = httpx.post(
        url,
        content=small,
        timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code not in (413, 502, 504), response.status_code
    assert proxied.rows() == before


def test_the_staff_area_is_proxied_uncached(proxied: Proxied) -> None:
    page = httpx.get(proxied.url + "/staff/sign-in", timeout=10)
    assert page.status_code == 200
    assert "Sign in to the staff area" in page.text  # the endpoint's page, not a static 404
    assert page.headers["cache-control"] == "no-store"
    assert_security_headers(page)
    signed_out = httpx.get(proxied.url + "/staff/", timeout=10)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/staff/sign-in?next=/staff/"


def test_a_sign_in_post_reaches_the_endpoint_and_a_large_one_is_refused(proxied: Proxied) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = b"email=nobody%40council.example&password=" + b"x" * 900 + b"&next=%2Fstaff%2F"
    answer = httpx.post(proxied.url + "/staff/sign-in", content=body, headers=form, timeout=30)
    assert answer.status_code == 401  # the endpoint's answer to a wrong password
    assert "Enter the email address and password" in answer.text
    too_big = b"email=a&password=" + b"x" * (9 * 1024)
    answer = httpx.post(proxied.url + "/staff/sign-in", content=too_big, headers=form, timeout=30)
    assert answer.status_code == 413
    assert_security_headers(answer)
    # Other staff posts (a review decision with a redacted answer) may be as long as a
    # response: the endpoint answers (a signed-out post: 401), not nginx.
    decision = b"reference=PR-AAAA-2222&question=comments&decision=redact&redacted="
    answer = httpx.post(
        proxied.url + "/staff/forms/smart-parking-sensors/review",
        content=decision + b"x" * (20 * 1024),
        headers=form,
        timeout=30,
    )
    assert answer.status_code == 401
    assert "Sign in again" in answer.text


def test_a_clients_own_identity_header_does_not_get_through(proxied: Proxied) -> None:
    claim = {"X-Forwarded-Email": "jo@council.example"}
    # Straight to the endpoint from 127.0.0.1 (a trusted proxy), the header signs in...
    direct = httpx.get(proxied.endpoint.url + "/staff/", headers=claim, timeout=10)
    assert direct.status_code == 200
    assert "Signed in as" in direct.text
    # ...so nginx must drop a client's own.
    through = httpx.get(proxied.url + "/staff/", headers=claim, timeout=10)
    assert through.status_code == 303
    assert through.headers["location"].startswith("/staff/sign-in")
