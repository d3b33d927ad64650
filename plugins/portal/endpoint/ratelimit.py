"""A per-client rate limit on posts, in memory (per instance), with the ``limits`` library.

The client is the peer address, or the first untrusted address in X-Forwarded-For when the
peer is one of our own proxies; otherwise anyone could claim any address. Addresses are used
only as keys in memory, never stored.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def is_trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_key(request: Request, proxies: list[Network]) -> str:
    peer = request.client.host if request.client else "unknown"
    if not is_trusted(peer, proxies):
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    # Read right to left: each trusted proxy appended the address it saw.
    for address in reversed([a for a in forwarded if a]):
        if not is_trusted(address, proxies):
            return address
    return peer


class RateLimit:
    def __init__(self, rule: str, proxies: Iterable[str] = (), name: str = "responses") -> None:
        self.item = parse(rule)
        self.name = name
        self.proxies = networks(proxies)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def check(self, request: Request) -> int | None:
        """None when the request may go on, else the seconds to wait (for Retry-After).

        The asyncio storage of ``limits``: its thread-based memory storage starts a timer
        thread per request, which halved the endpoint's throughput under load (bench/).
        """
        key = client_key(request, self.proxies)
        if await self.limiter.hit(self.item, self.name, key):
            return None
        return await self._wait(key)

    async def blocked(self, request: Request) -> int | None:
        """Like ``check`` without counting this request: for limits on failures only."""
        key = client_key(request, self.proxies)
        if await self.limiter.test(self.item, self.name, key):
            return None
        return await self._wait(key)

    async def count(self, request: Request) -> None:
        await self.limiter.hit(self.item, self.name, client_key(request, self.proxies))

    async def _wait(self, key: str) -> int:
        reset, _ = await self.limiter.get_window_stats(self.item, self.name, key)
        return max(1, math.ceil(reset - time.time()))
