"""Problems a publisher can cause, each tied to a place and a way to fix it.

Readers collect problems instead of raising, so one run of ``portal check`` shows every
problem at once (as Frictionless reports do), not only the first.

Every problem carries a stable ``code`` (Frictionless calls it the error's ``type``): tests
and tools match codes, never the English words, which may be improved at any time.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

# code: title. A code, once published, keeps its meaning; add new ones rather than reuse.
CODES: dict[str, str] = {
    "content-invalid": "Content is invalid",
    "file-missing": "A required file or folder is missing",
    "file-encoding": "A file is not UTF-8 text",
    "yaml-malformed": "YAML cannot be read",
    "front-matter-unclosed": "Front matter is not closed",
    "front-matter-shape": "Front matter is not a set of fields",
    "key-duplicate": "A field is given twice",
    "key-unknown": "A field is not known",
    "field-missing": "A required field is missing",
    "field-empty": "A required field is empty",
    "field-type": "A field has a value of the wrong type",
    "field-value": "A field has a value that is not allowed",
    "date-invalid": "A date cannot be read",
    "date-order": "Dates are in the wrong order",
    "email-invalid": "An email address cannot be read",
    "slug-invalid": "A folder name or slug cannot be a web address",
    "slug-duplicate": "Two consultations claim one address",
    "slug-reserved": "A consultation takes an address the portal uses",
    "address-taken": "A page in content/ is at an address the portal's own pages use",
    "document-missing": "A listed document file does not exist",
    "document-outside": "A listed document is outside its folder",
    "form-invalid": "A form is invalid",
    "form-id-duplicate": "Two forms share an id",
    "dataset-invalid": "A data package is invalid",
    "link-broken": "A link points to a page or file that does not exist",
    "link-anchor": "A link points to an anchor that does not exist on its page",
    "image-missing": "An image points to a file that does not exist",
    "config-malformed": "mkdocs.yml cannot be read",
    "config-unknown": "A setting in mkdocs.yml is not known",
    "config-type": "A setting in mkdocs.yml has a value of the wrong type",
    "config-value": "A setting in mkdocs.yml has a value that is not allowed",
    "nav-missing": "The navigation names a page that does not exist",
    "env-invalid": "An environment variable has a value the portal cannot use",
    "dataset-descriptor-missing": "A folder in datasets/ has no datapackage.json",
    "dataset-descriptor-yaml": "A data package's descriptor is YAML, not datapackage.json",
    "form-version-changed": "An open form changed its questions or options without a mapping",
    "form-version-unreadable": "A kept version of a form cannot be read",
    "review-invalid": "A review file cannot be read",
    "review-decision": "A review decision is not one the portal knows",
    "review-reference": "A review entry names no stored answer",
    "review-answer-changed": "A reviewed answer's text was edited instead of redacted",
    "review-stale": "Published results no longer follow the review",
    "areas-invalid": "The areas' data package or GeoJSON cannot be used for the map",
    "area-unknown": "A consultation names an area the areas package does not have",
    "label-says-optional": "A question's label ends with '(optional)', which the form adds itself",
    "required-says-optional": "A required question's label says it is optional",
    "translation-missing": "Words are missing in one of the site's languages",
    "language-unknown": "Words are given in a language the site does not publish in",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content: where it is, what is wrong, what to do."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    code: str = "content-invalid"

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{place}: {self.message}"
        text = f"{text} ({self.hint})" if self.hint else text
        return f"{text} [{self.code}]"

    @property
    def title(self) -> str:
        return CODES.get(self.code, CODES["content-invalid"])

    def sort_key(self) -> tuple[str, int, str, str]:
        # A problem without a line (a whole file, a data package) sorts first in its file;
        # None and int cannot be compared, so it counts as line 0.
        return (self.path, self.line or 0, self.message, self.hint)


def default_code(path: str) -> str:
    """The code of a problem whose reader named none: what kind of file it is in."""
    return "dataset-invalid" if path.startswith("datasets/") else "content-invalid"


@dataclass
class Problems:
    """A collector that readers append to; ``root`` makes paths relative for messages.

    ``notes`` are worth fixing but refuse nothing (a label that already says what the form
    adds): ``portal check`` and every build show them as warnings, and go ahead.
    """

    root: Path
    items: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        hint: str = "",
        code: str = "",
    ) -> None:
        where = self.relative(path)
        self.items.append(Problem(where, line, message, hint, code or default_code(where)))

    def note(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        hint: str = "",
        code: str = "",
    ) -> None:
        where = self.relative(path)
        self.notes.append(Problem(where, line, message, hint, code or default_code(where)))

    def relative(self, path: Path | str) -> str:
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


def in_order(problems: list[Problem]) -> list[Problem]:
    """By file, then line; one problem found twice (by two readers) is shown once."""
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)


def show_warnings(notes: list[Problem]) -> None:
    """Print what refuses nothing, each at its place, in the words the data packages'
    warnings have (portal.datasets.reader.show_notes)."""
    for note in in_order(notes):
        print(f"Warning: {note}", file=sys.stderr)


class ContentError(Exception):
    """Raised by a build when content has problems; carries all of them."""

    ENDING = "nothing was built."

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = in_order(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        noun = "problem" if count == 1 else "problems"
        return "\n".join([*lines, f"{count} {noun} found; {self.ENDING}"])
