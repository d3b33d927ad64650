"""``portal build --generator zensical``: the portal built with Zensical (alpha software).

Zensical reads ``mkdocs.yml`` and Material's ``custom_dir`` overrides and renders Markdown
with Python-Markdown, but runs no MkDocs plugins and its templates (MiniJinja) call no
Python. So the adapter does here what the MkDocs plugin does inside MkDocs: see
``portal.zensical_adapter.build``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ZensicalGenerator:
    name: str = "zensical"
    summary: str = "Zensical 0.0.73 (alpha; Material's successor): see the deployment guide"
    in_process: bool = True

    def build(self, root: Path, site_dir: Path) -> None:
        from portal.zensical_adapter.build import build_zensical

        build_zensical(root, site_dir)
