"""The audit log, newest first: GET /staff/audit[?form=FORM][&before=ID].

Pages follow the log's ids (keyset pagination: "before this id"), so a page stays right
while new entries come and reading far back costs no more than the first page. The log
holds no address to show: who, when, what and on which form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal.forms import manifests
from portal.forms.manifests import FORM_ID
from portal.staff import audit
from portal.staff.auth import area, staff_only
from portal.staff.frame import page
from portal.storage import Storage
from portal.storage.staff import audit_log

PAGE_SIZE = 50
ACTIONS = {
    audit.SIGN_IN: "Signed in",
    audit.SIGN_IN_REFUSED: "Sign-in refused (wrong address or password)",
    audit.SIGN_OUT: "Signed out",
    audit.VIEW_PERSONAL: "Viewed personal data",
    audit.EXPORT: "Downloaded an export",
    audit.TAG: "Tagged an answer",
    audit.UNTAG: "Took a tag off",
    audit.REVIEW: "Review decision",
    audit.ACCOUNT_ADDED: "Account added or password set",
    audit.ACCOUNT_REMOVED: "Account removed",
}


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime  # aware
    who: str
    action: str
    form_id: str | None
    detail: str


@dataclass(frozen=True)
class Found:
    rows: list[Row]
    more: bool  # older entries than the last shown
    forms: list[str]  # every form the log names, for the filter


def read(storage: Storage, form_id: str | None, before: int | None) -> Found:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(PAGE_SIZE + 1)
    if form_id:
        query = query.where(audit_log.c.form_id == form_id)
    if before is not None:
        query = query.where(audit_log.c.id < before)
    forms = select(distinct(audit_log.c.form_id)).where(audit_log.c.form_id.is_not(None))
    with storage.engine.connect() as conn:
        found = conn.execute(query).all()
        named = sorted(str(f) for (f,) in conn.execute(forms))
    rows = [
        Row(
            r.id,
            r.at.replace(tzinfo=UTC) if r.at.tzinfo is None else r.at,
            r.who,
            r.action,
            r.form_id,
            r.detail,
        )
        for r in found[:PAGE_SIZE]
    ]
    return Found(rows, len(found) > PAGE_SIZE, named)


def site_zone(site_dir: Path) -> ZoneInfo:
    """The site's time zone, which every form manifest carries; UTC without any form."""
    try:
        for path in sorted(manifests.folder(site_dir).glob("*.json")):
            return ZoneInfo(str(manifests.read(path).get("timezone") or "UTC"))
    except (OSError, ValueError, manifests.ManifestError):
        pass
    return ZoneInfo("UTC")


def human(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local.day} {local:%B %Y, %H:%M:%S %Z}"


@staff_only
async def audit_page(request: Request) -> Response:
    staff = area(request)
    form_id = request.query_params.get("form", "").strip()
    if form_id and not FORM_ID.fullmatch(form_id):
        form_id = ""
    before_text = request.query_params.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) < 19 else None
    found = await run_in_threadpool(read, staff.storage, form_id or None, before)
    zone = await run_in_threadpool(site_zone, staff.settings.site_dir)
    base = {"form": form_id} if form_id else {}
    older = (
        f"/staff/audit?{urlencode({**base, 'before': found.rows[-1].id})}"
        if found.more and found.rows
        else None
    )
    newest = f"/staff/audit?{urlencode(base)}" if base else "/staff/audit"
    forms = found.forms if not form_id or form_id in found.forms else [*found.forms, form_id]
    return page(
        request,
        "Audit log",
        "audit.html",
        rows=found.rows,
        actions=ACTIONS,
        when=lambda at: human(at, zone),
        forms=sorted(forms),
        form_id=form_id,
        older=older,
        newest=newest if before is not None else None,
    )


def routes() -> list[Route]:
    return [Route("/staff/audit", audit_page, methods=["GET"])]
