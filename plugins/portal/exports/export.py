"""Stored responses as a Frictionless data package whose Table Schema comes from the form.

One schema, many outputs: the fields, their types, allowed values and constraints are all
derived from the form manifest the build wrote (site/api/forms/FORM_ID.json). The package
is validated with frictionless in a scratch folder and only then moved into place.

The staff export keeps everything. The public export (``public=True``) leaves out personal
questions, questions marked ``public: false``, the respondent's reference, and every
respondent who did not accept the form's ``publication_consent`` question (when the form has
one).

The staff export also carries, after each free-text answer, the themes staff tagged it with
in the staff area (portal.storage.staff.response_tags). The public export does not: tags
are staff's working reading of the answers, made before (and regardless of) the review, so
a theme on a withheld answer ("names a neighbour") would tell what the review kept back;
the themes reach the public, if at all, as counts in a report staff write.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from portal.exports import spreadsheet
from portal.forms import languages, manifests, versions
from portal.forms.manifests import FORM_ID
from portal.storage import Storage
from portal.storage.staff import response_tags

if TYPE_CHECKING:
    from portal.exports.review import Review

CSV_NAME = "responses.csv"
SPREADSHEET_NAME = "responses-spreadsheet.csv"


class ExportError(RuntimeError):
    """The form is unknown or the package did not validate."""


def load_manifests(site_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        return manifests.read_all(site_dir)
    except manifests.ManifestError as error:
        raise ExportError(str(error)) from None


def load_manifest(site_dir: Path, form_id: str) -> dict[str, Any]:
    path = manifests.folder(site_dir) / f"{form_id}.json"
    if not FORM_ID.fullmatch(form_id) or not path.is_file():
        raise ExportError(
            f"no form '{form_id}' in {manifests.folder(site_dir)}; "
            "build the site first or pass --site-dir"
        )
    try:
        return manifests.read(path)
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror})") from None
    except manifests.ManifestError as error:
        raise ExportError(str(error)) from None


def current_rows(
    storage: Storage, site_dir: Path | None, manifest: dict[str, Any]
) -> list[dict[str, Any]]:
    """The form's stored responses, each read with the version it answered and its answers
    put in the current form's question ids and option values.

    Nothing is dropped or zeroed quietly: an answer the current form has no place for
    (a question or option removed or renamed without ``renamed_from``), or a response to a
    version the site does not keep, stops the export (and the results) with the form, the
    version and the question, so staff fix the form instead of publishing wrong counts.
    """
    form_id = manifest["id"]
    try:
        known = versions.published(site_dir, form_id) if site_dir is not None else {}
    except (OSError, manifests.ManifestError) as error:
        raise ExportError(f"the versions of the form '{form_id}' cannot be read: {error}") from None
    known[versions.of(manifest)] = manifest
    renames = versions.Renames.of(manifest, known.values())
    rows: list[dict[str, Any]] = []
    lost: dict[tuple[str, str, str | None], int] = {}
    unknown: dict[str, int] = {}
    for row in storage.rows(form_id):
        version = row.get("form_version")
        if version is not None and version not in known:
            unknown[version] = unknown.get(version, 0) + 1
            continue
        answers, unmapped = renames.translate(row["answers"] or {})
        for item in unmapped:
            key = (version or "stored before versions were kept", item.question, item.value)
            lost[key] = lost.get(key, 0) + 1
        rows.append({**row, "answers": answers})
    problems = [
        f"{count} responses answered version {version} of the form '{form_id}', which the "
        f"site does not have (no api/forms/{form_id}/versions/{version}.json): build the site "
        f"from a repository whose {versions.FOLDER}/{form_id}/ holds {version}.json"
        for version, count in sorted(unknown.items())
    ]
    for (version, question, value), count in sorted(lost.items(), key=str):
        what = (
            f"the option '{value}' of the question '{question}'"
            if value
            else (f"the question '{question}'")
        )
        problems.append(
            f"form '{form_id}', version {version}: {count} responses answered {what}, which "
            "the current form has no place for; add 'renamed_from: "
            f"{value or question}' to the {'option' if value else 'question'} that replaces "
            "it (portal check shows where), or put it back, and rebuild"
        )
    if problems:
        raise ExportError("\n".join(["nothing was written:", *problems]))
    return rows


def published_questions(manifest: dict[str, Any], public: bool) -> list[dict[str, Any]]:
    return [
        q
        for q in manifest["questions"]
        if not public or (not q.get("personal") and q.get("public", True))
    ]


def consented(manifest: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Only a respondent who ticked the form's publication consent is published one by one.

    A form without such a question asked nobody, so nobody's answers are published: only
    the totals (``portal results``), as the privacy notice says.
    """
    consent = manifest.get("publication_consent")
    return isinstance(consent, str) and answers.get(consent) is True


@dataclass(frozen=True)
class Column:
    field: dict[str, Any]
    question: str | None
    option: str | None = None
    tags_of: str | None = None  # the free-text question whose tags this column holds
    stored: str | None = None  # the row's own column this column holds (not an answer)


