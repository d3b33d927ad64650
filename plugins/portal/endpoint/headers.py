"""Security headers on every response, including the static site when we serve it."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.endpoint.ratelimit import Network, is_trusted

# Answers under these hold a person's answers (re-rendered forms, confirmations, exports,
# the staff area).
PRIVATE_PATHS = ("/responses/", "/exports/", "/staff/")


def content_security_policy(extra_origins: Iterable[str] = ()) -> str:
    others = " ".join(extra_origins)
    sources = f"'self' {others}".strip()
    # Material for MkDocs puts small inline scripts and style attributes in every page, so
    # inline is allowed for those two; nothing else is loaded from elsewhere.
    return "; ".join(
        [
            f"default-src {sources}",
            f"script-src {sources} 'unsafe-inline'",
            f"style-src {sources} 'unsafe-inline'",
            f"img-src {sources} data:",
            f"font-src {sources} data:",
            f"form-action {sources}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def static_headers(csp: str) -> list[tuple[str, str]]:
    """The headers every answer carries, whoever makes it (the app or the server's own)."""
    return [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
    ]


def is_https(scope: Scope, proxies: list[Network]) -> bool:
    """HTTPS on this connection, or reported by one of our own proxies (never by a client)."""
    if scope.get("scheme") == "https":
        return True
    peer = scope.get("client")
    if not peer or not is_trusted(str(peer[0]), proxies):
        return False
    return Headers(scope=scope).get("x-forwarded-proto", "").strip().lower() == "https"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, csp: str, proxies: list[Network] | None = None) -> None:
        self.app = app
        self.static = static_headers(csp)
        self.proxies = proxies or []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = is_https(scope, self.proxies)
        private = str(scope.get("path", "")).startswith(PRIVATE_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.static:
                    headers[name] = value
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
