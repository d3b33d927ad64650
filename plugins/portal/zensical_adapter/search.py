"""Material's ``search/search_index.json`` from Zensical's ``search.json``.

The endpoint's search without JavaScript (portal.endpoint.search) reads Material's index.
Zensical writes the same entries (location, title, text, per page and per section) under
``items`` with a configuration of its own; this writes them in Material's shape, with the
configuration Material's search plugin gives them (the site's ``separator``, if it sets
one), so the endpoint finds the same pages in both builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ZENSICAL = "search.json"
MATERIAL = Path("search") / "search_index.json"
# Material 9.8's search plugin defaults (material/plugins/search/config.py).
SEPARATOR = r"[\s\-]+"
FIELDS = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}


def write_material_index(site: Path, plugins: Any) -> None:
    source = site / ZENSICAL
    if not source.is_file():
        return  # the site turned search off
    data = json.loads(source.read_text(encoding="utf-8"))
    config = data.get("config") or {}
    docs = []
    for item in data.get("items") or []:
        doc = {key: item[key] for key in ("location", "title", "text") if key in item}
        if item.get("tags"):
            doc["tags"] = item["tags"]
        docs.append(doc)
    index = {
        "config": {
            "lang": config.get("lang") or ["en"],
            "separator": _search_option(plugins, "separator") or SEPARATOR,
            "pipeline": _search_option(plugins, "pipeline") or ["stopWordFilter"],
            "fields": FIELDS,
        },
        "docs": docs,
    }
    target = site / MATERIAL
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _search_option(plugins: Any, name: str) -> Any:
    """An option of ``search`` in mkdocs.yml's plugins (a map, or a list of names and maps)."""
    if isinstance(plugins, dict):
        options = plugins.get("search")
    else:
        found = (e["search"] for e in plugins or [] if isinstance(e, dict) and "search" in e)
        options = next(found, None)
    return options.get(name) if isinstance(options, dict) else None
