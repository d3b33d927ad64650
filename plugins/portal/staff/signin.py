"""Signing in and out: GET and POST /staff/sign-in, POST /staff/sign-out.

A wrong address and a wrong password get the same answer, in the same time (accounts.py),
so the page does not tell anyone who has an account. Failures are counted per account and
per connection (auth.py's limits); success does not count. The address typed is kept on
every refusal; a password is never sent back.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portal.endpoint import csrf
from portal.staff import accounts, audit
from portal.staff.auth import (
    HOME,
    SIGN_IN,
    area,
    clear_cookie,
    first,
    from_cookie,
    posted,
    safe_next,
    set_cookie,
    staff_only,
)
from portal.staff.frame import message, page

WRONG = "Enter the email address and password of your staff account"
SIGNED_OUT = "You have signed out."


def _form(
    request: Request,
    *,
    status: int = 200,
    email: str = "",
    next_url: str = HOME,
    error: str = "",
    error_field: str = "",
    notice: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    title = "Error: Sign in to the staff area" if error else "Sign in to the staff area"
    return page(
        request,
        title,
        "sign_in.html",
        status=status,
        headers=headers,
        email=email,
        next=safe_next(next_url),
        error=error,
        error_field=error_field,
        notice=notice,
        sso=bool(area(request).settings.identity_header),
    )


async def sign_in_page(request: Request) -> Response:
    staff = area(request)
    if not staff.enabled:
        return message(request, 404, "Page not found", "There is no page at this address.")
    if await from_cookie(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next", HOME)), 303)
    notice = SIGNED_OUT if request.query_params.get("signed-out") == "1" else ""
    return _form(request, next_url=request.query_params.get("next", HOME), notice=notice)


async def sign_in(request: Request) -> Response:
    staff = area(request)
    if not staff.enabled or staff.sessions is None:
        return message(request, 404, "Page not found", "There is no page at this address.")
    fields = await posted(request)
    if not isinstance(fields, dict):
        return fields
    email, password = first(fields, "email").strip(), first(fields, "password")
    next_url = first(fields, "next") or HOME
    if not csrf.allowed(request, staff.settings.allowed_origins):
        return _form(
            request,
            status=403,
            email=email,
            next_url=next_url,
            error="Sign in from this page: a sign-in sent from another site is refused",
            error_field="email",
        )
    if not email:
        return _form(
            request,
            status=400,
            next_url=next_url,
            error="Enter your email address",
            error_field="email",
        )
    if not password:
        return _form(
            request,
            status=400,
            email=email,
            next_url=next_url,
            error="Enter your password",
            error_field="password",
        )
    wait = await staff.address_failures.blocked(request) or await staff.account_wait(
        email, count=False
    )
    if wait is not None:
        minutes = max(1, round(wait / 60))
        return _form(
            request,
            status=429,
            email=email,
            next_url=next_url,
            error=f"Too many wrong passwords: wait {minutes} minute{'s' if minutes != 1 else ''}, "
            "then try again",
            error_field="password",
            headers={"Retry-After": str(wait)},
        )
    who = await run_in_threadpool(accounts.verify, staff.storage, email, password)
    if who is None:
        await staff.address_failures.count(request)
        await staff.account_wait(email, count=True)
        await run_in_threadpool(
            audit.record, staff.storage, accounts.normalise(email), audit.SIGN_IN_REFUSED
        )
        return _form(
            request,
            status=401,
            email=email,
            next_url=next_url,
            error=WRONG,
            error_field="password",
        )
    cookie = await run_in_threadpool(staff.sessions.start, who)
    await run_in_threadpool(audit.record, staff.storage, who, audit.SIGN_IN, detail="password")
    response = RedirectResponse(safe_next(next_url), status_code=303)
    set_cookie(request, response, cookie)
    return response


@staff_only
async def sign_out(request: Request) -> Response:
    staff = area(request)
    cookie = request.cookies.get("portal_staff")
    if cookie and staff.sessions is not None:
        await run_in_threadpool(staff.sessions.end, cookie)
    await run_in_threadpool(audit.record, staff.storage, request.state.staff, audit.SIGN_OUT)
    response = RedirectResponse(f"{SIGN_IN}?signed-out=1", status_code=303)
    clear_cookie(response)
    return response


def routes() -> list[Route]:
    return [
        Route(SIGN_IN, sign_in_page, methods=["GET"]),
        Route(SIGN_IN, sign_in, methods=["POST"]),
        Route("/staff/sign-out", sign_out, methods=["POST"]),
    ]
