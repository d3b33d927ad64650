"""Pelican settings from mkdocs.yml: one configuration file for both generators.

Pelican reads none of its own content here (no articles, pages or static paths): the portal
generator adds every page, so the two builds cannot drift apart in what they publish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.settings import Settings, read_config

THEME = "pelican"  # the Pelican theme's folder inside the portal's theme folder
# The engine's plain civic mark (theme/assets/portal/), as theme/mkdocs_theme.yml makes it
# Material's favicon for a site that names none.
CIVIC_MARK = "assets/portal/favicon.svg"
# MkDocs always enables these; Pelican must too, or the same Markdown renders differently.
MKDOCS_MARKDOWN = ["toc", "tables", "fenced_code"]


def mkdocs_config(root: Path) -> dict[str, Any]:
    return read_config(root)


def markdown_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Pelican's MARKDOWN setting, with the extensions mkdocs.yml lists."""
    configs: dict[str, dict[str, Any]] = {name: {} for name in MKDOCS_MARKDOWN}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                configs[str(name)] = dict(options or {})
        else:
            configs.setdefault(str(entry), {})
    return {"extension_configs": configs, "output_format": "html5"}


def theme_images(config: dict[str, Any]) -> tuple[str, str]:
    """The site's logo and favicon (``theme: logo, favicon`` in mkdocs.yml, as Material reads
    them), from the site's root; the engine's civic mark for either the site leaves out."""
    theme = config.get("theme")
    options = theme if isinstance(theme, dict) else {}
    logo = str(options.get("logo") or "").strip().lstrip("/")
    favicon = str(options.get("favicon") or "").strip().lstrip("/")
    return logo or CIVIC_MARK, favicon or CIVIC_MARK


def pelican_settings(settings: Settings, site_dir: Path) -> dict[str, Any]:
    config = mkdocs_config(settings.root)
    logo, favicon = theme_images(config)
    return {
        "PATH": str(settings.content_dir),
        "OUTPUT_PATH": str(site_dir),
        "THEME": str(settings.theme_dir / THEME),
        "THEME_STATIC_DIR": "assets/pelican",
        "PLUGINS": ["portal.pelican_plugin"],
        "PORTAL_ROOT": str(settings.root),
        "SITENAME": settings.site_name,
        "SITEURL": settings.site_url.rstrip("/"),
        "PORTAL_DESCRIPTION": str(config.get("site_description") or ""),
        "PORTAL_COPYRIGHT": str(config.get("copyright") or ""),
        "PORTAL_NAV": config.get("nav") or [],
        "PORTAL_LOGO": logo,
        "PORTAL_FAVICON": favicon,
        "MARKDOWN": markdown_settings(config),
        "JINJA_ENVIRONMENT": {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True},
        "TIMEZONE": settings.timezone,
        "DEFAULT_LANG": settings.language,  # theme.language, as the MkDocs build has it
        # Nothing of Pelican's own: no blog, feeds or copied folders.
        "ARTICLE_PATHS": [],
        "PAGE_PATHS": [],
        "STATIC_PATHS": [],
        "DIRECT_TEMPLATES": [],
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
