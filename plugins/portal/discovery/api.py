"""The JSON API: api/consultations.json and api/datasets.json, each with its JSON Schema.

The schemas sit next to this module (``*.schema.json``) and are published beside the data,
so a consumer can validate what it reads; the tests validate every build against them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from portal import urls
from portal.discovery.links import absolute
from portal.model.consultations import Consultation, Status
from portal.settings import Settings
from portal.site import Portal

API_VERSION = 1
SCHEMAS = {"consultations": "consultations.schema.json", "datasets": "datasets.schema.json"}


def schema(name: str) -> dict[str, Any]:
    text = resources.files("portal.discovery").joinpath(SCHEMAS[name]).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def consultations_document(portal: Portal) -> dict[str, Any]:
    settings = portal.settings
    items = sorted(portal.consultations, key=lambda c: (c.closes, c.slug))
    return {
        "$schema": absolute(settings, urls.api_schema("consultations")),
        "version": API_VERSION,
        "generated": portal.now.isoformat(),
        "timezone": settings.timezone,
        "site": settings.site_url,
        "count": len(items),
        "consultations": [consultation_record(c, portal) for c in items],
    }


def consultation_record(c: Consultation, portal: Portal) -> dict[str, Any]:
    settings = portal.settings
    words = portal.glossary
    status = c.status(portal.now)
    contact = {
        k: v
        for k, v in (
            ("name", c.contact.name),
            ("email", c.contact.email),
            ("phone", c.contact.phone),
        )
        if v
    }
    return {
        "slug": c.slug,
        "title": c.title,
        "summary": c.summary,
        "url": absolute(settings, c.url),
        "status": status.value,
        "opens": c.opens.isoformat(),
        "closes": c.closes.isoformat(),
        "organisation": c.organisation,
        "contact": contact,
        # As index.md writes them, in the site's default language: the filter pages'
        # addresses, the endpoint's filter and email alerts match these; the labels are the
        # same in this document's language (portal.glossary), in the same order.
        "topics": c.topics,
        "area": c.area,
        "topic_labels": [words(t) for t in c.topics],
        "area_labels": [words(a) for a in c.area],
        "online_form": c.form is not None,
        "accepting_responses": status is Status.OPEN,
        "outcome_published": status is Status.OUTCOME,
        "documents": [
            {
                "title": d.title,
                "url": absolute(settings, c.url + d.name),
                "format": d.format,
                "bytes": d.size,
            }
            for d in c.documents
        ],
    }


def datasets_document(portal: Portal) -> dict[str, Any]:
    """Every dataset; empty (still valid) when the portal publishes no open data."""
    records = [dataset_record(d, portal.settings) for d in portal.datasets]
    return {
        "$schema": absolute(portal.settings, urls.api_schema("datasets")),
        "version": API_VERSION,
        "generated": portal.now.isoformat(),
        "site": portal.settings.site_url,
        "count": len(records),
        "datasets": records,
    }


def dataset_record(d: Any, settings: Settings) -> dict[str, Any]:
    # Read by attribute, with defaults, so an older or newer Dataset model still gives valid
    # records (the datasets package is developed alongside this one).
    url = str(getattr(d, "url", urls.dataset(d.name)))
    publisher = getattr(d, "publisher", None)
    return {
        "name": d.name,
        "title": d.title,
        "summary": str(getattr(d, "summary", "") or ""),
        "url": absolute(settings, url),
        "keywords": list(getattr(d, "keywords", [])),
        "licences": [
            {"title": lic.title, "url": lic.url or None} for lic in getattr(d, "licences", [])
        ],
        "publisher": publisher.name if publisher else None,
        "version": getattr(d, "version", "") or None,
        "created": _iso(getattr(d, "created", None)),
        "last_modified": _iso(getattr(d, "last_modified", None)),
        "update_frequency": getattr(d, "update_frequency", "") or None,
        "formats": list(getattr(d, "formats", [])),
        "resources": [
            {
                "name": r.name,
                "title": r.title or r.name,
                "url": absolute(settings, url + r.path),
                "format": r.format,
                "mediatype": r.mediatype or None,
                "bytes": r.size,
                "rows": r.rows,
            }
            for r in getattr(d, "resources", [])
        ],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
