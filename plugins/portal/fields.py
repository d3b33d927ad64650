"""Typed reading of front matter, reporting each bad value with its line (used by the content
model and by forms alike, so neither imports the other's package for it).

Each reader method returns ``None`` (or a default) after recording a problem, so a reader
carries on and one run reports every mistake in a file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.frontmatter import Key, Located
from portal.problems import Problems

_MISSING = object()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class FieldReader:
    """Reads one mapping of front matter at ``prefix`` inside a file."""

    def __init__(
        self,
        path: Path,
        located: Located,
        problems: Problems,
        prefix: tuple[Key, ...] = (),
        data: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.located = located
        self.problems = problems
        self.prefix = prefix
        self.data: dict[str, Any] = located.data if data is None else data

    # -- places and problems -------------------------------------------------------------
    def name(self, key: Key) -> str:
        parts = [*self.prefix, key]
        text = ""
        for part in parts:
            text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def line(self, *key: Key) -> int:
        return self.located.line(*self.prefix, *key)

    def problem(self, key: Key | None, message: str, hint: str = "", code: str = "") -> None:
        line = self.line(key) if key is not None else self.line()
        self.problems.add(self.path, line, message, hint, code or self.default_code())

    def default_code(self) -> str:
        """For readers that name no code: a problem inside 'form:' is a form's."""
        return "form-invalid" if self.prefix[:1] == ("form",) else ""

    # -- the shape of the mapping ----------------------------------------------------------
    def check_keys(self, allowed: Iterable[str], what: str) -> None:
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed) or (
                    "allowed fields are: " + ", ".join(sorted(allowed))
                )
                message = f"unknown field '{self.name(str(key))}' in {what}"
                self.problem(str(key), message, hint, "key-unknown")

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def missing(self, key: str, hint: str) -> None:
        self.problem(None, f"'{self.name(key)}' is missing", hint, "field-missing")

    # -- typed values ---------------------------------------------------------------------
    def text(
        self, key: str, *, required: bool = False, hint: str = "", default: str | None = None
    ) -> str | None:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.missing(key, hint or f"add a line '{key}: ...'")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(
                key,
                f"'{self.name(key)}' must be text, not {kind(value)}",
                hint or "write it as plain text, in quotes if it contains a colon",
                "field-type",
            )
            return default
        if not value.strip():
            if required:
                message = f"'{self.name(key)}' is empty"
                self.problem(key, message, hint or "write some text", "field-empty")
            return default
        return value.strip()

    def text_list(self, key: str, *, required: bool = False, hint: str = "") -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, hint or f"add '{key}:' with a list of '- item' lines")
            return []
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            self.problem(
                key,
                f"'{self.name(key)}' must be a list, not {kind(value)}",
                "write one '- item' line per entry",
                "field-type",
            )
            return []
        out: list[str] = []
        for index, item in enumerate(value):
            is_text = isinstance(item, (str, int, float)) and not isinstance(item, bool)
            if is_text and str(item).strip():
                out.append(str(item).strip())
            else:
                self.problems.add(
                    self.path,
                    self.line(key, index),
                    f"item {index + 1} of '{self.name(key)}' must be text",
                    "write it as plain text",
                    "field-type",
                )
        return out

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(
                key,
                f"'{self.name(key)}' must be true or false, not {value!r}",
                "write true or false without quotes",
                "field-type",
            )
            return default
        return value

    def integer(
        self,
        key: str,
        *,
        minimum: int | None = None,
        default: int | None = None,
        required: bool = False,
    ) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, f"add '{key}:' with a whole number")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                key,
                f"'{self.name(key)}' must be a whole number, not {value!r}",
                "write digits only, such as 5",
                "field-type",
            )
            return default
        if minimum is not None and value < minimum:
            message = f"'{self.name(key)}' must be at least {minimum}, not {value}"
            self.problem(key, message, code="field-value")
            return default
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(
                key,
                f"'{self.name(key)}' must be a number, not {value!r}",
                "write digits only, such as 10 or 2.5",
                "field-type",
            )
            return None
        return float(value)

    def instant(
        self, key: str, tz: ZoneInfo, *, required: bool = False, end_of_day: bool = False
    ) -> datetime | None:
        """A date or date-time; a bare date means the start (or end) of that day in ``tz``."""
        value = self.data.get(key)
        example = "2027-01-31 or 2027-01-31T17:00"
        if value is None:
            if required:
                self.missing(key, f"add '{key}: {example}' (ISO 8601)")
            return None
        if isinstance(value, str):
            text = value.strip()
            try:
                # A bare date is a whole day; a date-time is that instant.
                value = (
                    date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
                )
            except ValueError:
                self.problem(
                    key,
                    f"'{self.name(key)}' is not a valid date: {value!r}",
                    f"write an ISO 8601 date such as {example}",
                    "date-invalid",
                )
                return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=tz) if value.tzinfo is None else value
        if isinstance(value, date):
            moment = time(23, 59, 59) if end_of_day else time(0, 0)
            return datetime.combine(value, moment, tzinfo=tz)
        self.problem(
            key,
            f"'{self.name(key)}' must be a date, not {kind(value)}",
            f"write an ISO 8601 date such as {example}",
            "field-type",
        )
        return None

    def mapping(self, key: str, *, required: bool = False, hint: str = "") -> FieldReader | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.missing(key, hint)
            return None
        if not isinstance(value, dict):
            self.problem(
                key,
                f"'{self.name(key)}' must be a set of 'field: value' lines, not {kind(value)}",
                hint,
                "field-type",
            )
            return None
        return FieldReader(self.path, self.located, self.problems, (*self.prefix, key), value)

    def items(self, key: str, *, hint: str = "") -> list[FieldReader]:
        """A list of mappings, each read by its own FieldReader."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                key,
                f"'{self.name(key)}' must be a list, not {kind(value)}",
                hint or "write one '- field: value' entry per item",
                "field-type",
            )
            return []
        readers = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.add(
                    self.path,
                    self.line(key, index),
                    f"item {index + 1} of '{self.name(key)}' must be a set of "
                    f"'field: value' lines, not {kind(item)}",
                    hint,
                    "field-type",
                )
                continue
            readers.append(
                FieldReader(
                    self.path, self.located, self.problems, (*self.prefix, key, index), item
                )
            )
        return readers


def kind(value: Any) -> str:
    names = {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a set of fields",
        date: "a date",
        datetime: "a date",
    }
    return names.get(type(value), type(value).__name__)
