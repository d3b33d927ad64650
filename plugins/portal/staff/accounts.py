"""Staff accounts for signing in with a password: made and removed with ``portal staff``.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second choice) and
never stored, logged or shown. A password is at least 12 characters, as the NCSC advises
length over rules about symbols; there is no upper limit below the 1,000 the form allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update

from portal import clock
from portal.storage import Storage
from portal.storage.staff import staff_accounts, staff_sessions

MIN_PASSWORD = 12
MAX_PASSWORD = 1000
hasher = PasswordHasher()
# Checked when there is no such account, so a wrong address takes as long as a wrong
# password and the time taken does not tell who has an account.
_DUMMY = hasher.hash("not a password anyone has")


class AccountError(ValueError):
    """An account that cannot be made or removed; the message says why."""


@dataclass(frozen=True)
class Account:
    email: str
    created_at: datetime


def normalise(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    address = normalise(email)
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        raise AccountError(f"'{email}' is not an email address, such as jo@council.example")
    if len(address) > 254:
        raise AccountError("an email address has at most 254 characters")
    return address


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return (
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD} "
            "(three random words make a good one)"
        )
    if len(password) > MAX_PASSWORD:
        return f"the password has more than {MAX_PASSWORD} characters"
    return None


def exists(storage: Storage, email: str) -> bool:
    query = select(staff_accounts.c.email).where(staff_accounts.c.email == normalise(email))
    with storage.engine.connect() as conn:
        return conn.execute(query).first() is not None


def add(storage: Storage, email: str, password: str) -> str:
    address = check_email(email)
    if (problem := password_problem(password)) is not None:
        raise AccountError(problem)
    with storage.engine.begin() as conn:
        found = conn.execute(
            select(staff_accounts.c.email).where(staff_accounts.c.email == address)
        ).first()
        if found is not None:
            raise AccountError(f"there is already an account for {address}")
        conn.execute(
            insert(staff_accounts),
            {
                "email": address,
                "password_hash": hasher.hash(password),
                "created_at": clock.now().astimezone(UTC),
            },
        )
    return address


def set_password(storage: Storage, email: str, password: str) -> str:
    address = normalise(email)
    if (problem := password_problem(password)) is not None:
        raise AccountError(problem)
    with storage.engine.begin() as conn:
        changed = conn.execute(
            update(staff_accounts)
            .where(staff_accounts.c.email == address)
            .values(password_hash=hasher.hash(password))
        ).rowcount
        if not changed:
            raise AccountError(f"there is no account for {address}")
        # A new password ends every sign-in made with the old one.
        conn.execute(delete(staff_sessions).where(staff_sessions.c.email == address))
    return address


def remove(storage: Storage, email: str) -> str:
    """Remove the account and end its sign-ins at once."""
    address = normalise(email)
    with storage.engine.begin() as conn:
        removed = conn.execute(
            delete(staff_accounts).where(staff_accounts.c.email == address)
        ).rowcount
        if not removed:
            raise AccountError(f"there is no account for {address}")
        conn.execute(delete(staff_sessions).where(staff_sessions.c.email == address))
    return address


def listed(storage: Storage) -> list[Account]:
    query = select(staff_accounts.c.email, staff_accounts.c.created_at).order_by(
        staff_accounts.c.email
    )
    with storage.engine.connect() as conn:
        return [Account(r.email, r.created_at) for r in conn.execute(query).all()]


def verify(storage: Storage, email: str, password: str) -> str | None:
    """The account's address if the password is its own, else None."""
    address = normalise(email)
    with storage.engine.connect() as conn:
        stored = conn.execute(
            select(staff_accounts.c.password_hash).where(staff_accounts.c.email == address)
        ).scalar()
    try:
        hasher.verify(stored or _DUMMY, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if hasher.check_needs_rehash(stored):
        with storage.engine.begin() as conn:
            conn.execute(
                update(staff_accounts)
                .where(staff_accounts.c.email == address)
                .values(password_hash=hasher.hash(password))
            )
    return address
