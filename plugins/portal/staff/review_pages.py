"""Publication review in the browser: GET and POST /staff/forms/FORM/review, and the
decisions as a review file, GET /staff/forms/FORM/review.yml.

The answers listed are exactly those ``portal review`` lists (portal.exports.review's
``entries_from``: free text of respondents who agreed to publication). A decision is kept
in the database (storage.staff.review_decisions) and audited; it publishes nothing by
itself. Staff download the review file, commit it at consultations/SLUG/review.yml (or
merge it there with ``portal review FORM --from FILE``), and the public export and the
results read it from git as before. The staff area's own public export reads the decisions
here directly (export_pages.py).

Each decision is kept against the answer as it is stored now and matched to it again on
every read, so a decision can only ever publish the text it was made about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portal import clock
from portal.exports import export, review
from portal.staff import audit
from portal.staff.auth import Fields, area, first, posted, staff_only
from portal.staff.frame import message, page
from portal.staff.pages import find_form
from portal.storage import Storage
from portal.storage.staff import review_decisions

PAGE_SIZE = 20
CHOICES = (review.PUBLISH, review.WITHHOLD, review.REDACT)
# What each list shows; "undecided" first, as that is the work waiting.
SHOWS = {
    review.UNDECIDED: "Awaiting a decision",
    review.PUBLISH: "Published",
    review.REDACT: "Redacted",
    review.WITHHOLD: "Withheld",
    "all": "All",
}
DECISION_WORDS = {
    review.UNDECIDED: "Awaiting a decision",
    review.PUBLISH: "Publish as written",
    review.REDACT: "Publish a redacted text",
    review.WITHHOLD: "Withhold",
}
REDACTED_LIMIT = 10_000
NOTE_LIMIT = 2_000


@dataclass(frozen=True)
class Decision:
    decision: str
    redacted: str
    note: str
    who: str
    at: datetime


@dataclass(frozen=True)
class Item:
    """One answer on the page: its place in the whole list (for ids), the entry with the
    decision applied, the question's label and who decided."""

    number: int
    entry: review.Entry
    label: str
    decision: Decision | None


@dataclass(frozen=True)
class Typed:
    """What was posted for one answer, shown again when it is refused."""

    number: int
    decision: str
    redacted: str
    note: str
    error: str
    field: str


# The database ------------------------------------------------------------------------


def stored_decisions(storage: Storage, form_id: str) -> dict[tuple[str, str], Decision]:
    query = select(review_decisions).where(review_decisions.c.form_id == form_id)
    with storage.engine.connect() as conn:
        return {
            (r.reference, r.question): Decision(r.decision, r.redacted, r.note, r.who, r.at)
            for r in conn.execute(query)
        }


def save_decision(storage: Storage, form_id: str, entry: review.Entry, decision: Decision) -> None:
    key = (
        (review_decisions.c.form_id == form_id)
        & (review_decisions.c.reference == entry.reference)
        & (review_decisions.c.question == entry.question)
    )
    # Delete then insert in one transaction: the same on SQLite and PostgreSQL.
    with storage.engine.begin() as conn:
        conn.execute(delete(review_decisions).where(key))
        conn.execute(
            insert(review_decisions),
            {
                "form_id": form_id,
                "reference": entry.reference,
                "question": entry.question,
                "decision": decision.decision,
                "redacted": decision.redacted if decision.decision == review.REDACT else "",
                "note": decision.note,
                "who": decision.who,
                "at": decision.at,
            },
        )


def as_entries(
    entries: list[review.Entry], decisions: dict[tuple[str, str], Decision]
) -> dict[tuple[str, str], review.Entry]:
    """The decisions in portal.exports.review's terms, for review.decided."""
    found = {}
    for entry in entries:
        d = decisions.get((entry.reference, entry.question))
        if d is not None:
            found[(entry.reference, entry.question)] = review.Entry(
                entry.reference, entry.question, entry.answer, "", d.decision, d.redacted, d.note
            )
    return found


