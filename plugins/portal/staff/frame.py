"""Staff pages as whole HTML pages: a template from theme/portal/staff/ inside the built
site's shell page, as the endpoint's other pages are (portal.endpoint.pages), never cached."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from portal.render import render

NO_STORE = {"Cache-Control": "no-store"}


def page(
    request: Request,
    title: str,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``theme/portal/staff/TEMPLATE`` with ``title``, the signed-in ``staff`` and
    ``context``; templates extend staff/layout.html, which draws the staff bar."""
    responses = request.app.state.responses
    content = render(
        responses.settings.theme_dir,
        f"staff/{template}",
        title=title,
        staff=getattr(request.state, "staff", None),
        path=request.url.path,
        **context,
    )
    html = responses.pages.page(title, content)
    return HTMLResponse(html, status_code=status, headers={**NO_STORE, **(headers or {})})


def message(
    request: Request, status: int, title: str, *paragraphs: str, **context: Any
) -> HTMLResponse:
    """A short page: a heading, what happened and what to do."""
    return page(request, title, "message.html", status=status, paragraphs=paragraphs, **context)
