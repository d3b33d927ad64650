"""Everything the portal adds to a site, gathered for the adapters."""

from __future__ import annotations

from portal.generated import GeneratedFile, GeneratedPage
from portal.pages.consultations import consultation_outputs
from portal.pages.content import shell_page
from portal.pages.discovery import discovery_outputs
from portal.pages.forms import manifest_files
from portal.site import Portal


def all_outputs(portal: Portal) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages, files = consultation_outputs(portal)
    pages.append(shell_page())
    files += manifest_files(portal)
    more_pages, more_files = discovery_outputs(portal)
    pages += more_pages
    files += more_files
    if portal.datasets:
        from portal.datasets import dataset_outputs

        more_pages, more_files = dataset_outputs(portal.datasets, portal.settings)
        pages += more_pages
        files += more_files
    return pages, files
