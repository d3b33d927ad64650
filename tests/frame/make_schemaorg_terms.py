"""Write schemaorg_terms.json: the properties schema.org gives the types the Course JSON-LD
uses, read from the schema.org vocabulary as npm's schema-dts package ships it.

schema-dts (Google's TypeScript typings of schema.org, generated from schema.org's own
vocabulary file) is the one registry package here that carries the whole vocabulary; the
version is pinned so the test's answer does not move. Run it again to update:

    python tests/frame/make_schemaorg_terms.py   # needs npm; writes the JSON beside it
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "schema-dts@2.1.0"
TYPES = [
    "Course",
    "CourseInstance",
    "EducationalOccupationalCredential",
    "Organization",
    "Place",
    "Offer",
    "Audience",
    "Syllabus",
]
OUT = Path(__file__).with_name("schemaorg_terms.json")
# interface CourseBase extends CreativeWorkBase, LearningResourceBase { "prop"?: ... }
INTERFACE = re.compile(r"interface (\w+)Base(?: extends ([^{]+))? \{(.*?)\n\}", re.S)
PROPERTY = re.compile(r'^\s*"([A-Za-z]\w*)"\??:', re.M)
# A type with no properties of its own: interface SyllabusLeaf extends LearningResourceBase
LEAF = re.compile(r"interface (\w+)Leaf extends ([^{]+) \{")


def read_vocabulary(declarations: str) -> dict[str, tuple[list[str], list[str]]]:
    """Type -> (parent types, its own properties)."""
    found = {}
    for name, parents, body in INTERFACE.findall(declarations):
        bases = [p.strip().removesuffix("Base") for p in parents.split(",") if "Base" in p]
        found[name] = (bases, PROPERTY.findall(body))
    for name, parents in LEAF.findall(declarations):
        if name not in found:
            found[name] = ([p.strip().removesuffix("Base") for p in parents.split(",")], [])
    return found


def properties(vocabulary: dict[str, tuple[list[str], list[str]]], name: str) -> set[str]:
    parents, own = vocabulary[name]
    out = set(own)
    for parent in parents:
        out |= properties(vocabulary, parent)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True, capture_output=True
        )
        archive = next(Path(folder).glob("schema-dts-*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/dist/schema.d.ts")
            assert member is not None
            declarations = member.read().decode("utf-8")
    vocabulary = read_vocabulary(declarations)
    terms = {
        "source": f"npm {PACKAGE} (dist/schema.d.ts)",
        "types": {name: sorted(properties(vocabulary, name)) for name in TYPES},
    }
    OUT.write_text(json.dumps(terms, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
