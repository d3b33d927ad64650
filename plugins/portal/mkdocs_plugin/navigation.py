"""Material's navigation sidebar, rendered once for all the pages outside it.

Material renders the whole navigation into every page: at 1,000 consultations that is
about half a second of the build, and for every page that is not itself in the navigation
(consultations, datasets, filter pages) the result is the same for every page in the same
folder: its links are relative to the folder. The adapter puts that folder in the page's
metadata (``portal_nav_key``; none for pages in the navigation, whose sidebar marks where
they are); ``theme/partials/nav.html`` renders Material's own ``partials/nav.html`` the first
time it meets a key and reuses that HTML after. The template reads data and calls nothing,
so it works the same where no key is set (Zensical; ``PORTAL_MATERIAL_SPEEDUPS=off``).
tests/generators/test_speedups_fence.py compares every page with a build that renders the
navigation each time.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader

from portal.mkdocs_plugin import speedups

KEY = "portal_nav_key"


def share_navigation(env: Environment) -> None:
    """Per build (MkDocs makes a new environment for each): the cache, and a name for
    Material's own partial ("material/partials/nav.html") that ours can include."""
    material = str(files("material") / "templates")
    loader = env.loader
    assert loader is not None
    env.loader = ChoiceLoader([loader, PrefixLoader({"material": FileSystemLoader(material)})])
    env.globals["portal_navs"] = {}


def mark_folder(page: Any, nav_urls: set[str]) -> None:
    """The page's key in its metadata, when the speed-up is on."""
    key = speedups.attempt("shared navigation", lambda: _key(page, nav_urls), lambda: None)
    if key is not None:
        page.meta[KEY] = key


def _key(page: Any, nav_urls: set[str]) -> str | None:
    url = page.url
    if not isinstance(url, str) or url in nav_urls or (url and not url.endswith("/")):
        return None  # in the navigation, or a page such as 404.html with its own links
    return "folder:" + url.rstrip("/").rpartition("/")[0]
