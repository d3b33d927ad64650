"""The one fence around everything the MkDocs adapter does inside Material or MkDocs.

Three things reach past their public surface: the search index on the second core
(``search.py``: Material's ``SearchIndex``), the navigation rendered once per folder
(``navigation.py``: Material's own ``partials/nav.html`` under a second name) and the table
of contents rebuilt from the final HTML (``headings.py``: MkDocs' ``get_toc``). Each goes
through here: when Material or MkDocs changes under it, the error its change raises is
caught, said once, and the plain path is taken (Material's own search indexing, the
navigation rendered for every page, MkDocs' own table of contents). A change in Material
can then only make the build slower, never wrong.

``PORTAL_MATERIAL_SPEEDUPS=off`` takes the plain path for the two speed-ups (search and
navigation) from the start; tests/generators/test_speedups_fence.py builds the site both ways
and compares every file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar

ENV = "PORTAL_MATERIAL_SPEEDUPS"
# What a moved module, a renamed attribute or a changed signature raises.
CHANGED: tuple[type[Exception], ...] = (
    AttributeError,
    ImportError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
)

# Not MkDocs' logger: with strict: true MkDocs counts every warning it logs as an error.
log = logging.getLogger("portal.speedups")
_said: set[str] = set()
T = TypeVar("T")


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in {"off", "0", "no", "false"}


def fell_back(name: str, error: BaseException) -> None:
    """Say once per process that ``name`` took the plain path, and why."""
    if name not in _said:
        _said.add(name)
        log.warning(
            "Material or MkDocs has changed (%s: %s): the %s is made the plain way, which "
            "is slower but gives the same site.",
            type(error).__name__,
            error,
            name,
        )


def attempt(name: str, fast: Callable[[], T], plain: Callable[[], T], *, speedup: bool = True) -> T:
    """``fast()``, or ``plain()`` when Material has changed (or, for a speed-up, when the
    speed-ups are off)."""
    if speedup and not enabled():
        return plain()
    try:
        return fast()
    except CHANGED as error:
        fell_back(name, error)
        return plain()
