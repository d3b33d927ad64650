"""The endpoint's view of a site built in several languages (portal.languages): each
language but the default has its own folder of the built site (``cy/``), with its own
search index and API; a request names the language of the page it came from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from portal.endpoint.config import EndpointSettings
from portal.i18n import Words, chosen

T = TypeVar("T")


class PerLanguage(Generic[T]):
    """One reader (``make(folder)``) of a built file per language folder that has it
    (``marker``, relative to the folder), made when a language is first asked for; the
    site's own for any other language."""

    def __init__(self, settings: EndpointSettings, marker: Path, make: Callable[[Path], T]) -> None:
        self.settings = settings
        self.marker = marker
        self.make = make
        self.default = make(settings.site_dir)
        self.translated: dict[str, T] = {}

    def get(self, language: str) -> tuple[T, Words]:
        """The reader for ``language``, and the portal's words in it (English for a
        language the portal has no words in)."""
        words = chosen(language, self.settings.locale_dir)
        code = words.language
        if code == language and "/" not in code and code not in self.translated:
            folder = self.settings.site_dir / code
            if (folder / self.marker).is_file():
                self.translated[code] = self.make(folder)
        return self.translated.get(code, self.default), words
