"""Every address the portal publishes, in one place.

Pages, feeds, the JSON API, form manifests and the endpoint's routes are all named here, so
a link, a sitemap entry and the file written at that address cannot disagree. Site paths are
relative to the site root and end in ``/`` for pages (``consultations/bus-lanes/``); the
endpoint's are absolute paths on the endpoint (``/responses/bus-lanes``).
"""

from __future__ import annotations

# -- consultations -------------------------------------------------------------------------
CONSULTATIONS = "consultations/"
FILTERS = "consultations/filter/"


def consultation(slug: str) -> str:
    return f"consultations/{slug}/"


def consultation_calendar(slug: str) -> str:
    """A consultation's own calendar file, beside its page (which links to it as
    ``calendar.ics``)."""
    return f"consultations/{slug}/{CONSULTATION_CALENDAR}"


CONSULTATION_CALENDAR = "calendar.ics"


def consultation_index(number: int) -> str:
    """The index of consultations, and its later pages (past ones, twenty to a page)."""
    return CONSULTATIONS if number == 1 else f"consultations/page/{number}/"


def facet(kind: str, slug: str) -> str:
    """A filter page: consultations by status, topic or area."""
    return f"{FILTERS}{kind}/{slug}/"


# -- email alerts (the page is the site's; the rest are the endpoint's) -------------------
ALERTS = "alerts/"
ALERTS_SUBSCRIBE = "/alerts/subscribe"
ALERTS_CONFIRM = "/alerts/confirm"
ALERTS_UNSUBSCRIBE = "/alerts/unsubscribe"


# -- datasets -----------------------------------------------------------------------------
def dataset(name: str) -> str:
    return f"datasets/{name}/"


# -- pages made from Markdown sources ------------------------------------------------------
def page(src_uri: str) -> str:
    """The address of the page made from ``src_uri``: 'a/b.md' and 'a/b/index.md' are 'a/b/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# -- machine-readable files -----------------------------------------------------------------
FEED = "feeds/consultations.atom"
CALENDAR = "feeds/consultations.ics"
API_CONSULTATIONS = "api/consultations.json"
API_DATASETS = "api/datasets.json"


def api_schema(name: str) -> str:
    """The JSON Schema of an API document: ``consultations`` or ``datasets``."""
    return f"api/{name}.schema.json"


def manifest(form_id: str) -> str:
    return f"api/forms/{form_id}.json"


def manifest_version(form_id: str, version: str) -> str:
    return f"api/forms/{form_id}/versions/{version}.json"


# -- the endpoint ---------------------------------------------------------------------------
def responses(form_id: str) -> str:
    """Where a form posts, on the endpoint."""
    return f"/responses/{form_id}"


def confirmation(form_id: str, reference: str) -> str:
    return f"/responses/{form_id}/confirmation/{reference}"


def export(form_id: str) -> str:
    return f"/exports/{form_id}.zip"


# Search and the combined filter without JavaScript: exact paths, beside the site's own
# search/ folder and consultations/filter/ page (a trailing slash is the static page).
SEARCH = "/search"
FILTER_RESULTS = "/consultations/filter"
