"""Never a traceback: whatever staff write, the commands answer with a message and a status.

Hypothesis mutates real content of a copied site (front matter, mkdocs.yml, a data
package's JSON descriptor, its CSV cells, Markdown links, the environment) and runs the real
``portal check`` and ``portal build`` (with either generator). The property is exactly the
promise: the exit status is 0 or 1 (2 for a refused argument), "Traceback" is never in the
output, and a check that passes means the build passes. Examples are few, bounded and
derandomized, so a run is the same every time and takes a couple of minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import FIXTURE_SITE, ROOT, copy_site, portal

DATASET = "consultation-participation"
CONSULTATIONS = ["bus-lanes", "library-hours", "park-lighting", "school-streets"]
NOW = "2027-01-15T12:00:00+00:00"

# Fragments that have broken YAML readers, date parsers and type checks before.
YAML_VALUES = [
    "",
    "~",
    "[",
    "{a: b}",
    "[1, [2, {c: d}]]",
    "- x",
    "2027-02-30",
    "2027-13-01T25:00",
    "2027-01-01T09:00+25:00",
    "!!python/object/apply:os.system ['true']",
    "!ENV",
    "&a x",
    "*a",
    "'unclosed",
    '"\\x"',
    "yes",
    "1e400",
    "-1",
    "0",
    "99999999999999999999",
    "true",
    ":",
    "|",
    ">-",
    "? x",
    "\x00",
    "\u2028",
    "%YAML 1.1",
    "\t- a",
]
URLS = [
    "",
    "#",
    "/",
    "//",
    "../../../../x",
    "?q=1",
    "%zz",
    "\\\\server\\x",
    "javascript:alert(1)",
    "data:,x",
    "#%",
    ":",
    "http://[",
    "mailto:",
    "..",
    ".",
    "/consultations/../../x",
    "a b.md",
    "index.md#",
    "consultations/bus-lanes/index.md#%E2%82",
    "/consultations/bus-lanes/#respond",
    "<>",
]


@dataclass
class Mutation:
    what: str
    apply: Callable[[Path], None]
    env: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return f"Mutation({self.what!r}, env={self.env!r})"


def _edit_line(relative: str, index: int, value: str, whole: bool) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / relative
        lines = path.read_text("utf-8").splitlines(keepends=True)
        i = index % len(lines)
        if whole or ":" not in lines[i]:
            lines[i] = value + "\n"
        else:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {value}\n"
        path.write_text("".join(lines), "utf-8")

    return apply


yaml_values = st.one_of(st.sampled_from(YAML_VALUES), st.text(max_size=12))


@st.composite
def front_matter(draw: st.DrawFn) -> Mutation:
    relative = draw(
        st.sampled_from(
            [*(f"consultations/{s}/index.md" for s in CONSULTATIONS), "content/index.md"]
        )
    )
    index = draw(st.integers(0, 12))
    value = draw(yaml_values)
    whole = draw(st.booleans())
    return Mutation(
        f"{relative} line {index} = {value!r}", _edit_line(relative, index, value, whole)
    )


@st.composite
def config_yaml(draw: st.DrawFn) -> Mutation:
    index = draw(st.integers(0, 25))
    value = draw(yaml_values)
    whole = draw(st.booleans())
    return Mutation(
        f"mkdocs.yml line {index} = {value!r}", _edit_line("mkdocs.yml", index, value, whole)
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [where]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*where, index))
    return found


DESCRIPTOR = json.loads((ROOT / "datasets" / DATASET / "datapackage.json").read_text("utf-8"))
DESCRIPTOR_PATHS = _paths(DESCRIPTOR)[1:]


@st.composite
def descriptor(draw: st.DrawFn) -> Mutation:
    where = draw(st.sampled_from(DESCRIPTOR_PATHS))
    delete = draw(st.booleans())
    value = None if delete else draw(json_values)
    truncate = draw(st.integers(0, 40)) if draw(st.integers(0, 9)) == 0 else None

    def apply(root: Path) -> None:
        path = root / "datasets" / DATASET / "datapackage.json"
        try:
            data = json.loads(path.read_text("utf-8"))
            parent = data
            for step in where[:-1]:
                parent = parent[step]
            if delete:
                del parent[where[-1]]
            else:
                parent[where[-1]] = value
        except (ValueError, LookupError, TypeError):
            return  # an earlier change already truncated the file or removed this part
        text = json.dumps(data)
        path.write_text(text[: truncate * 50] if truncate is not None else text, "utf-8")

    return Mutation(f"descriptor {where} = {'<deleted>' if delete else value!r}", apply)


@st.composite
def csv_cell(draw: st.DrawFn) -> Mutation:
    row = draw(st.integers(0, 40))
    column = draw(st.integers(0, 5))
    value = draw(
        st.one_of(
            st.sampled_from(["", '"', ",", "\n", "-1", "1e999", "NaN", "2024-13"]),
            st.text(max_size=8),
        )
    )

    def apply(root: Path) -> None:
        path = root / "datasets" / DATASET / "data" / "participation.csv"
        lines = path.read_text("utf-8").splitlines()
        cells = lines[row % len(lines)].split(",")
        cells[column % len(cells)] = value
        lines[row % len(lines)] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n", "utf-8")

    return Mutation(f"csv row {row} column {column} = {value!r}", apply)


@st.composite
def markdown_link(draw: st.DrawFn) -> Mutation:
    url = draw(st.one_of(st.sampled_from(URLS), st.text(max_size=16)))
    form = draw(
        st.sampled_from(
            [
                "[x]({u})",
                "![x]({u})",
                '<img src="{u}" alt="x">',
                '<a href="{u}">x</a>',
                "[x][r]\n\n[r]: {u}",
                "[x](<{u}>)",
            ]
        )
    )
    target = draw(
        st.sampled_from(
            [
                "content/index.md",
                "consultations/bus-lanes/index.md",
                "consultations/park-lighting/outcome.md",
                f"datasets/{DATASET}/README.md",
            ]
        )
    )

    def apply(root: Path) -> None:
        path = root / target
        path.write_text(path.read_text("utf-8") + "\n" + form.replace("{u}", url) + "\n", "utf-8")

    return Mutation(f"{target} += {form.replace('{u}', url)!r}", apply)


@st.composite
def environment(draw: st.DrawFn) -> Mutation:
    text = st.one_of(
        st.sampled_from(
            [
                "",
                "2027-02-30",
                "2027-01-15T12:00:00+99:00",
                "now",
                "http://",
                "https://x.example/a b",
            ]
        ),
        st.text(max_size=12),
    )
    name = draw(st.sampled_from(["PORTAL_NOW", "SITE_URL"]))
    value = draw(text).replace("\x00", "")  # no process takes NUL in its environment
    return Mutation(f"{name}={value!r}", lambda root: None, {name: value})


mutations = st.one_of(
    front_matter(), config_yaml(), descriptor(), csv_cell(), markdown_link(), environment()
)


def base_site(folder: Path) -> Path:
    """The fixture site with a data package and site_url read from SITE_URL."""
    root = copy_site(FIXTURE_SITE, folder / "site")
    shutil.copytree(ROOT / "datasets" / DATASET, root / "datasets" / DATASET)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + 'site_url: !ENV [SITE_URL, ""]\n', "utf-8")
    return root


def assert_answered(result: Any, what: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, f"{what}\n{output}"
    assert result.returncode in (0, 1, 2), f"{what}: exit {result.returncode}\n{output}"


@settings(
    max_examples=int(os.environ.get("PORTAL_HYPOTHESIS_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mutations, min_size=1, max_size=3), st.sampled_from(["mkdocs", "pelican"]))
def test_no_content_or_setting_gives_a_traceback(changes: list[Mutation], generator: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = base_site(Path(folder))
        env = {"PORTAL_NOW": NOW, "SITE_URL": ""}
        for change in changes:
            change.apply(root)
            env.update(change.env)
        what = "; ".join(c.what for c in changes)
        check = portal("check", root=root, env=env, check=False)
        assert_answered(check, f"portal check after {what}")
        build = portal("build", "--generator", generator, root=root, env=env, check=False)
        assert_answered(build, f"portal build --generator {generator} after {what}")
        if check.returncode == 0:
            assert build.returncode == 0, f"check passed, build failed after {what}\n{build.stderr}"


arguments = st.one_of(
    st.sampled_from(
        ["", "-", "--", "..", "../x", "a/b", "CON", "x" * 300, "2027-02-30", "é", "bus-lanes"]
    ),
    st.text(max_size=12),
).map(lambda text: text.replace("\x00", ""))


@settings(
    max_examples=int(os.environ.get("PORTAL_HYPOTHESIS_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(["new", "export", "results", "purge"]),
    first=arguments,
    when=arguments,
)
def test_no_argument_gives_a_traceback(command: str, first: str, when: str) -> None:
    """``new``, ``export``, ``results`` and ``purge`` with arguments staff could type."""
    with tempfile.TemporaryDirectory() as folder:
        root = copy_site(FIXTURE_SITE, Path(folder) / "site")
        env = {"DATABASE_URL": f"sqlite:///{Path(folder) / 'responses.sqlite3'}"}
        args = {
            "new": ["new", "consultation", first],
            "export": ["export", first, "--out", str(Path(folder) / "out")],
            "results": ["results", first, "--now", when],
            "purge": ["purge", "--dry-run", "--now", when],
        }[command]
        result = portal(*args, root=root, env=env, check=False)
        assert_answered(result, f"portal {' '.join(args)}")
