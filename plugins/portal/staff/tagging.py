"""Tagging free-text answers with themes from the form's codebook (POST, then back).

A form's ``codebook:`` (front matter) lists the themes staff code answers with; a theme
not in it is refused, so the counts on the form's page add up to the codebook's themes and
nothing typed by hand drifts into a new spelling. Each tag and untag is in the audit log;
the tag names the theme and the question, never the answer.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portal import clock
from portal.staff import audit, queries
from portal.staff.auth import first, posted, staff_only
from portal.staff.frame import message
from portal.staff.pages import (
    find_form,
    find_response,
    response_url,
    show_response,
    storage_of,
    taggable,
)


@staff_only
async def change_tags(request: Request) -> Response:
    form = find_form(request)
    if isinstance(form, Response):
        return form
    row = await find_response(request, form)
    if isinstance(row, Response):
        return row
    fields = await posted(request)
    if not isinstance(fields, dict):
        return fields
    action, question = first(fields, "action"), first(fields, "question")
    theme = first(fields, "theme").strip()
    asked = {q["id"]: q for q in form.manifest["questions"]}
    if question not in asked or not taggable(asked[question]):
        return message(
            request,
            400,
            "This answer cannot be tagged",
            "Only the free-text answers of a response can be tagged. Go back to the "
            "response and choose a theme beside one of them.",
        )
    codebook = [str(t) for t in form.manifest.get("codebook") or []]
    storage = storage_of(request)
    who = request.state.staff
    if action == "remove":
        removed = await run_in_threadpool(
            queries.remove_tag, storage, form.id, row.reference, question, theme
        )
        if removed:
            await run_in_threadpool(
                audit.record,
                storage,
                who,
                audit.UNTAG,
                form_id=form.id,
                detail=f"{row.reference} {question}: {theme}",
            )
    elif not theme or theme not in codebook:
        error = (
            "Choose a theme to add"
            if not theme
            else f"'{theme[:80]}' is not a theme in this form's codebook: choose one of "
            + ", ".join(codebook)
            if codebook
            else f"'{theme[:80]}' is not a theme: this form has no codebook"
        )
        return await show_response(
            request, form, row, error=error, error_question=question, status_code=422
        )
    else:
        added = await run_in_threadpool(
            queries.add_tag, storage, form.id, row.reference, question, theme, who, clock.now()
        )
        if added:
            await run_in_threadpool(
                audit.record,
                storage,
                who,
                audit.TAG,
                form_id=form.id,
                detail=f"{row.reference} {question}: {theme}",
            )
    return RedirectResponse(
        response_url(form.id, row.reference) + f"#answer-{question}", status_code=303
    )


def routes() -> list[Route]:
    return [
        Route("/staff/forms/{form_id}/responses/{reference}/tags", change_tags, methods=["POST"])
    ]