@dataclass(frozen=True)
class Reviewed:
    """A form's answers for review, with the staff area's decisions."""

    manifest: dict[str, Any]
    entries: list[review.Entry]  # as entries_from gives them, decisions applied
    decisions: dict[tuple[str, str], Decision]


def reviewed(storage: Storage, site_dir: Path, manifest: dict[str, Any]) -> Reviewed:
    """Raises ExportError when the responses cannot be read as the current form."""
    rows = export.current_rows(storage, site_dir, manifest)
    entries = review.entries_from(manifest, rows)
    decisions = stored_decisions(storage, manifest["id"])
    merged = review.decided(manifest["id"], entries, as_entries(entries, decisions)).entries
    return Reviewed(manifest, merged, decisions)


# Pages --------------------------------------------------------------------------------


def form_manifest(request: Request) -> dict[str, Any] | Response:
    """The manifest of the form named in the address, or the page that says there is none."""
    form = find_form(request)
    return form if isinstance(form, Response) else form.manifest


async def _load(request: Request) -> Reviewed | Response:
    manifest = form_manifest(request)
    if isinstance(manifest, Response):
        return manifest
    if (problem := review.unreviewable(manifest)) is not None:
        return message(request, 404, "Nothing to review", problem[0].upper() + problem[1:] + ".")
    staff = area(request)
    try:
        return await run_in_threadpool(reviewed, staff.storage, staff.settings.site_dir, manifest)
    except export.ExportError as error:
        return message(
            request,
            409,
            "The responses cannot be read as the form is now",
            str(error),
            "Fix the form as this says and rebuild the site; no decision was lost.",
        )


def _show(value: str) -> str:
    return value if value in SHOWS else review.UNDECIDED


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def _address(form_id: str, show: str, number: int, **more: str) -> str:
    query = {"show": show, **({"page": str(number)} if number > 1 else {}), **more}
    return f"/staff/forms/{form_id}/review?{urlencode(query)}"


