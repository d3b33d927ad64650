"""Save and return: a form with ``save_and_return: true`` can be saved half-way and finished
later, without an account and without JavaScript.

- The form's second submit button (``portal_action=save``) posts to the form's usual address;
  responses.post hands such a post here after its usual checks (cross-site, size, rate
  limit, opening window, honeypot). The answers are kept as posted, not validated as
  complete, in the drafts table (portal.storage.drafts); the page shows the resume code, the
  resume link and when the draft expires, and, where mail is configured, offers to email
  the link.
- GET /responses/FORM/resume (a code typed, or ``?code=`` from the link) answers with the
  form page and every saved answer, and the code in a hidden field: sending that form
  stores one response as any other post does and then deletes the draft; saving it again
  updates the same draft. That page is never cached (headers.PRIVATE_PATHS).
- The code travels in the link's query (a link in an email cannot carry it otherwise), like
  a password-reset link's token: the endpoint keeps no access log and the shipped nginx
  logs the path without the query (deploy/nginx/portal.conf), and the pages are no-store.
- Wrong codes are counted per client: after FAILURES_ALLOWED, 429 (a person mistyping, not
  someone guessing). An expired draft gets 410 and a page that says why.
- Every page is in the language of the page the form was on (issue 21): a post says it in
  its hidden ``portal_language`` field, a GET in ``?language=``, which the resume link, the
  resume form and the form's "Continue a saved response" link carry. The link carries it
  rather than the drafts table: whoever opens it comes from the page it was saved on.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from portal import clock, i18n, urls
from portal.endpoint import csrf
from portal.endpoint.codes import Code
from portal.endpoint.config import EndpointSettings
from portal.endpoint.headers import is_https
from portal.endpoint.manifests import Form, ManifestUnreadable
from portal.endpoint.pages import Pages
from portal.endpoint.ratelimit import RateLimit, networks
from portal.forms import languages
from portal.forms.validate import FORM_ERROR, LANGUAGE_FIELD, LANGUAGE_QUERY, email_ok
from portal.i18n import ENGLISH, Words
from portal.storage import Storage, describe
from portal.storage import drafts as store
from portal.storage.outbox import RESUME, enqueue

if TYPE_CHECKING:
    from portal.endpoint.responses import Responses

log = logging.getLogger("portal.endpoint")

# The form's fields for saving: the button's name and, on a resumed form, the draft's code.
# Reserved (portal.forms.definition.RESERVED_IDS), so no question takes them.
ACTION = "portal_action"
SAVE = "save"
CODE_FIELD = "draft_code"
FIELDS = (ACTION, CODE_FIELD)
# Wrong codes allowed per client before it must wait, as for the export token.
FAILURES_ALLOWED = "10/minute"
SEND_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
LANGUAGE = LANGUAGE_QUERY  # a GET's ``?language=``: the language of the page it came from


def offered(form: Form) -> bool:
    return bool(form.manifest.get("save_and_return"))


def without_fields(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A post's fields without the saving ones, for validation (they are not answers)."""
    return [(k, v) for k, v in fields if k not in FIELDS]


def posted_code(posted: dict[str, list[str]]) -> str | None:
    sent = (posted.get(CODE_FIELD) or [""])[0]
    return store.normalise(sent) if sent else None


def resume_path(form_id: str) -> str:
    return f"{urls.responses(form_id)}/resume"


def resume_query(code: str, language: str | None) -> str:
    """The resume link's query: the code and, for a page not in English, its language."""
    if language and not i18n.is_source(language):
        return f"?code={code}&{LANGUAGE}={language}"
    return f"?code={code}"


