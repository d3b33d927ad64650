"""The three things the endpoint does: take a response, confirm it, report its health.

Order of checks for a post, cheapest and most telling first: unknown form (404; 503 if its
manifest cannot be read), cross-site (403), body over 100 KB (413), slower than the body
timeout (408), unreadable (400), rate limit (429 with Retry-After and the form again with
every answer), outside the opening window (403 "not open yet" before ``opens``, 410 Gone
after ``closes``), honeypot (a decoy success), invalid answers (422 with the page
re-rendered), then store and 303 to the confirmation. Nothing is stored on any path but the
last. The body is read before the rate limit so that a respondent who is asked to wait keeps
what they typed. Only what is stored (and a honeypot's decoy) counts against the limit: a
respondent corrected by a 422, or turned back by any other refusal, has sent nothing yet.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from portal import clock, i18n, urls
from portal.endpoint import bodies, csrf, drafts, refusals
from portal.endpoint.codes import Code
from portal.endpoint.config import EndpointSettings
from portal.endpoint.manifests import Form, Manifests, ManifestUnreadable
from portal.endpoint.pages import Pages
from portal.endpoint.ratelimit import RateLimit, client_key
from portal.endpoint.repeats import Repeats
from portal.forms import languages
from portal.forms.validate import (
    FORM_ERROR,
    LANGUAGE_FIELD,
    LANGUAGE_QUERY,
    copy_address,
    group,
    validate,
)
from portal.i18n import Words
from portal.mail import copy
from portal.storage import Storage, describe, new_reference

log = logging.getLogger("portal.endpoint")
UNSAVED = i18n.to_translate(
    "We could not save your response just now. Your answers are still here: "
    "send them again in a few minutes"
)
UNMATCHED = i18n.to_translate(
    "Your response could not be matched to this form. Check your answers and send them again"
)
TOO_MANY = i18n.to_translate(
    "Too many responses have been sent from your connection. "
    "Wait {wait} seconds, then send your response again"
)

# Matched with fullmatch only: "$" would let a final newline through, and a 65-character
# id then failed PostgreSQL's VARCHAR(64) for every response in its batch.
SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
REFERENCE = re.compile(r"PR-[2-9A-Z]{4}-[2-9A-Z]{4}")
DECOYS_KEPT = 1000


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


def new_submission_id() -> str:
    return secrets.token_urlsafe(18)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def json_error(
    status: int,
    code: Code,
    error: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Every JSON refusal has this one shape (see codes.py)."""
    body = {"ok": False, "code": code, "error": error, "errors": errors or [], "status": status}
    return JSONResponse(body, status_code=status, headers=headers)


def confirmation_url(form_id: str, reference: str) -> str:
    return urls.confirmation(form_id, reference)


