"""Streaming reads of a tabular resource: its schema, a preview, and records for charts.

Every read goes through ``row_stream`` and stops as soon as it has what it needs, so the cost
is bounded by the rows asked for, never by the size of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from typing import Any

from frictionless import Schema
from frictionless.resources import TableResource

from portal.datasets.model import SchemaField

PREVIEW_ROWS = 50


def schema_fields(schema: Schema) -> list[SchemaField]:
    fields = []
    for f in schema.fields:
        descriptor = f.to_descriptor()
        fmt = str(descriptor.get("format") or "")
        fields.append(
            SchemaField(
                name=f.name,
                type=f.type,
                title=f.title or "",
                description=f.description or "",
                format="" if fmt == "default" else fmt,
                constraints=dict(descriptor.get("constraints") or {}),
            )
        )
    return fields


def preview(resource: TableResource, limit: int = PREVIEW_ROWS) -> list[list[str]]:
    """The first rows as published (raw cell text), so the page shows exactly the file."""
    with resource:
        return [[_text(c) for c in row.cells] for row in islice(resource.row_stream, limit)]


def records(resource: TableResource, limit: int) -> Iterator[dict[str, Any]]:
    """Typed rows as JSON-ready dicts, for Vega-Lite's inline data."""
    with resource:
        for row in islice(resource.row_stream, limit):
            if not row.valid:
                continue  # a chart of invalid data would mislead; the build fails anyway
            yield {name: json_value(row[name]) for name in row.field_names}


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if type(value).__name__ == "yearmonth":  # frictionless' (year, month) named tuple
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell)
