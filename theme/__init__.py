"""The engine's theme, shipped inside the installed package as ``portal.theme``.

A new portal (``portal init``) names it in mkdocs.yml as ``theme: name: portal``: MkDocs finds
it through the ``mkdocs.themes`` entry point, and ``mkdocs_theme.yml`` here extends Material.
The portal's own templates (``portal/``), the Pelican theme and the CSS and JavaScript come
with each release of the engine, so a site copies none of them and a pinned upgrade brings
them all. This repository's demo names the same folder as ``custom_dir: theme``.

In a development checkout the package reaches this folder through the symlink
``plugins/portal/theme``. MkDocs takes the theme's folder from ``__file__``; the real path
keeps it the folder the portal's settings name (which resolve symlinks), so the build sees
one theme folder, not two.
"""

import os

__file__ = os.path.realpath(__file__)
