"""The consultation pages: one per consultation, and the index grouped by status."""

from __future__ import annotations

from functools import partial
from typing import Any

from portal.generated import GeneratedFile, GeneratedPage
from portal.model.consultations import Consultation, Status
from portal.pages.forms import form_block, site_path
from portal.render import render
from portal.site import Portal

OUTCOME_MARK = "<!--portal:outcome-->"
# Statuses in the order the index lists them: what people can act on first.
ORDER = [Status.OPEN, Status.FORTHCOMING, Status.CLOSED, Status.OUTCOME]


def sort_key(consultation: Consultation, status: Status) -> Any:
    if status is Status.OPEN:
        return consultation.closes
    if status is Status.FORTHCOMING:
        return consultation.opens
    return -consultation.closes.timestamp()  # most recently closed first


def grouped(portal: Portal) -> list[tuple[Status, list[Consultation]]]:
    groups: dict[Status, list[Consultation]] = {s: [] for s in ORDER}
    for consultation in portal.consultations:
        groups[consultation.status(portal.now)].append(consultation)
    return [(s, sorted(groups[s], key=lambda c, s=s: sort_key(c, s))) for s in ORDER]


def consultation_outputs(portal: Portal) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages = [index_page(portal)]
    files: list[GeneratedFile] = []
    for consultation in portal.consultations:
        pages.append(consultation_page(portal, consultation))
        files += [GeneratedFile(f"{consultation.url}{doc.name}", source=doc.file)
                  for doc in consultation.documents]
    return pages, files


def index_page(portal: Portal) -> GeneratedPage:
    def wrap(html: str, base: str) -> str:
        return render(portal.settings.theme_dir, "consultations/index.html", base=base,
                      groups=grouped(portal), now=portal.now, intro=html,
                      settings=portal.settings)

    return GeneratedPage(
        src_uri="consultations/index.md",
        title="Consultations",
        markdown="",
        meta={"description": "Every consultation: open now, coming up, closed, and what "
                             "happened as a result."},
        wrap=wrap,
        in_nav=True,
    )


def consultation_page(portal: Portal, consultation: Consultation) -> GeneratedPage:
    markdown = consultation.body
    if consultation.outcome is not None:
        markdown = f"{markdown}\n\n{OUTCOME_MARK}\n\n{consultation.outcome}"
    return GeneratedPage(
        src_uri=f"{consultation.url}index.md",
        title=consultation.title,
        markdown=markdown,
        meta={"description": consultation.summary},
        wrap=partial(_wrap_consultation, portal, consultation),
        source_path=consultation.source,
    )


def _wrap_consultation(portal: Portal, consultation: Consultation, html: str, base: str) -> str:
    body, _, outcome = html.partition(OUTCOME_MARK)
    status = consultation.status(portal.now)
    form = ""
    if consultation.form and status is Status.OPEN:
        form = form_block(portal, consultation.form, site_path(portal, consultation.url),
                          opens=consultation.opens, closes=consultation.closes)
    return render(portal.settings.theme_dir, "consultations/page.html", base=base,
                  c=consultation, status=status, now=portal.now, body=body,
                  outcome=outcome if status is Status.OUTCOME else "", form=form,
                  settings=portal.settings)
