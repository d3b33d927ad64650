"""README links in the forms GitHub READMEs use, read by the real reader from real folders."""

from __future__ import annotations

from pathlib import Path

import markdown
from lxml import html as lxml_html

from portal.datasets.reader import read_datasets
from portal.problems import Problems
from portal.settings import Settings
from tests.datasets.conftest import MakePackage

TABLE = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "string"}]}}

README = """\
# Title

See [the method][method] and [the licence][licence] and <a href="../../NOTICE">the notice</a>.

```
[not a link](../outside.txt)
```

![Logo](logo.svg) and ![Badge](https://img.shields.io/badge/x-y-green)

[method]: notes/method.txt
[licence]: ../../LICENSE
"""


def read(settings: Settings) -> tuple[str, list[str]]:
    problems, notes = Problems(settings.root), Problems(settings.root)
    [dataset] = read_datasets(settings, problems, notes)
    assert not problems, [str(p) for p in problems.items]
    return dataset.description, [str(n) for n in notes.items]


def links(text: str) -> dict[str, str | None]:
    doc = lxml_html.fromstring(f"<div>{markdown.markdown(text)}</div>")
    return {" ".join(a.text_content().split()): a.get("href") for a in doc.iter("a")}


def links_text(text: str) -> str:
    doc = lxml_html.fromstring(f"<div>{markdown.markdown(text)}</div>")
    return " ".join(doc.text_content().split())


def test_without_a_homepage_outside_links_become_text_with_notes_at_their_lines(
    settings: Settings, make_package: MakePackage
) -> None:
    make_package(
        "p",
        {"name": "p", "resources": [TABLE]},
        {"t.csv": "a\nx\n", "README.md": README, "notes/method.txt": "How.", "logo.svg": "<svg/>"},
    )

    text, notes = read(settings)

    found = links(text)
    assert found["the method"] == "notes/method.txt"  # inside the package: published
    assert "the licence" not in found and "See the method and the licence" in links_text(text)
    assert found["the notice"] is None  # an <a> without href: text, not a link
    assert "[not a link](../outside.txt)" in text  # code is left as written
    assert "![Logo](logo.svg)" in text
    assert found["Badge (image on another site)"] == "https://img.shields.io/badge/x-y-green"
    assert [n.split(": the link to ")[0] for n in notes] == [
        "datasets/p/README.md:3",
        "datasets/p/README.md:3",
    ]
    assert "'../../LICENSE'" in notes[0] + notes[1] and "'../../NOTICE'" in notes[0] + notes[1]


def test_with_a_homepage_they_go_there_without_notes(
    settings: Settings, make_package: MakePackage
) -> None:
    make_package(
        "p",
        {"name": "p", "homepage": "https://example.org/p", "resources": [TABLE]},
        {"t.csv": "a\nx\n", "README.md": README, "notes/method.txt": "How.", "logo.svg": "<svg/>"},
    )

    text, notes = read(settings)

    assert links(text)["the licence"] == "https://example.org/p"
    assert links(text)["the notice"] == "https://example.org/p"
    assert notes == []


def test_an_embedded_readme_is_noted_at_its_line_in_the_descriptor(
    settings: Settings, make_package: MakePackage
) -> None:
    make_package(
        "p",
        {"name": "p", "readme": "One\n\n[two](../two.csv)\n", "resources": [TABLE]},
        {"t.csv": "a\nx\n"},
    )

    text, notes = read(settings)

    folder = Path("datasets/p/datapackage.json")
    line = next(
        n
        for n, row in enumerate(
            (settings.root / folder).read_text(encoding="utf-8").splitlines(), 1
        )
        if '"readme"' in row
    )
    assert notes and notes[0].startswith(f"{folder.as_posix()}:{line}: the link to '../two.csv'")
    assert "[two]" not in text and "two" in text
