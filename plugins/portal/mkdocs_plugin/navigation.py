"""Material's navigation sidebar, rendered once for all the pages outside it.

Material renders the whole navigation into every page: at 1,000 consultations that is
about half a second of the build, and for every page that is not itself in the navigation
(consultations, datasets, filter pages) the result is the same for every page in the same
folder: its links are relative to the folder. ``theme/partials/nav.html`` asks
``portal_nav_key`` for a key (the folder; None for pages in the navigation, whose sidebar
marks where they are), renders Material's own ``partials/nav.html`` the first time it meets
a key and reuses that HTML after. A test
compares every page with a build that renders the navigation each time.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader


def share_navigation(env: Environment, nav_urls: set[str]) -> None:
    """Per build (MkDocs makes a new environment for each): the cache, the key and a name
    for Material's own partial ("material/partials/nav.html") that ours can include."""
    material = str(files("material") / "templates")
    loader = env.loader
    assert loader is not None
    env.loader = ChoiceLoader([loader, PrefixLoader({"material": FileSystemLoader(material)})])
    env.globals["portal_navs"] = {}
    env.globals["portal_nav_key"] = lambda page: _key(page, nav_urls)


def _key(page: Any, nav_urls: set[str]) -> str | None:
    url = getattr(page, "url", None)
    if not isinstance(url, str) or url in nav_urls or (url and not url.endswith("/")):
        return None  # in the navigation, or a page such as 404.html with its own links
    return "folder:" + url.rstrip("/").rpartition("/")[0]
