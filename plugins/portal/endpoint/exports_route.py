"""GET /exports/FORM_ID.zip: the staff export, for a bearer token from configuration.

The token comes only from the ``Authorization: Bearer`` header (never the URL, which ends up
in logs and browser history) and is compared in constant time. With no PORTAL_EXPORT_TOKEN
configured, exports are off and the route answers 404. Nothing here logs the header.
"""

from __future__ import annotations

import hmac
import io
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from portal.endpoint.config import EndpointSettings
from portal.endpoint.ratelimit import RateLimit
from portal.storage import Storage

if TYPE_CHECKING:
    from portal.exports.review import Review

# Wrong tokens allowed per client before it must wait: a person mistyping, not a guesser.
FAILURES_ALLOWED = "10/minute"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="exports"', "Cache-Control": "no-store"}


def authorised(header: str | None, token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def build_files(
    storage: Storage,
    site_dir: Path,
    form_id: str,
    *,
    public: bool = False,
    spreadsheet: bool = True,
    reviewed: Review | None = None,
) -> list[tuple[str, bytes]] | None:
    """The export's files as (name, content), or None for a form the site does not have.

    ``public`` leaves out what ``portal export --public`` leaves out, with free text as
    ``reviewed`` decides (none without it); ``spreadsheet`` adds the spreadsheet copy.
    Raises ExportError when the export cannot be made (see portal.exports.export).
    """
    from portal.exports.export import ExportError, export, load_manifest

    try:
        manifest = load_manifest(site_dir, form_id)
    except ExportError:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        files = export(
            storage,
            manifest,
            Path(scratch),
            public=public,
            spreadsheet_copy=spreadsheet,
            site_dir=site_dir,
            reviewed=reviewed,
        )
        return [(path.name, path.read_bytes()) for path in files]


def as_zip(form_id: str, files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(f"{form_id}/{name}", content)
    return buffer.getvalue()


def build_zip(
    storage: Storage,
    site_dir: Path,
    form_id: str,
    *,
    public: bool = False,
    spreadsheet: bool = True,
    reviewed: Review | None = None,
) -> bytes | None:
    """The export as a zip of FORM_ID/responses.csv, datapackage.json (and the
    spreadsheet copy), or None for a form the site does not have."""
    files = build_files(
        storage, site_dir, form_id, public=public, spreadsheet=spreadsheet, reviewed=reviewed
    )
    return None if files is None else as_zip(form_id, files)


async def export_zip(request: Request) -> Response:
    settings: EndpointSettings = request.app.state.responses.settings
    storage: Storage = request.app.state.storage
    token = settings.export_token
    if not token:
        return PlainTextResponse("Not found", status_code=404)
    failures: RateLimit = request.app.state.export_failures
    wait = await failures.blocked(request)
    if wait is not None:
        # Guessing a token costs a minute per few tries, whether or not this one is right.
        return PlainTextResponse(
            f"Too many wrong tokens from your connection: wait {wait} seconds",
            status_code=429,
            headers={**CHALLENGE, "Retry-After": str(wait)},
        )
    if not authorised(request.headers.get("authorization"), token):
        await failures.count(request)
        return PlainTextResponse(
            "A valid bearer token is needed", status_code=401, headers=CHALLENGE
        )
    form_id = request.path_params["form_id"]
    data = await run_in_threadpool(build_zip, storage, settings.site_dir, form_id)
    if data is None:
        return PlainTextResponse(
            "Not found", status_code=404, headers={"Cache-Control": "no-store"}
        )
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{form_id}-responses.zip"',
            "Cache-Control": "no-store",
        },
    )


def failure_limit(settings: EndpointSettings) -> RateLimit:
    return RateLimit(FAILURES_ALLOWED, settings.trusted_proxies, name="export-token")


def routes() -> list[Route]:
    return [Route("/exports/{form_id}.zip", export_zip, methods=["GET"])]
