"""The open-data model: what a published data package says, ready for pages and search.

Plain dataclasses with no frictionless objects inside, so pages, the programme page and the
Pelican adapter can use them without touching the validator, and a Dataset stays small even
when its resources hold a million rows (only the preview rows are kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Licence:
    title: str
    url: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class SchemaField:
    name: str
    type: str
    title: str = ""
    description: str = ""
    format: str = ""
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        """Numbers are right-aligned in tables so their digits line up."""
        return self.type in {"integer", "number", "year"}


@dataclass
class Resource:
    name: str
    path: str  # relative to the package folder, POSIX separators
    format: str
    mediatype: str
    size: int  # bytes on disk
    title: str = ""
    description: str = ""
    hash: str = ""
    encoding: str = ""
    rows: int | None = None  # data rows, counted while validating; None if not tabular
    fields: list[SchemaField] = field(default_factory=list)
    schema_inferred: bool = False
    missing_values: list[str] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    preview: list[list[Any]] = field(default_factory=list)  # first rows, typed values

    @property
    def tabular(self) -> bool:
        return bool(self.fields)

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class View:
    """A chart declared in the package's ``views``, rendered to SVG at build time."""

    name: str
    title: str
    resource: str
    spec: dict[str, Any]  # a complete Vega-Lite spec, data not yet attached
    description: str = ""  # the publisher's words, if any
    svg: str = ""  # filled by charts.render_views
    summary: str = ""  # text alternative computed from the data the chart shows

    @property
    def filename(self) -> str:
        return f"{self.name}.svg"


@dataclass
class Dataset:
    name: str
    title: str
    folder: Path
    descriptor_path: Path
    summary: str  # one or two plain sentences for the catalogue
    description: str  # long description, Markdown (README.md or the package's readme)
    profile_version: str  # "1" or "2", the Data Package spec the descriptor follows
    licences: list[Licence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    publisher: Publisher | None = None
    keywords: list[str] = field(default_factory=list)
    version: str = ""
    created: datetime | None = None
    last_modified: datetime | None = None
    update_frequency: str = ""
    homepage: str = ""
    resources: list[Resource] = field(default_factory=list)
    views: list[View] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"datasets/{self.name}/"

    @property
    def formats(self) -> list[str]:
        return sorted({r.format.upper() for r in self.resources if r.format})

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)
