"""Reading every package under datasets/: metadata, validation, schemas, previews, charts.

All problems from all packages are collected before anything is written; a package with
problems is still returned when its descriptor could be read, so ``portal check`` can report
everything, but the build refuses to publish while ``problems`` is non-empty.

Notes are what the build does not refuse but staff should know (a README link that became
plain text, the known errors of a package published with ``validation: report``). They are
printed here, where the packages are read, so ``portal check`` and ``portal build`` (and
both generators) print the same ones.
"""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package
from frictionless.resources import TableResource

from portal.datasets import archive, charts, descriptor, freshness, readme, summary, tables
from portal.datasets.browse import key_field
from portal.datasets.model import Dataset, Document, Resource
from portal.datasets.options import FILENAME as OPTIONS_FILE
from portal.datasets.options import PackageOptions, read_options
from portal.datasets.validate import validate_package
from portal.i18n import ENGLISH, Words, is_source, words
from portal.problems import Problems
from portal.settings import Settings


def read_datasets(
    settings: Settings, problems: Problems, notes: Problems | None = None
) -> list[Dataset]:
    """``notes`` collects the warnings; without it they are printed (``portal check``)."""
    folder = settings.datasets_dir
    if not folder.is_dir():
        return []
    collected = notes if notes is not None else Problems(settings.root)
    found = []
    for path in sorted(folder.glob(f"*/{descriptor.DESCRIPTOR}")):
        chosen = descriptor.descriptor_for(
            path.parent, settings.language, settings.default_language
        )
        dataset = read_dataset(chosen, problems, collected, settings)
        if dataset is not None:
            found.append(dataset)
        if settings.language == settings.default_language:  # once, not once per language
            _check_translations(path.parent, settings, problems, collected)
    _folders_without_descriptor(folder, problems)
    if notes is None:
        show_notes(collected)
    return found


def _folders_without_descriptor(folder: Path, problems: Problems) -> None:
    """A folder in datasets/ is a package; one the build would skip is said, not ignored.

    Published packages often carry a YAML descriptor (the datahub core datasets'
    ``datapackage.yml``); the site publishes ``datapackage.json``, the form reusers'
    tools look for first, so the portal asks for that one rather than guess.
    """
    for child in sorted(p for p in folder.iterdir() if p.is_dir()):
        if child.name.startswith((".", "_")) or (child / "datapackage.json").is_file():
            continue
        yaml_descriptor = next(
            (child / n for n in ("datapackage.yml", "datapackage.yaml") if (child / n).is_file()),
            None,
        )
        if yaml_descriptor is not None:
            problems.add(
                yaml_descriptor,
                None,
                "the portal reads a data package's descriptor from datapackage.json, and "
                "this one is YAML, so the package would not be published",
                'convert it and commit the JSON, for example with: python -c "import json, '
                "sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), "
                "open(sys.argv[2], 'w'), indent=2)\" datapackage.yml datapackage.json",
                "dataset-descriptor-yaml",
            )
        else:
            problems.add(
                child,
                None,
                f"the folder datasets/{child.name}/ has no datapackage.json, so nothing in it "
                "would be published",
                "add its descriptor, or move the folder out of datasets/",
                "dataset-descriptor-missing",
            )


def _check_translations(
    folder: Path, settings: Settings, problems: Problems, notes: Problems
) -> None:
    """Each translated descriptor is read as its language's pages will read it, so that
    ``portal check`` (which reads the default language) reports what a Welsh build would
    refuse; one in a language the site is not published in would never be read at all."""
    for code, path in descriptor.translations(folder).items():
        if code in settings.all_languages[1:]:
            read_dataset(path, problems, notes, replace(settings, language=code))
        else:
            # A note, not a refusal: a package may ship a file of that name for its own
            # reasons; it is published as one of the package's files, as any other.
            notes.add(
                path,
                None,
                f"{path.name} looks like the package described in '{code}', and this site "
                f"is not published in '{code}', so no page shows it (it is published as a "
                "file of the package)",
                f"if it is a translation, add '{code}' to the portal plugin's languages in "
                "mkdocs.yml, or name it after one of the site's languages",
            )


