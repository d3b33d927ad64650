"""Jinja2 rendering of the portal's own fragments from theme/portal/.

These templates render inside a page's content area; the generator's theme (Material, or the
Pelican theme) supplies the page around them.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


def human_date(moment: datetime | None) -> str:
    """'31 January 2027' in the moment's own time zone (GOV.UK style)."""
    if moment is None:
        return ""
    return f"{moment.day} {moment:%B %Y}"


def human_time(moment: datetime | None) -> str:
    """'5pm', '11:59pm', 'midnight', 'midday' as GOV.UK writes times."""
    if moment is None:
        return ""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


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
    return env


def render(theme_dir: Path, template: str, **context: Any) -> str:
    return environment(theme_dir).get_template(template).render(**context)
