"""Jinja2 rendering of the portal's own fragments from theme/portal/.

These templates render inside a page's content area; the generator's theme (Material, or the
Pelican theme) supplies the page around them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from portal.i18n import ENGLISH
from portal.i18n.dates import human_date, human_time

__all__ = ["human_date", "human_size", "human_time", "render"]


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# The engine's own templates, under any portal's: a portal's theme folder overrides the
# templates it has, and one written before a release added templates (the staff area's)
# still finds them.
ENGINE_TEMPLATES = Path(__file__).resolve().parent / "theme" / "portal"


@cache
def environment(theme_dir: Path) -> Environment:
    folders = [theme_dir / "portal"]
    if folders[0].resolve() != ENGINE_TEMPLATES:
        folders.append(ENGINE_TEMPLATES)
    env = Environment(
        loader=FileSystemLoader(folders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(human_date=human_date, human_time=human_time, human_size=human_size)
    # The portal's words (portal.i18n): English unless a render passes another language's.
    env.globals["_"] = ENGLISH
    return env


def render(theme_dir: Path, template: str, **context: Any) -> str:
    return environment(theme_dir).get_template(template).render(**context)
