"""The staff copy of the responses that opens well in a spreadsheet program.

It is for reading, not for machines: each column is headed by its question's label, a chosen
option shows its label instead of its code, a ticked box reads Yes or No, and the time a
response came is in the form's time zone with the zone written beside it. The file starts
with a UTF-8 byte order mark, without which Excel takes UTF-8 for a legacy code page and
garbles every accented name. The package's own CSV keeps the codes and the exact answers.

It is also safe to open (OWASP "CSV Injection" guidance): a cell that begins with ``=``,
``+``, ``-``, ``@``, a tab, a carriage return or a line feed could be read as a formula by
Excel, LibreOffice or Google Sheets, so it gets a leading single quote and shows as text.
Every cell is then quoted as RFC 4180 says (the csv module, ``QUOTE_ALL``, CRLF line ends),
so commas, quotes and line breaks cannot break out of a cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
DESCRIPTION = (
    "The spreadsheet copy (a separate file, not part of this package) is for reading: "
    "question labels as headers, option labels instead of codes, times in the form's time "
    "zone, and a byte order mark so Excel reads it as UTF-8. It neutralises cells that "
    "begin with = + - @ tab, carriage return or line feed by prefixing a single quote, as the "
    "OWASP CSV Injection guidance recommends, and quotes every cell as RFC 4180 says. The CSV "
    "files in this package keep every answer exactly as it was sent, with option codes: do "
    "not open them in a spreadsheet program without importing every column as text."
)
TIMES = ("received_at",)  # the head columns that hold an instant (export.columns)
YES, NO = "Yes", "No"


class Column(Protocol):
    """A column of the export (portal.exports.export.Column)."""

    @property
    def field(self) -> dict[str, Any]: ...
    @property
    def question(self) -> str | None: ...
    @property
    def option(self) -> str | None: ...


def neutralise(value: Any) -> str:
    """The cell as text, with a leading ' when a spreadsheet could take it as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(TRIGGERS) else text


def local_time(value: str, zone: ZoneInfo) -> str:
    """An ISO instant as the form's local time with its zone (a stored time without an
    offset was stored in UTC)."""
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def header(col: Column, zone: str) -> str:
    title = str(col.field.get("title") or col.field["name"])
    return f"{title} ({zone} time)" if col.field["name"] in TIMES else title


def readable(col: Column, cell: Any, questions: dict[str, dict[str, Any]], zone: ZoneInfo) -> Any:
    """One cell as a person reads it; an empty cell stays empty."""
    if cell in ("", None):
        return ""
    if col.question is None:
        return local_time(str(cell), zone) if col.field["name"] in TIMES else cell
    if col.option is not None or col.field.get("type") == "boolean":
        return YES if cell == "true" else NO
    q = questions.get(col.question, {})
    labels = {str(o["value"]): o["label"] for o in q.get("options") or []}
    return labels.get(str(cell), cell)


def write(
    path: Path,
    cols: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    manifest: dict[str, Any],
) -> None:
    questions = {q["id"]: q for q in manifest["questions"]}
    name = str(manifest.get("timezone") or "UTC")
    zone = ZoneInfo(name)
    # utf-8-sig writes the byte order mark Excel needs to read the file as UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([neutralise(header(c, name)) for c in cols])
        for row in rows:
            cells = [readable(c, cell, questions, zone) for c, cell in zip(cols, row, strict=True)]
            writer.writerow([neutralise(cell) for cell in cells])
