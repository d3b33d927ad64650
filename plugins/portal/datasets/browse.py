"""Every row of a resource on static pages, sorted by one field, with an alphabetical index.

Why sorted pages and not pages per value of a key column: a key column's values are as
uneven as the data (one council has 3 rows, "Other" has 80,000), so pages split by value
are either one row long or far over the size a page may have. Sorting by the field a
citizen knows (a name) and cutting the sorted rows into pages of bounded size gives pages
of even size for any data, and an index whose entries read "Aberdeen to Alnwick" finds a row
in two or three clicks without JavaScript: 1,000,000 rows make about 3,000 pages, listed by
20 index pages under one top index. With JavaScript, the same index is searched by its
``data-first``/``data-last`` sort keys: a query fetches one page per index level and the
one or two row pages it needs (see theme/assets/portal/rowfind.js), never the whole file.

Sorting a million rows in memory would hold them all (about 1 GB of Python objects), so the
rows are sorted in runs written to a temporary folder and merged (an external sort): memory
is bounded by ``RUN_ROWS``. The pages are written straight to a cache folder, not through
the site generator (a generator page costs tens of milliseconds, which thousands of pages
would multiply into minutes), and reused while the data and these templates are unchanged.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import heapq
import html
import json
import marshal
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from portal import languages
from portal.datasets.model import Resource, RowIndex, SchemaField
from portal.i18n import ENGLISH, Words
from portal.languages import Alternate
from portal.render import render
from portal.settings import Settings

PAGE_BYTES = 60_000  # the table's HTML on one page of rows; the page stays under 100 KB
PAGE_ROWS = 500  # and no more rows than a reader can scan
FANOUT = 150  # entries on one index page
RUN_ROWS = 100_000  # rows sorted in memory at a time
TEXT_TYPES = {"string", "any"}
VERSION = "4"  # bump when the pages' markup changes, so cached pages are rewritten


def sort_key(text: str) -> str:
    """Case and accents ignored, as rowfind.js does to the query: lower, NFKD, no marks."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).strip()


def key_field(resource: Resource, chosen: str | None) -> SchemaField | None:
    """The field rows are found by: the one portal.yml names, else a name, else any text."""
    fields = resource.fields
    if chosen:
        return next((f for f in fields if f.name == chosen), None)
    texts = [f for f in fields if f.type in TEXT_TYPES]
    named = [f for f in texts if "name" in f"{f.name} {f.title}".lower()]
    candidates = named or texts or fields
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class Context:
    """What the pages around the rows say: names and the way back to the site."""

    site_name: str
    dataset_title: str
    dataset_url: str  # site-relative, e.g. datasets/NAME/
    theme_dir: Path
    words: Words = ENGLISH  # the portal's words in the language being built
    # The site's languages (portal.languages): each page links to itself in the others, as
    # every page of the site does. None: the pages name no other language.
    settings: Settings | None = None
    package_lang: str = ""  # the language of the package's own words (Dataset.language)

    def alternates(self, resource: Resource, page: str) -> list[Alternate]:
        """The page ``page`` of ``resource``'s rows in each language: data pages are built
        in every language, so each has its address in all of them."""
        if self.settings is None:
            return []
        url = f"{self.dataset_url}{resource.page_url}rows/{page}"
        return languages.alternates(self.settings, url, ROOT_FROM_ROWS, {})


@dataclass(frozen=True)
class _Entry:
    first: str  # as written in the file, for people
    last: str
    first_key: str  # sort keys, for rowfind.js
    last_key: str
    href: str
    rows: int
    kind: str  # "rows" or "index"


def write_row_pages(
    resource: Resource,
    csv_path: Path,
    dialect: dict[str, Any],
    key: SchemaField,
    cache: Path,
    context: Context,
) -> RowIndex:
    names = [f.name for f in resource.fields]
    fingerprint = _fingerprint(resource, csv_path, dialect, key, context)
    target = cache / f"{resource.name}-{fingerprint}"
    if not (target / "index.html").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{resource.name}-", dir=cache))
        try:
            _write(resource, csv_path, dialect, names.index(key.name), key, staging, context)
            for old in cache.glob(f"{resource.name}-*"):
                # An earlier version of this resource's pages (not those of "NAME-more").
                earlier = re.fullmatch(re.escape(resource.name) + r"-[0-9a-f]{16}", old.name)
                if earlier and old != target and old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
            try:
                staging.rename(target)
            except OSError:  # another build wrote the same pages meanwhile: use those
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    files = tuple(sorted(p.name for p in target.iterdir() if p.suffix == ".html"))
    return RowIndex(
        field=key.name,
        field_title=key.title or key.name,
        rows=int(summary["rows"]),
        pages=int(summary["pages"]),
        entry="rows/index.html",
        folder=target,
        files=files,
    )


