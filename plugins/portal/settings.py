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
    theme: str = "theme"
    extra: dict[str, Any] = field(default_factory=dict)

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

    @cached_property  # resolving touches the disk; every page's wrap asks for it
    def theme_dir(self) -> Path:
        """The theme overrides (MkDocs' custom_dir), which hold the portal's templates."""
        return (self.root / self.theme).resolve()


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "portal" in entry:
            return dict(entry["portal"] or {})
    return {}


def load_settings(root: Path, overrides: dict[str, Any] | None = None) -> Settings:
    config_file = root / "mkdocs.yml"
    config: dict[str, Any] = {}
    if config_file.exists():
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    options = {**plugin_options(config), **(overrides or {})}
    known = {"timezone", "endpoint_url", "retention_days", "repo_url", "organisation"}
    theme: dict[str, Any] = config["theme"] if isinstance(config.get("theme"), dict) else {}
    return Settings(
        root=root,
        theme=str(theme.get("custom_dir") or "theme"),
        site_name=str(config.get("site_name") or Settings.site_name),
        site_url=str(config.get("site_url") or ""),
        extra={k: v for k, v in options.items() if k not in known},
        **{k: v for k, v in options.items() if k in known},
    )