TAG_SEPARATOR = "; "
FREE_TEXT = ("text", "textarea")


def tagged_questions(manifest: dict[str, Any]) -> list[str]:
    """The questions whose answers staff may tag: free text that is not personal."""
    return [
        q["id"] for q in manifest["questions"] if q["type"] in FREE_TEXT and not q.get("personal")
    ]


Tags = dict[tuple[str, str], list[str]]  # (reference, question): themes


def stored_tags(storage: Storage, form_id: str) -> Tags:
    """The themes attached to each answer of the form, in theme order."""
    query = (
        select(response_tags.c.reference, response_tags.c.question, response_tags.c.theme)
        .where(response_tags.c.form_id == form_id)
        .order_by(response_tags.c.theme)
    )
    found: Tags = {}
    with storage.engine.connect() as conn:
        for row in conn.execute(query):
            found.setdefault((row.reference, row.question), []).append(row.theme)
    return found


def _tags_column(q: dict[str, Any]) -> Column:
    return Column(
        {
            "name": f"{q['id']}.tags",
            "type": "string",
            "title": f"{q['label']}: tags",
            "description": "Themes from the form's codebook that staff attached to this "
            f"answer, joined by '{TAG_SEPARATOR}'",
        },
        None,
        tags_of=q["id"],
    )


def columns(manifest: dict[str, Any], public: bool, tagged: bool = False) -> list[Column]:
    """The export's columns; ``tagged`` adds a tags column after each free-text answer
    (staff export only)."""
    cols: list[Column] = []
    if public:
        cols.append(
            Column(
                {
                    "name": "response",
                    "type": "integer",
                    "title": "Response number",
                    "constraints": {"required": True, "unique": True},
                },
                None,
            )
        )
        cols.append(
            Column(
                {
                    "name": "received_on",
                    "type": "date",
                    "title": "Received on",
                    "constraints": {"required": True},
                },
                None,
            )
        )
    else:
        cols.append(
            Column(
                {
                    "name": "reference",
                    "type": "string",
                    "title": "Reference",
                    "description": "The reference the respondent was given",
                    "constraints": {"required": True, "unique": True},
                },
                None,
            )
        )
        cols.append(
            Column(
                {
                    "name": "received_at",
                    "type": "datetime",
                    "title": "Received at",
                    "constraints": {"required": True},
                },
                None,
            )
        )
    spoken = languages.languages(manifest)
    if spoken:
        # A form in several languages: the language each response was given in. Answers
        # are stored by option value, so they count alike whatever the language.
        cols.append(
            Column(
                {
                    "name": "language",
                    "type": "string",
                    "title": "Language",
                    "description": "The language of the page the response was given on, "
                    "as a BCP 47 tag (such as cy for Welsh); empty for responses stored "
                    "before the portal recorded it",
                    "constraints": {"enum": spoken},
                },
                None,
                stored="language",
            )
        )
    in_each = {code: languages.in_language(manifest, code) for code in spoken}
    taggable = set(tagged_questions(manifest)) if tagged and not public else set()
    for q in published_questions(manifest, public):
        found = _question_columns(q)
        _add_titles(found, {code: shown["questions"] for code, shown in in_each.items()}, q)
        cols.extend(found)
        if q["id"] in taggable:
            cols.append(_tags_column(q))
    return cols


def _add_titles(
    found: list[Column], questions: dict[str, list[dict[str, Any]]], q: dict[str, Any]
) -> None:
    """Each column's title in each of the form's languages.

    Frictionless (Table Schema) has no multilingual title, so ``title`` stays the default
    language's, as every reader of the schema expects, and ``titles`` (a property of our
    own, which Table Schema allows beside its own) holds one title per language, the
    default included: ``{"en": "Your views", "cy": "Eich barn"}``.
    """
    for code, shown in questions.items():
        translated = next(other for other in shown if other["id"] == q["id"])
        for column, other in zip(found, _question_columns(translated), strict=True):
            column.field.setdefault("titles", {})[code] = other.field["title"]


