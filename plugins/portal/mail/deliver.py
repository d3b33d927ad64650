"""Sending what the outbox holds: claim, send, mark; on failure, try again later, for ever.

Claiming is one UPDATE per message, ``... SET claimed_until = lease WHERE id = ? AND
sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now)``: only one of two
senders (two endpoint workers, or a worker and ``portal mail send``) changes the row, and
only that one sends it. A sender that dies mid-send leaves a claim that lapses after
``LEASE``, and the message is sent then (at least once: SMTP cannot be in a transaction).

The schedule (``next_attempt_at``, ``claimed_until``) is in real time, not portal.clock:
PORTAL_NOW pins one frozen moment for a preview or a test, and a retry due "five minutes
after now" would never come while now stands still; the lease would never lapse either.
The stamps (``created_at``, ``sent_at``) come from portal.clock like every other stamp,
so "sent today" and retention agree with the rest of the portal.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from sqlalchemy import or_, select, update

from portal import clock
from portal.mail.settings import MailSettings
from portal.storage import Storage
from portal.storage.outbox import PERSONAL_KINDS, outbox, real_now, utc

log = logging.getLogger("portal.mail")
# Waits after the 1st, 2nd, 3rd and 4th failure; every later one waits the last. Never
# given up: a message is kept until it is sent, and the staff page shows it as failing.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
# Longer than a message can take to send (every SMTP step has TIMEOUT seconds).
LEASE = timedelta(minutes=10)
TIMEOUT = 30
# Messages one run sends at most, so a backlog is sent in turns and a run ends.
RUN_LIMIT = 200
# An address in a server's reply ("550 <jo@example.org> unknown") is not kept.
ADDRESS = re.compile(r"[^\s<>@\"']+@[^\s<>@\"']+")


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    recipient: str
    subject: str
    body: str
    attempts: int
    unsubscribe_url: str | None = None


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure in a row."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def safe_error(error: BaseException) -> str:
    """What went wrong, for the staff page: no password, no message, no address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        code, text = replies[0] if replies else (0, b"")
        what = f"the mail server refused the recipient: {code} {_text(text)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        what = f"the mail server answered {error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPException):
        what = f"{type(error).__name__}: {error}"
    elif isinstance(error, ssl.SSLError):
        what = f"TLS failed: {error.reason or type(error).__name__}"
    elif isinstance(error, OSError):
        what = f"cannot reach the mail server: {error.strerror or type(error).__name__}"
    else:
        what = f"{type(error).__name__}"
    return ADDRESS.sub("[address]", what)[:500]


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


class Connection:
    """One SMTP session for a run, opened at the first message; after a failure to reach
    the server, the rest of the run fails with the same error instead of waiting again."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.broken: BaseException | None = None

    def open(self) -> smtplib.SMTP:
        s = self.settings
        assert s.host is not None
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
            if s.security == "starttls":
                smtp.starttls(context=context)
        if s.user and s.password:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.broken is not None:
            raise self.broken
        try:
            if self.smtp is None:
                self.smtp = self.open()
            self.smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
            raise  # this message's fault; the session can go on with the next
        except (OSError, smtplib.SMTPException) as error:
            self.broken = error
            self.close()
            raise

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def email_message(settings: MailSettings, claimed: Claimed) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = claimed.recipient
    message["Subject"] = claimed.subject
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    # An automatic message (RFC 3834): no out-of-office replies to it.
    message["Auto-Submitted"] = "auto-generated"
    if claimed.unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail apps POST to the address themselves.
        message["List-Unsubscribe"] = f"<{claimed.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(claimed.body)
    return message


def claim_next(storage: Storage) -> Claimed | None:
    """The oldest due message, claimed for this sender, or None when none is due."""
    while True:
        now = real_now()
        free = or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now)
        due = (outbox.c.sent_at.is_(None)) & (outbox.c.next_attempt_at <= now) & free
        with storage.engine.begin() as conn:
            row_id = conn.execute(
                select(outbox.c.id).where(due).order_by(outbox.c.next_attempt_at, outbox.c.id)
            ).scalar()
            if row_id is None:
                return None
            taken = conn.execute(
                update(outbox).where(outbox.c.id == row_id, due).values(claimed_until=now + LEASE)
            ).rowcount
            if not taken:
                continue  # another sender claimed it first: look for the next one
            row = conn.execute(select(outbox).where(outbox.c.id == row_id)).one()
        return Claimed(
            row.id,
            row.kind,
            row.recipient or "",
            row.subject,
            row.body or "",
            row.attempts,
            row.unsubscribe_url,
        )


def mark_sent(storage: Storage, claimed: Claimed) -> None:
    values: dict[str, object] = {
        "sent_at": utc(clock.now()),
        "claimed_until": None,
        "last_error": None,
    }
    if claimed.kind in PERSONAL_KINDS:
        # The address (and a copy's answers) were kept only to send this message.
        values.update(recipient=None, body=None, unsubscribe_url=None)
    with storage.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == claimed.id).values(**values))


def mark_failed(storage: Storage, claimed: Claimed, error: str) -> None:
    attempts = claimed.attempts + 1
    with storage.engine.begin() as conn:
        conn.execute(
            update(outbox)
            .where(outbox.c.id == claimed.id)
            .values(
                attempts=attempts,
                last_error=error,
                next_attempt_at=real_now() + backoff(attempts),
                claimed_until=None,
            )
        )


def run(storage: Storage, settings: MailSettings, stop: threading.Event | None = None) -> Outcome:
    """Send every due message (up to RUN_LIMIT); what was sent and what failed."""
    outcome = Outcome()
    if not settings.configured:
        return outcome
    connection = Connection(settings)
    try:
        while outcome.sent + outcome.failed < RUN_LIMIT and not (stop and stop.is_set()):
            claimed = claim_next(storage)
            if claimed is None:
                break
            try:
                connection.send(email_message(settings, claimed))
            except Exception as error:  # any failure is kept on the message, tried again
                reason = safe_error(error)
                mark_failed(storage, claimed, reason)
                outcome.failed += 1
                if reason not in outcome.errors:
                    outcome.errors.append(reason)
                log.warning(
                    "an email (%s, outbox %d) was not sent: %s", claimed.kind, claimed.id, reason
                )
                continue
            mark_sent(storage, claimed)
            outcome.sent += 1
    finally:
        connection.close()
    return outcome


def retry_now(storage: Storage) -> int:
    """Make every failing message due now (the mail server is back): how many."""
    with storage.engine.begin() as conn:
        return int(
            conn.execute(
                update(outbox)
                .where(outbox.c.sent_at.is_(None), outbox.c.attempts > 0)
                .values(next_attempt_at=real_now())
            ).rowcount
        )
