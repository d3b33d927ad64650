"""``portal build --generator pelican``: run Pelican with the portal plugin."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from portal.pelican_plugin.config import pelican_settings
from portal.settings import load_settings


def build_pelican(root: Path, site_dir: Path) -> None:
    """Build the site into ``site_dir``; any problem raises, and the caller discards it."""
    import pelican.settings

    options = pelican_settings(load_settings(root), site_dir)
    site = pelican.Pelican(pelican.settings.read_settings(override=options))
    # Pelican's summary counts articles and pages of its own, always 0 here: noise for staff.
    with contextlib.redirect_stdout(io.StringIO()):
        site.run()


@dataclass(frozen=True)
class PelicanGenerator:
    name: str = "pelican"
    summary: str = "Pelican 4 with the portal's own Pelican theme"
    in_process: bool = True

    def build(self, root: Path, site_dir: Path) -> None:
        build_pelican(root, site_dir)
