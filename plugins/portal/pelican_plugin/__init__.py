"""Pelican plugin ``portal``: the same portal as the MkDocs build, from the same files.

Pelican loads this module by name (``PLUGINS = ["portal.pelican_plugin"]``) and calls
``register``; ``build.build_pelican`` is what ``portal build --generator pelican`` runs.
"""

from __future__ import annotations

from typing import Any


def register() -> None:
    from pelican import signals

    signals.get_generators.connect(_generators)


def _generators(pelican: Any) -> type:
    from portal.pelican_plugin.generator import PortalGenerator

    return PortalGenerator