def _render(
    request: Request,
    found: Reviewed,
    show: str,
    number: int,
    *,
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    manifest = found.manifest
    labels = {q["id"]: " ".join(str(q["label"]).split()) for q in manifest["questions"]}
    items = [
        Item(
            n, e, labels.get(e.question, e.question), found.decisions.get((e.reference, e.question))
        )
        for n, e in enumerate(found.entries, start=1)
    ]
    counts = {key: sum(i.entry.decision == key for i in items) for key in SHOWS}
    counts["all"] = len(items)
    if show == "all":  # undecided first: the work waiting
        chosen = sorted(items, key=lambda i: i.entry.decision != review.UNDECIDED)
    else:
        chosen = [i for i in items if i.entry.decision == show]
    if typed is not None:  # the refused answer stays on the page whatever its filter
        chosen = [i for i in items if i.number == typed.number]
        number = 1
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    number = min(number, pages)
    shown = chosen[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    form_id = manifest["id"]
    saved = None
    key = request.query_params.get("saved", "")
    if typed is None and key:
        saved = next((i for i in items if f"{i.entry.reference} {i.entry.question}" == key), None)
    title = f"Review answers for publication: {manifest['title']}"
    return page(
        request,
        f"Error: {title}" if typed is not None else title,
        "review.html",
        status=status,
        manifest=manifest,
        form_id=form_id,
        items=shown,
        total=len(chosen),
        show=show,
        shows=SHOWS,
        counts=counts,
        words=DECISION_WORDS,
        number=number,
        pages=pages,
        previous=_address(form_id, show, number - 1) if number > 1 else None,
        next=_address(form_id, show, number + 1) if number < pages else None,
        filter_links={key: _address(form_id, key, 1) for key in SHOWS},
        typed=typed,
        saved=saved,
        action=f"/staff/forms/{form_id}/review",
        download=f"/staff/forms/{form_id}/review.yml",
        slug=review.consultation_slug(manifest),
        when=lambda at: _when(at, manifest),
    )


def _when(at: datetime, manifest: dict[str, Any]) -> str:
    """A stored time in the form's time zone, as people write it."""
    moment = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    local = moment.astimezone(ZoneInfo(str(manifest.get("timezone") or "UTC")))
    return f"{local.day} {local:%B %Y at %H:%M %Z}"


@staff_only
async def review_page(request: Request) -> Response:
    found = await _load(request)
    if isinstance(found, Response):
        return found
    query = request.query_params
    return _render(
        request, found, _show(query.get("show", "")), _page_number(query.get("page", ""))
    )


def _refusal(fields: Fields, number: int, decision: str) -> tuple[str, str] | None:
    """(error, field id) for a decision that cannot be saved as posted, else None."""
    redacted, note = first(fields, "redacted"), first(fields, "note")
    if decision not in CHOICES:
        return "Choose publish, withhold or redact", f"decision-{number}"
    if decision == review.REDACT and not redacted.strip():
        return (
            "Enter the text to publish instead, with the personal details taken out, "
            "or choose withhold",
            f"redacted-{number}",
        )
    if len(redacted) > REDACTED_LIMIT:
        return (
            f"The text to publish has {len(redacted):,} characters; shorten it to "
            f"{REDACTED_LIMIT:,} or fewer",
            f"redacted-{number}",
        )
    if len(note) > NOTE_LIMIT:
        return (
            f"The note has {len(note):,} characters; shorten it to {NOTE_LIMIT:,} or fewer",
            f"note-{number}",
        )
    return None


@staff_only
async def decide(request: Request) -> Response:
    fields = await posted(request)
    if not isinstance(fields, dict):
        return fields
    found = await _load(request)
    if isinstance(found, Response):
        return found
    reference, question = first(fields, "reference"), first(fields, "question")
    show, number = _show(first(fields, "show")), _page_number(first(fields, "page"))
    place = next(
        (
            (n, e)
            for n, e in enumerate(found.entries, start=1)
            if (e.reference, e.question) == (reference, question)
        ),
        None,
    )
    form_id = found.manifest["id"]
    if place is None:
        kept = [first(fields, "redacted"), first(fields, "note")]
        return message(
            request,
            404,
            "This answer is not waiting for review",
            f"There is no answer of {reference or 'that respondent'} to '{question}' among "
            "the answers of respondents who agreed to publication: it may have been removed "
            "when its retention period ended. Nothing was saved.",
            *(f"What you typed: {text}" for text in kept if text.strip()),
        )
    n, entry = place
    decision = first(fields, "decision")
    refused = _refusal(fields, n, decision)
    if refused is not None:
        error, field = refused
        typed = Typed(n, decision, first(fields, "redacted"), first(fields, "note"), error, field)
        return _render(request, found, show, number, typed=typed, status=422)
    who: str = request.state.staff
    staff = area(request)
    made = Decision(
        decision,
        first(fields, "redacted") if decision == review.REDACT else "",
        first(fields, "note").strip(),
        who,
        clock.now().astimezone(UTC),
    )
    await run_in_threadpool(save_decision, staff.storage, form_id, entry, made)
    await run_in_threadpool(
        audit.record,
        staff.storage,
        who,
        audit.REVIEW,
        form_id=form_id,
        detail=f"{reference} {question}: {decision}",
    )
    saved = f"{reference} {question}"
    return RedirectResponse(_address(form_id, show, number, saved=saved), status_code=303)


@staff_only
async def review_file(request: Request) -> Response:
    found = await _load(request)
    if isinstance(found, Response):
        return found
    staff = area(request)
    text = review.render(found.manifest, found.entries)
    await run_in_threadpool(
        audit.record,
        staff.storage,
        request.state.staff,
        audit.EXPORT,
        form_id=found.manifest["id"],
        detail="review.yml",
    )
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="review.yml"',
            "Cache-Control": "no-store",
        },
    )


def routes() -> list[Route]:
    return [
        Route("/staff/forms/{form_id}/review", review_page, methods=["GET"]),
        Route("/staff/forms/{form_id}/review", decide, methods=["POST"]),
        Route("/staff/forms/{form_id}/review.yml", review_file, methods=["GET"]),
    ]
