"""What staff see of the forms and their responses.

/staff/                                   every form: responses today, this week, in all
/staff/forms/FORM                         responses per day and a summary of each question
/staff/forms/FORM/responses               the responses, newest first, with a search
/staff/forms/FORM/responses/REFERENCE     one response, its personal details on request,
                                          and the themes its free-text answers are tagged with
/staff/count.json, /staff/forms/FORM/count.json   what the watching script polls
/staff/assets/NAME                        the staff area's own CSS and JavaScript

Figures come from the database (queries.py); pages only arrange them. Times are shown in
the form's own time zone, as the public page shows its dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from portal import clock
from portal.endpoint.manifests import Form, ManifestUnreadable
from portal.forms import versions
from portal.forms.manifests import ManifestError
from portal.render import human_date, human_time
from portal.staff import audit, chart, queries
from portal.staff.auth import area, staff_only
from portal.staff.frame import NO_STORE, message, page
from portal.storage import Storage

ENGINE_ASSETS = Path(__file__).resolve().parents[1] / "theme" / "assets" / "staff"
ASSETS = {"staff.css": "text/css; charset=utf-8", "staff.js": "text/javascript; charset=utf-8"}
EXCERPT = 140


# -- reading forms -----------------------------------------------------------------------


def site_forms(request: Request) -> tuple[list[Form], list[str]]:
    """Every form of the built site, by title, and the ids of any that cannot be read
    (a half-written or stale manifest): the page lists the others and names those."""
    manifests = request.app.state.responses.manifests
    folder = manifests.folder
    ids = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
    found: list[Form] = []
    unreadable: list[str] = []
    for form_id in ids:
        try:
            form = manifests.get(form_id)
        except ManifestUnreadable:
            unreadable.append(form_id)
            continue
        if form is not None:
            found.append(form)
    return sorted(found, key=lambda f: str(f.manifest["title"]).casefold()), unreadable


def find_form(request: Request) -> Form | Response:
    """The form the address names, or the page saying there is none."""
    form_id = request.path_params["form_id"]
    try:
        form: Form | None = request.app.state.responses.manifests.get(form_id)
    except ManifestUnreadable:
        return message(
            request,
            503,
            "This form cannot be read",
            "Its file in the built site cannot be read. Rebuild the site, then try again.",
        )
    if form is None:
        return message(
            request,
            404,
            "There is no such form",
            f"The built site has no form called '{form_id}'. Choose one from the list of forms.",
        )
    return form


def renames_of(request: Request, form: Form) -> versions.Renames:
    """Where the form's old question ids and option values went, from its kept versions."""
    site_dir = area(request).settings.site_dir
    try:
        known = versions.published(site_dir, form.id)
    except (OSError, ManifestError):
        known = {}  # figures by the current form alone; the export says what is wrong
    return versions.Renames.of(form.manifest, known.values())


def storage_of(request: Request) -> Storage:
    return area(request).storage


# -- words for times and states ----------------------------------------------------------


