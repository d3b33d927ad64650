"""The endpoint's alert pages: /alerts/ (subscribe), /alerts/confirm, /alerts/unsubscribe.

Plain HTML forms, so all of it works without JavaScript. Confirming and unsubscribing are
a button on the page the email's link opens (a POST): mail scanners open links, and must
not confirm or end anyone's subscription by doing so. The one exception is RFC 8058's
one-click unsubscribe, a POST that mail apps send to the List-Unsubscribe address itself.

The subscribe page answers the same whether or not the address already has alerts, so
it does not tell anyone who subscribes to what.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from portal import urls
from portal.alerts import subscriptions
from portal.alerts.subscriptions import Choice
from portal.endpoint import csrf
from portal.endpoint.headers import is_https
from portal.endpoint.ratelimit import RateLimit, networks
from portal.forms.validate import email_ok
from portal.render import render

EMAIL_MISSING = "Enter your email address"
EMAIL_WRONG = "Enter your email address in the correct format, like name@example.com"
HEADERS = {"Cache-Control": "no-store"}
NOTHING_CHOSEN = Choice()


def _choices(site_dir: Path) -> tuple[list[str], list[str]]:
    """The topics and areas the published consultations have, for the checkboxes."""
    try:
        document = json.loads((site_dir / urls.API_CONSULTATIONS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], []
    topics: set[str] = set()
    areas: set[str] = set()
    for c in document.get("consultations", []):
        topics.update(c.get("topics") or [])
        areas.update(c.get("area") or [])
    return sorted(topics), sorted(areas)


def _site_name(request: Request) -> str:
    name: str = request.app.state.responses.pages.site_name()
    return name or "the participation portal"


def base_url(request: Request) -> str:
    """This endpoint's public address, as the person reached it."""
    proxies = networks(request.app.state.responses.settings.trusted_proxies)
    scheme = "https" if is_https(request.scope, proxies) else "http"
    return f"{scheme}://{request.headers.get('host') or request.url.netloc}"


def _page(
    request: Request, title: str, template: str, status: int = 200, **context: object
) -> Response:
    responses = request.app.state.responses
    content = render(responses.settings.theme_dir, f"alerts/{template}", title=title, **context)
    html = responses.pages.page(title, content)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _form(
    request: Request,
    *,
    status: int = 200,
    email: str = "",
    chosen: Choice = NOTHING_CHOSEN,
    error: str = "",
    notice: str = "",
) -> Response:
    topics, areas = _choices(request.app.state.responses.settings.site_dir)
    title = "Get emails about new consultations"
    return _page(
        request,
        f"Error: {title}" if error else title,
        "subscribe.html",
        status,
        heading=title,
        action=urls.ALERTS_SUBSCRIBE,
        privacy="/" + urls.page("privacy.md"),
        email=email,
        topics=topics,
        areas=areas,
        chosen=chosen,
        error=error,
        notice=notice,
    )


async def _fields(request: Request) -> dict[str, list[str]] | None:
    try:
        pairs = await request.app.state.responses.read_fields(request)
    except (ClientDisconnect, Exception):  # too large, too slow or not text
        return None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _refused(request: Request, status: int, title: str, text: str) -> Response:
    return _page(request, title, "message.html", status, heading=title, paragraphs=[text])


async def subscribe_page(request: Request) -> Response:
    return _form(request)


async def subscribe(request: Request) -> Response:
    fields = await _fields(request)
    if fields is None:
        return _refused(request, 400, "We could not read what was sent", "Go back and try again.")
    email = (fields.get("email") or [""])[0].strip()
    topics, areas = _choices(request.app.state.responses.settings.site_dir)
    chosen = Choice(
        tuple(t for t in fields.get("topic", []) if t in topics),
        tuple(a for a in fields.get("area", []) if a in areas),
    )
    if not csrf.allowed(request, request.app.state.responses.settings.allowed_origins):
        return _form(
            request,
            status=403,
            email=email,
            chosen=chosen,
            error="Subscribe from this page: a request sent from another site is refused",
        )
    if not email:
        return _form(request, status=422, chosen=chosen, error=EMAIL_MISSING)
    if len(email) > 254 or not email_ok(email):
        return _form(request, status=422, email=email, chosen=chosen, error=EMAIL_WRONG)
    limit: RateLimit = request.app.state.alert_limit
    wait = await limit.check(request)
    if wait is not None:
        return _form(
            request,
            status=429,
            email=email,
            chosen=chosen,
            error=f"Too many requests from your connection: wait {wait} seconds, then try again",
        )
    storage = request.app.state.storage
    await run_in_threadpool(
        subscriptions.subscribe, storage, email, chosen, base_url(request), _site_name(request)
    )
    return _page(
        request,
        "Check your email",
        "check.html",
        heading="Check your email",
        email=email,
        chosen=chosen.describe(),
    )


async def confirm_page(request: Request) -> Response:
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(subscriptions.pending, request.app.state.storage, token)
    if found is None:
        return _expired(request)
    return _page(
        request,
        "Confirm your email alerts",
        "confirm.html",
        heading="Confirm your email alerts",
        token=token,
        email=found.email,
        chosen=found.choice.describe(),
    )


def _expired(request: Request) -> Response:
    return _refused(
        request,
        410,
        "This link has expired or has been used",
        "Confirmation links work for 7 days and once. If you still want email alerts, "
        "subscribe again from the email alerts page.",
    )


async def confirm(request: Request) -> Response:
    fields = await _fields(request) or {}
    token = (fields.get("token") or [""])[0]
    found = await run_in_threadpool(subscriptions.confirm, request.app.state.storage, token)
    if found is None:
        return _expired(request)
    return _page(
        request,
        "You will get email alerts",
        "confirmed.html",
        heading="You will get email alerts",
        email=found.email,
        chosen=found.choice.describe(),
        unsubscribe=found.unsubscribe_url,
    )


async def unsubscribe_page(request: Request) -> Response:
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(
        subscriptions.by_unsubscribe_token, request.app.state.storage, token
    )
    if found is None:
        return _unsubscribed(request)
    return _page(
        request,
        "Stop email alerts",
        "unsubscribe.html",
        heading="Stop email alerts",
        token=token,
        email=found.email,
    )


def _unsubscribed(request: Request) -> Response:
    return _refused(
        request,
        200,
        "You will not get any more email alerts",
        "We have deleted your email address from our alerts.",
    )


async def unsubscribe(request: Request) -> Response:
    """The button on the page, or a mail app's one-click POST (RFC 8058): the token comes
    in the body from the page, in the address from the List-Unsubscribe header."""
    fields = await _fields(request) or {}
    token = (fields.get("token") or [""])[0] or request.query_params.get("token", "")
    await run_in_threadpool(subscriptions.unsubscribe, request.app.state.storage, token)
    return _unsubscribed(request)


def alert_limit(rule: str, proxies: tuple[str, ...]) -> RateLimit:
    return RateLimit(rule, proxies, name="alerts")


def routes() -> list[Route]:
    return [
        Route(urls.ALERTS_SUBSCRIBE, subscribe_page, methods=["GET"]),
        Route(urls.ALERTS_SUBSCRIBE, subscribe, methods=["POST"]),
        Route(urls.ALERTS_CONFIRM, confirm_page, methods=["GET"]),
        Route(urls.ALERTS_CONFIRM, confirm, methods=["POST"]),
        Route(urls.ALERTS_UNSUBSCRIBE, unsubscribe_page, methods=["GET"]),
        Route(urls.ALERTS_UNSUBSCRIBE, unsubscribe, methods=["POST"]),
    ]
