"""``portal export``, ``portal results`` and ``portal purge``."""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from portal import clock
from portal.alerts import subscriptions
from portal.exports import export, results, retention, review
from portal.settings import load_settings
from portal.storage import Storage, StorageError
from portal.storage.database import configured_url

# Where staff exports go unless --out says otherwise: var/ is ignored by git (.gitignore),
# so names, emails and postcodes cannot be committed by a "git add -A".
EXPORTS = Path("var") / "exports"


def _storage(root: Path, command: str) -> Storage:
    """The responses database that is there, never a new one; stderr says which it is."""
    try:
        storage = Storage.existing(configured_url(root))
    except StorageError as error:
        raise export.ExportError(str(error)) from None
    print(f"portal {command}: reading responses from {storage.where}", file=sys.stderr)
    return storage


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:  # no git at all: nothing can be committed by accident either
        return None


def _committable(root: Path, out: Path) -> str | None:
    """Why ``out`` is a place git would commit, or None when it is outside or ignored."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or top.returncode != 0:
        return None  # not a git work tree
    repository = Path(top.stdout.strip()).resolve()
    target = out.resolve()
    if not target.is_relative_to(repository):
        return None
    # A file inside: "var/" in .gitignore matches folders, and a folder not made yet is not
    # known to be one.
    probe = target / export.CSV_NAME
    ignored = _git(repository, "check-ignore", "-q", str(probe))
    if ignored is not None and ignored.returncode == 0:
        return None
    return (
        f"{out} is inside the git repository {repository} and git does not ignore it, so "
        "the personal data in a staff export could be committed and published; leave out "
        f"--out (the export then goes to {EXPORTS}/, which git ignores), or choose a folder "
        "outside the repository or one listed in .gitignore"
    )


def _site(args: argparse.Namespace, root: Path) -> Path:
    site: Path | None = args.site_dir
    return (site if site.is_absolute() else root / site) if site else root / "site"


def _now(args: argparse.Namespace) -> datetime:
    try:
        return clock.parse(args.now, source="--now") if args.now else clock.now()
    except clock.ClockError as error:
        raise export.ExportError(str(error)) from None


def _export(args: argparse.Namespace, root: Path) -> int:
    default = root / EXPORTS / (f"{args.form_id}-public" if args.public else args.form_id)
    out: Path = args.out or default
    # A public export holds no personal answers and is meant for publication; a staff one
    # (or its spreadsheet copy) must never land where git would pick it up.
    problem = None if args.public else _committable(root, out)
    if problem:
        print(f"portal export: {problem}", file=sys.stderr)
        return 1
    try:
        storage = _storage(root, "export")
    except export.ExportError as error:
        print(f"portal export: {error}", file=sys.stderr)
        return 1
    try:
        site = _site(args, root)
        manifest = export.load_manifest(site, args.form_id)
        files = export.export(
            storage,
            manifest,
            out,
            public=args.public,
            spreadsheet_copy=args.spreadsheet,
            site_dir=site,
            root=root,
        )
    except export.ExportError as error:
        print(f"portal export: {error}", file=sys.stderr)
        return 1
    finally:
        storage.dispose()
    for path in files:
        print(path)
    return 0


def _published_respondents(folder: Path) -> int | None:
    """How many respondents the results dataset already in ``folder`` counts, if any."""
    try:
        with (folder / "data" / "summary.csv").open(encoding="utf-8", newline="") as handle:
            return sum(int(row["respondents"]) for row in csv.DictReader(handle))
    except (OSError, KeyError, ValueError):
        return None


def _results(args: argparse.Namespace, root: Path) -> int:
    try:
        storage = _storage(root, "results")
    except export.ExportError as error:
        print(f"portal results: {error}", file=sys.stderr)
        return 1
    try:
        site = _site(args, root)
        manifest = results.find_form(site, args.consultation)
        counted = len(export.current_rows(storage, site, manifest))
        folder = root / "datasets" / f"{args.consultation}-results"
        published = _published_respondents(folder)
        if published is not None and counted < published and not args.force:
            raise export.ExportError(
                f"{folder} already counts {published} respondents, and {storage.where} holds "
                f"{counted} for the form '{manifest['id']}': is this the right database? "
                "Nothing was changed; pass --force to replace the published results anyway"
            )
        folder = results.write_results(storage, site, root, args.consultation, _now(args))
    except export.ExportError as error:
        print(f"portal results: {error}", file=sys.stderr)
        return 1
    finally:
        storage.dispose()
    print(folder)
    return 0


def _review(args: argparse.Namespace, root: Path) -> int:
    try:
        if args.source is not None:
            # The decisions made in the staff area, downloaded there: no database is needed
            # (staff merge on their own computer); the answers are checked against the
            # stored responses when 'portal results' or 'portal export --public' reads them.
            manifest = export.load_manifest(_site(args, root), args.form_id)
            source = args.source if args.source.is_absolute() else Path.cwd() / args.source
            print(review.merge_from(root, manifest, source).sentence(args.source))
            return 0
        storage = _storage(root, "review")
        try:
            manifest = export.load_manifest(_site(args, root), args.form_id)
            done = review.run(storage, _site(args, root), root, manifest)
        finally:
            storage.dispose()
    except export.ExportError as error:
        print(f"portal review: {error}", file=sys.stderr)
        return 1
    print(done)
    return 0


def _purge(args: argparse.Namespace, root: Path) -> int:
    try:
        now = _now(args)
    except export.ExportError as error:
        print(f"portal purge: {error}", file=sys.stderr)
        return 1
    try:
        storage = _storage(root, "purge")
    except export.ExportError as error:
        print(f"portal purge: {error}", file=sys.stderr)
        return 1
    try:
        default_days = load_settings(root).retention_days
        items, unknown = retention.due(storage, _site(args, root), now, default_days)
        for item in items:
            fields = (
                "all answers" if item.fields == retention.EVERYTHING else ", ".join(item.fields)
            )
            print(
                f"{item.form_id} {item.reference}: {fields} "
                f"(retention ended {item.since.isoformat()})"
            )
        for form_id in sorted(unknown):
            print(
                f"note: the site no longer has the form '{form_id}': its responses lose all "
                f"their answers {default_days} days after they were received",
                file=sys.stderr,
            )
        # The outbox's sent email and the audit log are not kept for ever either.
        records = retention.records_due(
            storage, _site(args, root), now, default_days, retention.audit_days()
        )
        if args.dry_run:
            print(f"{len(items)} responses would be anonymised (dry run: nothing changed)")
            sent, unsent, entries = (
                len(records.sent_emails),
                len(records.unsent_copies),
                records.audit_entries,
            )
            verb = "would be removed"
        else:
            print(f"{retention.purge(storage, items)} responses anonymised")
            sent, unsent, entries = retention.purge_records(storage, records)
            verb = "removed"
        print(f"{sent} sent emails {verb}")
        print(f"{unsent} unsent copies of answers {verb} (their form's retention ended)")
        print(f"{entries} audit log entries {verb} (older than {records.audit_days} days)")
        # Alert sign-ups never confirmed: their address goes after the week the link works.
        stale = subscriptions.unconfirmed(storage, now, remove=not args.dry_run)
        print(f"{stale} unconfirmed alert subscriptions {verb}")
        # Forms saved to finish later (save and return), once their consultation closed or
        # their retention period passed.
        expired = retention.drafts_due(storage, _site(args, root), now)
        removed = len(expired) if args.dry_run else retention.purge_drafts(storage, expired)
        print(f"{removed} expired saved drafts {verb}")
    except export.ExportError as error:
        print(f"portal purge: {error}", file=sys.stderr)
        return 1
    finally:
        storage.dispose()
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    site_help = "the built site holding api/forms (default: ROOT/site)"
    now_help = "the instant to apply retention at (default: PORTAL_NOW or now)"

    p = commands.add_parser("export", help="export a form's responses as a data package")
    p.add_argument("form_id")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"the folder to write (default: ROOT/{EXPORTS}/FORM_ID, which git ignores; "
        "a staff export is refused inside the repository where git would commit it)",
    )
    p.add_argument(
        "--public",
        action="store_true",
        help="leave out personal, unpublished and non-consenting answers",
    )
    p.add_argument("--spreadsheet", action="store_true", help="also write a spreadsheet-safe CSV")
    p.add_argument("--site-dir", type=Path, default=None, help=site_help)
    p.set_defaults(handler=_export)

    r = commands.add_parser("results", help="write a consultation's results dataset")
    r.add_argument("consultation")
    r.add_argument("--site-dir", type=Path, default=None, help=site_help)
    r.add_argument("--now", default=None, help="the instant stamped on the dataset")
    r.add_argument(
        "--force",
        action="store_true",
        help="replace published results even if they count more respondents than now",
    )
    r.set_defaults(handler=_results)

    v = commands.add_parser("review", help="list free-text answers for staff to review")
    v.add_argument("form_id")
    v.add_argument("--site-dir", type=Path, default=None, help=site_help)
    v.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        metavar="FILE",
        help="merge the decisions in FILE (review.yml downloaded from the staff area) into "
        "the consultation's review.yml",
    )
    v.set_defaults(handler=_review)

    g = commands.add_parser("purge", help="anonymise responses past their retention period")
    g.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    g.add_argument("--site-dir", type=Path, default=None, help=site_help)
    g.add_argument("--now", default=None, help=now_help)
    g.set_defaults(handler=_purge)
