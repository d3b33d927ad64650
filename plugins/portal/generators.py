"""The site generators a portal can be built with, each an adapter found by entry point.

An adapter is one package that registers an object under the entry point group
``portal.generators`` (see pyproject.toml): its ``name`` is what ``portal build
--generator NAME`` and ``PORTAL_GENERATOR`` take, and ``build`` writes the whole site into a
folder. The core hands every adapter the same pages and files (``portal.generated``,
``portal.checks.gate.site_problems``); how it turns them into a site is the adapter's own.
``portal.building`` builds into a fresh folder and swaps it in, so an adapter that raises
leaves the previous site as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

GROUP = "portal.generators"
DEFAULT = "mkdocs"
# For a deployment (deploy/portal-build.service), where the command line is fixed.
ENV = "PORTAL_GENERATOR"


@runtime_checkable
class Generator(Protocol):
    """One site generator, as ``portal build`` drives it.

    One that can publish a site in several languages (portal.languages) also says
    ``several_languages = True``; the others build the default language only, and
    ``portal check`` and ``portal build`` say so (``one_language_note``).
    """

    @property
    def name(self) -> str:
        """The name on the command line, such as 'mkdocs'."""
        ...

    @property
    def summary(self) -> str:
        """One line for ``portal build --help``: the generator and its status."""
        ...

    @property
    def in_process(self) -> bool:
        """Whether it reads the content in this process, so that ``portal build`` may start
        reading the data packages on the second core while the generator starts."""
        ...

    def build(self, root: Path, site_dir: Path) -> None:
        """Build the portal at ``root`` into the empty folder ``site_dir``.

        Any problem raises, with a message staff can act on (``portal.problems.ContentError``
        for content the gate refuses); the caller discards the folder.
        """
        ...


@dataclass(frozen=True)
class UnknownGenerator(Exception):
    name: str
    known: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"There is no site generator called '{self.name}'. The generators installed are: "
            f"{', '.join(self.known) or 'none'}."
        )


def names() -> list[str]:
    """Every generator installed (entry points of every installed package), by name."""
    return sorted({point.name for point in entry_points(group=GROUP)})


def chosen(name: str | None = None) -> str:
    """The generator asked for: on the command line, else ``PORTAL_GENERATOR``, else MkDocs."""
    return name or os.environ.get(ENV, "").strip() or DEFAULT


def get(name: str) -> Generator:
    """The generator registered as ``name``; only its own module is imported."""
    for point in entry_points(group=GROUP, name=name):
        loaded = point.load()
        generator = loaded() if isinstance(loaded, type) else loaded
        if not isinstance(generator, Generator) or generator.name != name:
            raise TypeError(f"{point.value} ({GROUP}) is not a portal Generator named {name}")
        return generator
    raise UnknownGenerator(name, tuple(names()))


def one_language_note(name: str, languages: tuple[str, ...]) -> str | None:
    """What staff are told when the generator ``name`` cannot publish all ``languages``."""
    if len(languages) < 2:
        return None
    try:
        several = getattr(get(name), "several_languages", False)
    except (UnknownGenerator, TypeError):
        return None  # 'portal build' says which generators there are
    if several:
        return None
    left_out = ", ".join(languages[1:])
    return (
        f"Warning: the {name} build publishes one language, {languages[0]}: the pages in "
        f"{left_out} are left out. Build with MkDocs or ProperDocs (PORTAL_GENERATOR=mkdocs) "
        f"to publish every language."
    )
