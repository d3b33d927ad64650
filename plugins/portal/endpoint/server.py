"""How the endpoint is served: uvicorn with limits of our own on what a client may send.

uvicorn's httptools protocol reads a request head of any size and waits for it forever: one
client sent a 100 MB header line and was answered, and 1,500 connections sending a byte now
and then stayed open. The protocol here adds what nginx has (``large_client_header_buffers``,
``client_header_timeout``), so the endpoint is safe on its own too:

- a request head (request line and headers) over ``MAX_HEAD_BYTES`` is answered 431 and the
  connection closed, before more of it is kept in memory;
- a head that is not complete ``header_timeout`` seconds after its first byte (or after the
  connection opened) closes the connection;
- uvicorn's own refusals (400 for a request it cannot parse, 431 here) carry the same
  security headers as every answer of the app.

The body's timeout is the app's (``Responses.read_fields``): only it knows a body is awaited.
``portal serve``, ``portal endpoint`` and the tests all start the server through :func:`run`.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from portal.endpoint.config import EndpointSettings
from portal.endpoint.headers import content_security_policy, static_headers

MAX_HEAD_BYTES = 16 * 1024


class HeadTooLarge(Exception):
    pass


def _refusal(status: bytes, message: str, csp: str) -> bytes:
    body = message.encode("ascii")
    lines = [b"HTTP/1.1 " + status]
    lines += [f"{name}: {value}".encode("latin-1") for name, value in static_headers(csp)]
    lines += [
        b"content-type: text/plain; charset=utf-8",
        b"content-length: " + str(len(body)).encode("ascii"),
        b"connection: close",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class LimitedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head and a header timeout."""

    _settings: EndpointSettings | None = None

    @classmethod
    def settings(cls) -> EndpointSettings:
        # Read once per process: uvicorn makes the protocol itself, with its own arguments.
        if cls._settings is None:
            cls._settings = EndpointSettings.from_env()
        return cls._settings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = self.settings()
        self.header_timeout = settings.header_timeout
        self.csp = content_security_policy(settings.allowed_origins)
        self.in_head = True
        self.head_bytes = 0  # received since this request's head began
        self.head_size = 0  # of its request line and headers, as parsed
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self.in_head:
            self.head_bytes += len(data)
            self._arm_head_timer()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            if isinstance(error.__context__, HeadTooLarge):
                self._refuse(b"431 Request Header Fields Too Large", "Request head too large.")
            else:
                self._refuse(b"400 Bad Request", "Invalid HTTP request received.")
            return
        except httptools.HttpParserError:
            self._refuse(b"400 Bad Request", "Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            self._refuse(b"400 Bad Request", "Upgrades are not supported.")
            return
        # Still in the head with more than the limit received: the rest is not read.
        if self.in_head and self.head_bytes > MAX_HEAD_BYTES:
            self._refuse(b"431 Request Header Fields Too Large", "Request head too large.")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_head = True
        self.head_bytes = 0
        self.head_size = 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        self._refuse(b"400 Bad Request", msg)

    def _count(self, size: int) -> None:
        # The exact size, for a head that arrived whole in one read.
        self.head_size += size
        if self.head_size > MAX_HEAD_BYTES:
            raise HeadTooLarge

    def _refuse(self, status: bytes, message: str) -> None:
        self._cancel_head_timer()
        if not self.transport.is_closing():
            self.transport.write(_refusal(status, message, self.csp))
            self.transport.close()

    def _arm_head_timer(self) -> None:
        if self.head_timer is None and self.header_timeout > 0:
            self.head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        # A client that sends its head this slowly is holding a connection, not asking.
        if self.in_head and not self.transport.is_closing():
            self.transport.close()


def run(app: Any, *, host: str, port: int, workers: int = 1, factory: bool = False) -> None:
    """Serve ``app`` (an app, or an import string with ``factory``) as the endpoint runs."""
    import uvicorn

    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers if factory else None,
        loop="uvloop",
        http=LimitedHttpTools,
        log_level=os.environ.get("PORTAL_LOG_LEVEL", "warning"),
        # No access log: it would write every respondent's address (privacy notice).
        access_log=False,
        # Client addresses come from PORTAL_TRUSTED_PROXIES alone (ratelimit.client_key);
        # uvicorn's default would believe X-Forwarded-For from 127.0.0.1 with nothing set.
        proxy_headers=False,
        server_header=False,
    )
