"""Who is signed in to the staff area, and the gate every staff page goes through.

A member of staff is signed in by a session cookie (sessions.py) or, where the council has
single sign-on, by the identity header a proxy in PORTAL_TRUSTED_PROXIES sets (oauth2-proxy's
X-Forwarded-Email) for an address PORTAL_STAFF_ALLOW lets in. A header from anyone else is
ignored: a client could set it. Either way, the first page seen starts a session, so the
sign-in is audited once and signing out works.

Posts are held to the forms' cross-site rule (portal.endpoint.csrf), and the cookie is
SameSite=Strict besides, so another site can neither post as staff nor read the pages.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response

from portal.endpoint import csrf
from portal.endpoint.config import EndpointSettings
from portal.endpoint.headers import is_https
from portal.endpoint.ratelimit import RateLimit, is_trusted, networks
from portal.staff import audit
from portal.staff.accounts import normalise
from portal.staff.frame import message, page
from portal.staff.sessions import Sessions
from portal.storage import Storage

COOKIE = "portal_staff"
COOKIE_PATH = "/staff"
SIGN_IN = "/staff/sign-in"
HOME = "/staff/"
# Wrong passwords before a wait: per account (someone guessing one person's password) and
# per connection (someone trying many accounts). A person mistyping stays well inside both.
ACCOUNT_FAILURES = "5/15 minutes"
ADDRESS_FAILURES = "20/15 minutes"

Handler = Callable[[Request], Awaitable[Response]]
Fields = dict[str, list[str]]


@dataclass
class StaffArea:
    """The staff area's state in one endpoint process (``app.state.staff``)."""

    settings: EndpointSettings
    storage: Storage
    sessions: Sessions | None
    address_failures: RateLimit
    account_failures: MovingWindowRateLimiter

    @classmethod
    def create(cls, settings: EndpointSettings, storage: Storage) -> StaffArea:
        sessions = None
        if settings.secret_key:
            sessions = Sessions(storage, settings.secret_key, settings.staff_session_minutes)
        return cls(
            settings=settings,
            storage=storage,
            sessions=sessions,
            address_failures=RateLimit(ADDRESS_FAILURES, settings.trusted_proxies, name="sign-in"),
            account_failures=MovingWindowRateLimiter(MemoryStorage()),
        )

    @property
    def enabled(self) -> bool:
        return self.sessions is not None

    def from_proxy(self, request: Request) -> str | None:
        """The address single sign-on vouches for, if it may come in."""
        header = self.settings.identity_header
        peer = request.client.host if request.client else ""
        if not header or not is_trusted(peer, networks(self.settings.trusted_proxies)):
            return None
        address = normalise(request.headers.get(header, ""))
        return address if address and may_enter(address, self.settings.staff_allow) else None

    async def account_wait(self, email: str, *, count: bool) -> int | None:
        """Seconds this account must wait before another try, or None."""
        item = parse(ACCOUNT_FAILURES)
        key = normalise(email)[:254]
        if count:
            await self.account_failures.hit(item, "account", key)
            return None
        if await self.account_failures.test(item, "account", key):
            return None
        reset, _ = await self.account_failures.get_window_stats(item, "account", key)
        return max(1, math.ceil(reset - time.time()))


def may_enter(address: str, allow: tuple[str, ...]) -> bool:
    """An allow-list entry is an address (jo@council.example) or a domain (@council.example)."""
    domain = "@" + address.rpartition("@")[2]
    return address in allow or domain in allow


def area(request: Request) -> StaffArea:
    staff: StaffArea = request.app.state.staff
    return staff


def set_cookie(request: Request, response: Response, value: str) -> None:
    staff = area(request)
    response.set_cookie(
        COOKIE,
        value,
        max_age=staff.settings.staff_session_minutes * 60,
        path=COOKIE_PATH,
        secure=is_https(request.scope, networks(staff.settings.trusted_proxies)),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


async def from_cookie(request: Request) -> str | None:
    staff = area(request)
    cookie = request.cookies.get(COOKIE)
    if not cookie or staff.sessions is None:
        return None
    return await run_in_threadpool(staff.sessions.find, cookie)


async def posted(request: Request) -> Fields | Response:
    """The posted fields, or the page that says why they cannot be read."""
    responses = request.app.state.responses
    try:
        pairs = await responses.read_fields(request)
    except ClientDisconnect:
        return Response(status_code=400)
    except Exception:  # too large, too slow or not text: none of our forms sends that
        return message(
            request,
            400,
            "We could not read what was sent",
            "Go back, check the page and try again.",
        )
    fields: Fields = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def first(fields: Fields, name: str) -> str:
    return (fields.get(name) or [""])[0]


def safe_next(target: str) -> str:
    """Only an address inside the staff area: never a way to send staff to another site."""
    if target.startswith(HOME) and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def ended(request: Request, fields: Fields) -> Response:
    """A post whose sign-in has ended: say so and show what was typed, so nothing is lost."""
    kept = [(k, v) for k, values in fields.items() for v in values if v.strip()]
    items = "".join(
        f"<dt>{escape(k)}</dt><dd><pre class='portal-kept'>{escape(v)}</pre></dd>" for k, v in kept
    )
    return page(
        request,
        "Sign in again",
        "ended.html",
        status=401,
        kept=items,
        sign_in=f"{SIGN_IN}?next={quote(request.url.path)}",
    )


def staff_only(handler: Handler) -> Handler:
    """The gate: off (404) without a secret, cross-site posts refused (403), signed-out
    visitors sent to sign in (303, or 401 with what they typed for a post)."""

    @functools.wraps(handler)
    async def gate(request: Request) -> Response:
        staff = area(request)
        if not staff.enabled:
            return message(request, 404, "Page not found", "There is no page at this address.")
        if request.method == "POST" and not csrf.allowed(request, staff.settings.allowed_origins):
            return message(
                request,
                403,
                "This change was refused",
                "It was sent from another site. Make changes from the staff area's own pages.",
            )
        who = await from_cookie(request)
        vouched = staff.from_proxy(request)
        start = vouched is not None and vouched != who
        if start:
            who = vouched
        if who is None:
            if request.method == "GET":
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"{SIGN_IN}?next={quote(target)}", status_code=303)
            fields = await posted(request)
            return ended(request, fields if isinstance(fields, dict) else {})
        request.state.staff = who
        response = await handler(request)
        if start and staff.sessions is not None and who is not None:
            cookie = await run_in_threadpool(staff.sessions.start, who)
            await run_in_threadpool(
                audit.record, staff.storage, who, audit.SIGN_IN, detail="single sign-on"
            )
            set_cookie(request, response, cookie)
        return response

    return gate
