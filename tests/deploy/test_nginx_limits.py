"""nginx's limits on what a client may send, through the real nginx and deploy/nginx/portal.conf.

The endpoint has the same limits of its own (a 16 KiB request head, 10 s for the head,
15 s for a body, 100 KB of body); nginx, in front of it, enforces them first. Here they
are tried with oversized and slow clients on 127.0.0.1.

To keep the slow-client tests quick, the stack they use has the configuration's four
timeouts (client_header_timeout 10s, client_body_timeout 15s, send_timeout 15s,
keepalive_timeout 10s) templated down to 2 s; nothing else is changed. No wall-clock
duration is asserted (machines are shared and noisy): only that a slow client is cut off
within a generous bound while it is still sending, and that nginx then answers normally.
The stack for the limit on bodies at once keeps the timeouts as shipped.

What nginx does, as seen here (Debian's nginx 1.22):
- a header line over 16 KiB, or a head over about 17 KiB, is answered 400 "Request Header
  Or Cookie Too Large", a request line over 16 KiB 414; these answers carry the server's
  security headers, because nginx answers them with the server block's configuration;
- a head or a body that times out gets no answer at all: nginx logs 408 and resets the
  connection (reset_timedout_connection on);
- the head's timeout counts from the connection, not from the last byte: a client sending
  a byte a second (more often than the timeout) is still cut off;
- the body's timeout counts the gap between two reads, so the whole body has no time limit
  in nginx; limit_conn bounds how many bodies one address may send at once instead.
"""

from __future__ import annotations

import re
import select
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from portal.endpoint import refusals
from tests.deploy.test_nginx import (
    FORM_ID,
    NGINX,
    PORTAL_CONF,
    assert_refusal,
    assert_security_headers,
    main_config,
    site_config,
)
from tests.support import ROOT, Server, endpoint_command, free_port

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
)

TIMEOUTS = ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout")
QUICK = 2  # seconds, for the slow-client stack
BOUND = 30.0  # seconds a slow client may last before the test calls it not cut off
BODY_LIMIT = 10  # limit_conn portal_senders


@dataclass
class Stack:
    url: str
    port: int
    endpoint: Server
    nginx: Server


def server_directives() -> dict[str, str]:
    """The server block's own one-line directives in deploy/nginx/portal.conf."""
    lines = PORTAL_CONF.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    server = text[text.index("server {") :]
    top_level = re.split(r"\n    location ", server)[0]
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r"^    ([a-z_]+) ([^;]*);$", top_level, re.MULTILINE)
    }


def with_timeouts(text: str, seconds: int) -> str:
    for name in TIMEOUTS:
        pattern = rf"^(    {name}) \d+s;$"
        assert len(re.findall(pattern, text, re.MULTILINE)) == 1, name
        text = re.sub(pattern, rf"\1 {seconds}s;", text, flags=re.MULTILINE)
    return text


@pytest.fixture(scope="module")
def stack_factory(
    demo_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Stack]]:
    servers: list[Server] = []

    def start(timeouts: int | None, *, endpoint_up: bool = True) -> Stack:
        folder = tmp_path_factory.mktemp("nginx-limits")
        endpoint_port = free_port()
        endpoint = Server(
            endpoint_command(endpoint_port),
            endpoint_port,
            folder / "endpoint.log",
            {
                "PORTAL_SITE_DIR": str(demo_site),
                "PORTAL_THEME_DIR": str(ROOT / "theme"),
                "DATABASE_URL": f"sqlite:///{folder / 'responses.sqlite3'}",
                "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
                "PORTAL_RATE_LIMIT": "1000/minute",
            },
        )
        servers.append(endpoint)
        endpoint.wait("/health")
        if not endpoint_up:
            endpoint.stop()  # nothing listens on its port any more
        http_port = free_port()
        text = site_config(demo_site, http_port, endpoint_port, None, folder / "access.log")
        if timeouts is not None:
            text = with_timeouts(text, timeouts)
        (folder / "portal.conf").write_text(text, encoding="utf-8")
        conf = folder / "nginx.conf"
        conf.write_text(main_config(folder, folder / "portal.conf"), encoding="utf-8")
        args = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
        nginx = Server([*args, "-g", "daemon off;"], http_port, folder / "nginx.out", {})
        servers.append(nginx)
        nginx.wait("/health" if endpoint_up else "/")
        return Stack(nginx.url, http_port, endpoint, nginx)

    try:
        yield start
    finally:
        for server in reversed(servers):
            server.stop()


