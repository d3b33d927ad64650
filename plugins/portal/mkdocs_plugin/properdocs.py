"""``python -m portal.mkdocs_plugin.properdocs ROOT SITE_DIR``: the MkDocs build on ProperDocs.

Run by ``ProperDocsGenerator`` in a process of its own: ``properdocs.replacement`` must be
imported before anything imports MkDocs. The failure, if any, goes to stdout for the parent
to report; nothing here prints a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    try:
        import properdocs.replacement  # noqa: F401  (mkdocs.* is ProperDocs from here on)
    except ImportError:
        print(
            "ProperDocs is not installed: pip install 'portal[properdocs]' (or the "
            "properdocs version pinned in the engine's constraints.txt).",
        )
        return 1
    from portal.mkdocs_plugin.build import build_mkdocs
    from portal.parallel import build_worker

    root, site_dir = Path(argv[0]), Path(argv[1])
    try:
        with build_worker():
            build_mkdocs(root, site_dir)
    except Exception as error:  # any failure is reported by the parent, in its words
        print(error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
