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

from markupsafe import Markup

from portal import urls


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
class Contributor:
    """A person or organisation the package credits, with its roles (v1 ``role``, v2
    ``roles``) as the publisher wrote them."""

    name: str
    roles: tuple[str, ...] = ()
    url: str = ""
    email: str = ""
    organisation: str = ""


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
    dialect: dict[str, Any] = field(default_factory=dict)  # CSV dialect, as written
    browse: RowIndex | None = None  # the static row pages, once written (pages.py)

    @property
    def page_url(self) -> str:
        """Relative to the dataset's page: each resource has a page of its own."""
        return f"resources/{self.name}/"

    @property
    def tabular(self) -> bool:
        return bool(self.fields)

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class RowIndex:
    """Where a resource's rows sit as static pages sorted by one field (see ``browse``)."""

    field: str  # the field the rows are sorted and found by
    field_title: str
    rows: int
    pages: int  # pages of rows
    entry: str  # the top index page, relative to the resource's page
    folder: Path  # the written pages, to be published under the resource's page
    files: tuple[str, ...] = ()  # every file in ``folder``, relative to it


@dataclass(frozen=True)
class ReportedError:
    """One data error shown on a dataset published with ``validation: report``."""

    resource: str
    type: str
    title: str
    message: str
    row: int | None = None
    field: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """What frictionless found in a third party's data that is republished as it is."""

    frictionless_version: str
    total: int  # errors found (frictionless stops counting at its error limit)
    counts: tuple[tuple[str, str, int], ...]  # (type, title, count), most frequent first
    first: tuple[ReportedError, ...]
    limited: bool = False  # True when the error limit was reached


@dataclass(frozen=True)
class Document:
    """Another Markdown file inside the package (method notes, a changelog), as a page."""

    path: str  # relative to the package folder
    title: str
    markdown: str

    @property
    def url(self) -> str:
        """Relative to the dataset's page, as the generators publish ``path``."""
        stem = self.path.removesuffix(".md")
        return "./" if stem == "index" else stem.removesuffix("/index") + "/"


@dataclass
class View:
    """A chart declared in the package's ``views``, rendered to SVG at build time."""

    name: str
    title: str
    resource: str
    spec: dict[str, Any]  # a complete Vega-Lite spec, data not yet attached
    description: str = ""  # the publisher's words, if any
    svg: str = ""  # filled by charts.draw
    # The portal's reading of the data the chart shows, in the language being built: HTML,
    # the package's words in it marked with their language (charts.describe).
    reading: Markup = field(default_factory=Markup)

    @property
    def summary(self) -> str:
        """The chart's text alternative, as plain text (the SVG's <desc>): the publisher's
        description, then the reading."""
        return " ".join(part for part in (self.description, self.reading.striptags()) if part)

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
    # Where ``description`` was written, for checks that name a line: README.md and the line
    # its text starts on (after the title); None for a readme embedded in the descriptor.
    description_source: Path | None = None
    description_line: int = 1
    licences: list[Licence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    publisher: Publisher | None = None
    keywords: list[str] = field(default_factory=list)
    version: str = ""
    created: datetime | None = None
    last_modified: datetime | None = None
    # The language of the package's own words (portal.yml's ``language``, else the site's
    # default): its pages in another language mark them so.
    language: str = ""
    update_frequency: str = ""  # as the package says it
    frequency_said: str = ""  # the same in the language built, when the portal knows it
    homepage: str = ""
    repository: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    # Set when the stated update frequency and the last change disagree (as of the build).
    out_of_date: str = ""
    resources: list[Resource] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every published file, package-relative
    documents: list[Document] = field(default_factory=list)
    report: ValidationReport | None = None  # only for ``validation: report`` packages
    browse_fields: dict[str, str] = field(default_factory=dict)  # portal.yml ``browse``

    @property
    def url(self) -> str:
        return urls.dataset(self.name)

    @property
    def formats(self) -> list[str]:
        return sorted({r.format.upper() for r in self.resources if r.format})

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)