def show_notes(notes: Problems) -> None:
    for note in sorted(notes.items, key=str):
        print(f"Warning: {note}", file=sys.stderr)


def read_dataset(
    path: Path,
    problems: Problems,
    notes: Problems | None = None,
    settings: Settings | None = None,
) -> Dataset | None:
    notes = notes if notes is not None else Problems(problems.root)
    data = descriptor.load_descriptor(path, problems)
    if data is None:
        return None
    folder = path.parent
    before = len(problems)
    _check_resource_paths(data, path, problems)
    if len(problems) > before:
        return None  # unsafe or unreadable resources: do not open them
    _check_name(data, path, problems)
    options = read_options(folder, problems)
    try:
        package = Package(str(path))
    except FrictionlessException as error:
        # "descriptor is not valid" alone does not say what to fix: name each reason.
        reasons = [r.note or r.message for r in error.reasons] or [error.error.message]
        for reason in reasons:
            problems.add(
                path,
                None,
                f"not a valid data package: {reason}",
                "check it against the Data Package specification",
            )
        return None
    validation = validate_package(package, path, problems, notes if options.report_errors else None)
    resources = [_resource(package, item, folder, validation.rows) for item in data["resources"]]
    _check_browse(options, resources, folder, problems)
    translated = path.name != descriptor.DESCRIPTOR
    language = settings.language if settings is not None and translated else ""
    files = published_files(folder, settings.all_languages if settings else ())
    pages = frozenset(f for f in files if f.endswith(".md"))
    elsewhere = str(data.get("homepage") or "") or descriptor.repository(data)
    long_text, long_source, long_line = _long_description(
        folder, path, data, files, pages, elsewhere, (problems, notes), language
    )
    last_modified = descriptor.last_changed(data) or _committed(folder)
    frequency = descriptor.update_frequency(data)
    _ = _words(settings)
    dataset = Dataset(
        name=folder.name,
        title=str(data.get("title") or data.get("name") or folder.name),
        folder=folder,
        descriptor_path=path,
        summary=str(data.get("description") or "") or summary.first_paragraph(long_text),
        description=long_text,
        description_source=long_source,
        description_line=long_line,
        profile_version=descriptor.spec_version(data),
        licences=descriptor.licences(data),
        sources=descriptor.sources(data),
        publisher=descriptor.publisher(data),
        keywords=descriptor.keywords(data),
        version=str(data.get("version") or ""),
        created=descriptor.instant(data.get("created")),
        last_modified=last_modified,
        language=language or options.language or (settings.default_language if settings else ""),
        update_frequency=frequency,
        # In English, the publisher's own word ("annual") as written; in another language
        # the portal's for it, where it knows the word.
        frequency_said="" if is_source(_.language) else freshness.said(frequency, _),
        homepage=str(data.get("homepage") or ""),
        repository=descriptor.repository(data),
        contributors=descriptor.contributors(data),
        out_of_date=freshness.out_of_date_note(frequency, last_modified, _now(settings), _),
        resources=resources,
        files=[f for f in files if f not in pages],
        documents=_documents(folder, files, pages, elsewhere, notes),
        report=validation.report,
        browse_fields=options.browse,
    )
    dataset.views = charts.parse_views(data, resources, _)
    if validation.valid or options.report_errors:
        _draw(dataset, package, _)  # charts skip invalid rows (tables.records)
    return dataset


def published_files(folder: Path, languages: tuple[str, ...] = ()) -> list[str]:
    """Every file of the package the site publishes, so any path the descriptor or the
    README gives (schemas, dialects, scripts, notes) resolves on the site as in the zip.
    README.md (and its translations, README.cy.md) is the dataset's page itself (as
    index.md would be); portal.yml is the portal's, not the package's."""
    skip = {"README.md", "index.md", OPTIONS_FILE, *(_readme(code) for code in languages)}
    inside = folder.resolve()
    return [
        p.relative_to(folder).as_posix()
        for p in archive.package_files(folder)
        if p.relative_to(folder).as_posix() not in skip
        and p.resolve().is_relative_to(inside)  # a symbolic link out of the package is not
    ]