@pytest.fixture(scope="module")
def quick(stack_factory: Callable[..., Stack]) -> Stack:
    return stack_factory(QUICK)


@pytest.fixture(scope="module")
def down(stack_factory: Callable[..., Stack]) -> Stack:
    return stack_factory(None, endpoint_up=False)


@pytest.fixture(scope="module")
def shipped(stack_factory: Callable[..., Stack]) -> Stack:
    return stack_factory(None)


def still_answers(stack: Stack) -> None:
    response = httpx.get(stack.url + "/", timeout=10)
    assert response.status_code == 200
    assert_security_headers(response)


# -- a raw client, for what httpx will not do -------------------------------------------


def connect(stack: Stack) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", stack.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def trickle(sock: socket.socket, data: bytes, every: float, bound: float) -> tuple[bool, bytes]:
    """Send ``data`` a byte per ``every`` seconds (then nothing) until the server hangs up.

    Returns whether it hung up within ``bound`` seconds, and what it sent before it did.
    """
    received = b""
    deadline = time.monotonic() + bound
    pending = list(data)
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([sock], [], [], min(every, left))
        if readable:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return True, received
            if not chunk:
                return True, received
            received += chunk
            continue
        if pending and time.monotonic() < deadline:
            try:
                sock.send(bytes([pending.pop(0)]))
            except (ConnectionResetError, BrokenPipeError):
                return True, received
    return False, received


