"""``portal build --generator pelican``: run Pelican with the portal plugin."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from portal import shipped_assets
from portal.pages import refusals as refusal_pages
from portal.pelican_plugin.config import pelican_settings
from portal.settings import load_settings


def build_pelican(root: Path, site_dir: Path) -> None:
    """Build the site into ``site_dir``; any problem raises, and the caller discards it."""
    import pelican.settings

    settings = load_settings(root)
    options = pelican_settings(settings, site_dir)
    site = pelican.Pelican(pelican.settings.read_settings(override=options))
    # Pelican's summary counts articles and pages of its own, always 0 here: noise for staff.
    with contextlib.redirect_stdout(io.StringIO()):
        site.run()
    # Stylesheets and scripts at addresses that can be cached for good, as in the MkDocs
    # build: the pages the portal writes itself (a dataset's rows) are then the same bytes.
    shipped_assets.finish(site_dir, [settings.theme_dir])
    refusal_pages.write(site_dir, settings)  # the pages nginx answers with itself


@dataclass(frozen=True)
class PelicanGenerator:
    name: str = "pelican"
    summary: str = "Pelican 4 with the portal's own Pelican theme"
    in_process: bool = True

    def build(self, root: Path, site_dir: Path) -> None:
        build_pelican(root, site_dir)