class Responses:
    def __init__(self, settings: EndpointSettings, storage: Storage) -> None:
        self.settings = settings
        self.storage = storage
        self.manifests = Manifests(settings.site_dir)
        self.pages = Pages(settings.site_dir, settings.theme_dir)
        self.limit = RateLimit(settings.rate_limit, settings.trusted_proxies)
        self.repeats = Repeats()
        # Save and return: forms saved half-way, to finish later (drafts.py).
        self.drafts = drafts.Drafts(settings, storage, self.pages)
        # References shown to bots that filled the honeypot, so the decoy confirmation page
        # works (on this instance) and looks like any other; never stored.
        self.decoys: OrderedDict[str, str] = OrderedDict()
        self.health_problems: list[str] = []

    # -- answers other than success ------------------------------------------------------
    def problem(
        self,
        request: Request,
        status: int,
        code: Code,
        title: str,
        *paragraphs: str,
        words: Words,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """A refusal in one message page (or its JSON), in the language of ``words``, the
        page's the visitor came from; ``title`` and ``paragraphs`` are already in it."""
        if wants_json(request):
            return json_error(status, code, title, headers=headers)
        html = self.pages.template("message.html", title, words, paragraphs=paragraphs)
        return HTMLResponse(html, status_code=status, headers=headers)

    def asked(self, request: Request, posted: dict[str, list[str]] | None = None) -> Words:
        """The portal's words in the language of the page a request came from: a post's
        hidden field if it was read, else the address's ``?language=`` (the form's action
        carries it, forms.languages.query), so a post refused unread is answered in it too;
        the site's own language without either."""
        sent = (posted or {}).get(LANGUAGE_FIELD) or [request.query_params.get(LANGUAGE_QUERY, "")]
        return self.words({LANGUAGE_FIELD: sent})

    async def server_error(self, request: Request, error: Exception) -> Response:
        """Anything unexpected: a page that says so, with a post's answers to send again."""
        fields = getattr(request.state, "fields", None)
        try:
            if fields is not None:
                return self.resend(request, fields, 500)
            _ = self.asked(request)
            return self.problem(
                request,
                500,
                Code.SERVER_ERROR,
                _("Sorry, there is a problem with the service"),
                _("Try again later."),
                words=_,
            )
        except Exception:  # the pages themselves cannot be drawn: still say something
            return PlainTextResponse(
                "Sorry, there is a problem with the service. Try again later.", status_code=500
            )

    def not_found(self, request: Request, words: Words | None = None) -> Response:
        _ = words or self.asked(request)
        return self.problem(
            request,
            404,
            Code.NOT_FOUND,
            _("Page not found"),
            _("If you typed the web address, check it is correct."),
            words=_,
        )

    # -- POST /responses/{form_id} -------------------------------------------------------
    async def post(self, request: Request) -> Response:
        form_id = request.path_params["form_id"]
        try:
            form = self.manifests.get(form_id)
        except ManifestUnreadable as error:
            log.error("form %s cannot take responses: %s", form_id, error)
            return await self.unavailable(request)
        if form is None:
            return self.not_found(request)
        _ = self.asked(request)  # until the body is read: the action's ?language=
        if not csrf.allowed(request, self.settings.allowed_origins):
            return self.problem(
                request,
                403,
                Code.CROSS_SITE,
                _("Your response could not be sent"),
                _(
                    "It came from a page on another website. Go to the "
                    "consultation page on this website and answer there."
                ),
                words=_,
            )
        try:
            fields = await self.read_fields(request)
        except BodyTooLarge:
            # The same page nginx answers with when it sees the body first (refusals.py).
            title, paragraphs = refusals.TOO_LARGE.said(_)
            return self.problem(request, 413, Code.TOO_LARGE, title, *paragraphs, words=_)
        except BodyTooSlow:
            return self.problem(
                request,
                408,
                Code.TOO_SLOW,
                _("Your response took too long to arrive"),
                _("Check your internet connection, then send your answers again."),
                words=_,
                headers={"Connection": "close"},
            )
        except ClientDisconnect:
            return Response(status_code=400)  # the client has gone: nobody reads this
        except ValueError:
            return self.problem(
                request,
                400,
                Code.UNREADABLE,
                _("Your response could not be read"),
                _("Go back to the form and send it again."),
                words=_,
            )
        # For the error page, should anything below fail unexpectedly (app.server_error).
        request.state.fields = fields
        posted = group(fields)
        # Tested here, counted only once the post is a response (or a bot's decoy): a
        # respondent corrected by a 422 has sent nothing yet, and must not be locked out of
        # sending it (issue 15).
        wait = await self.limit.blocked(request)
        if wait is not None:
            return self.too_many(request, form, posted, wait)
        window = self.window(request, form, posted)
        if window is not None:
            return window
        if any(v for v in posted.get("website", [])):
            await self.limit.count(request)
            return self.decoy(request, form, posted)
        # -- save and return (drafts.py): "Save and come back later" keeps the answers as
        # they are, unvalidated; a resumed draft's code is not an answer.
        if drafts.SAVE in posted.get(drafts.ACTION, []):
            await self.limit.count(request)
            return await self.drafts.save(request, form, posted)
        if drafts.offered(form):
            fields = drafts.without_fields(fields)
        # -- end of save and return
        # The question words of the page's language: messages quote its labels.
        answers, errors = validate(self.shown(form, posted), fields, self.words(posted))
        if errors:
            return self.invalid(request, form, posted, errors)
        await self.limit.count(request)
        submission_id = self.submission_id(request, form, posted, answers)
        # The copy of the answers the respondent asked for: queued with the row, in its
        # transaction; the address goes only to the outbox, never into the response.
        recipient = copy_address(form.manifest, fields)
        message = (
            copy.pending(self.shown(form, posted), submission_id, recipient, self.words(posted))
            if recipient
            else None
        )
        try:
            # Committed by the writer thread, together with whoever else is waiting.
            reference = await asyncio.wrap_future(
                self.storage.submit(
                    form.id,
                    submission_id,
                    answers,
                    form.manifest["manifest_version"],
                    form.version,
                    message,
                    language=self.language(form, posted),
                )
            )
        except ValueError:
            # A submission id already used by another form: a forged or corrupted post.
            errors = {FORM_ERROR: self.words(posted)(UNMATCHED)}
            return self.invalid(request, form, posted, errors)
        except Exception as error:  # the database failed: say so, and keep every answer
            # What failed, never the answers (describe() keeps values out).
            log.error("could not store a response to %s: %s", form.id, describe(error))
            errors = {FORM_ERROR: self.words(posted)(UNSAVED)}
            # The same submission id: if the row did reach the disk, sending again stores
            # nothing twice.
            return self.invalid(request, form, posted, errors, 503, submission_id)
        await self.drafts.finished(form, posted)  # its draft, if it was one, is done with
        return self.success(request, form, reference, self.language(form, posted))

    async def read_fields(self, request: Request) -> bodies.Fields:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise BodyTooLarge  # say so before reading a byte
        body = bytearray()
        try:
            # A client that sends its body a byte at a time holds a connection; nginx's
            # client_body_timeout is the same idea.
            async with asyncio.timeout(self.settings.body_timeout):
                async for chunk in request.stream():  # a client may lie about the length
                    body.extend(chunk)
                    if len(body) > limit:
                        raise BodyTooLarge
        except TimeoutError as error:
            raise BodyTooSlow from error
        try:
            return bodies.parse(request.headers.get("content-type", ""), bytes(body))
        except bodies.TooManyFields as error:
            raise BodyTooLarge from error  # no form has that many fields

    async def unavailable(self, request: Request) -> Response:
        """503 for a form whose manifest cannot be read: its answers go back in a page that
        sends them again, since the form itself cannot be drawn."""
        try:
            fields = await self.read_fields(request)
        except (BodyTooLarge, BodyTooSlow, ClientDisconnect, ValueError):
            fields = []
        return self.resend(request, fields, 503)

    def resend(self, request: Request, fields: bodies.Fields, status: int) -> Response:
        _ = self.asked(request, group(fields))
        title = _("Your response could not be saved just now")
        if wants_json(request):
            code = Code.SERVER_ERROR if status == 500 else Code.UNAVAILABLE
            return json_error(status, code, UNSAVED)
        html = self.pages.template(
            "resend.html",
            title,
            words=_,
            action=request.url.path,
            fields=[(k, v) for k, v in fields if k != "website"],
        )
        return HTMLResponse(html, status_code=status)

    def too_many(
        self, request: Request, form: Form, posted: dict[str, list[str]], wait: int
    ) -> Response:
        headers = {"Retry-After": str(wait)}
        if wants_json(request):
            _ = self.words(posted)
            return json_error(
                429, Code.RATE_LIMITED, _("Too many responses from your connection"), None, headers
            )
        # The form again with every answer, so waiting costs the respondent nothing.
        errors = {FORM_ERROR: self.words(posted)(TOO_MANY, wait=wait)}
        sent = (posted.get("submission_id") or [""])[0]
        submission_id = sent if SUBMISSION_ID.fullmatch(sent) else None
        return self.invalid(request, form, posted, errors, 429, submission_id, headers)

    def window(self, request: Request, form: Form, posted: dict[str, list[str]]) -> Response | None:
        now = clock.now(form.timezone)
        opens, closes = form.instant("opens"), form.instant("closes")
        _ = self.words(posted)
        if opens is not None and now < opens:
            status, title, not_yet = 403, _("This consultation is not open yet"), True
        elif closes is not None and now >= closes:
            status, title, not_yet = 410, _("This consultation has closed"), False
        else:
            return None
        if wants_json(request):
            return json_error(status, Code.NOT_OPEN_YET if not_yet else Code.CLOSED, title)
        html = self.pages.template(
            "closed.html",
            title,
            words=_,
            manifest=self.shown(form, posted),
            not_yet=not_yet,
            opens=opens,
            closes=closes,
            # What they typed, to keep: the form is no longer there to hold it.
            posted=posted,
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
        if SUBMISSION_ID.fullmatch(sent) and sent != form.static_submission_id:
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
        headers: dict[str, str] | None = None,
    ) -> Response:
        """The form again, with every answer kept and what to do, for the respondent to
        correct (422) or, when the database failed, simply to send again (503)."""
        _ = self.words(posted)
        if wants_json(request):
            items = [{"field": k, "message": v} for k, v in errors.items()]
            error = _("There is a problem") if status == 422 else _(UNSAVED)
            code = {422: Code.INVALID, 429: Code.RATE_LIMITED}.get(status, Code.UNSAVED)
            return json_error(status, code, error, items, headers)
        values = {k: v for k, v in posted.items() if k not in ("submission_id", "website")}
        html = self.pages.form_page(
            self.shown(form, posted),
            values=values,
            errors=errors,
            submission_id=submission_id or new_submission_id(),
            action=request.url.path,
            words=_,
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def words(self, posted: dict[str, list[str]]) -> Words:
        """The portal's words in the language of the page the form was answered on; the
        site's own language when the post names none or one the portal has no words in
        (an older page, a forged field): a Welsh-only site answers in Welsh."""
        sent = (posted.get(LANGUAGE_FIELD) or [""])[0]
        if (
            isinstance(sent, str)
            and i18n.is_known(sent)
            and i18n.has_catalogue(sent, self.settings.locale_dir)
        ):
            return i18n.chosen(sent, self.settings.locale_dir)
        return i18n.chosen(self.pages.site_language(), self.settings.locale_dir)

    def language(self, form: Form, posted: dict[str, list[str]]) -> str:
        """The language of the response, as stored with it: the page's, if the form has
        words in it, else the form's default (a single-language form: the portal's words')."""
        sent = (posted.get(LANGUAGE_FIELD) or [""])[0]
        return languages.known(form.manifest, sent) or self.words(posted).language

    def shown(self, form: Form, posted: dict[str, list[str]]) -> dict[str, Any]:
        """The form with the question words of the page's language (portal.forms.languages),
        the same function the build renders the page's form with."""
        return languages.in_language(form.manifest, self.language(form, posted))

    def success(
        self, request: Request, form: Form, reference: str, language: str | None = None
    ) -> Response:
        # A page in another language than the default: its confirmation is too.
        url = confirmation_url(form.id, reference) + languages.query(form.manifest, language or "")
        if wants_json(request):
            return JSONResponse({"ok": True, "reference": reference, "redirect": url})
        # Its own fragment, or the browser would carry over the form's "#…-errors" one.
        return RedirectResponse(f"{url}#confirmation", status_code=303)

    def decoy(self, request: Request, form: Form, posted: dict[str, list[str]]) -> Response:
        reference = new_reference()
        self.decoys[reference] = form.id
        while len(self.decoys) > DECOYS_KEPT:
            self.decoys.popitem(last=False)
        return self.success(request, form, reference, self.language(form, posted))

    # -- GET /responses/{form_id}/confirmation/{reference} --------------------------------
    async def confirmation(self, request: Request) -> Response:
        _ = self.asked(request)
        try:
            form = self.manifests.get(request.path_params["form_id"])
        except ManifestUnreadable as error:
            log.error("a confirmation cannot be shown: %s", error)
            return self.problem(
                request,
                503,
                Code.UNAVAILABLE,
                _("This page cannot be shown just now"),
                _("Your response was saved. Try this page again in a few minutes."),
                words=_,
            )
        reference = request.path_params["reference"]
        if form is None or not REFERENCE.fullmatch(reference):
            return self.not_found(request, _)
        known = self.decoys.get(reference) == form.id or await run_in_threadpool(
            self.storage.has_reference, form.id, reference
        )
        if not known:
            return self.not_found(request, _)
        language = languages.known(form.manifest, request.query_params.get(LANGUAGE_QUERY, ""))
        manifest = languages.in_language(form.manifest, language) if language else form.manifest
        # A form in one language: the site's (the page's own posts named it; the
        # confirmation's address names none).
        _ = i18n.chosen(language, self.settings.locale_dir) if language else _
        html = self.pages.template(
            "confirmation.html", _("Response sent"), _, manifest=manifest, reference=reference
        )
        return HTMLResponse(html)

    # -- GET /health ---------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        """200 only if a response posted now would be kept: the database takes a write,
        its file is the one on disk, and every form manifest can be read. The reasons go to
        the log (once, when they change), not to whoever asks: they name paths."""
        database = await run_in_threadpool(self.storage.check)
        forms = await run_in_threadpool(self.manifests.problem)
        problems = [p for p in (database, forms) if p]
        if problems != self.health_problems:
            for problem in problems:
                log.error("unhealthy: %s", problem)
            if not problems:
                log.warning("healthy again")
            self.health_problems = problems
        body = {
            "ok": not problems,
            "database": "unavailable" if database else "ok",
            "forms": "unreadable" if forms else "ok",
        }
        return JSONResponse(body, status_code=503 if problems else 200)
