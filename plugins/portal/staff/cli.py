"""``portal staff add|remove|list|password``: the accounts that may sign in to /staff/.

A password is asked for twice at the terminal, or read from standard input with
``--password-stdin`` (for scripts), never taken as an argument, where it would be kept in
the shell's history and shown in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from portal.staff import accounts, audit
from portal.storage import Storage, StorageError
from portal.storage.database import configured_url

OPERATOR = "portal staff (command line)"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        # getpass would fall back to echoing the password where a script can read it.
        raise accounts.AccountError(
            "there is no terminal to ask for the password on: give it on standard input "
            "with --password-stdin; nothing was changed"
        )
    first = getpass.getpass("Password: ")
    if getpass.getpass("The same password again: ") != first:
        raise accounts.AccountError("the two passwords are not the same; nothing was changed")
    return first


def _run(args: argparse.Namespace, root: Path) -> int:
    try:
        storage = Storage.existing(configured_url(root))
    except StorageError as error:
        print(
            f"portal staff: {error}. The endpoint makes the database when it first starts "
            "(portal serve or portal endpoint).",
            file=sys.stderr,
        )
        return 1
    try:
        if args.action == "list":
            found = accounts.listed(storage)
            for account in found:
                print(f"{account.email}\tadded {account.created_at:%Y-%m-%d}")
            if not found:
                print("No staff accounts yet: add one with 'portal staff add EMAIL'.")
            return 0
        if args.action == "add":
            # Say what is wrong with the address before asking for a password for it.
            if accounts.exists(storage, accounts.check_email(args.email)):
                raise accounts.AccountError(f"there is already an account for {args.email}")
            email = accounts.add(storage, args.email, _password(args))
            audit.record(storage, OPERATOR, audit.ACCOUNT_ADDED, detail=email)
            print(f"Added {email}: they can sign in at /staff/sign-in.")
        elif args.action == "password":
            if not accounts.exists(storage, args.email):
                raise accounts.AccountError(f"there is no account for {args.email}")
            email = accounts.set_password(storage, args.email, _password(args))
            audit.record(storage, OPERATOR, audit.ACCOUNT_ADDED, detail=f"new password: {email}")
            print(f"Set a new password for {email}; their sign-ins have ended.")
        else:
            email = accounts.remove(storage, args.email)
            audit.record(storage, OPERATOR, audit.ACCOUNT_REMOVED, detail=email)
            print(f"Removed {email}; their sign-ins have ended.")
        return 0
    except accounts.AccountError as error:
        print(f"portal staff {args.action}: {error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print(f"portal staff {args.action}: stopped; nothing was changed", file=sys.stderr)
        return 1
    finally:
        storage.dispose()


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    staff = commands.add_parser("staff", help="add, remove or list staff area accounts")
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (
        ("add", "make an account (asks for its password)"),
        ("password", "set a new password for an account"),
    ):
        one = actions.add_parser(name, help=text)
        one.add_argument("email")
        one.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
    remove = actions.add_parser("remove", help="remove an account and end its sign-ins")
    remove.add_argument("email")
    actions.add_parser("list", help="list the accounts")
    staff.set_defaults(handler=_run)
