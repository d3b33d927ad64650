"""Datasets as generated pages and files: catalogue, keyword pages, one page per dataset,
and the downloads (resources, datapackage.json, a zip of the package, chart SVGs).
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

from markupsafe import Markup

from portal.datasets import archive, jsonld
from portal.datasets.model import Dataset
from portal.generated import GeneratedFile, GeneratedPage
from portal.render import render
from portal.settings import Settings

CATALOGUE = "datasets/index.md"


def dataset_outputs(
    datasets: list[Dataset], settings: Settings
) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages = [catalogue_page(datasets, settings)]
    pages += keyword_pages(datasets, settings)
    files: list[GeneratedFile] = []
    for dataset in datasets:
        pages.append(dataset_page(dataset, settings))
        files += dataset_files(dataset, settings)
    return pages, files


def keyword_slug(keyword: str) -> str:
    """A URL path segment for a keyword; non-ASCII letters are kept (browsers encode them)."""
    slug = "".join(c if c.isalnum() else "-" for c in keyword.lower())
    return "-".join(part for part in slug.split("-") if part) or "keyword"


def keyword_counts(datasets: list[Dataset]) -> list[tuple[str, str, int]]:
    """(keyword, slug, number of datasets), alphabetically; keywords differing only in case
    or punctuation share one page."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for dataset in datasets:
        for slug in {keyword_slug(k) for k in dataset.keywords}:
            counts[slug] += 1
        for keyword in dataset.keywords:
            labels.setdefault(keyword_slug(keyword), keyword)
    return sorted(((labels[s], s, n) for s, n in counts.items()), key=lambda t: t[0].lower())


def catalogue_page(datasets: list[Dataset], settings: Settings) -> GeneratedPage:
    ordered = sorted(datasets, key=lambda d: d.title.lower())
    wrap = partial(_catalogue, settings, ordered, keyword_counts(datasets), None)
    return GeneratedPage(
        src_uri=CATALOGUE,
        title="Open data",
        markdown="",
        meta={
            "description": f"{len(datasets)} open datasets published by {settings.site_name}"
            ", with previews, charts and downloads."
        },
        wrap=wrap,
    )


def _catalogue(
    settings: Settings,
    datasets: list[Dataset],
    keywords: list[tuple[str, str, int]],
    keyword: str | None,
    html: str,
    base: str,
) -> str:
    """The catalogue, or its page for one keyword: the same template, fewer datasets."""
    return render(
        settings.theme_dir,
        "datasets/catalogue.html",
        datasets=datasets,
        keywords=keywords,
        base=base,
        intro=Markup(html),
        keyword=keyword,
        keyword_slug=keyword_slug,
    )


def keyword_pages(datasets: list[Dataset], settings: Settings) -> list[GeneratedPage]:
    pages = []
    all_keywords = keyword_counts(datasets)
    for label, slug, count in all_keywords:
        tagged = sorted(
            (d for d in datasets if slug in {keyword_slug(k) for k in d.keywords}),
            key=lambda d: d.title.lower(),
        )

        wrap = partial(_catalogue, settings, tagged, all_keywords, label)

        noun = "dataset" if count == 1 else "datasets"
        pages.append(
            GeneratedPage(
                src_uri=f"datasets/keywords/{slug}/index.md",
                title=f"Open data: {label}",
                meta={
                    "description": f"{count} open {noun} about {label}.",
                    "search": {"exclude": True},
                },
                wrap=wrap,
            )
        )
    return pages


def dataset_page(dataset: Dataset, settings: Settings) -> GeneratedPage:
    def wrap(html: str, base: str) -> str:
        return render(
            settings.theme_dir,
            "datasets/dataset.html",
            dataset=dataset,
            base=base,
            description=Markup(html),
            keyword_slug=keyword_slug,
            zip_name=archive.zip_name(dataset),
            json_ld=Markup(jsonld.script_json(jsonld.dataset_ld(dataset, settings))),
        )

    return GeneratedPage(
        src_uri=f"datasets/{dataset.name}/index.md",
        title=dataset.title,
        markdown=dataset.description,
        meta={"description": dataset.summary},
        wrap=wrap,
    )


def dataset_files(dataset: Dataset, settings: Settings) -> list[GeneratedFile]:
    base = f"datasets/{dataset.name}/"
    files = [
        GeneratedFile(base + r.path, source=dataset.folder / r.path) for r in dataset.resources
    ]
    files.append(GeneratedFile(base + "datapackage.json", source=dataset.descriptor_path))
    zip_path = archive.package_zip(dataset, _cache_dir(settings))
    files.append(GeneratedFile(base + archive.zip_name(dataset), source=zip_path))
    files += [
        GeneratedFile(base + v.filename, content=v.svg.encode("utf-8"))
        for v in dataset.views
        if v.svg
    ]
    return files


def _cache_dir(settings: Settings) -> Path:
    """Zips are written once per package version here (gitignored), not held in memory."""
    return settings.root / "build" / "portal-datasets"
