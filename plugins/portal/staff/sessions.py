"""Signed-in browsers: a random session id in a signed cookie, its SHA-256 in the database.

The database row is what makes a session real, so signing out, removing an account or a
new password ends it at once; the signature (itsdangerous, with PORTAL_SECRET_KEY) means a
cookie that was not issued here is refused without a database query.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from itsdangerous import BadSignature, Signer
from sqlalchemy import delete, insert, select

from portal import clock
from portal.storage import Storage
from portal.storage.staff import staff_sessions

SALT = "portal-staff-session"


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


class Sessions:
    def __init__(self, storage: Storage, secret: str, minutes: int) -> None:
        self.storage = storage
        self.signer = Signer(secret, salt=SALT)
        self.lifetime = timedelta(minutes=minutes)

    def start(self, email: str) -> str:
        """A new session for ``email``; returns the cookie's value."""
        session_id = secrets.token_urlsafe(32)
        now = clock.now().astimezone(UTC)
        with self.storage.engine.begin() as conn:
            # Expired sessions go as new ones come, so the table does not grow.
            conn.execute(delete(staff_sessions).where(staff_sessions.c.expires_at < now))
            conn.execute(
                insert(staff_sessions),
                {
                    "id_hash": _hash(session_id),
                    "email": email,
                    "created_at": now,
                    "expires_at": now + self.lifetime,
                },
            )
        return self.signer.sign(session_id).decode("ascii")

    def _session_id(self, cookie: str) -> str | None:
        try:
            return self.signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeError):
            return None

    def find(self, cookie: str) -> str | None:
        """The signed-in address, or None for a cookie that is forged, ended or expired."""
        session_id = self._session_id(cookie)
        if session_id is None:
            return None
        query = select(staff_sessions.c.email, staff_sessions.c.expires_at).where(
            staff_sessions.c.id_hash == _hash(session_id)
        )
        with self.storage.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        expires = row.expires_at
        if expires.tzinfo is None:  # SQLite gives naive datetimes back; they were UTC
            expires = expires.replace(tzinfo=UTC)
        return str(row.email) if expires > clock.now() else None

    def end(self, cookie: str) -> None:
        session_id = self._session_id(cookie)
        if session_id is None:
            return
        with self.storage.engine.begin() as conn:
            conn.execute(
                delete(staff_sessions).where(staff_sessions.c.id_hash == _hash(session_id))
            )