def when(moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{human_date(local)}, {human_time(local)}"


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def day_words(day: date) -> str:
    """'1 December 2026', as human_date writes a moment."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Status:
    key: str  # open, closed, forthcoming
    label: str
    detail: str


def status(form: Form, now: datetime) -> Status:
    tz = form.timezone
    opens, closes = form.instant("opens"), form.instant("closes")
    if opens is not None and now < opens:
        return Status("forthcoming", "Not open yet", f"Opens {when(opens, tz)}")
    if closes is not None and now >= closes:
        return Status("closed", "Closed", f"Closed {when(closes, tz)}")
    return Status("open", "Open", f"Closes {when(closes, tz)}" if closes else "No closing date")


def day_and_week(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The start of today and of this week (Monday) in ``tz``, as aware instants."""
    local = now.astimezone(tz)
    today = datetime.combine(local.date(), time(0), tz)
    week = datetime.combine(local.date() - timedelta(days=local.weekday()), time(0), tz)
    return today, week


# -- the dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    status: Status
    total: int
    today: int
    week: int
    last: str
    last_iso: str


def cards(storage: Storage, forms: list[Form]) -> list[Card]:
    now = clock.now()
    # Today and this week depend on the time zone: one query per zone the forms use.
    zones: dict[str, list[Form]] = {}
    for form in forms:
        zones.setdefault(str(form.manifest.get("timezone") or "UTC"), []).append(form)
    found: dict[str, queries.Counts] = {}
    for group in zones.values():
        today, week = day_and_week(now, group[0].timezone)
        found.update(queries.counts(storage, [f.id for f in group], today, week))
    return [
        Card(
            id=f.id,
            title=str(f.manifest["title"]),
            status=status(f, now),
            total=found[f.id].total,
            today=found[f.id].today,
            week=found[f.id].week,
            last=when(found[f.id].last, f.timezone),
            last_iso=iso(found[f.id].last),
        )
        for f in forms
    ]


@staff_only
async def dashboard(request: Request) -> Response:
    forms, unreadable = site_forms(request)
    storage = storage_of(request)
    found = await run_in_threadpool(cards, storage, forms)
    latest = await run_in_threadpool(queries.latest, storage)
    return page(
        request,
        "Forms and responses",
        "dashboard.html",
        cards=found,
        total=latest.total,
        unreadable=unreadable,
    )


@staff_only
async def all_count(request: Request) -> Response:
    latest = await run_in_threadpool(queries.latest, storage_of(request))
    return JSONResponse({"total": latest.total, "newest": latest.newest_id}, headers=NO_STORE)


@staff_only
async def form_count(request: Request) -> Response:
    form = find_form(request)
    if isinstance(form, Response):
        return JSONResponse({"error": "no such form"}, status_code=404, headers=NO_STORE)
    latest = await run_in_threadpool(queries.latest, storage_of(request), form.id)
    return JSONResponse(
        {"form_id": form.id, "total": latest.total, "newest": latest.newest_id},
        headers=NO_STORE,
    )


# -- one form ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormFigures:
    counts: queries.Counts
    days: list[queries.Day]
    summaries: list[queries.Summary]
    themes: list[queries.ThemeCount]


def figures(storage: Storage, form: Form, renames: versions.Renames) -> FormFigures:
    today, week = day_and_week(clock.now(), form.timezone)
    summary = queries.summarise(storage, form.manifest, renames)
    last = queries.last_received(storage, form.id)
    return FormFigures(
        counts=queries.counts_of(form.id, summary.quarters, today, week, last),
        days=queries.days_of(summary.quarters, form.timezone),
        summaries=summary.questions,
        themes=queries.theme_counts(storage, form.id, form.manifest.get("codebook") or []),
    )


def percent(part: int, whole: int) -> str:
    if whole == 0:
        return "0%"
    value = 100 * part / whole
    return f"{value:.0f}%" if value >= 1 or value == 0 else "less than 1%"


def figure(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


@staff_only
async def form_page(request: Request) -> Response:
    form = find_form(request)
    if isinstance(form, Response):
        return form
    storage = storage_of(request)
    found = await run_in_threadpool(figures, storage, form, renames_of(request, form))
    days = [d for d in found.days if d.count]
    svg = chart.bars(
        found.days,
        title_id="per-day-title",
        desc_id="per-day-desc",
        title=f"Responses per day to {form.manifest['title']}",
        desc=f"A bar for each day from {day_words(found.days[0].day)} to "
        f"{day_words(found.days[-1].day)}; the table below gives the same figures."
        if found.days
        else "No responses yet.",
    )
    return page(
        request,
        str(form.manifest["title"]),
        "form.html",
        form=form.manifest,
        form_id=form.id,
        state=status(form, clock.now()),
        counts=found.counts,
        last=when(found.counts.last, form.timezone),
        chart=svg if found.days else "",
        days=days,
        summaries=found.summaries,
        themes=found.themes,
        percent=percent,
        figure=figure,
        day_words=day_words,
    )


# -- the list ----------------------------------------------------------------------------


def searched_keys(manifest: dict[str, Any], renames: versions.Renames) -> list[str]:
    """The ids whose answers a search reads: free text that is not personal."""
    keys = queries.stored_keys(manifest, renames)
    return [
        key
        for q in manifest["questions"]
        if q["type"] in queries.FREE_TEXT and not q.get("personal")
        for key in keys[q["id"]]
    ]


def excerpt(answers: dict[str, Any], keys: list[str]) -> str:
    for key in keys:
        value = answers.get(key)
        if isinstance(value, str) and value.strip():
            words = " ".join(value.split())
            return words if len(words) <= EXCERPT else words[: EXCERPT - 1].rstrip() + "…"
    return ""


@dataclass(frozen=True)
class Line:
    reference: str
    received: str
    received_iso: str
    excerpt: str
    tags: list[str]


@staff_only
async def list_page(request: Request) -> Response:
    form = find_form(request)
    if isinstance(form, Response):
        return form
    # Not ?q=: Material opens its own site search for a ?q= in the address.
    search = request.query_params.get("search", "").strip()[:200]
    theme = request.query_params.get("theme", "").strip()[:200]
    raw_before = request.query_params.get("before", "")
    before = int(raw_before) if raw_before.isdigit() else None
    keys = searched_keys(form.manifest, renames_of(request, form))
    storage = storage_of(request)
    found = await run_in_threadpool(
        lambda: queries.listing(
            storage, form.id, before=before, search=search, searched=keys, theme=theme
        )
    )
    refs = [r.reference for r in found.rows]
    tags = await run_in_threadpool(queries.tags, storage, form.id, refs)
    by_ref: dict[str, list[str]] = {}
    for tag in tags:
        themes = by_ref.setdefault(tag.reference, [])
        if tag.theme not in themes:
            themes.append(tag.theme)
    lines = [
        Line(
            r.reference,
            when(r.received_at, form.timezone),
            r.received_at.isoformat(),
            excerpt(r.answers, keys),
            by_ref.get(r.reference, []),
        )
        for r in found.rows
    ]
    base = f"/staff/forms/{form.id}/responses"
    kept = {k: v for k, v in (("search", search), ("theme", theme)) if v}
    older = None
    if found.older is not None:
        older = f"{base}?{urlencode({**kept, 'before': found.older})}"
    newest = f"{base}?{urlencode(kept)}" if kept else base
    total = (await run_in_threadpool(queries.latest, storage, form.id)).total
    title = f"Responses to {form.manifest['title']}"
    return page(
        request,
        title,
        "responses.html",
        form=form.manifest,
        form_id=form.id,
        lines=lines,
        search=search,
        theme=theme,
        searchable=bool(keys),
        older=older,
        newest=newest if before is not None else None,
        total=total,
    )


# -- one response ------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    type: str
    personal: bool
    shown: str  # the answer as words ("" when not answered)
    items: list[str]  # a checkboxes answer's chosen options
    taggable: bool
    tags: list[queries.Tag]
    free_themes: list[str]  # codebook themes not yet on this answer


def words(q: dict[str, Any], value: Any) -> tuple[str, list[str]]:
    """A stored answer as a person reads it: option labels, Yes or No, the text itself."""
    labels = {str(o["value"]): str(o["label"]) for o in q.get("options") or []}
    if value is None or value == "" or value == []:
        return "", []
    if q["type"] == "checkboxes" and isinstance(value, list):
        items = [labels.get(str(v), str(v)) for v in value]
        return ", ".join(items), items
    if q["type"] == "consent":
        return ("Yes" if value is True else "No"), []
    if q["type"] in ("radio", "select"):
        return labels.get(str(value), str(value)), []
    if q["type"] == "scale":
        ends = [
            f"{q.get(end)} ({q[label]})" if q.get(label) else str(q.get(end))
            for end, label in (("min", "min_label"), ("max", "max_label"))
        ]
        return f"{value}, on a scale from {ends[0]} to {ends[1]}", []
    if q["type"] == "date":
        try:
            return human_date(datetime.fromisoformat(str(value))), []
        except ValueError:
            return str(value), []
    return str(value), []


def taggable(q: dict[str, Any]) -> bool:
    """Free-text answers that are not personal details are what a codebook codes."""
    return q["type"] in queries.FREE_TEXT and not q.get("personal")


def answers_of(
    form: Form, row: queries.Row, renames: versions.Renames, tags: list[queries.Tag]
) -> tuple[list[Answer], dict[str, Any]]:
    """Each question with its answer (in the current form's words), and what the response
    answered that the current form has no question for (shown as stored)."""
    current, _unmapped = renames.translate(row.answers)
    known = {q["id"] for q in form.manifest["questions"]}
    leftover = {
        k: v
        for k, v in row.answers.items()
        if renames.question(k) is None and k not in known and v not in (None, "", [])
    }
    codebook = [str(t) for t in form.manifest.get("codebook") or []]
    out = []
    for q in form.manifest["questions"]:
        shown, items = words(q, current.get(q["id"]))
        own = [t for t in tags if t.question == q["id"]]
        have = {t.theme for t in own}
        out.append(
            Answer(
                id=q["id"],
                label=str(q["label"]),
                type=q["type"],
                personal=bool(q.get("personal")),
                shown=shown,
                items=items,
                taggable=taggable(q) and bool(shown),
                tags=own,
                free_themes=[t for t in codebook if t not in have],
            )
        )
    return out, leftover


def response_url(form_id: str, reference: str) -> str:
    return f"/staff/forms/{form_id}/responses/{reference}"


async def show_response(
    request: Request,
    form: Form,
    row: queries.Row,
    *,
    personal: bool = False,
    error: str = "",
    error_question: str = "",
    status_code: int = 200,
) -> Response:
    storage = storage_of(request)
    tags = await run_in_threadpool(queries.tags, storage, form.id, [row.reference])
    answers, leftover = answers_of(form, row, renames_of(request, form), tags)
    title = f"Response {row.reference}"
    return page(
        request,
        f"Error: {title}" if error else title,
        "response.html",
        status=status_code,
        form=form.manifest,
        form_id=form.id,
        row=row,
        received=when(row.received_at, form.timezone),
        answers=answers,
        leftover=leftover,
        personal=personal,
        has_personal=any(a.personal for a in answers),
        codebook=form.manifest.get("codebook") or [],
        error=error,
        error_question=error_question,
        url=response_url(form.id, row.reference),
        when=lambda m: when(m, form.timezone),
    )


async def find_response(request: Request, form: Form) -> queries.Row | Response:
    reference = request.path_params["reference"]
    row = await run_in_threadpool(queries.one, storage_of(request), form.id, reference[:16])
    if row is None:
        return message(
            request,
            404,
            "There is no such response",
            f"No response to this form has the reference '{reference[:16]}'. Check the "
            "reference, or find the response in the list.",
        )
    return row


@staff_only
async def response_page(request: Request) -> Response:
    form = find_form(request)
    if isinstance(form, Response):
        return form
    row = await find_response(request, form)
    if isinstance(row, Response):
        return row
    personal = request.query_params.get("personal") == "1"
    if personal:
        # Every view of someone's name, email address or postcode is in the audit log.
        await run_in_threadpool(
            audit.record,
            storage_of(request),
            request.state.staff,
            audit.VIEW_PERSONAL,
            form_id=form.id,
            detail=row.reference,
        )
    return await show_response(request, form, row, personal=personal)


# -- assets ------------------------------------------------------------------------------


async def asset(request: Request) -> Response:
    """The staff area's CSS and JavaScript; the portal's theme may replace either."""
    name = request.path_params["name"]
    if name not in ASSETS or not area(request).enabled:
        return Response("Not found", status_code=404, media_type="text/plain")
    own = area(request).settings.theme_dir / "assets" / "staff" / name
    path = own if own.is_file() else ENGINE_ASSETS / name
    return FileResponse(path, media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})


def routes() -> list[Route]:
    from portal.staff import tagging  # it shows the response page again on a refusal

    return [
        Route("/staff/", dashboard, methods=["GET"]),
        Route("/staff/count.json", all_count, methods=["GET"]),
        Route("/staff/assets/{name}", asset, methods=["GET"]),
        Route("/staff/forms/{form_id}", form_page, methods=["GET"]),
        Route("/staff/forms/{form_id}/count.json", form_count, methods=["GET"]),
        Route("/staff/forms/{form_id}/responses", list_page, methods=["GET"]),
        Route("/staff/forms/{form_id}/responses/{reference}", response_page, methods=["GET"]),
        *tagging.routes(),
    ]
