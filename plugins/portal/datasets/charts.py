"""Views declared in a data package, drawn at build time as static, accessible SVG.

A view is Vega-Lite (``specType: vegalite``) or the older "simple" graph spec that the
datahub core datasets use (``{"type": "line", "group": x, "series": [y...]}``), which is
translated to Vega-Lite so those packages chart as their publishers intended. Drawing happens
here, with vl-convert, so readers need no JavaScript; the SVG carries a title and a text
description, and the page's data table is the full alternative.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from portal.datasets.model import Dataset, Resource, View
from portal.i18n import Words, to_translate

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CHART_ROW_LIMIT = 5000  # a chart of more points is unreadable and slow to draw
LISTED_POINTS = 12  # up to this many values are read out one by one in the description
TEMPORAL_TYPES = {"date", "datetime", "year", "yearmonth", "time"}

# What a description calls a chart, by its Vega-Lite mark, in the page's language.
KINDS = {
    "bar": to_translate("Bar chart"),
    "line": to_translate("Line chart"),
    "area": to_translate("Area chart"),
    "point": to_translate("Scatter chart"),
    "circle": to_translate("Scatter chart"),
    "square": to_translate("Scatter chart"),
    "arc": to_translate("Pie chart"),
    "rect": to_translate("Heat map"),
    "tick": to_translate("Strip chart"),
}


def parse_views(descriptor: dict[str, Any], resources: list[Resource], _: Words) -> list[View]:
    """The package's views that the portal can draw; other kinds (maps, tables) are left out.
    ``_``: the words of an axis the portal names itself (a "simple" view of several series)."""
    views = []
    for index, item in enumerate(descriptor.get("views") or []):
        if not isinstance(item, dict):
            continue
        resource = _view_resource(item, resources)
        if resource is None:
            continue
        spec = _vega_lite(item, resource, _)
        if spec is None:
            continue
        name = str(item.get("name") or f"view-{index + 1}")
        title = str(item.get("title") or spec.get("title") or name)
        views.append(View(name, title, resource.name, spec, str(item.get("description") or "")))
    return views


def _view_resource(item: dict[str, Any], resources: list[Resource]) -> Resource | None:
    wanted = (item.get("resources") or [0])[0]
    if isinstance(wanted, int) and 0 <= wanted < len(resources):
        return resources[wanted]
    return next((r for r in resources if r.name == wanted), None)


def _vega_lite(item: dict[str, Any], resource: Resource, _: Words) -> dict[str, Any] | None:
    spec = item.get("spec")
    kind = str(item.get("specType") or ("vegalite" if isinstance(spec, dict) else ""))
    if not isinstance(spec, dict):
        return None
    if kind.replace("-", "") == "vegalite":
        return {k: v for k, v in spec.items() if k not in {"data", "$schema"}}
    if kind == "simple":
        return _from_simple(spec, resource, _)
    return None


def _from_simple(spec: dict[str, Any], resource: Resource, _: Words) -> dict[str, Any] | None:
    group, series = spec.get("group"), spec.get("series") or []
    if not group or not series:
        return None
    types = {f.name: f.type for f in resource.fields}
    x_type = "temporal" if types.get(group) in TEMPORAL_TYPES else "nominal"
    mark = "bar" if spec.get("type") == "bar" else "line"
    x = {"field": group, "type": x_type, "title": _title(resource, group)}
    if len(series) == 1:
        y = {"field": series[0], "type": "quantitative", "title": _title(resource, series[0])}
        return {"mark": mark, "width": 640, "height": 280, "encoding": {"x": x, "y": y}}
    return {
        "mark": mark,
        "width": 640,
        "height": 280,
        "transform": [{"fold": list(series), "as": ["series", "value"]}],
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": _("Value")},
            "color": {"field": "series", "type": "nominal", "title": _("Series")},
        },
    }


def _title(resource: Resource, name: str) -> str:
    return next((f.title or f.name for f in resource.fields if f.name == name), name)


def draw(
    view: View,
    rows: list[dict[str, Any]],
    total_rows: int | None,
    ident: str,
    _: Words,
    lang: str = "",
) -> None:
    """Fill ``view.svg`` and ``view.reading`` from the rows the chart shows, the reading in
    the language being built; ``lang``: the language of the package's words (describe)."""
    import vl_convert  # imported here: it starts a JavaScript runtime, only needed for charts

    spec = _xml_safe({"$schema": VEGA_LITE_SCHEMA, **view.spec, "data": {"values": rows}})
    spec.setdefault("config", {}).setdefault("font", "Roboto, Helvetica, Arial, sans-serif")
    reading = describe(view.spec, rows, _, lang)
    if total_rows is not None and total_rows > len(rows) >= CHART_ROW_LIMIT:
        shown = _.plural(
            "The chart shows the first {count} of {total} row.",
            "The chart shows the first {count} of {total} rows.",
            total_rows,
            count=f"{len(rows):,}",
            total=f"{total_rows:,}",
        )
        reading = Markup(" ").join([reading, shown])
    view.reading = reading
    view.svg = accessible_svg(vl_convert.vegalite_to_svg(spec), ident, view.title, view.summary)