def post_head(stack: Stack, length: int) -> bytes:
    return (
        f"POST /responses/{FORM_ID} HTTP/1.1\r\nHost: 127.0.0.1:{stack.port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode("ascii")


# -- the configuration ------------------------------------------------------------------


def test_nginx_limits_match_the_endpoints() -> None:
    from portal.endpoint.config import BODY_TIMEOUT, HEADER_TIMEOUT, MAX_BODY_BYTES
    from portal.endpoint.server import MAX_HEAD_BYTES

    found = server_directives()
    assert found["client_header_timeout"] == f"{HEADER_TIMEOUT:g}s"
    assert found["client_body_timeout"] == f"{BODY_TIMEOUT:g}s"
    # The endpoint's head timeout also runs from the previous answer on a kept-alive
    # connection; nginx's keepalive_timeout is that wait.
    assert found["keepalive_timeout"] == f"{HEADER_TIMEOUT:g}s"
    assert found["send_timeout"] == "15s"
    # One large buffer: the whole head must fit the first 1 KiB and it.
    assert found["large_client_header_buffers"] == f"1 {MAX_HEAD_BYTES // 1024}k"
    assert found["client_max_body_size"] == "1k"
    responses = PORTAL_CONF.read_text(encoding="utf-8").split("location /responses/ {")[1]
    assert f"client_max_body_size {MAX_BODY_BYTES // 1024}k;" in responses.split("}")[0]
    assert found["limit_conn"] == f"portal_senders {BODY_LIMIT}"


# -- oversized heads --------------------------------------------------------------------


def test_an_oversized_header_line_is_refused_with_the_security_headers(quick: Stack) -> None:
    response = httpx.get(quick.url + "/", headers={"X-Big": "a" * (17 * 1024)}, timeout=10)
    assert response.status_code == 400
    assert "Request Header Or Cookie Too Large" in response.text
    assert_security_headers(response)
    still_answers(quick)


def test_a_head_over_17_kib_in_short_lines_is_refused(quick: Stack) -> None:
    many = {f"X-Line-{i}": "b" * 480 for i in range(40)}  # about 20 KiB
    response = httpx.get(quick.url + "/", headers=many, timeout=10)
    assert response.status_code == 400
    assert_security_headers(response)
    # ... but 12 KiB of them is a head nginx reads (the limit is not set absurdly low).
    fewer = {f"X-Line-{i}": "b" * 480 for i in range(24)}
    assert httpx.get(quick.url + "/", headers=fewer, timeout=10).status_code == 200


def test_a_request_line_over_16_kib_is_refused_with_the_security_headers(quick: Stack) -> None:
    response = httpx.get(quick.url + "/" + "c" * (17 * 1024), timeout=10)
    assert response.status_code == 414
    assert_security_headers(response)


# -- slow clients -----------------------------------------------------------------------


def test_headers_sent_a_byte_a_second_are_cut_off(quick: Stack) -> None:
    """A byte a second is more often than the 2 s timeout: only a whole-head timeout cuts."""
    with connect(quick) as sock:
        head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{quick.port}\r\nX-Slow: ".encode()
        closed, received = trickle(sock, head + b"s" * 200, every=1.0, bound=BOUND)
    assert closed, f"still connected after {BOUND:g} s of a byte a second"
    assert received == b"", received  # no answer: the connection is dropped
    still_answers(quick)


def test_a_body_that_stalls_is_cut_off(quick: Stack) -> None:
    with connect(quick) as sock:
        sock.sendall(post_head(quick, 200) + b"data_use=no&comments=")
        closed, received = trickle(sock, b"", every=1.0, bound=BOUND)
    assert closed, f"a stalled body still connected after {BOUND:g} s"
    assert received == b"", received
    still_answers(quick)


def test_a_body_sent_with_pauses_longer_than_the_timeout_is_cut_off(quick: Stack) -> None:
    with connect(quick) as sock:
        sock.sendall(post_head(quick, 200))
        closed, received = trickle(sock, b"data_use=no" * 20, every=QUICK + 1.5, bound=BOUND)
    assert closed, f"a slow body still connected after {BOUND:g} s"
    assert received == b"", received
    still_answers(quick)


def test_an_idle_kept_alive_connection_is_closed(quick: Stack) -> None:
    with connect(quick) as sock:
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{quick.port}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
        while len(body) < length:
            body += sock.recv(65536)
        closed, received = trickle(sock, b"", every=1.0, bound=BOUND)
    assert closed and received == b""
    still_answers(quick)


# -- bodies at once ---------------------------------------------------------------------


def test_one_address_sends_at_most_ten_bodies_at_once(shipped: Stack) -> None:
    held = [connect(shipped) for _ in range(BODY_LIMIT)]
    try:
        for sock in held:
            sock.sendall(post_head(shipped, 200) + b"data_use=")
        # nginx counts a body from when it has read its head; give it the moment it needs.
        deadline = time.monotonic() + BOUND
        while True:
            response = httpx.post(
                f"{shipped.url}/responses/{FORM_ID}",
                content=b"data_use=no",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=10,
            )
            if response.status_code == 429 or time.monotonic() > deadline:
                break
            time.sleep(0.2)  # the held heads may not all have been read yet
        assert response.status_code == 429, response.status_code
        assert_refusal(response, refusals.BUSY, "en")
        assert response.headers["retry-after"] == str(refusals.WAIT)
        # From a Welsh page (its form's address says so), the Welsh page.
        welsh = httpx.post(
            f"{shipped.url}/responses/{FORM_ID}?language=cy",
            content=b"data_use=no",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=10,
        )
        assert welsh.status_code == 429, welsh.status_code
        assert_refusal(welsh, refusals.BUSY, "cy")
        assert "Gormod o geisiadau o’ch cysylltiad" in welsh.text
        assert welsh.headers["retry-after"] == str(refusals.WAIT)
        # Requests without a body are not counted.
        still_answers(shipped)
        assert httpx.get(shipped.url + "/health", timeout=10).status_code == 200
    finally:
        for sock in held:
            sock.close()
    # Once they are gone, a body goes through to the endpoint again (which answers it).
    deadline = time.monotonic() + BOUND
    while True:
        response = httpx.post(
            f"{shipped.url}/responses/{FORM_ID}",
            content=b"data_use=",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=10,
        )
        if response.status_code != 429 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert response.status_code not in (429, 502, 504), response.status_code


# -- the endpoint is down ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "language"),
    [
        ("GET", "/health", "en"),
        ("POST", f"/responses/{FORM_ID}", "en"),
        ("POST", f"/responses/{FORM_ID}?language=cy", "cy"),
        ("POST", f"/responses/{FORM_ID}?language=zz", "en"),
        ("POST", f"/responses/{FORM_ID}?language=../../etc", "en"),
        ("POST", "/staff/sign-in?language=cy", "cy"),
        ("GET", f"/exports/{FORM_ID}.zip", "en"),
    ],
)
def test_nginx_answers_for_a_stopped_endpoint_with_the_security_headers(
    down: Stack, method: str, path: str, language: str
) -> None:
    """Locations with an add_header of their own lose the server's headers, also on the
    answers nginx makes itself: its 502 page comes from a location that sets them. In the
    language the address names, as the build wrote it (portal.endpoint.refusals)."""
    response = httpx.request(
        method,
        down.url + path,
        content=b"data_use=no" if method == "POST" else None,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert response.status_code == 502
    assert_refusal(response, refusals.UNAVAILABLE, language)
    assert response.headers["retry-after"] == str(refusals.WAIT)
    if language == "cy":
        assert "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth" in response.text
