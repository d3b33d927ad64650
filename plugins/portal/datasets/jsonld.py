"""schema.org Dataset metadata, so search engines' dataset search can find each package.

It carries what Google's Dataset guidelines require and recommend: name, description,
license, creator and publisher (the package's, else the portal's organisation), and a
distribution whose every DataDownload has a contentUrl and an encodingFormat.
"""

from __future__ import annotations

import json
from typing import Any

from portal.datasets import archive
from portal.datasets.model import Dataset
from portal.settings import Settings

MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset_ld(dataset: Dataset, settings: Settings) -> dict[str, Any]:
    page = _absolute(settings, dataset.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": dataset.title,
        "description": description(dataset, settings),
        "identifier": dataset.name,
        "isAccessibleForFree": True,
    }
    if page:
        data["url"] = page
    if dataset.keywords:
        data["keywords"] = dataset.keywords
    if dataset.licences:
        data["license"] = [lic.url or lic.title for lic in dataset.licences]
    if dataset.version:
        data["version"] = dataset.version
    if dataset.created:
        data["dateCreated"] = dataset.created.isoformat()
    if dataset.last_modified:
        data["dateModified"] = dataset.last_modified.isoformat()
    publisher = dataset.publisher.name if dataset.publisher else ""
    publisher = publisher or settings.organisation or settings.site_name
    data["publisher"] = {"@type": "Organization", "name": publisher}
    creators = [
        {"@type": "Person" if c.organisation else "Organization", "name": c.name}
        for c in dataset.contributors
        if {"author", "creator", "contributor"} & set(c.roles)
    ]
    data["creator"] = creators or data["publisher"]
    if dataset.sources:
        data["isBasedOn"] = [s.url or s.title for s in dataset.sources]
    downloads = [
        {
            "@type": "DataDownload",
            "name": r.title or r.name,
            "encodingFormat": r.mediatype or MEDIA_TYPES.get(r.format, r.format or "unknown"),
            "contentUrl": _absolute(settings, dataset.url + r.path),
            "contentSize": f"{r.size} B",
        }
        for r in dataset.resources
    ]
    downloads.append(
        {
            "@type": "DataDownload",
            "name": "Whole data package (zip)",
            "encodingFormat": "application/zip",
            "contentUrl": _absolute(settings, dataset.url + archive.zip_name(dataset)),
        }
    )
    data["distribution"] = [{k: v for k, v in d.items() if v} for d in downloads]
    return data


DESCRIPTION_MIN = 50  # Google's Dataset guidelines: a description of 50 to 5,000 characters


def description(dataset: Dataset, settings: Settings) -> str:
    """The package's own words, else words made from its facts, never under the minimum."""
    if len(dataset.summary) >= DESCRIPTION_MIN:
        return dataset.summary[:5000]
    tables = ", ".join(r.title or r.name for r in dataset.resources)
    noun = "table" if len(dataset.resources) == 1 else "tables"
    made = (
        f"{dataset.title}: open data in {len(dataset.resources)} {noun} ({tables}), "
        f"published by {settings.organisation or settings.site_name}."
    )
    return f"{dataset.summary} {made}".strip()[:5000]


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: '<', '>' and '&' escaped so text cannot close the tag."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _absolute(settings: Settings, path: str) -> str:
    return settings.site_url.rstrip("/") + "/" + path if settings.site_url else path
