"""Exports in the staff area: GET /staff/forms/FORM/exports, and POST there to download.

Three downloads, each a button in its own form (a POST, so a browser's prefetch or a link
preview can never start one) and each audited: the staff package (personal data), the
public package (what ``portal export --public`` leaves out, left out) and the spreadsheet
copy (personal data, labels instead of codes). They are the same files as the command and
the bearer-token route give (portal.endpoint.exports_route.build_files).

The public package publishes free text as decided on this staff area's review page
(review_pages.py), not as a review.yml in git: the endpoint has the built site, not the
repository. A decision made only in git is therefore missing here, which can only withhold
more, never publish more.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portal.endpoint.exports_route import as_zip, build_files
from portal.exports import export, review
from portal.staff import audit
from portal.staff.auth import area, first, posted, staff_only
from portal.staff.frame import message, page
from portal.staff.review_pages import as_entries, form_manifest, stored_decisions

STAFF, PUBLIC, SPREADSHEET = "staff", "public", "spreadsheet"
KINDS = (STAFF, PUBLIC, SPREADSHEET)


@staff_only
async def exports_page(request: Request) -> Response:
    manifest = form_manifest(request)
    if isinstance(manifest, Response):
        return manifest
    return page(
        request,
        f"Export the responses: {manifest['title']}",
        "exports.html",
        manifest=manifest,
        form_id=manifest["id"],
        action=f"/staff/forms/{manifest['id']}/exports",
        reviewable=review.unreviewable(manifest) is None,
    )


def _files(request: Request, form_id: str, kind: str) -> list[tuple[str, bytes]] | None:
    staff = area(request)
    site = staff.settings.site_dir
    reviewed = None
    if kind == PUBLIC:
        manifest = export.load_manifest(site, form_id)
        rows = export.current_rows(staff.storage, site, manifest)
        entries = review.entries_from(manifest, rows)
        decisions = as_entries(entries, stored_decisions(staff.storage, form_id))
        reviewed = review.decided(form_id, entries, decisions)
    return build_files(
        staff.storage,
        site,
        form_id,
        public=kind == PUBLIC,
        spreadsheet=kind == SPREADSHEET,
        reviewed=reviewed,
    )


@staff_only
async def download(request: Request) -> Response:
    fields = await posted(request)
    if not isinstance(fields, dict):
        return fields
    manifest = form_manifest(request)
    if isinstance(manifest, Response):
        return manifest
    form_id = manifest["id"]
    kind = first(fields, "kind")
    if kind not in KINDS:
        return message(
            request,
            400,
            "Choose which export to download",
            "Go back to the exports page and choose one of its buttons.",
        )
    try:
        files = await run_in_threadpool(_files, request, form_id, kind)
    except export.ExportError as error:
        return message(
            request,
            409,
            "The export could not be made",
            str(error),
            "Nothing was downloaded. Fix what this says, rebuild the site and try again.",
        )
    if files is None:
        return message(request, 404, "Page not found", f"The site has no form called '{form_id}'.")
    staff = area(request)
    await run_in_threadpool(
        audit.record, staff.storage, request.state.staff, audit.EXPORT, form_id=form_id, detail=kind
    )
    if kind == SPREADSHEET:
        content = dict(files)[export.SPREADSHEET_NAME]
        name, media = f"{form_id}-responses-spreadsheet.csv", "text/csv; charset=utf-8"
    else:
        only = [f for f in files if f[0] != export.SPREADSHEET_NAME]
        content = as_zip(form_id, only)
        name, media = f"{form_id}-responses-{kind}.zip", "application/zip"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def routes() -> list[Route]:
    return [
        Route("/staff/forms/{form_id}/exports", exports_page, methods=["GET"]),
        Route("/staff/forms/{form_id}/exports", download, methods=["POST"]),
    ]
