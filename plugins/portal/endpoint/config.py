"""Endpoint settings, read from the environment (twelve-factor: one image, many deployments)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from portal import clock

DEFAULT_DATABASE_URL = "sqlite:///var/responses.sqlite3"
MAX_BODY_BYTES = 100 * 1024
# Seconds a client may take to send a request's head, and then its body (nginx's
# client_header_timeout and client_body_timeout; deploy/nginx/portal.conf sets the same).
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 15.0
# How long a staff sign-in lasts (a working day); PORTAL_STAFF_SESSION_MINUTES changes it.
STAFF_SESSION_MINUTES = 480
# Shorter than this, a secret could be guessed; `openssl rand -hex 32` gives 64 characters.
SECRET_MIN_LENGTH = 32


# The theme the engine ships (a portal made by ``portal init`` has no theme folder of its
# own): the endpoint's pages come from its portal/endpoint/ templates.
ENGINE_THEME = Path(__file__).resolve().parents[1] / "theme"


def default_theme_dir(root: Path) -> Path:
    """The portal's own theme folder if it overrides the portal's templates, else the
    engine's. PORTAL_THEME_DIR, when set, wins over both."""
    own = root / "theme"
    return own if (own / "portal" / "endpoint").is_dir() else ENGINE_THEME


class SettingsError(ValueError):
    """An environment setting the endpoint cannot use; the message says which and why."""


def _seconds(env: Mapping[str, str], name: str, default: float, unit: str = "seconds") -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise SettingsError(
            f"{name}={value!r} is not a number of {unit}; give one between 1 and 3600, "
            f"or leave it unset for {default:g}"
        )
    return seconds


def _secret(env: Mapping[str, str]) -> str | None:
    value = env.get("PORTAL_SECRET_KEY", "").strip()
    if value and len(value) < SECRET_MIN_LENGTH:
        raise SettingsError(
            f"PORTAL_SECRET_KEY is {len(value)} characters long; it signs staff sign-ins, so "
            f"give at least {SECRET_MIN_LENGTH} random ones (openssl rand -hex 32), or leave "
            "it unset to keep the staff area off"
        )
    return value or None


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class EndpointSettings:
    """Where the built site is, where responses go, and who may post.

    ``allowed_origins`` lists origins (``https://portal.example``) whose pages may post besides
    the endpoint's own; when the site is hosted elsewhere, its origin belongs here.
    ``trusted_proxies`` lists addresses or networks (``10.0.0.0/8``) whose X-Forwarded-For is
    believed. ``rate_limit`` is a ``limits`` string such as ``10/minute``, per client.
    """

    site_dir: Path = Path("site")
    theme_dir: Path = ENGINE_THEME
    # A portal's own message catalogues (portal.i18n; its locale/ folder), if it has any:
    # the endpoint is deployed without the portal's sources, so it is told where they are.
    locale_dir: Path | None = None
    database_url: str = DEFAULT_DATABASE_URL
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    rate_limit: str = "10/minute"
    export_token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    # The staff area (portal.staff): off until a secret signs its session cookies.
    secret_key: str | None = None
    staff_session_minutes: int = STAFF_SESSION_MINUTES
    # Single sign-on: the header a proxy in ``trusted_proxies`` sets to the signed-in
    # person's address (oauth2-proxy's X-Forwarded-Email), and who may come in that way.
    identity_header: str | None = None
    staff_allow: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EndpointSettings:
        env = os.environ if environ is None else environ
        if (problem := clock.problem()) is not None:
            raise SettingsError(problem)  # forms would open and close at the wrong moment
        return cls(
            site_dir=Path(env.get("PORTAL_SITE_DIR") or "site"),
            theme_dir=Path(env.get("PORTAL_THEME_DIR") or ENGINE_THEME),
            locale_dir=Path(env["PORTAL_LOCALE_DIR"]) if env.get("PORTAL_LOCALE_DIR") else None,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            allowed_origins=_split(env.get("PORTAL_ALLOWED_ORIGINS", "")),
            trusted_proxies=_split(env.get("PORTAL_TRUSTED_PROXIES", "")),
            rate_limit=env.get("PORTAL_RATE_LIMIT") or "10/minute",
            export_token=env.get("PORTAL_EXPORT_TOKEN") or None,
            header_timeout=_seconds(env, "PORTAL_HEADER_TIMEOUT", HEADER_TIMEOUT),
            body_timeout=_seconds(env, "PORTAL_BODY_TIMEOUT", BODY_TIMEOUT),
            secret_key=_secret(env),
            staff_session_minutes=int(
                _seconds(env, "PORTAL_STAFF_SESSION_MINUTES", STAFF_SESSION_MINUTES, "minutes")
            ),
            identity_header=env.get("PORTAL_STAFF_IDENTITY_HEADER", "").strip() or None,
            staff_allow=tuple(a.lower() for a in _split(env.get("PORTAL_STAFF_ALLOW", ""))),
        )
