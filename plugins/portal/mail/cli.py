"""``portal mail send|digest|status``: the outbox from the command line.

``send`` delivers what is due (the endpoint's background sender does the same every
PORTAL_MAIL_INTERVAL seconds; their claims keep them from sending a message twice);
``digest`` queues each contact's digest of a day's new responses (portal-mail-digest.timer
runs it every morning, then ``send``); ``status`` says what waits and what is failing.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from portal import clock
from portal.endpoint.config import SettingsError
from portal.exports.export import ExportError, load_manifests
from portal.mail import deliver, digest, status
from portal.mail.settings import MailSettings
from portal.storage import Storage, StorageError
from portal.storage.database import configured_url

NOT_CONFIGURED = (
    "mail is not configured: set PORTAL_SMTP_HOST, PORTAL_MAIL_FROM and the other mail "
    "settings of the endpoint (deploy/endpoint.env.example); messages wait in the outbox "
    "until then"
)


def _fail(message: str) -> int:
    print(f"portal mail: {message}", file=sys.stderr)
    return 1


def _site(args: argparse.Namespace, root: Path) -> Path:
    site: Path | None = args.site_dir
    return (site if site.is_absolute() else root / site) if site else root / "site"


def _day(text: str | None, manifests: dict[str, dict[str, object]]) -> date:
    """--day, or yesterday in the portal's time zone: the last whole day."""
    if text is None:
        return clock.now(digest.site_timezone(manifests)).date() - timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--day {text!r} is not a date; write it as YYYY-MM-DD") from None


def _run(args: argparse.Namespace, root: Path) -> int:
    try:
        settings = MailSettings.from_env()
    except SettingsError as error:
        return _fail(str(error))
    try:
        storage = Storage.existing(configured_url(root))
    except StorageError as error:
        return _fail(f"{error}. The endpoint makes the database when it first starts.")
    try:
        if args.action == "send":
            return _send(args, storage, settings)
        if args.action == "digest":
            return _digest(args, root, storage, settings)
        return _status(args, root, storage, settings)
    finally:
        storage.dispose()


def _send(args: argparse.Namespace, storage: Storage, settings: MailSettings) -> int:
    if not settings.configured:
        return _fail(NOT_CONFIGURED)
    if args.all:
        deliver.retry_now(storage)
    outcome = deliver.run(storage, settings)
    print(f"{outcome.sent} sent, {outcome.failed} failed")
    for error in outcome.errors:
        print(f"failed: {error}", file=sys.stderr)
    return 1 if outcome.failed else 0


def _digest(args: argparse.Namespace, root: Path, storage: Storage, settings: MailSettings) -> int:
    if not settings.configured:
        return _fail(f"{NOT_CONFIGURED}; no digest was queued")
    try:
        manifests = load_manifests(_site(args, root))
        day = _day(args.day, manifests)
    except (ExportError, ValueError) as error:
        return _fail(str(error))
    queued, before = digest.enqueue_digests(storage, settings, manifests, day)
    note = f" ({before} queued before: nothing sent twice)" if before else ""
    print(f"{queued} digests queued for {day.isoformat()}{note}")
    return 0


def _status(args: argparse.Namespace, root: Path, storage: Storage, settings: MailSettings) -> int:
    try:
        manifests = load_manifests(_site(args, root))
    except ExportError:
        manifests = {}
    found = status.summary(storage, digest.site_timezone(manifests))
    print("mail is configured" if settings.configured else NOT_CONFIGURED)
    print(f"waiting: {found.waiting}")
    print(f"failing: {len(found.failing)}")
    print(f"sent today: {found.sent_today}")
    for item in found.failing:
        print(
            f"failing: {item.kind_label}, {item.form_id or 'several forms'}, "
            f"{item.attempts} attempts, next {item.next_attempt_at:%Y-%m-%d %H:%M} UTC: "
            f"{item.last_error}"
        )
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    site_help = "the built site holding api/forms (default: ROOT/site)"
    p = commands.add_parser("mail", help="send queued email, queue the daily digest, status")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    send = actions.add_parser("send", help="send the email that is due now")
    send.add_argument(
        "--all",
        action="store_true",
        help="also the failing emails waiting for their next try (the mail server is back)",
    )
    day = actions.add_parser("digest", help="queue each contact's digest of a day's responses")
    day.add_argument(
        "--day", default=None, help="YYYY-MM-DD (default: yesterday, in the portal's time zone)"
    )
    day.add_argument("--site-dir", type=Path, default=None, help=site_help)
    state = actions.add_parser("status", help="what is waiting, failing and sent today")
    state.add_argument("--site-dir", type=Path, default=None, help=site_help)
    p.set_defaults(handler=_run)
