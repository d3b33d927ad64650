"""Figures a page quotes from a dataset, named in its front matter under ``figures_from:``.

A page that shows numbers says where they come from, as a form says where its options come
from (``options_from``)::

    figures_from:
      dataset: bus-punctuality           # a folder in datasets/
      resource: by-route                 # a tabular resource of that package
      label: route                       # the column that names each figure
      value: percent_on_time             # the column of the figures
      unit: "%"                          # optional, written after each figure
      heading: How often buses are on time  # optional
      text: >-                           # optional; {a label} is that row's figure
        Last year {Route 7}% of buses on route 7 left on time.
      caption: Buses on time, by route   # optional, the table's caption
      chart: by-route-bar                # optional, one of the package's views

The engine names no dataset of its own: the page, the table, the chart and the open data
cannot disagree because all of them read the one package the page names. Reading is in two
steps because data packages are read in another process (``portal.site``): first the
reference as written, with its lines; then, once the packages are read, the figures, with a
problem at the line of each name that does not match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from portal import urls
from portal.datasets.model import Dataset, Resource
from portal.fields import FieldReader, did_you_mean
from portal.problems import Problems

KEY = "figures_from"
KEYS = {"dataset", "resource", "label", "value", "unit", "heading", "text", "caption", "chart"}
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# Reports a problem at the line of one key of the reference: (key, message, hint).
_Wrong = Callable[[str, str, str], None]


@dataclass(frozen=True)
class FiguresFrom:
    """The reference as the page wrote it, and the line of each of its keys."""

    source: Path
    dataset: str
    resource: str
    label: str
    value: str
    unit: str = ""
    heading: str = ""
    text: str = ""
    caption: str = ""
    chart: str = ""
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """What the page shows: (label, figure) rows as the file publishes them, and more."""

    ref: FiguresFrom
    dataset_name: str
    dataset_title: str
    label_title: str
    value_title: str
    rows: list[tuple[str, str]]
    text: str = ""  # ``ref.text`` with each {label} replaced by its figure
    chart_svg: str = ""

    @property
    def dataset_url(self) -> str:
        return urls.dataset(self.dataset_name)

    @property
    def heading(self) -> str:
        return self.ref.heading or self.dataset_title

    @property
    def anchor(self) -> str:
        """The section's id, from its heading, as Markdown's toc makes ids ('why-this-course')."""
        words = re.findall(r"[a-z0-9]+", self.heading.lower())
        return "-".join(words) or f"figures-{self.dataset_name}"


def read_figures_from(reader: FieldReader) -> FiguresFrom | None:
    """The ``figures_from:`` of one page (``reader`` is the page's front matter)."""
    hint = "see 'figures_from' in the publishers' guide"
    fm = reader.mapping(KEY, hint=hint)
    if fm is None:
        return None
    fm.check_keys(KEYS, f"'{KEY}'")
    required = {
        key: fm.text(key, required=True, hint=f"add '{key}:' under '{KEY}:' ({hint})")
        for key in ("dataset", "resource", "label", "value")
    }
    optional = {key: fm.text(key) or "" for key in ("unit", "heading", "text", "caption")}
    chart = fm.text("chart") or ""
    if not all(required.values()):
        return None
    return FiguresFrom(
        source=reader.path,
        dataset=required["dataset"] or "",
        resource=required["resource"] or "",
        label=required["label"] or "",
        value=required["value"] or "",
        chart=chart,
        lines={key: fm.line(key) for key in KEYS if key in fm.data},
        **optional,
    )


def resolve(ref: FiguresFrom, datasets: list[Dataset], problems: Problems) -> Figures | None:
    """The figures ``ref`` names, or None after a problem at the line of the wrong name."""

    def wrong(key: str, message: str, hint: str) -> None:
        problems.add(ref.source, ref.lines.get(key), message, hint, "field-value")

    dataset = next((d for d in datasets if d.name == ref.dataset), None)
    if dataset is None and _unreadable(ref.dataset, problems):
        return None  # its own problems say why; "there is none" would mislead
    if dataset is None:
        names = [d.name for d in datasets]
        wrong(
            "dataset",
            f"there is no data package '{ref.dataset}' to take figures from",
            did_you_mean(ref.dataset, names)
            or (
                "the packages are: " + ", ".join(sorted(names))
                if names
                else "add the package as datasets/NAME/datapackage.json"
            ),
        )
        return None
    resource = dataset.resource(ref.resource)
    if resource is None or not resource.tabular:
        tables = [r.name for r in dataset.resources if r.tabular]
        wrong(
            "resource",
            f"data package '{dataset.name}' has no table called '{ref.resource}'",
            did_you_mean(ref.resource, tables) or "its tables are: " + ", ".join(tables),
        )
        return None
    columns = _columns(ref, resource, wrong)
    if columns is None:
        return None
    # The figures are the rows the reader keeps as a preview (datasets.tables.PREVIEW_ROWS):
    # a page quotes a handful of figures; a longer table belongs on the dataset's own page.
    if (resource.rows or 0) > len(resource.preview):
        wrong(
            "resource",
            f"table '{ref.resource}' has {resource.rows} rows, more than a page can quote "
            f"({len(resource.preview)})",
            "link to the dataset's page instead, or publish the figures as a smaller table",
        )
        return None
    (label, label_title), (value, value_title) = columns
    rows = [(_cell(row, label), _cell(row, value)) for row in resource.preview]
    text = _fill(ref, dict(rows), wrong)
    chart = _chart(ref, dataset, wrong)
    if text is None or chart is None:
        return None
    return Figures(ref, dataset.name, dataset.title, label_title, value_title, rows, text, chart)


def _columns(
    ref: FiguresFrom, resource: Resource, wrong: _Wrong
) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """(position, heading) of the label and the value columns."""
    names = [f.name for f in resource.fields]
    found = []
    for key, name in (("label", ref.label), ("value", ref.value)):
        if name not in names:
            wrong(
                key,
                f"table '{resource.name}' has no column called '{name}'",
                did_you_mean(name, names) or "its columns are: " + ", ".join(names),
            )
            continue
        column = resource.fields[names.index(name)]
        found.append((names.index(name), column.title or column.name))
    return (found[0], found[1]) if len(found) == 2 else None


def _fill(ref: FiguresFrom, figures: dict[str, str], wrong: _Wrong) -> str | None:
    """``ref.text`` with {label} replaced by that row's figure; every label must exist."""
    unknown = [m for m in PLACEHOLDER.findall(ref.text) if m not in figures]
    for name in unknown:
        wrong(
            "text",
            f"'{{{name}}}' in 'figures_from.text' names no row of '{ref.resource}'",
            did_you_mean(name, figures) or "the rows are: " + ", ".join(figures),
        )
    if unknown:
        return None
    return PLACEHOLDER.sub(lambda m: figures[m.group(1)], ref.text)


def _chart(ref: FiguresFrom, dataset: Dataset, wrong: _Wrong) -> str | None:
    """The SVG of the chart named, else of the package's first chart of that table, or ''."""
    views = [v for v in dataset.views if v.resource == ref.resource and v.svg]
    if not ref.chart:
        return views[0].svg if views else ""
    view = next((v for v in views if v.name == ref.chart), None)
    if view is None:
        wrong(
            "chart",
            f"data package '{dataset.name}' has no chart of '{ref.resource}' called '{ref.chart}'",
            did_you_mean(ref.chart, [v.name for v in views])
            or "its charts of that table are: " + (", ".join(v.name for v in views) or "none"),
        )
        return None
    return view.svg


def _unreadable(name: str, problems: Problems) -> bool:
    """Whether the package's folder (datasets/NAME/, named as the package) has problems."""
    folder = f"datasets/{name}/"
    return any(p.path.startswith(folder) for p in problems.items)


def _cell(row: list[str], index: int) -> str:
    return str(row[index]) if index < len(row) else ""


def resolve_figures(
    refs: dict[str, FiguresFrom], datasets: list[Dataset], problems: Problems
) -> dict[str, Figures]:
    """Every page's figures that could be read, by page; a problem for each that could not."""
    found = {page: resolve(ref, datasets, problems) for page, ref in refs.items()}
    return {page: figures for page, figures in found.items() if figures is not None}
