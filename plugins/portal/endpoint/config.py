"""Endpoint settings, read from the environment (twelve-factor: one image, many deployments)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/responses.sqlite3"
MAX_BODY_BYTES = 100 * 1024


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
    theme_dir: Path = Path("theme")
    database_url: str = DEFAULT_DATABASE_URL
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    rate_limit: str = "10/minute"
    export_token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EndpointSettings:
        env = os.environ if environ is None else environ
        return cls(
            site_dir=Path(env.get("PORTAL_SITE_DIR") or "site"),
            theme_dir=Path(env.get("PORTAL_THEME_DIR") or "theme"),
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            allowed_origins=_split(env.get("PORTAL_ALLOWED_ORIGINS", "")),
            trusted_proxies=_split(env.get("PORTAL_TRUSTED_PROXIES", "")),
            rate_limit=env.get("PORTAL_RATE_LIMIT") or "10/minute",
            export_token=env.get("PORTAL_EXPORT_TOKEN") or None,
        )
