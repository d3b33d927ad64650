"""The endpoint's alert pages: /alerts/ (subscribe), /alerts/confirm, /alerts/unsubscribe.

Plain HTML forms, so all of it works without JavaScript. Confirming and unsubscribing are
a button on the page the email's link opens (a POST): mail scanners open links, and must
not confirm or end anyone's subscription by doing so. The one exception is RFC 8058's
one-click unsubscribe, a POST that mail apps send to the List-Unsubscribe address itself.

The subscribe page answers the same whether or not the address already has alerts, so
it does not tell anyone who subscribes to what.

Every page is in the language of the page the person came from (issue 21): a form's hidden
``portal_language`` field for a POST, ``?language=`` for a GET. The pages' own links are
written relative to the shell page of that language (``../../alerts/``), whose links
Pages.page makes absolute, so they stay in it.
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
from portal.i18n import Words, to_translate
from portal.pages.alerts import TITLE
from portal.render import render

EMAIL_MISSING = to_translate("Enter your email address")
EMAIL_WRONG = to_translate("Enter your email address in the correct format, like name@example.com")
HEADERS = {"Cache-Control": "no-store"}
NOTHING_CHOSEN = Choice()
SHELL_ROOT = "../../"  # from the shell page (_portal/page/) to its language's home page


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


def words(request: Request, fields: dict[str, list[str]] | None = None) -> Words:
    """The portal's words in the language of the page the request came from: a post's
    hidden field, else the address's ``?language=``; the site's own without either
    (Responses.asked, the rule of every page of the endpoint's)."""
    return request.app.state.responses.asked(request, fields)  # type: ignore[no-any-return]


def _page(
    request: Request,
    title: str,
    template: str,
    status: int = 200,
    *,
    words: Words,
    **context: object,
) -> Response:
    responses = request.app.state.responses
    content = render(
        responses.settings.theme_dir,
        f"alerts/{template}",
        title=title,
        _=words,
        root=SHELL_ROOT,
        **context,
    )
    html = responses.pages.page(title, content, words)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _form(
    request: Request,
    *,
    words: Words,
    status: int = 200,
    email: str = "",
    chosen: Choice = NOTHING_CHOSEN,
    error: str = "",
    notice: str = "",
) -> Response:
    _ = words
    topics, areas = _choices(request.app.state.responses.settings.site_dir)
    title = _(TITLE)
    return _page(
        request,
        _("Error: {title}", title=title) if error else title,
        "subscribe.html",
        status,
        words=_,
        heading=title,
        action=urls.ALERTS_SUBSCRIBE,
        privacy=SHELL_ROOT + urls.page("privacy.md"),
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


def _refused(request: Request, status: int, title: str, text: str, words: Words) -> Response:
    return _page(
        request, title, "message.html", status, words=words, heading=title, paragraphs=[text]
    )


async def subscribe_page(request: Request) -> Response:
    return _form(request, words=words(request))


async def subscribe(request: Request) -> Response:
    fields = await _fields(request)
    _ = words(request, fields)
    if fields is None:
        return _refused(
            request, 400, _("We could not read what was sent"), _("Go back and try again."), _
        )
    email = (fields.get("email") or [""])[0].strip()
    topics, areas = _choices(request.app.state.responses.settings.site_dir)
    chosen = Choice(
        tuple(t for t in fields.get("topic", []) if t in topics),
        tuple(a for a in fields.get("area", []) if a in areas),
    )
    if not csrf.allowed(request, request.app.state.responses.settings.allowed_origins):
        return _form(
            request,
            words=_,
            status=403,
            email=email,
            chosen=chosen,
            error=_("Subscribe from this page: a request sent from another site is refused"),
        )
    if not email:
        return _form(request, words=_, status=422, chosen=chosen, error=_(EMAIL_MISSING))
    if len(email) > 254 or not email_ok(email):
        return _form(request, words=_, status=422, email=email, chosen=chosen, error=_(EMAIL_WRONG))
    limit: RateLimit = request.app.state.alert_limit
    wait = await limit.check(request)
    if wait is not None:
        return _form(
            request,
            words=_,
            status=429,
            email=email,
            chosen=chosen,
            error=_(
                "Too many requests from your connection: wait {wait} seconds, then try again",
                wait=wait,
            ),
        )
    storage = request.app.state.storage
    own = request.app.state.responses.pages.site_language()
    await run_in_threadpool(
        subscriptions.subscribe,
        storage,
        email,
        chosen,
        base_url(request),
        _site_name(request),
        _,
        "" if _.language == own else _.language,
    )
    title = _("Check your email")
    return _page(
        request,
        title,
        "check.html",
        words=_,
        heading=title,
        email=email,
        chosen=chosen.describe(_),
    )


async def confirm_page(request: Request) -> Response:
    _ = words(request)
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(subscriptions.pending, request.app.state.storage, token)
    if found is None:
        return _expired(request, _)
    title = _("Confirm your email alerts")
    return _page(
        request,
        title,
        "confirm.html",
        words=_,
        heading=title,
        token=token,
        email=found.email,
        chosen=found.choice.describe(_),
    )


def _expired(request: Request, words: Words) -> Response:
    _ = words
    return _refused(
        request,
        410,
        _("This link has expired or has been used"),
        _(
            "Confirmation links work for 7 days and once. If you still want email alerts, "
            "subscribe again from the email alerts page."
        ),
        _,
    )


async def confirm(request: Request) -> Response:
    fields = await _fields(request) or {}
    _ = words(request, fields)
    token = (fields.get("token") or [""])[0]
    found = await run_in_threadpool(subscriptions.confirm, request.app.state.storage, token)
    if found is None:
        return _expired(request, _)
    title = _("You will get email alerts")
    return _page(
        request,
        title,
        "confirmed.html",
        words=_,
        heading=title,
        email=found.email,
        chosen=found.choice.describe(_),
        unsubscribe=found.unsubscribe_url,
    )


async def unsubscribe_page(request: Request) -> Response:
    _ = words(request)
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(
        subscriptions.by_unsubscribe_token, request.app.state.storage, token
    )
    if found is None:
        return _unsubscribed(request, _)
    title = _("Stop email alerts")
    return _page(
        request,
        title,
        "unsubscribe.html",
        words=_,
        heading=title,
        token=token,
        email=found.email,
    )


def _unsubscribed(request: Request, words: Words) -> Response:
    _ = words
    return _refused(
        request,
        200,
        _("You will not get any more email alerts"),
        _("We have deleted your email address from our alerts."),
        _,
    )


async def unsubscribe(request: Request) -> Response:
    """The button on the page, or a mail app's one-click POST (RFC 8058): the token comes
    in the body from the page, in the address from the List-Unsubscribe header."""
    fields = await _fields(request) or {}
    token = (fields.get("token") or [""])[0] or request.query_params.get("token", "")
    await run_in_threadpool(subscriptions.unsubscribe, request.app.state.storage, token)
    return _unsubscribed(request, words(request, fields))


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
