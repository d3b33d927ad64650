"""The form manifests of the built site, read on demand so a rebuild needs no restart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.forms import manifests, versions
from portal.forms.manifests import FORM_ID, ManifestError

_SUBMISSION_INPUT = re.compile(r'name="submission_id" value="([^"]*)"')


@dataclass(frozen=True)
class Form:
    manifest: dict[str, Any]
    # The submission id baked into the static page: every visitor without JavaScript sends
    # this same value, so it cannot tell one response from another (see responses.py).
    static_submission_id: str | None

    @property
    def id(self) -> str:
        return str(self.manifest["id"])

    @cached_property
    def version(self) -> str:
        """The form's version (portal.forms.versions), stored with each response to it."""
        return str(self.manifest.get("version") or versions.of(self.manifest))

    @property
    def timezone(self) -> tzinfo:
        """The site's time zone, for a PORTAL_NOW written without an offset."""
        try:
            return ZoneInfo(str(self.manifest.get("timezone") or "UTC"))
        except (ValueError, ZoneInfoNotFoundError):
            return UTC

    def instant(self, key: str) -> datetime | None:
        value = self.manifest.get(key)
        return datetime.fromisoformat(value) if value else None


class ManifestUnreadable(RuntimeError):
    """A form's manifest is there but cannot be read (permissions, a half-written file)."""


class Manifests:
    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._cache: dict[str, tuple[int, Form]] = {}

    @property
    def folder(self) -> Path:
        return manifests.folder(self.site_dir)

    def get(self, form_id: str) -> Form | None:
        """The form, None if the site has no such form; ManifestUnreadable if it cannot say."""
        if not FORM_ID.fullmatch(form_id):  # also keeps the path inside api/forms/
            return None
        path = self.folder / f"{form_id}.json"
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ManifestUnreadable(f"{path}: {error.strerror}") from error
        cached = self._cache.get(form_id)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            manifest = manifests.read(path)
            form = Form(manifest, self._static_id(manifest))
        except ManifestError as error:
            raise ManifestUnreadable(str(error)) from error
        except (OSError, ValueError) as error:
            raise ManifestUnreadable(f"{path}: {error}") from error
        self._cache[form_id] = (stamp, form)
        return form

    def problem(self) -> str | None:
        """Why the endpoint cannot read its forms, if it cannot (for /health)."""
        try:
            ids = [p.stem for p in self.folder.iterdir() if p.suffix == ".json"]
        except FileNotFoundError:
            return None  # a site without forms: nothing to read, nothing wrong
        except OSError as error:
            return f"the form manifests in {self.folder} cannot be listed: {error.strerror}"
        for form_id in ids:
            try:
                self.get(form_id)
            except ManifestUnreadable as error:
                return f"a form manifest cannot be read: {error}"
        return None

    def _static_id(self, manifest: dict[str, Any]) -> str | None:
        page = self.site_dir / str(manifest.get("page_file", ""))
        if not page.is_file():
            return None
        found = _SUBMISSION_INPUT.search(page.read_text(encoding="utf-8"))
        return found[1] if found else None
