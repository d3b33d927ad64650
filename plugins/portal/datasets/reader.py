"""Reading every package under datasets/: metadata, validation, schemas, previews, charts.

All problems from all packages are collected before anything is written; a package with
problems is still returned when its descriptor could be read, so ``portal check`` can report
everything, but the build refuses to publish while ``problems`` is non-empty.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package
from frictionless.resources import TableResource

from portal.datasets import charts, descriptor, summary, tables
from portal.datasets.model import Dataset, Resource
from portal.datasets.validate import validate_package
from portal.problems import Problems
from portal.settings import Settings


def read_datasets(settings: Settings, problems: Problems) -> list[Dataset]:
    folder = settings.datasets_dir
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*/datapackage.json")):
        dataset = read_dataset(path, problems)
        if dataset is not None:
            found.append(dataset)
    return found


def read_dataset(path: Path, problems: Problems) -> Dataset | None:
    data = descriptor.load_descriptor(path, problems)
    if data is None:
        return None
    folder = path.parent
    before = len(problems)
    _check_resource_paths(data, path, problems)
    if len(problems) > before:
        return None  # unsafe or unreadable resources: do not open them
    _check_name(data, path, problems)
    try:
        package = Package(str(path))
    except FrictionlessException as error:
        problems.add(
            path,
            None,
            f"not a valid data package: {error.error.message}",
            "check it against the Data Package specification",
        )
        return None
    validation = validate_package(package, path, problems)
    resources = [_resource(package, item, folder, validation.rows) for item in data["resources"]]
    long_text = _long_description(folder, data)
    dataset = Dataset(
        name=folder.name,
        title=str(data.get("title") or data.get("name") or folder.name),
        folder=folder,
        descriptor_path=path,
        summary=str(data.get("description") or "") or summary.first_paragraph(long_text),
        description=long_text,
        profile_version=descriptor.spec_version(data),
        licences=descriptor.licences(data),
        sources=descriptor.sources(data),
        publisher=descriptor.publisher(data),
        keywords=descriptor.keywords(data),
        version=str(data.get("version") or ""),
        created=descriptor.instant(data.get("created")),
        last_modified=descriptor.instant(data.get("lastModified")) or _committed(folder),
        update_frequency=str(data.get("updateFrequency") or ""),
        homepage=str(data.get("homepage") or ""),
        resources=resources,
    )
    dataset.views = charts.parse_views(data, resources)
    if validation.valid:
        _draw(dataset, package)
    return dataset


def _check_name(data: dict[str, Any], path: Path, problems: Problems) -> None:
    name = data.get("name")
    if name is not None and name != path.parent.name:
        problems.add(
            path,
            descriptor.line_of(path, "name", str(name)),
            f"package name '{name}' differs from its folder '{path.parent.name}'",
            "rename the folder or the package so the page address matches",
        )


def _check_resource_paths(data: dict[str, Any], path: Path, problems: Problems) -> None:
    """Resources must be files inside the package: they are copied into the public site."""
    resources = data.get("resources")
    if not isinstance(resources, list) or not resources:
        problems.add(
            path,
            descriptor.line_of(path, "resources"),
            "a data package needs a list of resources",
            "add at least one resource",
        )
        return
    folder = path.parent.resolve()
    for index, item in enumerate(resources):
        name = item.get("name", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        where = descriptor.line_of(path, "name", str(name))
        file = item.get("path") if isinstance(item, dict) else None
        if not isinstance(file, str):
            problems.add(
                path,
                where,
                f"resource '{name}' needs a single file path",
                "give it a path such as data/file.csv; inline and multipart data are not published",
            )
            continue
        target = (folder / file).resolve()
        if "://" in file or not target.is_relative_to(folder):
            problems.add(
                path,
                where,
                f"resource '{name}' path '{file}' is outside the package",
                "commit the file inside the package folder and use a relative path",
            )
        elif not target.is_file():
            problems.add(
                path,
                where,
                f"resource '{name}' file '{file}' does not exist",
                "check the spelling of the path",
            )


def _resource(
    package: Package, item: dict[str, Any], folder: Path, rows: dict[str, int]
) -> Resource:
    name = str(item.get("name"))
    source = package.get_resource(name)
    file = folder / str(item["path"])
    model = Resource(
        name=name,
        path=str(item["path"]),
        format=str(source.format or file.suffix.lstrip(".")).lower(),
        mediatype=str(source.mediatype or ""),
        size=file.stat().st_size,
        title=str(item.get("title") or ""),
        description=str(item.get("description") or ""),
        hash=str(item.get("hash") or ""),
        encoding=str(item.get("encoding") or ""),
    )
    if not isinstance(source, TableResource):
        return model
    try:
        model.preview = tables.preview(source)  # opening infers a schema when none is given
    except FrictionlessException:
        model.preview = []  # reported by validation already
    model.rows = rows.get(name)
    model.schema_inferred = "schema" not in item
    schema = source.schema
    model.fields = tables.schema_fields(schema)
    model.missing_values = list(schema.missing_values)
    model.primary_key = list(schema.primary_key)
    return model


def _long_description(folder: Path, data: dict[str, Any]) -> str:
    """README.md beside the package wins; else the package's embedded ``readme``."""
    readme = folder / "README.md"
    if readme.is_file():
        return summary.without_title(readme.read_text(encoding="utf-8"))
    return str(data.get("readme") or data.get("description") or "")


def _draw(dataset: Dataset, package: Package) -> None:
    for view in dataset.views:
        resource = dataset.resource(view.resource)
        if resource is None:
            continue
        source = package.get_resource(view.resource)
        if not isinstance(source, TableResource):
            continue
        rows = list(tables.records(source, charts.CHART_ROW_LIMIT))
        charts.draw(view, rows, resource.rows, charts.chart_ident(dataset, view))


def _committed(folder: Path) -> datetime | None:
    """When the package was last committed, for packages that do not say lastModified."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cI", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return descriptor.instant(out.stdout.strip())
