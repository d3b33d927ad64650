"""Frictionless validation turned into the portal's problems: resource, row and field.

``Package.validate`` streams each resource row by row, so a million-row CSV is checked in
bounded memory (only primary-key and unique checks remember values, as they must). Errors are
capped by frictionless at ``limit_errors``, so one broken column cannot flood the report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, Report
from frictionless.errors import ForeignKeyError, PrimaryKeyError

from portal.datasets.model import ReportedError, ValidationReport
from portal.problems import Problems

# What a publisher should do about each kind of error, by frictionless error type.
HINTS = {
    "blank-row": "delete the empty line from the CSV",
    "primary-key": "make each row's key unique and filled in",
    "foreign-key": "use a value that exists in the referenced resource",
    "unique": "each value in this field must appear only once",
    "type-error": "write the value in the field's type and format, or as a missing value",
    "constraint-error": "change the value, or the constraint in the schema",
    "missing-cell": "add the missing cells so the row has one cell per field",
    "extra-cell": "remove the extra cells or add a field to the schema",
    "extra-label": "add the column to the schema or remove it from the CSV",
    "missing-label": "add the column to the CSV or remove the field from the schema",
    "incorrect-label": "make the CSV header match the schema's field names",
    "duplicate-label": "give every column a different name",
    "blank-label": "give every column a name",
    "hash-count": "update the resource's hash, or remove it",
    "byte-count": "update the resource's bytes, or remove it",
    "scheme-error": "check the resource's path; the file must be in the package folder",
    "encoding-error": "save the file as UTF-8",
}
LIMIT_ERRORS = 1000
REPORTED_ERRORS = 20  # the first errors a dataset page lists; the counts cover them all


@dataclass
class Validation:
    """What one validation pass learnt besides the errors: rows per resource."""

    rows: dict[str, int] = field(default_factory=dict)
    valid: bool = True
    report: ValidationReport | None = None  # kept for the page in ``validation: report``


def validate_package(
    package: Package, descriptor_path: Path, problems: Problems, notes: Problems | None = None
) -> Validation:
    """Data errors are ``problems`` (the build stops), or, given ``notes`` (the package is
    third-party data republished as it is), warnings there and a report for its page.
    Metadata errors are always problems: a descriptor that does not read is not published."""
    try:
        report: Report = package.validate(limit_errors=LIMIT_ERRORS)
    except FrictionlessException as failure:
        problems.add(descriptor_path, None, failure.error.message, "fix the data package")
        return Validation(valid=False)
    result = Validation(valid=report.valid)
    for error in report.errors:  # package-level: metadata, not rows
        problems.add(descriptor_path, None, _describe_metadata(error), "fix the data package")
    data_errors = notes if notes is not None else problems
    found: list[ReportedError] = []
    for task in report.tasks:
        result.rows[task.name] = int(task.stats.get("rows") or 0)
        schema = getattr(package.get_resource(task.name), "schema", None)
        fields = [f.name for f in schema.fields] if schema else []
        pkey = list(schema.primary_key) if schema else []
        for error in task.errors:
            message = f"resource '{task.name}'{_where(error, fields, pkey)}: {_what(error)}"
            data_errors.add(descriptor_path, None, message, HINTS.get(error.type, ""))
            found.append(_reported(task.name, error))
    if notes is not None and found:
        result.report = _report(found, limited=any(t.warnings for t in report.tasks))
    return result


def _reported(resource: str, error: Any) -> ReportedError:
    return ReportedError(
        resource=resource,
        type=str(error.type),
        title=str(error.title),
        message=_what(error),
        row=getattr(error, "row_number", None),
        field=str(getattr(error, "field_name", "") or ""),
    )


def _report(errors: list[ReportedError], *, limited: bool) -> ValidationReport:
    counts = Counter((e.type, e.title) for e in errors)
    return ValidationReport(
        frictionless_version=version("frictionless"),
        total=len(errors),
        counts=tuple((t, title, n) for (t, title), n in counts.most_common()),
        first=tuple(errors[:REPORTED_ERRORS]),
        limited=limited or len(errors) >= LIMIT_ERRORS,
    )


def _where(error: Any, fields: list[str], primary_key: list[str]) -> str:
    """' row 4 field 'price'', naming every field a row-level error involves."""
    place = ""
    row = getattr(error, "row_number", None)
    if row:
        place += f" row {row}"
    elif getattr(error, "row_numbers", None):
        place += " header"
    names: list[str]
    if getattr(error, "field_name", None):
        names = [error.field_name]
    elif isinstance(error, ForeignKeyError):
        names = list(error.field_names)
    elif isinstance(error, PrimaryKeyError):
        names = primary_key
    elif error.type == "blank-row":
        names = fields
    else:
        names = []
    if names:
        noun = "field" if len(names) == 1 else "fields"
        place += f" {noun} " + ", ".join(f"'{n}'" for n in names)
    return place


def _what(error: Any) -> str:
    text = str(error.type).replace("-", " ")
    cell = getattr(error, "cell", None)
    if cell not in (None, ""):
        text += f" (value {cell!r})"
    if error.note:
        text += f": {error.note}"
    return text


def _describe_metadata(error: Any) -> str:
    return f"{error.title.lower()}: {error.note or error.message}"
