"""Everything the portal adds to a site, gathered for the adapters."""

from __future__ import annotations

from portal.generated import GeneratedFile, GeneratedPage
from portal.pages.alerts import alerts_page
from portal.pages.consultations import consultation_outputs
from portal.pages.content import shell_page
from portal.pages.discovery import discovery_pages, syndication_files
from portal.pages.forms import manifest_files
from portal.site import Portal


def all_outputs(portal: Portal) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages, files = page_outputs(portal)
    return pages, files + syndication_files(portal)


def page_outputs(portal: Portal) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    """All but the feed, calendar and API files, which the MkDocs adapter makes meanwhile."""
    pages, files = consultation_outputs(portal)
    pages.append(shell_page(portal.words))
    files += manifest_files(portal)
    pages += discovery_pages(portal)
    pages.append(alerts_page(portal))
    if portal.datasets:
        from portal.datasets.pages import dataset_outputs

        more_pages, more_files = dataset_outputs(portal.datasets, portal.settings)
        pages += more_pages
        files += more_files
    return pages, files
