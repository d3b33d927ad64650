"""Generated data packages of a given size, for the scale tests and bench/datasets_pages.py.

Deterministic (seeded), so a test can name the row it will look for. Shapes follow the real
packages the portal is tried with: a wide statistical table in several yearly resources
(like the 10-resource package in issue 18), and a long register of named bodies.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

PLACES = [
    "Aberdeen", "Aberystwyth", "Ålesund", "Barnsley", "Bath", "Bro Morgannwg", "Caerdydd",
    "Cheltenham", "Derry", "Dundee", "Exeter", "Gloucester", "Harrogate", "Ipswich",
    "Kendal", "Lancaster", "Luton", "Norwich", "Oldham", "Preston", "Reading",
    "Saint-Étienne", "Stirling", "Truro", "Wakefield", "Ynys Môn", "York", "Zennor",
]  # fmt: skip
KINDS = ["Council", "Town Council", "Parish Council", "Fire Authority", "Health Board", "School"]


def body_name(i: int) -> str:
    """The name of row ``i`` of the register: unique, with accents and spaces."""
    return f"{PLACES[(i * 7919) % len(PLACES)]} {KINDS[(i * 31) % len(KINDS)]} {i:07d}"


def register_package(folder: Path, rows: int) -> Path:
    """One resource of ``rows`` named public bodies, in no useful order (as published)."""
    (folder / "data").mkdir(parents=True)
    rng = random.Random(18)
    order = list(range(rows))
    rng.shuffle(order)
    with (folder / "data" / "bodies.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "name", "kind", "population"])
        for i in order:
            writer.writerow([f"B{i:07d}", body_name(i), KINDS[(i * 31) % len(KINDS)], i % 90000])
    fields = [
        {"name": "id", "type": "string"},
        {"name": "name", "type": "string", "title": "Name"},
        {"name": "kind", "type": "string", "title": "Kind"},
        {"name": "population", "type": "integer", "title": "Population served"},
    ]
    _descriptor(folder, "Register of public bodies (generated)", [("bodies", fields)])
    return folder


def wide_package(folder: Path, resources: int, rows: int, columns: int) -> Path:
    """``resources`` yearly tables of ``rows`` x ``columns`` (text, codes, numbers, dates)."""
    (folder / "data").mkdir(parents=True)
    rng = random.Random(40)
    fields = [
        {"name": "area_code", "type": "string", "title": "Area code"},
        {"name": "area_name", "type": "string", "title": "Area name"},
        {"name": "date", "type": "date", "title": "Date"},
    ]
    fields += [
        {"name": f"measure_{n:02d}", "type": "number", "title": f"Measure {n}"}
        for n in range(1, columns - len(fields) + 1)
    ]
    tables = []
    for r in range(resources):
        name = f"year-{2015 + r}"
        with (folder / "data" / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([f["name"] for f in fields])
            for i in range(rows):
                day = f"{2015 + r}-{1 + i % 12:02d}-{1 + i % 28:02d}"
                numbers = [f"{rng.uniform(0, 10000):.2f}" for _ in fields[3:]]
                writer.writerow([f"E{i:08d}", body_name(i), day, *numbers])
        tables.append((name, fields))
    _descriptor(folder, "Area statistics by year (generated)", tables)
    return folder


def _descriptor(folder: Path, title: str, tables: list[tuple[str, list[dict[str, str]]]]) -> None:
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": folder.name,
        "title": title,
        "description": f"{title}: generated to test the portal at scale.",
        "licenses": [
            {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}
        ],
        "contributors": [{"title": "Portal tests", "roles": ["publisher"]}],
        "resources": [
            {
                "name": name,
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
            for name, fields in tables
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