def _fingerprint(
    resource: Resource, csv_path: Path, dialect: dict[str, Any], key: SchemaField, ctx: Context
) -> str:
    stat = csv_path.stat()
    templates = ctx.theme_dir / "portal" / "datasets"
    parts = [
        VERSION,
        str(stat.st_size),
        str(stat.st_mtime_ns),
        json.dumps(dialect, sort_keys=True),
        key.name,
        "\0".join(f"{f.name}:{f.type}:{f.title}" for f in resource.fields),
        resource.title,
        ctx.site_name,
        ctx.dataset_title,
        ctx.words.language,
        # The language links: their addresses (hreflang's are absolute).
        *((ctx.settings.site_url, *ctx.settings.all_languages) if ctx.settings else ()),
        ctx.package_lang,
        # Every template the pages are made from (rows*, _rows_layout, _rowfind, _macros).
        *(str(p.stat().st_mtime_ns) for p in sorted(templates.glob("*.html"))),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _write(
    resource: Resource,
    csv_path: Path,
    dialect: dict[str, Any],
    key_index: int,
    key: SchemaField,
    out: Path,
    ctx: Context,
) -> None:
    numeric = [f.numeric for f in resource.fields]
    headers = [f.title or f.name for f in resource.fields]
    with tempfile.TemporaryDirectory(dir=out) as runs_dir:
        rows = _sorted_rows(_read(csv_path, resource.encoding, dialect), key_index, Path(runs_dir))
        pages = list(_write_pages(rows, key_index, numeric, headers, key, resource, out, ctx))
    entries, level = pages, 0
    while len(entries) > FANOUT:
        level += 1
        entries = _write_index_level(entries, level, key, resource, out, ctx)
    _write_index(out / "index.html", entries, key, resource, ctx, parent=None, level=0)
    total = sum(e.rows for e in pages)
    summary = {"rows": total, "pages": len(pages)}
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def _read(path: Path, encoding: str, dialect: dict[str, Any]) -> Iterator[list[str]]:
    codec = codecs.lookup(encoding or "utf-8").name
    # errors="replace": a package published with ``validation: report`` may hold bytes
    # its encoding cannot read; its report says so, and its pages still build.
    encoding = "utf-8-sig" if codec == "utf-8" else codec
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        reader = csv.reader(
            f,
            delimiter=str(dialect.get("delimiter", ",")),
            quotechar=str(dialect.get("quoteChar", '"')),
            doublequote=bool(dialect.get("doubleQuote", True)),
            skipinitialspace=bool(dialect.get("skipInitialSpace", False)),
        )
        if dialect.get("header", True):
            next(reader, None)
        for row in reader:
            if any(cell.strip() for cell in row):
                yield row


def _sorted_rows(
    rows: Iterable[list[str]], key_index: int, runs_dir: Path
) -> Iterator[tuple[str, int, list[str]]]:
    """(sort key, row number, cells) in order; ties keep the file's order."""
    runs: list[Path] = []
    batch: list[tuple[str, int, list[str]]] = []
    for number, cells in enumerate(rows, start=2):  # row 1 is the header, as frictionless
        value = cells[key_index] if key_index < len(cells) else ""
        batch.append((sort_key(value), number, cells))
        if len(batch) >= RUN_ROWS:
            runs.append(_spill(batch, runs_dir, len(runs)))
            batch = []
    batch.sort()
    if not runs:
        yield from batch
        return
    runs.append(_spill(batch, runs_dir, len(runs)))
    yield from heapq.merge(*(_unspill(run) for run in runs))


def _spill(batch: list[tuple[str, int, list[str]]], folder: Path, index: int) -> Path:
    """One sorted run on disk. marshal, not pickle: a Pickler and an Unpickler remember every
    object they have seen (their memo), which would hold the whole run in memory again."""
    batch.sort()
    path = folder / f"run-{index}.marshal"
    with path.open("wb") as f:
        for item in batch:
            marshal.dump(item, f)
    return path


def _unspill(path: Path) -> Iterator[tuple[str, int, list[str]]]:
    with path.open("rb") as f:  # our own file, written a moment ago
        while True:
            try:
                yield marshal.load(f)
            except EOFError:
                return


def _row_html(cells: list[str], numeric: list[bool], key_index: int, sort: str) -> str:
    tds = []
    for index, cell in enumerate(cells):
        tag = 'th scope="row"' if index == key_index else "td"
        close = "th" if index == key_index else "td"
        cls = ' class="portal-num"' if index < len(numeric) and numeric[index] else ""
        tds.append(f"<{tag}{cls}>{html.escape(cell, quote=False)}</{close}>")
    return f'<tr data-key="{html.escape(sort)}">' + "".join(tds) + "</tr>"


def _write_pages(
    rows: Iterator[tuple[str, int, list[str]]],
    key_index: int,
    numeric: list[bool],
    headers: list[str],
    key: SchemaField,
    resource: Resource,
    out: Path,
    ctx: Context,
) -> Iterator[_Entry]:
    buffer: list[str] = []
    firsts: tuple[str, str] = ("", "")
    lasts: tuple[str, str] = ("", "")
    size, number, done = 0, 0, 0

    def flush(more: bool) -> _Entry:
        nonlocal number, done
        number += 1
        entry = _Entry(
            firsts[1], lasts[1], firsts[0], lasts[0], _page_name(number), len(buffer), "rows"
        )
        _write_rows_page(
            out / entry.href,
            entry,
            Markup("\n".join(buffer)),
            headers,
            numeric,
            key,
            resource,
            ctx,
            number=number,
            start=done + 1,
            more=more,
        )
        done += len(buffer)
        return entry

    for sort, _, cells in rows:
        row = _row_html(cells, numeric, key_index, sort)
        if buffer and (size + len(row) > PAGE_BYTES or len(buffer) >= PAGE_ROWS):
            yield flush(more=True)
            buffer, size = [], 0
        if not buffer:
            firsts = (sort, _shown(cells, key_index))
        lasts = (sort, _shown(cells, key_index))
        buffer.append(row)
        size += len(row)
    if buffer or number == 0:
        yield flush(more=False)


def _shown(cells: list[str], key_index: int) -> str:
    value = cells[key_index].strip() if key_index < len(cells) else ""
    return value or "(blank)"


def _page_name(number: int) -> str:
    return f"{number:05d}.html"


def _write_rows_page(
    path: Path,
    entry: _Entry,
    rows: Markup,
    headers: list[str],
    numeric: list[bool],
    key: SchemaField,
    resource: Resource,
    ctx: Context,
    *,
    number: int,
    start: int,
    more: bool,
) -> None:
    text = render(
        ctx.theme_dir,
        "datasets/rows.html",
        ctx=ctx,
        resource=resource,
        key=key,
        entry=entry,
        rows=rows,
        headers=headers,
        numeric=numeric,
        start=start,
        previous=_page_name(number - 1) if number > 1 else "",
        following=_page_name(number + 1) if more else "",
        root=ROOT_FROM_ROWS,
        alternates=ctx.alternates(resource, path.name),
        package_lang=ctx.package_lang,
        _=ctx.words,
    )
    path.write_text(text, encoding="utf-8")


# The pages are published at datasets/NAME/resources/RESOURCE/rows/FILE.html.
ROOT_FROM_ROWS = "../../../../../"


def _write_index_level(
    entries: list[_Entry], level: int, key: SchemaField, resource: Resource, out: Path, ctx: Context
) -> list[_Entry]:
    parents = []
    for start in range(0, len(entries), FANOUT):
        group = entries[start : start + FANOUT]
        href = f"index-{level}-{start // FANOUT + 1:04d}.html"
        _write_index(out / href, group, key, resource, ctx, parent="index.html", level=level)
        first, last = group[0], group[-1]
        rows = sum(e.rows for e in group)
        parents.append(
            _Entry(first.first, last.last, first.first_key, last.last_key, href, rows, "index")
        )
    return parents


def _write_index(
    path: Path,
    entries: list[_Entry],
    key: SchemaField,
    resource: Resource,
    ctx: Context,
    *,
    parent: str | None,
    level: int,
) -> None:
    text = render(
        ctx.theme_dir,
        "datasets/rows_index.html",
        ctx=ctx,
        resource=resource,
        key=key,
        entries=entries,
        headers=[f.title or f.name for f in resource.fields],
        parent=parent,
        level=level,
        root=ROOT_FROM_ROWS,
        alternates=ctx.alternates(resource, path.name),
        package_lang=ctx.package_lang,
        _=ctx.words,
    )
    path.write_text(text, encoding="utf-8")
