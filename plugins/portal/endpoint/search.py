"""Site search without JavaScript: Material's own search, run by the endpoint.

In the browser, Material searches with lunr.js in a web worker over the build's
``search/search_index.json``. Without JavaScript, the header's plain form (theme/partials/
search.html) asks the endpoint for ``GET /search?query=...``, and this module answers from the
same file with lunr.py (a port of lunr.js 2.3) set up as Material's worker sets up lunr.js
(material/templates/assets/javascripts/workers/search.*.min.js.map, Material 9.8):

- the fields, boosts, separator and pipeline from the index's own ``config``; ``b(0)``;
- Material's tokenizer: text between HTML tags, split on the separator, lower-cased;
- Material's query transform: each word split on the separator and given a trailing ``*``;
- its boost after the query: ``score * (1 + boost ** 2)``, where ``boost`` is 1 for a page
  (not a section) plus the share of the query's words the result matched;
- results grouped by page, in the order of each page's best result.

So the pages come in the same order as in Material's list, with the same words marked: the
page's title, then (as Material shows) the page's text or its best sections' titles and text,
in at most two blocks of the page.

The parameter is ``query``, the name of Material's own search field, not ``q``: Material opens
its search dialog over any page whose address has ``?q=``, results page included.

The index is read once per built site: each request compares the file's inode, size and
modification time with the loaded one (a build swaps the site in whole), and reloads on a
change.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.exceptions import BaseLunrException
from lunr.query import Query, QueryPresence
from lunr.query_lexer import QueryLexer
from lunr.query_parser import QueryParser
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from portal import urls
from portal.endpoint.built_files import Version, version
from portal.endpoint.config import EndpointSettings
from portal.endpoint.languages import PerLanguage
from portal.endpoint.pages import Pages
from portal.render import render

INDEX_FILE = Path("search/search_index.json")
LANGUAGE = "language"  # the language of the page searched from, on a site in several
PARAMETER = "query"
MAX_QUERY = 200  # characters: longer is not a search anyone types
PER_PAGE = 20  # pages of results to a page (Material shows 10, then more as the list scrolls)
TEASER_WORDS = 40  # a teaser with no word marked (Material shows the whole text; CSS cuts it)

_PIPELINE = {"trimmer": trimmer, "stopWordFilter": stop_word_filter, "stemmer": stemmer}
_TAG = re.compile(r"<[^>]*>")
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"


# -- Material's tokenizer (internal/extract, internal/tokenize, internal/_) ------------------
TAG_OPEN, TEXT, TAG_CLOSE = 0, 1, 2


def _extract(value: str) -> Iterator[tuple[int, int, int, int]]:
    """(block, kind, start, end) of each section of ``value``: a block is one top-level
    element, as in Material's ``extract``."""
    block = start = end = stack = 0
    while end < len(value):
        char = value[end]
        if char == "<" and end > start:
            yield block, TEXT, start, end
            start = end
        elif char == ">":
            if value[start + 1 : start + 2] == "/":
                stack -= 1
                if stack == 0:
                    yield block, TAG_CLOSE, start, end + 1
                    block += 1
            elif end == 0 or value[end - 1] != "/":
                if stack == 0:
                    yield block, TAG_OPEN, start, end + 1
                stack += 1
            start = end + 1
        end += 1
    if end > start:
        yield block, TEXT, start, end


