"""Datasets as generated pages and files: catalogue, keyword pages, an overview page per
dataset, a page per resource, a page per other Markdown file of the package, and the files
(every file of the package, a zip of it, chart SVGs, the static pages of each resource's
rows).

A dataset's page is an overview whatever the package's size: each resource's fields,
preview and charts are on the resource's own page, and its rows are on pages of bounded size
(``browse``), so no page grows with the data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from markupsafe import Markup

from portal import licences
from portal.datasets import archive, browse, jsonld
from portal.datasets.model import Dataset, Document, Resource
from portal.generated import GeneratedFile, GeneratedPage
from portal.i18n import Words, words
from portal.render import render
from portal.settings import Settings

CATALOGUE = "datasets/index.md"
PREVIEW_CHARACTERS = 30_000  # cell text on a resource page's preview, however wide the rows


def dataset_outputs(
    datasets: list[Dataset], settings: Settings
) -> tuple[list[GeneratedPage], list[GeneratedFile]]:
    pages = [catalogue_page(datasets, settings)]
    pages += keyword_pages(datasets, settings)
    files: list[GeneratedFile] = []
    for dataset in datasets:
        write_row_pages(dataset, settings)
        pages.append(dataset_page(dataset, settings))
        pages += [resource_page(dataset, r, settings) for r in dataset.resources if r.tabular]
        pages += [document_page(dataset, d, settings) for d in dataset.documents]
        files += dataset_files(dataset, settings)
    return pages, files


def site_words(settings: Settings) -> Words:
    """The portal's words in the language being built (as ``Portal.words``)."""
    return words(settings.language, settings.locale_dir)


def page_html(settings: Settings, template: str, **context: object) -> str:
    """A dataset page's HTML, with the portal's words in the language being built. A
    package's own words are marked with its language (Dataset.language) where the page is
    in another (the catalogue's keywords by the package that gave each, Keyword.lang).
    ``package_lang``, the site's default, is for templates a site's theme overrides."""
    _ = site_words(settings)
    return render(
        settings.theme_dir,
        template,
        _=_,
        package_lang=settings.default_language,
        licence_shown=lambda lic, lang: licences.in_package(lic.identifier, lic.title, lang, _),
        **context,
    )


def write_row_pages(dataset: Dataset, settings: Settings) -> None:
    """Each CSV resource's rows as sorted static pages (cached, see ``browse``)."""
    context = browse.Context(
        settings.site_name,
        dataset.title,
        dataset.url,
        settings.theme_dir,
        site_words(settings),
        settings,
        dataset.language,
    )
    for resource in dataset.resources:
        if not resource.tabular or resource.format != "csv":
            continue
        if not resource.path.lower().endswith((".csv", ".txt")):
            continue  # compressed (.csv.gz, .zip): only frictionless reads those
        key = browse.key_field(resource, dataset.browse_fields.get(resource.name))
        if key is None:
            continue
        # A folder per language: each build of a bilingual site keeps its own pages (a
        # build replaces older versions of the pages in its folder).
        cache = _cache_dir(settings) / dataset.name / "rows" / settings.language
        path = dataset.folder / resource.path
        resource.browse = browse.write_row_pages(
            resource, path, resource.dialect, key, cache, context
        )


def keyword_slug(keyword: str) -> str:
    """A URL path segment for a keyword; non-ASCII letters are kept (browsers encode them)."""
    slug = "".join(c if c.isalnum() else "-" for c in keyword.lower())
    return "-".join(part for part in slug.split("-") if part) or "keyword"


@dataclass(frozen=True)
class Keyword:
    label: str  # as the first package to give it writes it
    slug: str
    count: int  # datasets with it
    lang: str  # the language of that package's words (Dataset.language)


def keyword_counts(datasets: list[Dataset]) -> list[Keyword]:
    """Every keyword, alphabetically; keywords differing only in case or punctuation share
    one page. Each is said in the language of the package that gave its label: on the
    Welsh catalogue a Welsh descriptor's "ymgynghoriad" is Welsh, an English package's
    "transport" is marked English."""
    counts: Counter[str] = Counter()
    labels: dict[str, tuple[str, str]] = {}
    for dataset in datasets:
        for slug in {keyword_slug(k) for k in dataset.keywords}:
            counts[slug] += 1
        for keyword in dataset.keywords:
            labels.setdefault(keyword_slug(keyword), (keyword, dataset.language))
    found = [Keyword(*labels[s][:1], s, n, labels[s][1]) for s, n in counts.items()]
    return sorted(found, key=lambda k: k.label.lower())


