"""Split a Markdown file into YAML front matter and body, keeping line numbers.

Every value read from front matter can be traced back to its line, so that a problem is
reported as ``path:line`` (the line in the file, not in the YAML block).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from portal.problems import Problems

Key = str | int


# libyaml's parser when present (about ten times faster); the behaviour is the same.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc]
    """YAML as staff mean it.

    Booleans are only true/false (YAML 1.2): in YAML 1.1, options such as Yes, No, On and Off
    silently become true/false, which turns a "Yes / No" question into nonsense. Dates stay
    text, so our readers parse them and can report an impossible date with its line instead
    of the YAML library crashing on it.
    """


_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), [_first]
    )


@dataclass
class Located:
    """Parsed front matter plus the line of every key and list item in it."""

    data: dict[str, Any]
    lines: dict[tuple[Key, ...], int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Key) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


@dataclass
class Document:
    path: Path
    front: Located
    body: str
    body_line: int


def _walk(
    node: yaml.Node,
    path: tuple[Key, ...],
    offset: int,
    out: dict[tuple[Key, ...], int],
    duplicates: list[tuple[str, int]],
) -> None:
    out[path] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                duplicates.append((key, key_node.start_mark.line + offset))
            seen.add(key)
            out[(*path, key)] = key_node.start_mark.line + offset
            _walk(value_node, (*path, key), offset, out, duplicates)
            out[(*path, key)] = key_node.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), offset, out, duplicates)


def parse_yaml(
    text: str, path: Path, problems: Problems, offset: int = 1, loader_class: Any = None
) -> Located | None:
    """Parse a YAML mapping; ``offset`` is the file line of the text's first line.

    ``loader_class`` is for mkdocs.yml, which MkDocs reads as YAML 1.1 with its own tags.
    """
    loader = None
    try:
        # Reading the text already checks its characters, so the loader is made in here.
        loader = (loader_class or Loader)(text)
        # One parse gives both the node tree (for line numbers) and the data.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    # ValueError: a value YAML 1.1 reads as a date that is none (mkdocs.yml's !ENV values).
    except (yaml.YAMLError, RecursionError, ValueError) as error:  # also a bare !ENV tag
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + offset if mark else offset
        if isinstance(error, yaml.reader.ReaderError):  # has a position, not a mark
            line = text.count("\n", 0, error.position) + offset
        if isinstance(error, ValueError) and not isinstance(error, yaml.YAMLError):
            # No mark: the value came from an environment variable (!ENV) or a date.
            env = [i for i, text_line in enumerate(text.splitlines()) if "!ENV" in text_line]
            problems.add(
                path,
                env[0] + offset if env else offset,
                f"a value cannot be read: {error}",
                "check the environment variable this line reads (!ENV), and its dates",
                code="yaml-malformed",
            )
            return None
        what = getattr(error, "problem", None) or _reason(error)
        problems.add(
            path,
            line,
            f"the YAML is malformed: {what}",
            "check indentation, colons and quotes on this line and the one above",
            code="yaml-malformed",
        )
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return Located({}, {}, offset)
    if not isinstance(data, dict) or node is None:
        problems.add(
            path,
            offset,
            "the front matter must be a set of 'key: value' lines",
            "start each line with a field name such as 'title:'",
            code="front-matter-shape",
        )
        return None
    lines: dict[tuple[Key, ...], int] = {}
    duplicates: list[tuple[str, int]] = []
    _walk(node, (), offset, lines, duplicates)
    for key, line in duplicates:
        problems.add(path, line, f"'{key}' is given twice", "keep one of them", "key-duplicate")
    return Located(data, lines, offset)


def _reason(error: BaseException) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return f"the character U+{code:04X} cannot be used in YAML"
    if isinstance(error, RecursionError):
        return "it is nested too deeply"
    return "it could not be read"


def read_document(path: Path, problems: Problems) -> Document | None:
    """Read ``path``; front matter is optional and sits between two ``---`` lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.add(
            path,
            None,
            f"the file is not UTF-8 text ({error.reason})",
            "save it as UTF-8",
            "file-encoding",
        )
        return None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return Document(path, Located({}, {}, 1), text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front_text = "".join(lines[1:index])
            located = parse_yaml(front_text, path, problems, offset=2)
            if located is None:
                return None
            return Document(path, located, "".join(lines[index + 1 :]), index + 2)
    problems.add(
        path,
        1,
        "the front matter is not closed",
        "add a line with three dashes (---) after the last field",
        "front-matter-unclosed",
    )
    return None
