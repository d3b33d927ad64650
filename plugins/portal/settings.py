"""Site-wide settings, read from the ``portal`` plugin's options in mkdocs.yml.

They live in mkdocs.yml because that is where publishers already configure the site; this
reader needs no MkDocs import, so ``portal check`` and the Pelican build use the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from yaml_env_tag import construct_env_tag

from portal import licences


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` and ``!ENV`` tags we do not need."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


# MkDocs reads !ENV with pyyaml_env_tag; so do we, so both see the same typed values.
_LenientLoader.add_constructor("!ENV", construct_env_tag)
_LenientLoader.add_multi_constructor("", _ignore_tag)


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str = "Participation portal"
    site_url: str = ""
    timezone: str = "Europe/London"
    endpoint_url: str = ""
    retention_days: int = 730
    repo_url: str = ""
    organisation: str = ""
    # The licence of the open data the portal itself writes (results), as an SPDX id
    # (portal.licences); empty: the site states none.
    licence: str = ""
    # The data package (a folder in datasets/) whose GeoJSON resource holds the site's areas,
    # such as wards, for the map by area (portal.areas); empty: no map.
    areas: str = ""
    theme: str = "theme"
    # The language of the portal's own words (portal.i18n): mkdocs.yml's theme.language, the
    # setting Material already reads for its own words, so one line sets both.
    language: str = "en"
    # Every language the site publishes in, the default (theme.language) first: the
    # ``languages:`` option of the portal plugin (issue 21). One build per language; this
    # Settings' ``language`` is the one being built (portal.languages).
    languages: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else self.language

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The site's languages, the default first (one, when ``languages:`` is not set)."""
        return self.languages or (self.language,)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def consultations_dir(self) -> Path:
        return self.root / "consultations"

    @property
    def datasets_dir(self) -> Path:
        return self.root / "datasets"

    @property
    def locale_dir(self) -> Path:
        """A portal's own message catalogues (portal.i18n), beside mkdocs.yml."""
        return self.root / "locale"

    @cached_property  # resolving touches the disk; every page's wrap asks for it
    def theme_dir(self) -> Path:
        """The theme overrides (MkDocs' custom_dir), which hold the portal's templates."""
        return (self.root / self.theme).resolve()


# The portal plugin's options and their types: what ``portal check`` holds mkdocs.yml to
# (portal.checks.config) and what the MkDocs plugin declares (a test keeps the two equal).
OPTIONS: dict[str, type] = {
    "enabled": bool,
    "timezone": str,
    "endpoint_url": str,
    "retention_days": int,
    "repo_url": str,
    "organisation": str,
    "licence": str,
    "areas": str,
    "phase": str,
    "feedback_url": str,
    "footer_links": dict,
    "languages": list,
    "translations": dict,  # the site's own words per language (portal.glossary)
}
_SETTINGS_OPTIONS = {
    "timezone",
    "endpoint_url",
    "retention_days",
    "repo_url",
    "organisation",
    "licence",
    "areas",
}


def read_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as data; {} when it cannot be read (``portal check`` says why and where)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        config = yaml.load(text, Loader=_LenientLoader)
    except (OSError, ValueError, RecursionError, yaml.YAMLError):  # ValueError: a bad date
        return {}
    return config if isinstance(config, dict) else {}


def engine_theme_dir() -> Path:
    """The theme shipped inside the installed package (``theme: name: portal``)."""
    return (Path(__file__).parent / "theme").resolve()


def theme_folder(theme: dict[str, Any]) -> str:
    """The folder holding the portal's templates: the engine's own for ``name: portal``
    (a site made by ``portal init``), else the site's ``custom_dir`` (this repository's
    demo names the same folder as ``custom_dir: theme``)."""
    if theme.get("name") == "portal":
        return str(engine_theme_dir())
    return str(theme.get("custom_dir") or "theme")


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    plugins = config.get("plugins")
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and "portal" in entry:
            options = entry["portal"]
            return dict(options) if isinstance(options, dict) else {}
    return {}


def option_is_valid(name: str, value: Any) -> bool:
    """Whether ``value`` can be used for option ``name`` (bool is not a number here)."""
    expected = OPTIONS.get(name)
    if expected is None or isinstance(value, bool) is not (expected is bool):
        return False
    if not isinstance(value, expected):
        return False
    if name == "timezone":
        return timezone_is_known(str(value))
    if name == "licence":
        return value == "" or licences.is_known(str(value))
    return not (name == "retention_days" and isinstance(value, int) and value < 1)


def timezone_is_known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def load_settings(root: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Never raises: a value that cannot be used is left at its default, and ``portal
    check`` (which every build runs first) reports it at its line."""
    config = read_config(root)
    options = {**plugin_options(config), **(overrides or {})}
    typed = {k: v for k, v in options.items() if k in _SETTINGS_OPTIONS and option_is_valid(k, v)}
    theme: dict[str, Any] = config["theme"] if isinstance(config.get("theme"), dict) else {}
    language = str(theme.get("language") or Settings.language)
    return Settings(
        root=root,
        theme=theme_folder(theme),
        language=language,
        languages=site_languages(language, options.get("languages")),
        site_name=str(config.get("site_name") or Settings.site_name),
        site_url=str(config.get("site_url") or ""),
        extra={k: v for k, v in options.items() if k not in _SETTINGS_OPTIONS and k != "languages"},
        **typed,
    )


def site_languages(default: str, listed: Any) -> tuple[str, ...]:
    """``languages: [en, cy]`` with the default (theme.language) first, each once; () when
    the site has one language. Codes that cannot be used are left out here and reported by
    ``portal check`` (portal.checks.config)."""
    if not isinstance(listed, list) or not listed:
        return ()
    codes = [default] + [str(code) for code in listed if isinstance(code, str)]
    return tuple(dict.fromkeys(codes))