def catalogue_page(datasets: list[Dataset], settings: Settings) -> GeneratedPage:
    ordered = sorted(datasets, key=lambda d: d.title.lower())
    wrap = partial(_catalogue, settings, ordered, keyword_counts(datasets), None)
    _ = site_words(settings)
    return GeneratedPage(
        src_uri=CATALOGUE,
        title=_("Open data"),
        markdown="",
        meta={
            "description": _.plural(
                "{n} open dataset published by {publisher}, with previews, charts and downloads.",
                "{n} open datasets published by {publisher}, with previews, charts and downloads.",
                len(datasets),
                publisher=settings.site_name,
            )
        },
        wrap=wrap,
    )


def _catalogue(
    settings: Settings,
    datasets: list[Dataset],
    keywords: list[Keyword],
    keyword: Keyword | None,
    html: str,
    base: str,
) -> str:
    """The catalogue, or its page for one keyword: the same template, fewer datasets."""
    return page_html(
        settings,
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
    _ = site_words(settings)
    for shown in all_keywords:
        label, slug, count = shown.label, shown.slug, shown.count
        tagged = sorted(
            (d for d in datasets if slug in {keyword_slug(k) for k in d.keywords}),
            key=lambda d: d.title.lower(),
        )

        wrap = partial(_catalogue, settings, tagged, all_keywords, shown)

        pages.append(
            GeneratedPage(
                src_uri=f"datasets/keywords/{slug}/index.md",
                title=_("Open data: {keyword}", keyword=label),
                meta={
                    "description": _.plural(
                        "{n} open dataset about {keyword}.",
                        "{n} open datasets about {keyword}.",
                        count,
                        keyword=label,
                    ),
                    "search": {"exclude": True},
                },
                wrap=wrap,
            )
        )
    return pages


def dataset_page(dataset: Dataset, settings: Settings) -> GeneratedPage:
    def wrap(html: str, base: str) -> str:
        return page_html(
            settings,
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
        # title_lang: the title is the package's words (theme/partials/header.html marks it).
        meta={"description": dataset.summary, "title_lang": dataset.language},
        wrap=wrap,
    )


def resource_page(dataset: Dataset, resource: Resource, settings: Settings) -> GeneratedPage:
    def wrap(html: str, base: str) -> str:
        return page_html(
            settings,
            "datasets/resource.html",
            dataset=dataset,
            r=resource,
            base=base,
            preview=_preview(resource),
            views=[v for v in dataset.views if v.resource == resource.name and v.svg],
        )

    _ = site_words(settings)
    title = resource.title or resource.name
    return GeneratedPage(
        src_uri=f"datasets/{dataset.name}/{resource.page_url}index.md",
        title=f"{title} – {dataset.title}",
        meta={
            "description": resource.description
            or _("{resource}, from {dataset}.", resource=title, dataset=dataset.title),
            "title_lang": dataset.language,
        },
        wrap=wrap,
    )


def _preview(resource: Resource) -> list[list[str]]:
    """The first rows, as many as fit in ``PREVIEW_CHARACTERS`` (and at least one)."""
    shown: list[list[str]] = []
    used = 0
    for row in resource.preview:
        used += sum(len(str(c)) for c in row)
        if shown and used > PREVIEW_CHARACTERS:
            break
        shown.append(row)
    return shown


def document_page(dataset: Dataset, document: Document, settings: Settings) -> GeneratedPage:
    def wrap(html: str, base: str) -> str:
        return page_html(
            settings,
            "datasets/document.html",
            dataset=dataset,
            document=document,
            base=base,
            body=Markup(html),
        )

    _ = site_words(settings)
    return GeneratedPage(
        src_uri=f"datasets/{dataset.name}/{document.path}",
        title=f"{document.title} – {dataset.title}",
        markdown=document.markdown,
        meta={
            "description": _(
                "{document}, part of the data package {dataset}.",
                document=document.title,
                dataset=dataset.title,
            ),
            "title_lang": dataset.language,
        },
        wrap=wrap,
    )


def dataset_files(dataset: Dataset, settings: Settings) -> list[GeneratedFile]:
    base = f"datasets/{dataset.name}/"
    # Every file of the package, so whatever the descriptor or README refers to resolves.
    files = [GeneratedFile(base + f, source=dataset.folder / f) for f in dataset.files]
    for r in dataset.resources:
        if r.browse is not None:
            where = f"{base}{r.page_url}rows/"
            files += [GeneratedFile(where + f, source=r.browse.folder / f) for f in r.browse.files]
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