def _question_columns(q: dict[str, Any]) -> list[Column]:
    kind, qid = q["type"], q["id"]
    base: dict[str, Any] = {"name": qid, "title": q["label"]}
    if q.get("hint"):
        base["description"] = q["hint"]
    constraints: dict[str, Any] = {}
    if q.get("required") and not q.get("personal"):
        # A personal answer is nulled once its retention period ends, so never required here.
        constraints["required"] = True
    if kind == "checkboxes":
        return [
            Column(
                {
                    "name": f"{qid}.{o['value']}",
                    "type": "boolean",
                    "title": f"{q['label']}: {o['label']}",
                },
                qid,
                o["value"],
            )
            for o in q["options"]
        ]
    if kind in ("text", "textarea"):
        base["type"] = "string"
        if q.get("max_length"):
            constraints["maxLength"] = q["max_length"]
        if q.get("min_length"):
            constraints["minLength"] = q["min_length"]
    elif kind == "email":
        base.update(type="string", format="email")
    elif kind == "number":
        base["type"] = "integer" if q.get("integer") else "number"
        if q.get("min") is not None:
            constraints["minimum"] = q["min"]
        if q.get("max") is not None:
            constraints["maximum"] = q["max"]
    elif kind == "scale":
        base["type"] = "integer"
        constraints.update(minimum=q["min"], maximum=q["max"])
    elif kind in ("radio", "select"):
        base["type"] = "string"
        constraints["enum"] = [o["value"] for o in q["options"]]
        base["categories"] = [{"value": o["value"], "label": o["label"]} for o in q["options"]]
    elif kind == "date":
        base["type"] = "date"
        if q.get("min"):
            constraints["minimum"] = q["min"]
        if q.get("max"):
            constraints["maximum"] = q["max"]
    elif kind == "consent":
        base["type"] = "boolean"
    else:
        base["type"] = "string"
    if constraints:
        base["constraints"] = constraints
    return [Column(base, qid)]


def _cell(col: Column, answers: dict[str, Any]) -> Any:
    value = answers.get(col.question) if col.question else None
    if col.option is not None:
        if value is None:
            return ""
        return "true" if col.option in value else "false"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def table(
    manifest: dict[str, Any],
    rows: list[dict[str, Any]],
    public: bool,
    tags: Tags | None = None,
) -> tuple[list[Column], list[list[Any]]]:
    """The columns and rows; ``tags`` (staff export only) adds the tags columns."""
    cols = columns(manifest, public, tagged=tags is not None)
    tags = tags or {}
    out: list[list[Any]] = []
    number = 0
    for row in rows:
        answers = row["answers"] or {}
        if public and not consented(manifest, answers):
            continue
        number += 1
        received: datetime = row["received_at"]
        head: list[Any] = (
            [number, received.date().isoformat()]
            if public
            else [row["reference"], received.isoformat()]
        )
        out.append(
            head
            + [
                TAG_SEPARATOR.join(tags.get((row["reference"], c.tags_of), []))
                if c.tags_of
                else (row.get(c.stored) or "")
                if c.stored
                else _cell(c, answers)
                for c in cols[2:]
            ]
        )
    return cols, out


def descriptor(manifest: dict[str, Any], cols: list[Column], public: bool) -> dict[str, Any]:
    which = "public" if public else "staff"
    kept = (
        "Personal questions, questions not for publication, references and respondents "
        "who did not agree to publication are left out. "
        if public
        else "Staff export: contains personal data; keep it as the privacy notice says and "
        f"no longer than {manifest.get('retention_days')} days after the form closes. "
    )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"{manifest['id']}-responses-{which}",
        "title": f"Responses: {manifest['title']} ({which})",
        "description": kept + "Answers are exactly as sent. " + spreadsheet.DESCRIPTION,
        "resources": [
            {
                "name": "responses",
                "path": CSV_NAME,
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": {"fields": [c.field for c in cols]},
            }
        ],
    }


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180
        writer.writerow(header)
        writer.writerows(rows)


def validate(folder: Path, descriptor: str = "datapackage.json") -> None:
    from frictionless import validate as fl_validate

    report = fl_validate(str(folder / descriptor))
    if not report.valid:
        errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
        errors += [f"{e.type}: {e.message}" for e in report.errors]
        raise ExportError("the export did not validate:\n" + "\n".join(errors[:20]))


def export(
    storage: Storage,
    manifest: dict[str, Any],
    out: Path,
    *,
    public: bool = False,
    spreadsheet_copy: bool = False,
    site_dir: Path | None = None,
    root: Path | None = None,
    reviewed: Review | None = None,
) -> list[Path]:
    """Write the package (and the spreadsheet copy) into ``out``; return the files written.

    ``site_dir`` holds the form's earlier versions (api/forms/FORM_ID/versions/). A public
    export publishes free text as ``reviewed`` says (the staff area's decisions), else as
    ROOT's review file says, else not at all.
    """
    stored, note = current_rows(storage, site_dir, manifest), ""
    tags: Tags | None = None
    if public:  # free text only as staff reviewed it
        from portal.exports import review  # here: review reads this module

        manifest, stored, note = review.public_text(manifest, stored, root, reviewed)
    else:
        found = stored_tags(storage, manifest["id"])
        # A form with a codebook, or with tags left from one it had, gets tags columns.
        tags = found if manifest.get("codebook") or found else None
    cols, rows = table(manifest, stored, public, tags)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
    try:
        write_csv(scratch / CSV_NAME, [c.field["name"] for c in cols], rows)
        package = descriptor(manifest, cols, public)
        package["description"] += note
        (scratch / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        validate(scratch)
        if spreadsheet_copy:
            spreadsheet.write(scratch / SPREADSHEET_NAME, cols, rows, manifest)
        written = []
        for name in (CSV_NAME, "datapackage.json", SPREADSHEET_NAME):
            if (scratch / name).exists():
                os.replace(scratch / name, out / name)
                written.append(out / name)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
