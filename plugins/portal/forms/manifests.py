"""The one way to read a built site's form manifests, checked against their JSON Schema.

The endpoint (which takes answers), the exports, the results and retention all read
manifests here, so they agree on what a manifest is: a file that is not valid JSON, or not a
manifest (a stale build, a file copied in by hand), is refused with its path and the first
thing wrong, instead of failing later on a missing key.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

Manifest = dict[str, Any]
# A form's id, which is also its file name: always fullmatch ("$" allows a final newline).
FORM_ID = re.compile(r"[a-z][a-z0-9_-]{0,62}")


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and what is wrong."""


def folder(site_dir: Path) -> Path:
    return site_dir / "api" / "forms"


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((files("portal.forms") / "manifest.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def parse(text: str, path: Path) -> Manifest:
    """``text`` (the contents of ``path``) as a manifest, or ManifestError."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ManifestError(f"{path}: not valid JSON ({error}); rebuild the site") from None
    wrong = _first_error(text)
    if wrong is not None:
        raise ManifestError(
            f"{path}: not a form manifest this version of the portal can read ({wrong}); "
            "rebuild the site with the same version as the endpoint"
        )
    manifest: Manifest = data
    return manifest


# A build reads every kept version of every form twice (the form's check, then the files it
# copies) and jsonschema takes ~5 ms a manifest: with 1,000 forms that was seconds. The
# verdict depends on the text alone, so it is remembered by text; each caller still gets a
# fresh json.loads to change as it likes.
@lru_cache(maxsize=8192)
def _first_error(text: str) -> str | None:
    found = next(
        iter(sorted(_validator().iter_errors(json.loads(text)), key=lambda e: e.path)), None
    )
    if found is None:
        return None
    where = "/".join(str(p) for p in found.absolute_path) or "the top level"
    return f"{where}: {found.message}"


def read(path: Path) -> Manifest:
    """The manifest in ``path``; OSError if it cannot be read, ManifestError if not one."""
    return parse(path.read_text(encoding="utf-8"), path)


def read_all(site_dir: Path) -> dict[str, Manifest]:
    """Every manifest of the site by form id; ManifestError on the first that is not one."""
    found: dict[str, Manifest] = {}
    where = folder(site_dir)
    for path in sorted(where.glob("*.json")) if where.is_dir() else []:
        try:
            manifest = read(path)
        except OSError as error:
            raise ManifestError(f"{path}: cannot be read ({error.strerror})") from None
        found[str(manifest["id"])] = manifest
    return found
