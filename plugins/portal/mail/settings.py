"""Mail settings, read from the environment like the endpoint's own (portal.endpoint.config).

Mail is off while PORTAL_SMTP_HOST is unset. Messages are still queued then (the static
site cannot know the endpoint's settings, so a form with ``email_copy: true`` offers the
copy either way): the outbox keeps them until mail is configured, and the staff area's
email page says that mail is not configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from portal.endpoint.config import SettingsError
from portal.forms.validate import email_ok

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# Only a mail server on this machine may be spoken to in the clear: anywhere else the
# password and every copy of a respondent's answers would cross the network unencrypted.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_INTERVAL = 30.0


class MailSettingsError(SettingsError):
    """A mail setting that cannot be used; the message says which, why and what to do."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    # Never in a repr, a log line or an error message.
    password: str | None = field(default=None, repr=False)
    sender: str = ""
    # The staff area's public address, ending in "/", for links in the digest.
    staff_url: str | None = None
    # Seconds between the endpoint's delivery runs.
    interval: float = DEFAULT_INTERVAL

    @property
    def configured(self) -> bool:
        return self.host is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, "").strip()

        host = get("PORTAL_SMTP_HOST") or None
        security = (get("PORTAL_SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY:
            raise MailSettingsError(
                f"PORTAL_SMTP_SECURITY={get('PORTAL_SMTP_SECURITY')!r} is not one of "
                "starttls (the default: port 587, encrypted after connecting), tls (port 465, "
                "encrypted from the start) or none (only for a mail server on this machine)"
            )
        if security == "none" and host is not None and host.lower() not in LOCAL_HOSTS:
            raise MailSettingsError(
                f"PORTAL_SMTP_SECURITY=none sends mail unencrypted, so it is allowed only for "
                f"a mail server on this machine (127.0.0.1 or localhost), not {host}; use "
                "starttls or tls"
            )
        user, password = get("PORTAL_SMTP_USER") or None, env.get("PORTAL_SMTP_PASSWORD") or None
        if (user is None) != (password is None):
            given, missing = (
                ("PORTAL_SMTP_USER", "PORTAL_SMTP_PASSWORD")
                if user
                else ("PORTAL_SMTP_PASSWORD", "PORTAL_SMTP_USER")
            )
            raise MailSettingsError(
                f"{given} is set but {missing} is not; give both to sign in to the mail "
                "server, or neither"
            )
        sender = get("PORTAL_MAIL_FROM")
        if host is not None and not sender:
            raise MailSettingsError(
                "PORTAL_SMTP_HOST is set but PORTAL_MAIL_FROM is not; give the address mail "
                "comes from, such as 'Northbridge Council <consult@northbridge.example>'"
            )
        if sender and not email_ok(parseaddr(sender)[1]):
            raise MailSettingsError(
                f"PORTAL_MAIL_FROM={sender!r} is not an email address; write it as "
                "consult@northbridge.example or 'Northbridge Council <consult@northbridge.example>'"
            )
        return cls(
            host=host,
            port=_port(get("PORTAL_SMTP_PORT"), security),
            security=security,
            user=user,
            password=password,
            sender=sender,
            staff_url=_staff_url(get("PORTAL_STAFF_URL")),
            interval=_interval(get("PORTAL_MAIL_INTERVAL")),
        )


def _port(value: str, security: str) -> int:
    if not value:
        return DEFAULT_PORTS[security]
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise MailSettingsError(
            f"PORTAL_SMTP_PORT={value!r} is not a port number; give one between 1 and 65535, "
            f"or leave it unset for {DEFAULT_PORTS[security]} ({security})"
        )
    return int(value)


def _staff_url(value: str) -> str | None:
    if not value:
        return None
    if not value.startswith(("https://", "http://")) or len(value.split("/")[2]) == 0:
        raise MailSettingsError(
            f"PORTAL_STAFF_URL={value!r} is not a web address; give the staff area's public "
            "address, such as https://consult.northbridge.example/staff/"
        )
    return value if value.endswith("/") else value + "/"


def _interval(value: str) -> float:
    if not value:
        return DEFAULT_INTERVAL
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise MailSettingsError(
            f"PORTAL_MAIL_INTERVAL={value!r} is not a number of seconds; give one between 1 "
            f"and 3600, or leave it unset for {DEFAULT_INTERVAL:g}"
        )
    return seconds
