"""Every link and image staff wrote, resolved against the site the build will publish.

The site is known before anything is written: the files in content/, and the pages and
files the portal generates (``page_outputs``). Each link is resolved as the build resolves
it. MkDocs rewrites a Markdown link to a file from the folder of the file it is written in;
a link it does not recognise (``../other/``) and every link in raw HTML are left as written,
so the browser resolves them from the page's address, and the Pelican build rebases them
from the file's folder: such a link must work both ways. MkDocs refuses only a missing file
(in strict mode); site-absolute links, ``#anchors`` and raw HTML it publishes broken without
a word, so the portal refuses those too.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown.util import AMP_SUBSTITUTE

from portal.checks.markdown import Link, MarkdownLinks, Parsed
from portal.checks.nav import nav_problems
from portal.checks.sitemap import SiteMap, Source, site_map, suggest, template_ids
from portal.frontmatter import Document, read_document
from portal.generated import GeneratedFile, GeneratedPage, page_url
from portal.problems import Problem, Problems
from portal.settings import read_config
from portal.site import Portal

# Fragments a browser understands on any page.
ALWAYS = {"", "top", "page-title"}


def link_problems(
    portal: Portal,
    pages: Iterable[GeneratedPage],
    files: Iterable[GeneratedFile],
    *,
    only: Collection[Path] | None = None,
) -> list[Problem]:
    """Links, images and anchors of every page staff wrote, and the entries of ``nav:``.

    ``only``: the links written in these files alone (``portal serve`` after an edit; the
    full build that follows checks the rest).
    """
    settings = portal.settings
    problems = Problems(settings.root)
    config = read_config(settings.root)
    reader = MarkdownLinks(_extension_configs(config))
    sources = list(_sources(portal))
    site = site_map(portal, pages, files)
    parsed: dict[Source, Parsed] = {}

    def parse(source: Source) -> Parsed:
        if source not in parsed:
            parsed[source] = reader.parse(source.body, source.body_line)
        return parsed[source]

    for source in sources:
        site.sources.setdefault(source.src_uri, []).append(source)
    site.parse = parse
    patterns = template_ids(settings.theme_dir)
    for source in sources:
        # Most consultations link nowhere: their Markdown is parsed only if another page
        # links to one of their headings.
        if only is not None and source.path not in only:
            continue
        if "[" in source.body or "<" in source.body:
            for link in parse(source).links:
                _check(link, source, site, patterns, problems)
    if only is not None:
        return problems.items
    return problems.items + nav_problems(settings.root, site)


def _extension_configs(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    configs: dict[str, dict[str, Any]] = {}
    entries = config.get("markdown_extensions")
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                configs[str(name)] = dict(options) if isinstance(options, dict) else {}
        elif isinstance(entry, str):
            configs[entry] = {}
    return configs


def _sources(portal: Portal) -> Iterator[Source]:
    """Staff pages, consultations and their outcomes, and dataset READMEs."""
    content = portal.settings.content_dir
    scratch = Problems(portal.settings.root)  # reading problems are the readers' to report
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        relative = path.relative_to(content)
        if any(part.startswith(".") for part in relative.parts):
            continue  # MkDocs skips dot files and folders
        document = read_document(path, scratch)
        if document is not None:
            yield _source(document, relative.as_posix())
    for c in portal.consultations:
        src_uri = f"{c.url}index.md"
        yield Source(c.source, src_uri, c.body, c.body_line)
        if c.outcome is not None and c.outcome_source is not None:
            yield Source(c.outcome_source, src_uri, c.outcome, c.outcome_line)
        for words in c.translations.values():  # each language's text, in any build
            if words.source != c.source:
                yield Source(words.source, src_uri, words.body, words.body_line)
            if words.outcome is not None and words.outcome_source not in (None, c.outcome_source):
                yield Source(words.outcome_source, src_uri, words.outcome, words.outcome_line)
    for dataset in portal.datasets:
        name = getattr(dataset, "name", None)
        # The README as the page publishes it: portal.datasets.readme has already made its
        # links work on the site (or plain text, with a note of its own).
        if name and getattr(dataset, "description_source", None) is not None:
            yield Source(
                dataset.description_source,
                f"datasets/{name}/index.md",
                dataset.description,
                dataset.description_line,
            )


def _source(document: Document, src_uri: str) -> Source:
    return Source(document.path, src_uri, document.body, document.body_line)


def _check(
    link: Link,
    source: Source,
    site: SiteMap,
    patterns: tuple[re.Pattern[str], ...],
    problems: Problems,
) -> None:
    url = link.url.strip()
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or AMP_SUBSTITUTE in url or url.startswith("\\"):
        return  # another site, an email address (Markdown hides those), or not a path
    what = "image" if link.tag == "img" else "link"
    code = "image-missing" if link.tag == "img" else "link-broken"

    def report(message: str, hint: str, problem_code: str = code) -> None:
        problems.add(source.path, link.line, message, hint, problem_code)

    path = unquote(parts.path)
    if not path:
        if link.tag == "a":
            _check_anchor(link, source, source.src_uri, parts.fragment, site, patterns, problems)
        return
    here = page_url(source.src_uri)
    if path.startswith("/"):
        address = path
        if site.url_prefix:
            if not address.startswith(site.url_prefix):
                report(
                    f"the {what} '{url}' starts at the domain, but the site is published "
                    f"under {site.url_prefix}",
                    "write the address relative to this page, or link to the page's .md file",
                )
                return
            address = "/" + address.removeprefix(site.url_prefix)
        if not site.exists_at(address):
            report(
                f"the {what} '{url}' goes to {address}, which the site does not have",
                suggest(address.lstrip("/"), site),
            )
            return
        target = site.page_at(address)
    elif link.raw_html:
        address = posixpath.join(here, path)
        address = _folder(address) if path.endswith("/") else posixpath.normpath(address)
        if not _inside(address) or not site.exists_at(address):
            report(
                f"the {what} '{url}' in HTML goes to /{address.lstrip('./')}, which the site "
                "does not have",
                "HTML links are used as written, from this page's address "
                f"(/{here}): correct the address, or write the link in Markdown",
            )
            return
        target = site.page_at(address)
    else:
        written_from = posixpath.dirname(source.src_uri)
        resolved = posixpath.normpath(posixpath.join(written_from, path))
        if resolved in site.pages or resolved in site.files:
            target = resolved if resolved in site.pages else None
        elif posixpath.splitext(path)[1]:
            report(
                f"the {what} '{url}' goes to '{resolved}', which does not exist",
                suggest(resolved, site),
            )
            return
        else:
            # Left as written by MkDocs (from the page's address), rebased by Pelican (from
            # the file's folder): where both agree, the link works in both builds.
            as_browser = _folder(posixpath.join(here, path))
            as_rebased = _folder(resolved)
            works = [a for a in (as_browser, as_rebased) if _inside(a) and site.exists_at(a)]
            if len(works) < 2:
                page = site.page_at(works[0]) if works else None
                if page is not None:
                    file = posixpath.relpath(page, written_from or ".")
                    report(
                        f"the link '{url}' names a folder, which the two builds resolve "
                        f"differently from this page (/{here})",
                        f"link to the page's file instead: '{file}'",
                    )
                else:
                    report(
                        f"the link '{url}' does not go to a page of the site from here (/{here})",
                        suggest(resolved, site),
                    )
                return
            target = site.page_at(as_browser)
    if parts.fragment and target is not None and link.tag == "a":
        _check_anchor(link, source, target, parts.fragment, site, patterns, problems)


def _folder(address: str) -> str:
    """A folder's address as the site map holds it: '' for the root, else 'a/b/'."""
    normal = posixpath.normpath(address)
    return "" if normal == "." else normal + "/"


def _inside(address: str) -> bool:
    return not address.startswith("..")


def _check_anchor(
    link: Link,
    source: Source,
    target: str,
    fragment: str,
    site: SiteMap,
    patterns: tuple[re.Pattern[str], ...],
    problems: Problems,
) -> None:
    ids = site.ids_of(target)
    anchor = unquote(fragment)
    if ids is None or anchor in ALWAYS or anchor in ids:
        return  # a page the portal writes whole has ids only its templates know
    if any(p.fullmatch(anchor) for p in patterns):
        return
    page = "this page" if target == source.src_uri else f"'{target}'"
    close = sorted(ids)
    match = difflib.get_close_matches(anchor, close, n=1, cutoff=0.6)
    problems.add(
        source.path,
        link.line,
        f"the link '{link.url}' goes to '#{anchor}', which is not a heading or id on {page}",
        f"did you mean '#{match[0]}'?"
        if match
        else "link to a heading's id (its words in lower case, with hyphens)",
        "link-anchor",
    )