def _split(value: str, separator: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    index = 0
    for match in separator.finditer(value):
        if index < match.start():
            yield index, match.start()
        index = match.end()
    if index < len(value):
        yield index, len(value)


@dataclass
class _Token:
    text: str  # lower-cased, as indexed
    start: int
    end: int


@dataclass
class _Block:
    start: int  # the first section (usually the opening tag)
    end: int  # the end of the last one (usually the closing tag)
    tokens: list[_Token] = field(default_factory=list)


def tokenize(value: str, separator: re.Pattern[str]) -> list[_Block]:
    blocks: dict[int, _Block] = {}
    for number, kind, start, end in _extract(value):
        block = blocks.setdefault(number, _Block(start, end))
        block.end = max(block.end, end)
        if kind == TEXT:
            for a, b in _split(value[start:end], separator):
                block.tokens.append(
                    _Token(value[start + a : start + b].lower(), start + a, start + b)
                )
    return [blocks[n] for n in sorted(blocks)]


# -- Material's query transform (query/transform, query/_) -----------------------------------
_QUOTED = re.compile(r'"([^"]+)"')
_IN_QUOTES = re.compile(r"^\b|^(?![^\x00-\x7F]|$)|\s+")
_CONTROL = re.compile(r'"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)')
_FIELDS = ("title", "text", "tags")


def transform_query(query: str, separator: re.Pattern[str]) -> str:
    parts = _QUOTED.split(query.strip())
    joined = "".join(
        _IN_QUOTES.sub(" +", part) if index % 2 else part for index, part in enumerate(parts)
    )
    joined = _CONTROL.sub("", joined)
    terms: list[str] = []
    for part in re.split(r"\s+", joined):
        terms += _visit(part, separator)
    terms = [f"{t}1" if re.search(r"[~^]$", t) else t for t in terms]
    return " ".join(t if re.search(r"(^[+-]|[~^]\d+$)", t) else f"{t}*" for t in terms)


def _visit(part: str, separator: re.Pattern[str]) -> list[str]:
    terms: list[str] = []
    lexer = QueryLexer(part)
    lexer.run()
    for lexeme in lexer.lexemes:
        term, start, end = lexeme["string"], lexeme["start"], lexeme["end"]
        if lexeme["type"] == QueryLexer.FIELD:
            if term not in _FIELDS:
                part = part[:end] + " " + part[end + 1 :]
        elif lexeme["type"] == QueryLexer.TERM:
            for a, b in _split(term, separator):
                terms.append(part[:start] + term[a:b] + part[end:])
    return terms


def _clauses(query: str) -> list[Any]:
    """The query's clauses without their wildcards, as Material's ``parseSearchQuery``."""
    parsed = Query(list(_FIELDS))
    QueryParser(query, parsed).parse()
    clauses = []
    for clause in parsed.clauses:
        clause.term = clause.term.removeprefix("*").removesuffix("*")
        if clause.presence is not QueryPresence.PROHIBITED:
            clauses.append(clause)
    return clauses


def _query_terms(clauses: list[Any], terms: list[str]) -> dict[str, bool]:
    left = list(clauses)
    found: dict[str, bool] = {}
    for term in terms:
        for clause in list(left):
            if term.startswith(clause.term):
                found[clause.term] = True
                left.remove(clause)
    for clause in left:
        if stop_word_filter(clause.term):
            found[clause.term] = False
    return found


# -- the index ------------------------------------------------------------------------------
@dataclass
class Doc:
    location: str
    title: str
    text: str
    boost: float
    parent: Doc | None = None


@dataclass(frozen=True)
class Hit:
    """One page or section that matched, with its score after Material's boost."""

    doc: Doc
    terms: frozenset[str]  # the index's words it matched
    score: float


@dataclass
class Item:
    """One page or section in the results, with its words marked (HTML, escaped)."""

    location: str
    title: str
    teaser: str
    score: float
    section: bool


@dataclass
class PageResult:
    location: str
    title: str
    teaser: str  # the page's own teaser, when Material shows it
    sections: list[Item]  # its best sections, as Material shows them


def _plain(value: str) -> str:
    """HTML (with mark sentinels) as escaped text with <mark>s."""
    text = html.escape(html.unescape(_TAG.sub(" ", value)), quote=False)
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


def _highlight(value: str, blocks: list[_Block], terms: set[str], *, full: bool) -> str:
    """Material's ``highlight``: the whole value (``full``), else its first two blocks with
    a marked word; unmarked, the value itself."""
    marked = [b for b in blocks if any(t.text in terms for t in b.tokens)]
    if not marked:
        if full:
            return _plain(value)
        words = _plain(value).split(" ")
        return " ".join(words[:TEASER_WORDS]) + (" …" if len(words) > TEASER_WORDS else "")
    slices: list[str] = []
    cursor = 0
    for block in marked[:2]:
        if full and block.start > cursor:
            slices.append(value[cursor : block.start])
        piece = value[block.start : block.end]
        for token in sorted(block.tokens, key=lambda t: -t.start):
            if token.text in terms:
                a, b = token.start - block.start, token.end - block.start
                piece = piece[:a] + _MARK_OPEN + piece[a:b] + _MARK_CLOSE + piece[b:]
        slices.append(piece)
        cursor = block.end
    if full and cursor < len(value):
        slices.append(value[cursor:])
    return _plain(" ".join(slices) if not full else "".join(slices))


class Engine:
    """One search_index.json, indexed as Material's worker indexes it."""

    def __init__(self, data: dict[str, Any]) -> None:
        config = data.get("config", {})
        self.separator = re.compile(config.get("separator") or r"[\s\-]+")
        self.fields: dict[str, Any] = config.get("fields") or {"title": {"boost": 1000}, "text": {}}
        pipeline = [name for name in _PIPELINE if name in config.get("pipeline", _PIPELINE)]
        self.docs: dict[str, Doc] = {}
        self.blocks: dict[tuple[str, str], list[_Block]] = {}
        for entry in data.get("docs", []):
            doc = Doc(
                str(entry.get("location", "")),
                str(entry.get("title", "")),
                str(entry.get("text", "")),
                float(entry.get("boost") or 1),
            )
            article = self.docs.get(doc.location.split("#")[0])
            if article is None:
                self.docs[doc.location.split("#")[0]] = doc
            else:
                doc.parent = article
                self.docs[doc.location] = doc

        builder = Builder()
        for name in pipeline:
            builder.pipeline.add(_PIPELINE[name])
        if "stemmer" in pipeline:
            builder.search_pipeline.add(stemmer)
        builder.b(0)
        builder.ref("location")
        for name, spec in self.fields.items():
            builder.field(
                name, boost=(spec or {}).get("boost") or 1, extractor=self._extractor(name)
            )
        for entry in data.get("docs", []):
            builder.add(entry, {"boost": entry.get("boost") or 1})
        self.index = builder.build()

    def _extractor(self, name: str) -> Any:
        def extract(entry: dict[str, Any]) -> list[str] | None:
            value = entry.get(name)
            if value is None:
                return None
            values = value if isinstance(value, list) else [value]
            tokens: list[str] = []
            for one in values:
                blocks = tokenize(str(one), self.separator)
                if not isinstance(value, list):
                    self.blocks[(str(entry.get("location", "")), name)] = blocks
                tokens += [t.text for b in blocks for t in b.tokens]
            return tokens

        return extract

    def search(self, query: str) -> list[PageResult]:
        return [self.result(group) for group in self.groups(query)]

    def groups(self, query: str) -> list[list[Hit]]:
        """Each page's results, best first, pages in the order of their best result."""
        transformed = transform_query(query, self.separator)
        if not transformed:
            return []
        try:
            clauses = _clauses(transformed)
            results = self.index.search(transformed)
        except (BaseLunrException, KeyError, IndexError, ValueError):
            return []  # Material shows no results for a query lunr cannot parse
        hits: list[Hit] = []
        for result in results:
            doc = self.docs.get(result["ref"])
            if doc is None:
                continue
            matched = list(result["match_data"].metadata)
            terms = _query_terms(clauses, matched)
            share = sum(terms.values()) / len(terms) if terms else 0.0
            boost = (0 if doc.parent else 1) + share
            hits.append(Hit(doc, frozenset(matched), result["score"] * (1 + boost**2)))
        hits.sort(key=lambda hit: -hit.score)
        groups: dict[str, list[Hit]] = {}
        for hit in hits:
            page = hit.doc.parent.location if hit.doc.parent else hit.doc.location
            groups.setdefault(page, []).append(hit)
        return list(groups.values())

    def _item(self, hit: Hit) -> Item:
        def marked(name: str, value: str, full: bool) -> str:
            blocks = self.blocks.get((hit.doc.location, name), [])
            return _highlight(value, blocks, set(hit.terms), full=full)

        return Item(
            hit.doc.location,
            marked("title", hit.doc.title, True),
            marked("text", hit.doc.text, False),
            hit.score,
            hit.doc.parent is not None,
        )

    def result(self, group: list[Hit]) -> PageResult:
        """What Material's ``renderSearchResultItem`` shows of one page's results; the
        words are marked here, for the pages shown only."""
        threshold = group[0].score
        article_at = next((i for i, hit in enumerate(group) if hit.doc.parent is None), None)
        if article_at is None:
            parent = group[0].doc.parent
            assert parent is not None
            article = Item(parent.location, _plain(html.escape(parent.title)), "", 0.0, False)
            rest = list(group)
        else:
            article = self._item(group[article_at])
            rest = group[:article_at] + group[article_at + 1 :]
        ties = next((i for i, hit in enumerate(rest) if hit.score < threshold), len(rest))
        best = [self._item(hit) for hit in rest[:ties]]
        teaser = article.teaser if article_at == 0 and not best else ""
        return PageResult(article.location, article.title, teaser, best)


class SiteSearch:
    """The built site's search index, loaded once and again when a build replaces it.

    Indexing takes a while for a large site (about 5 s for 1,000 consultations, 9,600
    pages and sections: bench/results/search-filters.md), so the endpoint starts it when it
    starts, and when a build has replaced the index it goes on answering from the one it has
    until the new one is ready.
    """

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / INDEX_FILE
        self._lock = threading.Lock()
        self._first = threading.Lock()
        self._key: Version | None = None
        self._engine: Engine | None = None
        self._loading: threading.Thread | None = None

    def engine(self) -> Engine | None:
        key = version(self.path)
        if key is None:
            return None
        with self._lock:
            if key == self._key or (self._engine is not None and self._loading is not None):
                return self._engine
            if self._engine is not None:
                self._loading = threading.Thread(target=self._load, args=(key,), daemon=True)
                self._loading.start()
                return self._engine
        with self._first:  # the first load: wait for it (once, however many ask)
            if self._key is not None:
                return self._engine
            return self._load(key)

    def wait(self) -> None:
        """Until a reload under way has finished (for tests)."""
        loading = self._loading
        if loading is not None:
            loading.join()

    def _load(self, key: Version) -> Engine | None:
        try:
            engine: Engine | None = Engine(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            engine = None  # a file being replaced, or not an index: keep what there is
        with self._lock:
            if engine is not None:
                self._engine, self._key = engine, key
            self._loading = None
            return self._engine


# -- the page -------------------------------------------------------------------------------
class SearchPage:
    """``GET /search?query=...``: the results page, in the site's shell."""

    def __init__(self, settings: EndpointSettings) -> None:
        # A site in several languages has an index per language (portal.languages), each
        # in its language's folder; the header's form says which (LANGUAGE).
        self.searches = PerLanguage(settings, INDEX_FILE, SiteSearch)
        self.pages = Pages(settings.site_dir, settings.theme_dir)
        threading.Thread(target=self.searches.default.engine, daemon=True).start()  # sooner

    async def page(self, request: Request) -> Response:
        query = " ".join(request.query_params.get(PARAMETER, "").split())
        search, _ = self.searches.get(request.query_params.get(LANGUAGE, ""))
        engine = await run_in_threadpool(search.engine)
        status, message, groups = 200, "", []
        number = _page_number(request.query_params.get("page", "1"))
        if len(query) > MAX_QUERY:
            status, message = (
                400,
                _("Your search is too long: use at most {count} characters.", count=MAX_QUERY),
            )
        elif number is None:
            status, message = 400, _("There is no such page of results. Start from the first.")
        elif engine is None:
            status, message = 503, _("Search is not available at the moment. Try again later.")
        elif query:
            groups = await run_in_threadpool(engine.groups, query)
        pages = max(1, -(-len(groups) // PER_PAGE))
        number = min(number or 1, pages)
        start = (number - 1) * PER_PAGE
        shown = groups[start : start + PER_PAGE]
        results = [engine.result(g) for g in shown] if engine is not None else []
        title = (
            _("Search results for ‘{query}’", query=query) if query and not message else _("Search")
        )
        if pages > 1:
            title = _("{title}, page {number} of {count}", title=title, number=number, count=pages)
        content = render(
            self.pages.theme_dir,
            "endpoint/search.html",
            _=_,
            # Searching again from the results keeps to the language searched in.
            language=_.language if search is not self.searches.default else "",
            action=urls.SEARCH,
            parameter=PARAMETER,
            query=query,
            total=len(groups),
            results=results,
            start=start,
            number=number,
            pages=pages,
            message=message,
        )
        return HTMLResponse(self.pages.page(title, content, _), status_code=status)


def _page_number(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else None


def routes(settings: EndpointSettings) -> list[BaseRoute]:
    return [Route(urls.SEARCH, SearchPage(settings).page, methods=["GET", "HEAD"])]