def _words(settings: Settings | None) -> Words:
    """The portal's words in the language being built: a package is read once per language,
    as its pages are built once per language (portal.site reads them per language too)."""
    return words(settings.language, settings.locale_dir) if settings is not None else ENGLISH


def _now(settings: Settings | None) -> datetime:
    from portal.site import build_time  # the one clock (PORTAL_NOW pins it)

    return build_time(None, settings.tz) if settings is not None else build_time(None)


def _check_browse(
    options: PackageOptions, resources: list[Resource], folder: Path, problems: Problems
) -> None:
    for name, field in options.browse.items():
        resource = next((r for r in resources if r.name == name), None)
        if resource is None or key_field(resource, field) is None:
            problems.add(
                folder / OPTIONS_FILE,
                None,
                f"browse: resource '{name}' has no field '{field}'",
                "name a resource of this package and one of its fields",
            )


def _documents(
    folder: Path,
    files: list[str],
    pages: frozenset[str],
    elsewhere: str,
    notes: Problems,
) -> list[Document]:
    """Other Markdown files in the package, published as pages so README links reach them."""
    found = []
    for relative in sorted(pages):
        path = folder / relative
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        place = readme.Place(
            path, 1, posixpath.dirname(relative), frozenset(files), pages, elsewhere
        )
        heading = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), "")
        body = readme.rewrite(text, place, notes)
        title = heading or relative.rsplit("/", 1)[-1].removesuffix(".md")
        found.append(Document(relative, title, summary.without_title(body)))
    return found


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
    model.dialect = _dialect(item, folder)
    return model


def _readme(language: str) -> str:
    return f"README.{language}.md"


def _dialect(item: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The CSV dialect as written (inline, or a path to a JSON file in the package)."""
    value = item.get("dialect")
    if isinstance(value, str):
        try:
            value = json.loads((folder / value).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            value = None
    return value if isinstance(value, dict) else {}


def _long_description(
    folder: Path,
    descriptor_path: Path,
    data: dict[str, Any],
    files: list[str],
    pages: frozenset[str],
    elsewhere: str,
    reports: tuple[Problems, Problems],
    language: str = "",
) -> tuple[str, Path | None, int]:
    """README.md beside the package wins; else the package's embedded ``readme``, whose
    notes all point at its one line in the descriptor. A translated descriptor's page
    (``language``) reads README.cy.md, else its own words: never the original's README,
    which is in another language. ``reports``: (problems, notes)."""
    problems, notes = reports
    path = folder / (_readme(language) if language else "README.md")
    published = frozenset(files)
    written = _utf8_text(path, problems) if path.is_file() else None
    if written is not None:
        place = readme.Place(path, 1, "", published, pages, elsewhere)
        text = readme.rewrite(written, place, notes)
        return summary.without_title(text), path, 1 + summary.title_lines(text)
    embedded = str(data.get("readme") or data.get("description") or "")
    line = descriptor.line_of(descriptor_path, "readme") or 1
    place = readme.Place(descriptor_path, line, "", published, pages, elsewhere, one_line=True)
    return readme.rewrite(embedded, place, notes), None, 1


def _utf8_text(path: Path, problems: Problems) -> str | None:
    """The file's text; None, with a problem at the line at fault, when it is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(
            path,
            raw[: error.start].count(b"\n") + 1,
            f"{path.name} is not UTF-8 text (byte {error.start + 1} cannot be read)",
            "save it as UTF-8: most editors offer it under 'Save with encoding'",
        )
        return None


def _draw(dataset: Dataset, package: Package, _: Words) -> None:
    for view in dataset.views:
        resource = dataset.resource(view.resource)
        if resource is None:
            continue
        source = package.get_resource(view.resource)
        if not isinstance(source, TableResource):
            continue
        rows = list(tables.records(source, charts.CHART_ROW_LIMIT))
        ident = charts.chart_ident(dataset, view)
        charts.draw(view, rows, resource.rows, ident, _, dataset.language)


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
