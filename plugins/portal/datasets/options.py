"""``portal.yml`` beside a descriptor: how the portal publishes a package, not what it is.

It lives in the package's folder rather than in ``datapackage.json`` because the descriptor
is often someone else's file, republished byte for byte::

    validation: report        # publish with a validation report instead of failing the build
    browse:                   # the field each resource's rows are sorted and found by
      population: area_name
    language: en              # the language its titles and descriptions are written in

``language`` matters on a site in several languages (issue 21): a package is written once,
in one language, and its pages in every other mark its words as that language (``lang``),
so a screen reader says them rightly. Without it, the site's default language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portal import i18n
from portal.problems import Problems

FILENAME = "portal.yml"
VALIDATION_MODES = ("fail", "report")


@dataclass(frozen=True)
class PackageOptions:
    validation: str = "fail"  # "report": data errors are warnings and shown on the page
    browse: dict[str, str] = field(default_factory=dict)  # resource name -> field name
    language: str = ""  # what its words are written in; '' for the site's default

    @property
    def report_errors(self) -> bool:
        return self.validation == "report"


def read_options(folder: Path, problems: Problems) -> PackageOptions:
    path = folder / FILENAME
    if not path.is_file():
        return PackageOptions()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        problems.add(
            path,
            line + 1 if line is not None else None,
            f"cannot read: {error}",
            code="yaml-malformed",
        )
        return PackageOptions()
    if not isinstance(data, dict):
        problems.add(path, 1, "portal.yml must be a mapping", "write 'validation: report'")
        return PackageOptions()
    validation = str(data.get("validation", "fail"))
    if validation not in VALIDATION_MODES:
        problems.add(
            path,
            _line(path, "validation"),
            f"validation '{validation}' is not one of: {', '.join(VALIDATION_MODES)}",
            "write 'validation: report' to publish third-party data with its errors shown",
            code="field-value",
        )
        validation = "fail"
    browse = data.get("browse") or {}
    if not isinstance(browse, dict):
        problems.add(path, _line(path, "browse"), "browse must map resource names to field names")
        browse = {}
    language = _language(path, data.get("language"), problems)
    unknown = sorted(set(data) - {"validation", "browse", "language"})
    if unknown:
        problems.add(
            path,
            _line(path, unknown[0]),
            f"unknown setting(s): {', '.join(unknown)}",
            "portal.yml takes 'validation', 'browse' and 'language'",
            code="key-unknown",
        )
    return PackageOptions(validation, {str(k): str(v) for k, v in browse.items()}, language)


def _language(path: Path, value: object, problems: Problems) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str) and i18n.is_known(value.strip()):
        return value.strip()
    problems.add(
        path,
        _line(path, "language"),
        f"language {value!r} is not a language tag",
        "write the language the package's words are in as a tag, such as 'en' or 'cy'",
        code="field-value",
    )
    return ""


def _line(path: Path, key: str) -> int | None:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith(f"{key}:"):
            return number
    return None
