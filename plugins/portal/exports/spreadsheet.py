"""CSV that is safe to open in a spreadsheet (OWASP "CSV Injection" guidance).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed
could be read as a formula by Excel, LibreOffice or Google Sheets. Such a cell gets a leading
single quote, so it shows as text. Every cell is then quoted as RFC 4180 says (the csv
module, ``QUOTE_ALL``, CRLF line ends), so commas, quotes and line breaks cannot break out
of a cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
DESCRIPTION = (
    "The spreadsheet copy (a separate file, not part of this package) neutralises cells that "
    "begin with = + - @ tab, carriage return or line feed by prefixing a single quote, as the "
    "OWASP CSV Injection guidance recommends, and quotes every cell as RFC 4180 says. The CSV "
    "files in this package keep every answer exactly as it was sent: do not open them in a "
    "spreadsheet program without importing every column as text."
)


def neutralise(value: Any) -> str:
    """The cell as text, with a leading ' when a spreadsheet could take it as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(TRIGGERS) else text


def write(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([neutralise(cell) for cell in header])
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
