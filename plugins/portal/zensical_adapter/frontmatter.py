"""Front matter of the pages handed to Zensical: kept as written, or written as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
# json.dumps escapes C0 controls itself; YAML reads NEL and U+2028/9 as line breaks.
NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The page's front matter (as data, for its title) and its body."""
    found = FRONT.match(text)
    if found is None:
        return {}, text
    # Already read and checked by the gate (portal.frontmatter); here only its title counts.
    meta = yaml.safe_load(found.group(1) or "") or {}
    return (meta if isinstance(meta, dict) else {}), text[found.end() :]


def with_front_matter(meta: dict[str, Any], body: str) -> str:
    """JSON is YAML, and much faster to write; characters YAML would not read back as
    written are escaped, which both languages read."""
    front = NOT_YAML_PRINTABLE.sub(_escape, json.dumps(meta, ensure_ascii=False, default=str))
    return f"---\n{front}\n---\n\n{body}\n"


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"
