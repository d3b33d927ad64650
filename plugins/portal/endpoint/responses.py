"""The three things the endpoint does: take a response, confirm it, report its health.

Order of checks for a post, cheapest and most telling first: unknown form (404), cross-site
(403), rate limit (429 with Retry-After), body over 100 KB (413), outside the opening window
(403 "not open yet" before ``opens``, 410 Gone after ``closes``), honeypot (a decoy success),
invalid answers (422 with the page re-rendered), then store and 303 to the confirmation.
Nothing is stored on any path but the last.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from portal.endpoint import csrf
from portal.endpoint.config import EndpointSettings
from portal.endpoint.manifests import Form, Manifests
from portal.endpoint.pages import Pages
from portal.endpoint.ratelimit import RateLimit, client_key
from portal.endpoint.repeats import Repeats
from portal.endpoint.storage import Storage, new_reference
from portal.forms.validate import FORM_ERROR, group, validate

log = logging.getLogger("portal.endpoint")
UNSAVED = (
    "We could not save your response just now. Your answers are still here: "
    "send them again in a few minutes"
)

SUBMISSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
REFERENCE = re.compile(r"^PR-[2-9A-Z]{4}-[2-9A-Z]{4}$")
DECOYS_KEPT = 1000


MAX_FIELDS = 1000


class BodyTooLarge(Exception):
    pass


def new_submission_id() -> str:
    return secrets.token_urlsafe(18)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def confirmation_url(form_id: str, reference: str) -> str:
    return f"/responses/{form_id}/confirmation/{reference}"


class Responses:
    def __init__(self, settings: EndpointSettings, storage: Storage) -> None:
        self.settings = settings
        self.storage = storage
        self.manifests = Manifests(settings.site_dir)
        self.pages = Pages(settings.site_dir, settings.theme_dir)
        self.limit = RateLimit(settings.rate_limit, settings.trusted_proxies)
        self.repeats = Repeats()
        # References shown to bots that filled the honeypot, so the decoy confirmation page
        # works (on this instance) and looks like any other; never stored.
        self.decoys: OrderedDict[str, str] = OrderedDict()

    # -- answers other than success ------------------------------------------------------
    def problem(
        self,
        request: Request,
        status: int,
        title: str,
        *paragraphs: str,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"ok": False, "error": title, "errors": [], "status": status},
                status_code=status,
                headers=headers,
            )
        html = self.pages.template("message.html", title, paragraphs=paragraphs)
        return HTMLResponse(html, status_code=status, headers=headers)

    def not_found(self, request: Request) -> Response:
        return self.problem(
            request, 404, "Page not found", "If you typed the web address, check it is correct."
        )

    # -- POST /responses/{form_id} -------------------------------------------------------
    async def post(self, request: Request) -> Response:
        form = self.manifests.get(request.path_params["form_id"])
        if form is None:
            return self.not_found(request)
        if not csrf.allowed(request, self.settings.allowed_origins):
            return self.problem(
                request,
                403,
                "Your response could not be sent",
                "It came from a page on another website. Go to the "
                "consultation page on this website and answer there.",
            )
        wait = await self.limit.check(request)
        if wait is not None:
            return self.problem(
                request,
                429,
                "Too many responses from your connection",
                f"Wait {wait} seconds, then send your response again.",
                headers={"Retry-After": str(wait)},
            )
        try:
            fields = await self.read_fields(request)
        except BodyTooLarge:
            return self.problem(
                request,
                413,
                "Your response is too long to send",
                "Shorten your answers and send them again.",
            )
        except ValueError:
            return self.problem(
                request,
                400,
                "Your response could not be read",
                "Go back to the form and send it again.",
            )
        window = self.window(request, form)
        if window is not None:
            return window
        posted = group(fields)
        if any(v for v in posted.get("website", [])):
            return self.decoy(request, form)
        answers, errors = validate(form.manifest, fields)
        if errors:
            return self.invalid(request, form, posted, errors)
        submission_id = self.submission_id(request, form, posted, answers)
        try:
            # Committed by the writer thread, together with whoever else is waiting.
            reference = await asyncio.wrap_future(
                self.storage.submit(
                    form.id, submission_id, answers, form.manifest["manifest_version"]
                )
            )
        except ValueError:
            # A submission id already used by another form: a forged or corrupted post.
            errors = {
                FORM_ERROR: "Your response could not be matched to this form. "
                "Check your answers and send them again"
            }
            return self.invalid(request, form, posted, errors)
        except Exception:  # the database failed: say so, and keep every answer
            log.exception("could not store a response to %s", form.id)
            errors = {FORM_ERROR: UNSAVED}
            # The same submission id: if the row did reach the disk, sending again stores
            # nothing twice.
            return self.invalid(request, form, posted, errors, 503, submission_id)
        return self.success(request, form, reference)

    async def read_fields(self, request: Request) -> list[tuple[str, str]]:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise BodyTooLarge  # say so before reading a byte
        body = bytearray()
        async for chunk in request.stream():  # a client may lie about, or omit, the length
            body.extend(chunk)
            if len(body) > limit:
                raise BodyTooLarge
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            return await self._multipart(request, bytes(body))
        if content_type not in ("application/x-www-form-urlencoded", ""):
            raise ValueError(f"unsupported content type {content_type}")
        text = bytes(body).decode("utf-8")  # UnicodeDecodeError is a ValueError
        if text.count("&") + 1 > MAX_FIELDS:
            raise BodyTooLarge  # no form has that many fields: too large, not unreadable
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)

    async def _multipart(self, request: Request, body: bytes) -> list[tuple[str, str]]:
        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            async with Request(request.scope, replay).form(max_files=10) as data:
                # A file part is not an answer to any question: pass it on as a field the
                # form lacks, so validation rejects it.
                return [
                    (k, "<file>" if isinstance(v, UploadFile) else v) for k, v in data.multi_items()
                ]
        except HTTPException as exc:
            raise ValueError(exc.detail) from exc

    def window(self, request: Request, form: Form) -> Response | None:
        now = datetime.now(UTC)
        opens, closes = form.instant("opens"), form.instant("closes")
        if opens is not None and now < opens:
            status, title, not_yet = 403, "This consultation is not open yet", True
        elif closes is not None and now >= closes:
            status, title, not_yet = 410, "This consultation has closed", False
        else:
            return None
        if wants_json(request):
            return JSONResponse(
                {"ok": False, "error": title, "errors": [], "status": status}, status_code=status
            )
        html = self.pages.template(
            "closed.html",
            title,
            manifest=form.manifest,
            not_yet=not_yet,
            opens=opens,
            closes=closes,
        )
        return HTMLResponse(html, status_code=status)

    def submission_id(
        self, request: Request, form: Form, posted: dict[str, list[str]], answers: dict[str, Any]
    ) -> str:
        sent = (posted.get("submission_id") or [""])[0]
        # The id in the static page is shared by every visitor without JavaScript; treating
        # it as one submission would merge different people's responses. Such posts get a
        # fresh id (re-rendered pages and the script give each visitor their own), unless
        # they repeat a post of moments ago: a double click (see repeats.py).
        if SUBMISSION_ID.match(sent) and sent != form.static_submission_id:
            return sent
        return self.repeats.submission_id(
            form.id,
            client_key(request, self.limit.proxies),
            request.headers.get("user-agent", ""),
            answers,
            new_submission_id(),
        )

    def invalid(
        self,
        request: Request,
        form: Form,
        posted: dict[str, list[str]],
        errors: dict[str, str],
        status: int = 422,
        submission_id: str | None = None,
    ) -> Response:
        """The form again, with every answer kept and what to do, for the respondent to
        correct (422) or, when the database failed, simply to send again (503)."""
        if wants_json(request):
            items = [{"field": k, "message": v} for k, v in errors.items()]
            error = "There is a problem" if status == 422 else UNSAVED
            return JSONResponse(
                {"ok": False, "error": error, "errors": items, "status": status},
                status_code=status,
            )
        values = {k: v for k, v in posted.items() if k not in ("submission_id", "website")}
        html = self.pages.form_page(
            form.manifest,
            values=values,
            errors=errors,
            submission_id=submission_id or new_submission_id(),
            action=request.url.path,
        )
        return HTMLResponse(html, status_code=status)

    def success(self, request: Request, form: Form, reference: str) -> Response:
        url = confirmation_url(form.id, reference)
        if wants_json(request):
            return JSONResponse({"ok": True, "reference": reference, "redirect": url})
        # Its own fragment, or the browser would carry over the form's "#…-errors" one.
        return RedirectResponse(f"{url}#confirmation", status_code=303)

    def decoy(self, request: Request, form: Form) -> Response:
        reference = new_reference()
        self.decoys[reference] = form.id
        while len(self.decoys) > DECOYS_KEPT:
            self.decoys.popitem(last=False)
        return self.success(request, form, reference)

    # -- GET /responses/{form_id}/confirmation/{reference} --------------------------------
    async def confirmation(self, request: Request) -> Response:
        form = self.manifests.get(request.path_params["form_id"])
        reference = request.path_params["reference"]
        if form is None or not REFERENCE.match(reference):
            return self.not_found(request)
        known = self.decoys.get(reference) == form.id or await run_in_threadpool(
            self.storage.has_reference, form.id, reference
        )
        if not known:
            return self.not_found(request)
        html = self.pages.template(
            "confirmation.html", "Response sent", manifest=form.manifest, reference=reference
        )
        return HTMLResponse(html)

    # -- GET /health ---------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        try:
            ok = await run_in_threadpool(self.storage.check)
        except Exception:  # any database failure means unhealthy, whatever its type
            ok = False
        return JSONResponse(
            {"ok": ok, "database": "ok" if ok else "unavailable"}, status_code=200 if ok else 503
        )
