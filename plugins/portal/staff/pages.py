"""What staff see: the forms and their responses (being built; see the staff-area issue)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal.staff.auth import staff_only
from portal.staff.frame import page


@staff_only
async def dashboard(request: Request) -> Response:
    return page(request, "Forms and responses", "dashboard.html")


def routes() -> list[Route]:
    return [Route("/staff/", dashboard, methods=["GET"])]