# Characters XML 1.0 does not allow. vl-convert writes text into SVG and its Rust code
# aborts the whole process on one (a control character in a CSV cell did that); the chart
# shows U+FFFD for them instead, and the data itself is published as it is.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_xml_safe(k): _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    return value


def accessible_svg(svg: str, ident: str, title: str, description: str) -> str:
    """The SVG as one image for assistive technology, named by its title and description."""
    label = f'role="img" aria-labelledby="{ident}-title {ident}-desc" '
    svg = re.sub(r"<svg ", "<svg " + label, svg, count=1)
    head_end = svg.index(">") + 1
    extra = (
        f'<title id="{ident}-title">{html.escape(title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>'
    )
    return svg[:head_end] + extra + svg[head_end:]


def theirs(lang: str, _: Words) -> Callable[[object], Markup]:
    """The package's words (names, labels) in a reading in another language, marked as its
    language ``lang``; escaped in any case, as the reading is HTML."""
    if _.marks(lang):
        return lambda text: Markup('<span lang="{}">{}</span>').format(lang, text)
    return Markup.escape


def describe(spec: dict[str, Any], rows: list[dict[str, Any]], _: Words, lang: str = "") -> Markup:
    """A plain-language reading of the chart, in ``_``'s language: what it plots and its
    notable values. HTML: the package's words in it are marked as ``lang`` (theirs)."""
    said = theirs(lang, _)
    encoding = spec.get("encoding") or {}
    mark = spec.get("mark")
    mark_type = str(mark.get("type") if isinstance(mark, dict) else mark or "")
    kind = _(KINDS.get(mark_type, to_translate("Chart")))
    value_key = "y" if (encoding.get("y") or {}).get("type") == "quantitative" else "x"
    category_key = "x" if value_key == "y" else "y"
    value_enc = encoding.get(value_key) or {}
    category_enc = encoding.get(category_key) or {}
    series_enc = encoding.get("color") or {}
    value_field, category_field = value_enc.get("field"), category_enc.get("field")
    if "fold" in str(spec.get("transform")):
        rows = _folded(spec, rows)
    if not value_field or not category_field or not rows:
        return Markup.escape(_("{chart} with no data to show.", chart=kind))
    value_name = said(value_enc.get("title") or value_field)
    category_name = said(category_enc.get("title") or category_field)
    text = _(
        "{chart} of {value} by {category}.", chart=kind, value=value_name, category=category_name
    )
    points = _points(
        rows,
        category_field,
        value_field,
        series_enc.get("field"),
        str(value_enc.get("aggregate") or ""),
    )
    if not points:
        return Markup(text)
    if len(points) <= LISTED_POINTS:
        listed = Markup("; ").join(
            Markup("{}: {}").format(said(label), _number(value)) for label, value in points
        )
        return Markup("{} {}.").format(text, listed)
    series = sorted({str(r.get(series_enc["field"])) for r in rows}) if series_enc else []
    low, high = min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])
    first, last = (
        min(str(r.get(category_field)) for r in rows),
        max(str(r.get(category_field)) for r in rows),
    )
    span = {"count": f"{len(points):,}", "first": said(first), "last": said(last)}
    if series:
        spread = _.plural(
            "{count} values from {first} to {last} for {n} series ({names}).",
            "{count} values from {first} to {last} for {n} series ({names}).",
            len(series),
            names=Markup(", ").join(said(name) for name in series),
            **span,
        )
    else:
        spread = _("{count} values from {first} to {last}.", **span)
    ends = _(
        "Lowest {low} ({low_label}); highest {high} ({high_label}).",
        low=_number(low[1]),
        low_label=said(low[0]),
        high=_number(high[1]),
        high_label=said(high[0]),
    )
    return Markup(" ").join([text, spread, ends])


def _points(
    rows: list[dict[str, Any]], category: str, value: str, series: str | None, aggregate: str
) -> list[tuple[str, float]]:
    """(label, value) pairs; an aggregated chart is read out per category, as drawn."""
    if aggregate in {"sum", "mean", "average"}:
        groups: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            if isinstance(row.get(value), int | float):
                groups[str(row.get(category))].append(float(row[value]))
        combine = sum if aggregate == "sum" else (lambda v: sum(v) / len(v))
        return [(label, combine(values)) for label, values in sorted(groups.items())]
    points = []
    for row in rows:
        if isinstance(row.get(value), int | float):
            label = str(row.get(category))
            if series:
                label = f"{row.get(series)}, {label}"
            points.append((label, float(row[value])))
    return points


def _folded(spec: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fold = next(t for t in spec["transform"] if "fold" in t)
    key, val = fold.get("as", ["key", "value"])
    return [{**row, key: name, val: row.get(name)} for row in rows for name in fold["fold"]]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def chart_ident(dataset: Dataset, view: View) -> str:
    return f"chart-{dataset.name}-{view.name}"
