"""The theme Zensical is given: one folder of overrides on top of its own Material.

MkDocs stacks the portal's templates on Material in two ways: ``theme: name: portal`` (the
engine's theme, which ``extends: material``, plus a site's own ``custom_dir``), or
``name: material`` with ``custom_dir`` naming the portal's templates, as this repository's
demo does. Zensical follows ``extends`` as MkDocs does but takes one ``custom_dir``, so the
staged one holds the site's overrides and what MkDocs' adapter adds: Material's own
templates under ``material/``, which the portal's overrides include by that name
(navigation.py's prefix loader), and the adapter's own overrides in ``templates/`` where the
site has none.
"""

from __future__ import annotations

import re
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

from portal.settings import Settings

# The base theme's templates that the portal's overrides include by this prefix.
MATERIAL = re.compile(r"""["']material/([\w/.-]+\.html)["']""")
# What a theme folder holds besides templates and assets: not for the published site.
NOT_THEME = shutil.ignore_patterns("pelican", "__pycache__", "*.py", "mkdocs_theme.yml")
OWN = Path(__file__).parent / "templates"


def stage_theme(root: Path, settings: Settings, theme: Any, target: Path) -> dict[str, Any]:
    """Copy the layers into ``target``; the ``theme:`` settings that name it."""
    staged = dict(theme) if isinstance(theme, dict) else {"name": str(theme or "material")}
    layers = [settings.theme_dir]
    if staged.get("name") == "portal":
        # Zensical finds the engine's theme by its entry point and follows its 'extends:
        # material' itself; only the site's own overrides are staged.
        custom = staged.get("custom_dir")
        layers = [(root / str(custom)).resolve()] if custom else []
    target.mkdir(parents=True, exist_ok=True)
    for layer in layers:
        shutil.copytree(layer, target, ignore=NOT_THEME, dirs_exist_ok=True)
    staged["custom_dir"] = target.name
    # Material's look, which the portal's styles are written for (Zensical's own default
    # is its "modern" variant, with other colours: the footer fails contrast there).
    staged.setdefault("variant", "classic")
    _add_material(target, layers)
    return staged


def remove_theme_package(site: Path) -> None:
    """Zensical copies every file of a theme's folder into the site; MkDocs leaves out a
    theme's Python and its mkdocs_theme.yml, and the MkDocs adapter the Pelican theme."""
    for name in ["__init__.py", "__pycache__", "mkdocs_theme.yml", "pelican"]:
        found = site / name
        if found.is_dir():
            shutil.rmtree(found)
        elif found.exists():
            found.unlink()


def _add_material(target: Path, layers: list[Path]) -> None:
    base = Path(str(files("zensical") / "templates"))
    engine = Path(str(files("portal") / "theme"))
    wanted = {
        name
        for layer in [*layers, engine, OWN]
        for template in layer.rglob("*.html")
        for name in MATERIAL.findall(template.read_text(encoding="utf-8"))
    }
    for template in OWN.rglob("*.html"):
        name = template.relative_to(OWN).as_posix()
        if not (target / name).exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, target / name)
    for name in sorted(wanted):
        if (base / name).is_file():
            (target / "material" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(base / name, target / "material" / name)
