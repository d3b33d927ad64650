"""``portal export``, ``portal results`` and ``portal purge``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from portal import clock
from portal.exports import export, results, retention
from portal.settings import load_settings
from portal.storage import Storage


def _storage(root: Path) -> Storage:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{root / 'var' / 'responses.sqlite3'}"
    storage = Storage(url)
    storage.create()
    return storage


def _site(args: argparse.Namespace, root: Path) -> Path:
    site: Path | None = args.site_dir
    return (site if site.is_absolute() else root / site) if site else root / "site"


def _now(args: argparse.Namespace) -> datetime:
    try:
        return clock.parse(args.now, source="--now") if args.now else clock.now()
    except clock.ClockError as error:
        raise export.ExportError(str(error)) from None


def _export(args: argparse.Namespace, root: Path) -> int:
    storage = _storage(root)
    try:
        manifest = export.load_manifest(_site(args, root), args.form_id)
        files = export.export(
            storage, manifest, args.out, public=args.public, spreadsheet_copy=args.spreadsheet
        )
    except export.ExportError as error:
        print(f"portal export: {error}", file=sys.stderr)
        return 1
    finally:
        storage.dispose()
    for path in files:
        print(path)
    return 0


def _results(args: argparse.Namespace, root: Path) -> int:
    storage = _storage(root)
    try:
        folder = results.write_results(
            storage, _site(args, root), root, args.consultation, _now(args)
        )
    except export.ExportError as error:
        print(f"portal results: {error}", file=sys.stderr)
        return 1
    finally:
        storage.dispose()
    print(folder)
    return 0


def _purge(args: argparse.Namespace, root: Path) -> int:
    try:
        now = _now(args)
    except export.ExportError as error:
        print(f"portal purge: {error}", file=sys.stderr)
        return 1
    storage = _storage(root)
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
        if args.dry_run:
            print(f"{len(items)} responses would be anonymised (dry run: nothing changed)")
        else:
            print(f"{retention.purge(storage, items)} responses anonymised")
    finally:
        storage.dispose()
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    site_help = "the built site holding api/forms (default: ROOT/site)"
    now_help = "the instant to apply retention at (default: PORTAL_NOW or now)"

    p = commands.add_parser("export", help="export a form's responses as a data package")
    p.add_argument("form_id")
    p.add_argument("--out", type=Path, required=True)
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
    r.set_defaults(handler=_results)

    g = commands.add_parser("purge", help="anonymise responses past their retention period")
    g.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    g.add_argument("--site-dir", type=Path, default=None, help=site_help)
    g.add_argument("--now", default=None, help=now_help)
    g.set_defaults(handler=_purge)
