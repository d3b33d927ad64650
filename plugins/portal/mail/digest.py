"""The daily digest: to each form's contact, how many new responses each of their forms had
that day, with a link to the staff area. Counts and links only: never an answer.

One message per contact address per day, whichever forms it names: its event key is
``digest:DAY:CONTACT`` (the address hashed, so the key itself names nobody), so running
the command again that day queues nothing more. A contact whose forms had no new response
that day gets no message; a form without a contact is left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from portal.mail.settings import MailSettings
from portal.storage import Storage, responses
from portal.storage.outbox import DIGEST, enqueue, utc


@dataclass(frozen=True)
class FormCount:
    form_id: str
    title: str
    new: int


@dataclass(frozen=True)
class Digest:
    contact: str
    day: date
    forms: tuple[FormCount, ...]

    @property
    def event_key(self) -> str:
        who = hashlib.sha256(self.contact.lower().encode("utf-8")).hexdigest()[:24]
        return f"digest:{self.day.isoformat()}:{who}"


def site_timezone(manifests: dict[str, dict[str, Any]]) -> tzinfo:
    """The portal's time zone, which every manifest carries; UTC if none says."""
    for manifest in manifests.values():
        try:
            return ZoneInfo(str(manifest.get("timezone") or "UTC"))
        except (ValueError, ZoneInfoNotFoundError):
            continue
    return ZoneInfo("UTC")


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The day from midnight to midnight in the portal's time zone, as UTC instants."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return utc(start), utc(end)


def digests(storage: Storage, manifests: dict[str, dict[str, Any]], day: date) -> list[Digest]:
    start, end = day_bounds(day, site_timezone(manifests))
    query = (
        select(responses.c.form_id, func.count())
        .where(responses.c.received_at >= start, responses.c.received_at < end)
        .group_by(responses.c.form_id)
    )
    with storage.engine.connect() as conn:
        counts = {str(form_id): int(n) for form_id, n in conn.execute(query)}
    by_contact: dict[str, list[FormCount]] = {}
    for form_id, manifest in sorted(manifests.items()):
        contact = str(manifest.get("contact_email") or "").strip()
        new = counts.get(form_id, 0)
        if contact and new:
            count = FormCount(form_id, str(manifest.get("title") or form_id), new)
            by_contact.setdefault(contact.lower(), []).append(count)
    return [Digest(contact, day, tuple(forms)) for contact, forms in sorted(by_contact.items())]


def subject(digest: Digest) -> str:
    total = sum(f.new for f in digest.forms)
    noun = "response" if total == 1 else "responses"
    return f"{total} new {noun} on {digest.day.day} {digest.day:%B %Y}"


def body(digest: Digest, staff_url: str | None) -> str:
    day = f"{digest.day.day} {digest.day:%B %Y}"
    lines = [f"New responses on {day}, to the forms you are the contact for:", ""]
    for form in digest.forms:
        noun = "new response" if form.new == 1 else "new responses"
        lines.append(f"{form.title}: {form.new} {noun}")
        if staff_url:
            lines.append(f"  {staff_url}forms/{form.form_id}")
        lines.append("")
    where = f"at {staff_url}" if staff_url else "in the portal's staff area"
    lines += [
        f"Read them {where}; sign in first. This email holds no answers, so that none are "
        "copied into mailboxes.",
        "",
        "--",
        "Sent every day that one of your forms has new responses.",
    ]
    return "\n".join(lines) + "\n"


def enqueue_digests(
    storage: Storage, settings: MailSettings, manifests: dict[str, dict[str, Any]], day: date
) -> tuple[int, int]:
    """Queue the day's digests: (queued now, already queued before)."""
    queued = before = 0
    found = digests(storage, manifests, day)
    with storage.engine.begin() as conn:
        for digest in found:
            form_id = digest.forms[0].form_id if len(digest.forms) == 1 else None
            made = enqueue(
                conn,
                digest.event_key,
                DIGEST,
                form_id,
                digest.contact,
                subject(digest),
                body(digest, settings.staff_url),
            )
            queued, before = (queued + 1, before) if made else (queued, before + 1)
    return queued, before
