"""A posted body as (name, value) pairs, with one rule for both encodings a form may use.

Browsers post our forms urlencoded; a script or another site's page may post
``multipart/form-data``. Both are held to the same rules, so neither is a way round the
other's: text is UTF-8 or the post is unreadable (400), at most ``MAX_FIELDS`` fields, and
nothing but text. A file part is never an answer (no question takes a file), and a multipart
body must end with its closing boundary: a truncated body is not half a response.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FIELDS = 1000
Fields = list[tuple[str, str]]


class TooManyFields(ValueError):
    """More fields than any form has: too large, rather than unreadable."""


def parse(content_type_header: str, body: bytes) -> Fields:
    """The fields of ``body``; ValueError (or TooManyFields) when it cannot be one of ours."""
    content_type = content_type_header.split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        return _multipart(content_type_header, body)
    if content_type not in ("application/x-www-form-urlencoded", ""):
        raise ValueError(f"unsupported content type {content_type}")
    text = body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if text.count("&") + 1 > MAX_FIELDS:
        raise TooManyFields
    # errors="strict": percent-encoded bytes that are not UTF-8 are as unreadable as raw
    # ones (the default would store them as U+FFFD, changing what was sent).
    return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")


class _Parts:
    """Collects the parts of a multipart body as the streaming parser finds them."""

    def __init__(self) -> None:
        self.fields: Fields = []
        self.headers: dict[str, bytes] = {}
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.data = bytearray()
        self.ended = False

    def part_begin(self) -> None:
        self.headers, self.data = {}, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name.extend(data[start:end])

    def header_value_(self, data: bytes, start: int, end: int) -> None:
        self.header_value.extend(data[start:end])

    def header_end(self) -> None:
        name = bytes(self.header_name).decode("latin-1").strip().lower()
        self.headers[name] = bytes(self.header_value).strip()
        self.header_name, self.header_value = bytearray(), bytearray()

    def part_data(self, data: bytes, start: int, end: int) -> None:
        self.data.extend(data[start:end])

    def part_end(self) -> None:
        disposition, params = parse_options_header(self.headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in params:
            raise ValueError("a part without a field name")
        if b"filename" in params or b"filename*" in params:
            raise ValueError("a file was sent; no question takes a file")
        if len(self.fields) >= MAX_FIELDS:
            raise TooManyFields
        name = params[b"name"].decode("utf-8")
        self.fields.append((name, bytes(self.data).decode("utf-8")))

    def end(self) -> None:
        self.ended = True


def _multipart(content_type_header: str, body: bytes) -> Fields:
    _, options = parse_options_header(content_type_header)
    boundary = options.get(b"boundary")
    if not boundary:
        raise ValueError("multipart body without a boundary")
    parts = _Parts()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": parts.part_begin,
            "on_header_field": parts.header_field,
            "on_header_value": parts.header_value_,
            "on_header_end": parts.header_end,
            "on_part_data": parts.part_data,
            "on_part_end": parts.part_end,
            "on_end": parts.end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except ValueError:
        raise
    except Exception as error:  # python-multipart's own parse errors
        raise ValueError(f"unreadable multipart body: {error}") from error
    if not parts.ended:
        raise ValueError("multipart body without its closing boundary")
    return parts.fields
