"""Addresses for outputs read away from the site: feeds, calendars and the JSON API.

A feed reader or calendar app needs absolute URLs. With ``site_url`` set in mkdocs.yml they
are absolute; without it they are root-relative (``/consultations/bus-lanes/``), which is
right when the site is served from the root of its host and is documented in the
publishers' guide as the reason to set ``site_url`` before going live.
"""

from __future__ import annotations

from urllib.parse import urlparse

from portal import languages, slugs
from portal.settings import Settings


def absolute(settings: Settings, path: str) -> str:
    """``path`` (relative to the site root, e.g. ``consultations/x/``) as a full address."""
    path = path.lstrip("/")
    if settings.site_url:  # a language's build has its folder in site_url already
        return f"{settings.site_url.rstrip('/')}/{path}"
    # From the server's root: a language's pages are under its folder (portal.languages).
    return f"/{languages.root(settings, settings.language)}{path}"


def host(settings: Settings) -> str:
    """The site's host name, or '' when ``site_url`` is not set."""
    return urlparse(settings.site_url).hostname or ""


def slugify(text: str) -> str:
    """'Climate and environment' -> 'climate-and-environment', for filter page addresses."""
    return slugs.slugify(text, fallback="other")