def base_url(request: Request, settings: EndpointSettings) -> str:
    """This endpoint's public address as the respondent reached it, for the emailed link."""
    scheme = "https" if is_https(request.scope, networks(settings.trusted_proxies)) else "http"
    return f"{scheme}://{request.headers.get('host') or request.url.netloc}"


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class Drafts:
    def __init__(self, settings: EndpointSettings, storage: Storage, pages: Pages) -> None:
        self.settings = settings
        self.storage = storage
        self.pages = pages
        self.failures = RateLimit(FAILURES_ALLOWED, settings.trusted_proxies, name="draft-code")

    # -- helpers ------------------------------------------------------------------------
    def _page(
        self,
        template: str,
        title: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        words: Words = ENGLISH,
        **context: Any,
    ) -> Response:
        html = self.pages.template(template, title, words, **context)
        return HTMLResponse(html, status_code=status, headers=headers)

    def _language(self, form: Form, sent: str) -> tuple[str, Words]:
        """The language the page named, as the form has it (its default if the form lacks
        it; '' for a form in one language), and the portal's words in it."""
        words = i18n.chosen(sent, self.settings.locale_dir)
        return languages.known(form.manifest, sent) or "", words

    def _shown(self, form: Form, language: str) -> dict[str, Any]:
        """The form with its words in ``language`` (its title, its page's address)."""
        return languages.in_language(form.manifest, language) if language else form.manifest

    def _posted_language(self, form: Form, posted: dict[str, list[str]]) -> tuple[str, Words]:
        return self._language(form, (posted.get(LANGUAGE_FIELD) or [""])[0])

    def _query_language(self, form: Form, request: Request) -> tuple[str, Words]:
        return self._language(form, request.query_params.get(LANGUAGE, ""))

    def _expires(self, form: Form, draft: store.Draft) -> datetime:
        """When the draft expires under the form as it is now: a closing date brought
        forward since it was saved counts; the stored one is what purge falls back on."""
        now_rule = store.expiry(
            draft.created_at, form.instant("closes"), int(form.manifest["retention_days"])
        )
        return min(now_rule, draft.expires_at)

    def _answers(self, form: Form, posted: dict[str, list[str]]) -> dict[str, list[str]]:
        """What to keep: the questions' fields only, as typed, empty ones left out."""
        ids = [q["id"] for q in form.manifest["questions"]]
        kept = {qid: [v for v in posted.get(qid, []) if v != ""] for qid in ids}
        return {qid: values for qid, values in kept.items() if values}

    # -- POST /responses/FORM with portal_action=save (from responses.post) --------------
    async def save(self, request: Request, form: Form, posted: dict[str, list[str]]) -> Response:
        language, _ = self._posted_language(form, posted)
        if not offered(form):
            return self._page(
                "message.html",
                _("This form cannot be saved to finish later"),
                404,
                words=_,
                paragraphs=[_("Go back to the form and send your response when it is complete.")],
            )
        answers = self._answers(form, posted)
        try:
            code, draft = await run_in_threadpool(
                store.save,
                self.storage,
                form.id,
                answers,
                form.instant("closes"),
                int(form.manifest["retention_days"]),
                posted_code(posted),
            )
        except Exception as error:  # the database failed: the form again, every answer kept
            log.error("could not save a draft of %s: %s", form.id, describe(error))
            return self._unsaved(request, form, posted)
        query = resume_query(code, _.language)
        link = f"{base_url(request, self.settings)}{resume_path(form.id)}{query}"
        expires = draft.expires_at.astimezone(form.timezone)
        if wants_json(request):
            body = {"ok": True, "code": code, "resume": link, "expires_at": expires.isoformat()}
            return JSONResponse(body)
        return self._saved(request, form, code, link, expires, language=language, words=_)

    def _saved(
        self,
        request: Request,
        form: Form,
        code: str,
        link: str,
        expires: datetime,
        sent_to: bool = False,
        error: str | None = None,
        email: str = "",
        status: int = 200,
        language: str = "",
        words: Words = ENGLISH,
    ) -> Response:
        _ = words
        return self._page(
            "saved.html",
            _("Your answers have been saved"),
            status,
            words=_,
            manifest=self._shown(form, language),
            code=code,
            link=link,
            expires=expires,
            mail=bool(
                getattr(request.app.state, "mail", None) and request.app.state.mail.configured
            ),
            email_action=f"{resume_path(form.id)}/email",
            send_id=secrets.token_urlsafe(18),
            sent=sent_to,
            error=error,
            email=email,
        )

    def _unsaved(self, request: Request, form: Form, posted: dict[str, list[str]]) -> Response:
        language, _ = self._posted_language(form, posted)
        errors = {
            FORM_ERROR: _(
                "We could not save your answers just now. They are still here: "
                "try again in a few minutes"
            )
        }
        values = {k: v for k, v in posted.items() if k not in ("submission_id", "website", ACTION)}
        html = self.pages.form_page(
            self._shown(form, language),
            values=values,
            errors=errors,
            submission_id=secrets.token_urlsafe(18),
            action=urls.responses(form.id),
            words=_,
        )
        return HTMLResponse(html, status_code=503)

    # -- after a response is stored (from responses.post) --------------------------------
    async def finished(self, form: Form, posted: dict[str, list[str]]) -> None:
        """The response is stored: its draft goes. A failure here costs nothing but a draft
        kept until it expires (and purge removes it), so it is logged, never shown."""
        code = posted_code(posted) if offered(form) else None
        if code is None:
            return
        try:
            await run_in_threadpool(store.remove, self.storage, form.id, code)
        except Exception as error:
            log.error("a finished draft of %s could not be deleted: %s", form.id, describe(error))

    # -- GET /responses/FORM/resume ------------------------------------------------------
    def _form(self, request: Request, words: Words) -> Form | Response:
        """The form named in the path if it offers saving, else the page to answer with."""
        responses: Responses = request.app.state.responses
        _ = words
        try:
            form = responses.manifests.get(request.path_params["form_id"])
        except ManifestUnreadable as error:
            log.error("saved answers cannot be shown: %s", error)
            return self._problem(
                request,
                503,
                Code.UNAVAILABLE,
                _("This page cannot be shown just now"),
                _("Your saved answers are safe. Try again in a few minutes."),
                words=_,
            )
        if not isinstance(form, Form) or not offered(form):
            return self._not_found(request, _)
        return form

    def _not_found(self, request: Request, _: Words) -> Response:
        responses: Responses = request.app.state.responses
        return responses.not_found(request, _)

    def _problem(
        self,
        request: Request,
        status: int,
        code: Code,
        title: str,
        *paragraphs: str,
        words: Words,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Responses.problem: one message page for every refusal of the endpoint's."""
        responses: Responses = request.app.state.responses
        return responses.problem(
            request, status, code, title, *paragraphs, words=words, headers=headers
        )

    async def resume(self, request: Request) -> Response:
        words = i18n.chosen(request.query_params.get(LANGUAGE, ""), self.settings.locale_dir)
        form = self._form(request, words)
        if not isinstance(form, Form):
            return form
        language, _ = self._query_language(form, request)
        manifest = self._shown(form, language)
        action = resume_path(form.id)
        typed = request.query_params.get("code")
        if typed is None:
            return self._page(
                "resume.html",
                _("Continue a saved response"),
                words=_,
                manifest=manifest,
                action=action,
                error=None,
                typed="",
            )
        wait = await self.failures.blocked(request)
        if wait is not None:
            return self._page(
                "message.html",
                _("Too many wrong codes"),
                429,
                headers={"Retry-After": str(wait)},
                words=_,
                paragraphs=[
                    _("Wait {wait} seconds, then type your resume code again.", wait=wait),
                    _("Your saved answers are safe: they are kept until the date we gave you."),
                ],
            )
        code = store.normalise(typed)
        draft = await run_in_threadpool(store.find, self.storage, form.id, code) if code else None
        if draft is None:
            if typed.strip():  # an empty box is a slip, not a guess
                await self.failures.count(request)
            error = (
                _("Enter your resume code")
                if not typed.strip()
                else _(
                    "We could not find saved answers with that code. Check the code and try again"
                )
            )
            return self._page(
                "resume.html",
                _("Error: {title}", title=_("Continue a saved response")),
                404 if typed.strip() else 400,
                words=_,
                manifest=manifest,
                action=action,
                error=error,
                typed=typed,
            )
        expires = self._expires(form, draft)
        closes = form.instant("closes")
        now = clock.now(form.timezone)
        if now >= expires or (closes is not None and now >= closes):
            return self._page(
                "resume_expired.html",
                _("Your saved answers have expired"),
                410,
                words=_,
                manifest=manifest,
                expires=expires.astimezone(form.timezone),
                closed=closes is not None and now >= closes,
            )
        assert code is not None
        html = self.pages.form_page(
            manifest,
            values={**draft.answers, CODE_FIELD: [code]},
            errors={},
            submission_id=secrets.token_urlsafe(18),
            action=urls.responses(form.id),
            words=_,
        )
        return HTMLResponse(html)

    # -- POST /responses/FORM/resume/email -----------------------------------------------
    async def email(self, request: Request) -> Response:
        """Email the resume link: one message through the outbox, queued in the same
        transaction as the draft is read again, to an address kept only until it is sent."""
        responses: Responses = request.app.state.responses
        # Read first, for the language of the page (its hidden field), so that every
        # refusal below is in it; what was read is used only once the checks pass.
        try:
            fields: list[tuple[str, str]] | None = await responses.read_fields(request)
        except Exception:
            fields = None
        posted: dict[str, list[str]] = {}
        for name, value in fields or []:
            posted.setdefault(name, []).append(value)
        sent = (posted.get(LANGUAGE_FIELD) or [""])[0]
        _ = i18n.chosen(sent, self.settings.locale_dir)
        form = self._form(request, _)
        if not isinstance(form, Form):
            return form
        language, _ = self._language(form, sent)
        if not csrf.allowed(request, self.settings.allowed_origins):
            return self._problem(
                request,
                403,
                Code.CROSS_SITE,
                _("Your request could not be sent"),
                _(
                    "It came from a page on another website. Go to the "
                    "consultation page on this website and save your answers there."
                ),
                words=_,
            )
        mail = getattr(request.app.state, "mail", None)
        if mail is None or not mail.configured:
            return self._not_found(request, _)
        if fields is None:
            return self._problem(
                request,
                400,
                Code.UNREADABLE,
                _("Your request could not be read"),
                _("Go back and try again."),
                words=_,
            )
        wait = await self.failures.blocked(request)
        if wait is not None:
            return self._problem(
                request,
                429,
                Code.RATE_LIMITED,
                _("Too many wrong codes"),
                _("Wait {wait} seconds, then try again.", wait=wait),
                words=_,
                headers={"Retry-After": str(wait)},
            )
        code = posted_code(posted)
        draft = await run_in_threadpool(store.find, self.storage, form.id, code) if code else None
        if code is None or draft is None:
            await self.failures.count(request)
            return self._problem(
                request,
                404,
                Code.NOT_FOUND,
                _("We could not find your saved answers"),
                _("Save your answers again from the form to get a new code."),
                words=_,
            )
        expires = self._expires(form, draft).astimezone(form.timezone)
        query = resume_query(code, _.language)
        link = f"{base_url(request, self.settings)}{resume_path(form.id)}{query}"
        address = (posted.get("email") or [""])[0].strip()
        if not email_ok(address):
            message = (
                _("Enter an email address in the correct format, like name@example.com")
                if address
                else _("Enter your email address")
            )
            return self._saved(
                request,
                form,
                code,
                link,
                expires,
                False,
                message,
                address,
                422,
                language=language,
                words=_,
            )
        # Each email counts against the posts' own limit: a code must not be a way to send
        # any number of emails to anyone.
        wait = await responses.limit.check(request)
        if wait is not None:
            return self._problem(
                request,
                429,
                Code.RATE_LIMITED,
                _("Too many requests from your connection"),
                _("Wait {wait} seconds, then ask for the email again.", wait=wait),
                words=_,
                headers={"Retry-After": str(wait)},
            )
        send_id = (posted.get("send_id") or [""])[0]
        if not SEND_ID.fullmatch(send_id):
            send_id = secrets.token_urlsafe(18)
        site = self.pages.site_name()
        manifest = self._shown(form, language)

        def queue(conn: Connection) -> None:
            # One message per page shown: a double click sends one email.
            enqueue(
                conn,
                f"resume:{draft.id}:{send_id}",
                RESUME,
                form.id,
                address,
                subject(manifest, _),
                body(manifest, code, link, expires, site, _),
            )

        try:
            await run_in_threadpool(self._in_transaction, queue)
        except Exception as error:
            log.error("could not queue a resume link for %s: %s", form.id, describe(error))
            unsent = _("We could not send the email just now. Write down your code, or try again")
            return self._saved(
                request,
                form,
                code,
                link,
                expires,
                False,
                unsent,
                address,
                503,
                language=language,
                words=_,
            )
        return self._saved(
            request, form, code, link, expires, sent_to=True, language=language, words=_
        )

    def _in_transaction(self, work: Any) -> None:
        with self.storage.engine.begin() as conn:
            work(conn)


def subject(manifest: dict[str, Any], _: Words = ENGLISH) -> str:
    # No code in the subject: the outbox keeps the subject after the body is cleared.
    return _("Your saved answers to {title}", title=manifest["title"])


def body(
    manifest: dict[str, Any],
    code: str,
    link: str,
    expires: datetime,
    site: str,
    _: Words = ENGLISH,
) -> str:
    lines = [
        _("You saved your answers to {title} to finish later.", title=manifest["title"]),
        "",
        _("To carry on, open this link:"),
        link,
        "",
        _("Or go to the consultation's page and type your resume code: {code}", code=code),
        "",
        _(
            "Your saved answers are kept until {time} on {date}. "
            "After that they are deleted and cannot be sent.",
            time=_.time(expires),
            date=_.date(expires),
        ),
        "",
        "--",
        _(
            "You asked for this email when you saved your answers. We have now deleted the "
            "address we sent it to."
        ),
    ]
    if site:
        lines.append(site)
    return "\n".join(lines) + "\n"


def _drafts(request: Request) -> Drafts:
    found: Drafts = request.app.state.responses.drafts
    return found


async def resume(request: Request) -> Response:
    return await _drafts(request).resume(request)


async def email(request: Request) -> Response:
    return await _drafts(request).email(request)


def routes() -> list[Route]:
    return [
        Route("/responses/{form_id}/resume", resume, methods=["GET"]),
        Route("/responses/{form_id}/resume/email", email, methods=["POST"]),
    ]
