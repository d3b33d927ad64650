"""GET /staff/mail: is mail configured, what waits, what was sent today, what is failing.

Never a recipient's address or a copy's body (portal.mail.status does not read them): the
kind of message, its form, its attempts, the last error and the next try are what staff
need to act, by fixing the mail settings or asking the mail server's administrator. POST
/staff/mail/retry makes every failing message due now, for when the mail server is back.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portal.mail import deliver, status
from portal.mail.digest import site_timezone
from portal.mail.settings import MailSettings
from portal.staff import audit
from portal.staff.auth import area, posted, staff_only
from portal.staff.frame import page

RETRY = "mail-retry"


def _manifests(request: Request) -> dict[str, dict[str, Any]]:
    from portal.forms import manifests

    try:
        return manifests.read_all(request.app.state.responses.settings.site_dir)
    except Exception:  # the page still shows the outbox without the forms' titles
        return {}


def _when(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%B %Y}, {local:%H:%M} ({local:%Z})"


@staff_only
async def mail(request: Request) -> Response:
    storage = area(request).storage
    settings: MailSettings = request.app.state.mail
    forms = await run_in_threadpool(_manifests, request)
    tz = site_timezone(forms) if forms else UTC
    found = await run_in_threadpool(status.summary, storage, tz)
    titles = {form_id: str(m.get("title") or form_id) for form_id, m in forms.items()}
    failing = [
        {
            "kind": item.kind_label,
            # A digest of several forms, or an alert, has no one form.
            "form": titles.get(item.form_id or "", item.form_id or "no one form"),
            "attempts": item.attempts,
            "error": item.last_error,
            "next": _when(item.next_attempt_at, tz),
            "queued": _when(item.created_at, tz),
        }
        for item in found.failing
    ]
    retried = request.query_params.get("retried", "")
    return page(
        request,
        "Email",
        "mail.html",
        configured=settings.configured,
        server=f"{settings.host}:{settings.port}" if settings.configured else "",
        summary=found,
        failing=failing,
        retried=int(retried) if retried.isdigit() else None,
    )


@staff_only
async def retry(request: Request) -> Response:
    fields = await posted(request)
    if isinstance(fields, Response):
        return fields
    staff = area(request)
    count = await run_in_threadpool(deliver.retry_now, staff.storage)
    await run_in_threadpool(
        audit.record, staff.storage, request.state.staff, RETRY, detail=f"{count} emails"
    )
    return RedirectResponse(f"/staff/mail?retried={count}", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/staff/mail", mail, methods=["GET"]),
        Route("/staff/mail/retry", retry, methods=["POST"]),
    ]
