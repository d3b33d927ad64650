"""Jinja2 rendering of the portal's own fragments from theme/portal/.

These templates render inside a page's content area; the generator's theme (Material, or the
Pelican theme) supplies the page around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from portal.i18n import ENGLISH, Words
from portal.i18n.dates import human_date, human_time

__all__ = ["human_date", "human_size", "human_time", "render"]


def human_size(size: int, _: Words | TemplateWords = ENGLISH) -> str:
    """'217 bytes', '12 KB', '1.4 MB' (a template passes its ``_``: ``size | human_size(_)``)."""
    if size < 1024:
        return str(_.plural("{n} byte", "{n} bytes", size))
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
    env.globals["_"] = TemplateWords(ENGLISH)
    return env


@dataclass(frozen=True)
class TemplateWords:
    """The portal's words as a template writes them (its ``_``): a message is written out as
    the template's own text would be (the catalogues are the engine's and the council's, as
    trusted as the templates), and every value filled into it is escaped unless it is markup
    already. Python code gets plain text from ``Words`` itself (titles, JSON, emails).

    A message held in a variable (a status's name, a stored summary, a file's format) goes
    through ``_.words(...)``: plain text, escaped as any value is, since where it came from
    is not the template's to vouch for."""

    words: Words

    @property
    def language(self) -> str:
        return self.words.language

    def __call__(self, message: str, /, **values: object) -> Markup:
        text = Markup(self.words.catalogue.gettext(message))
        return text.format(**values) if values else text  # unfilled: for a script to fill

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> Markup:
        text = self.words.catalogue.ngettext(singular, plural, n)
        return Markup(text).format(n=n, **values)

    def plural_forms(self, singular: str, plural: str, /) -> dict[str, str]:
        return self.words.plural_forms(singular, plural)

    def marks(self, language: str) -> str:
        return self.words.marks(language)

    def date(self, moment: date | datetime | None) -> str:
        return self.words.date(moment)

    def time(self, moment: datetime | None) -> str:
        return self.words.time(moment)


def render(theme_dir: Path, template: str, **context: Any) -> str:
    words = context.get("_")
    if isinstance(words, Words):
        context["_"] = TemplateWords(words)
    return environment(theme_dir).get_template(template).render(**context)
