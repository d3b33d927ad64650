"""The site a build will publish, known before anything is written: its pages and files.

Pages are known by their source name ('about.md', 'consultations/x/index.md'), as MkDocs
knows them; files by their address. What staff wrote for each page is parsed only when a
link needs it.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import urlsplit

from portal.checks.markdown import Parsed
from portal.discovery.feed import FEED_PATH
from portal.discovery.ical import CALENDAR_PATH
from portal.generated import GeneratedFile, GeneratedPage, page_url
from portal.languages import split
from portal.site import Portal

# Written while the pages are (portal.pages.discovery.syndication_files): their addresses.
SYNDICATION = {
    FEED_PATH,
    CALENDAR_PATH,
    "api/consultations.json",
    "api/datasets.json",
    "api/consultations.schema.json",
    "api/datasets.schema.json",
}
TEMPLATE_ID = re.compile(r"""\bid=["']([^"']+)["']""")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@dataclass(frozen=True)
class Source:
    """A file staff wrote whose Markdown is published on the page ``src_uri``."""

    path: Path
    src_uri: str
    body: str
    body_line: int


@dataclass
class SiteMap:
    pages: set[str]  # source names of pages: 'about.md', 'consultations/x/index.md'
    files: set[str]  # every other file, by its address in the site
    url_prefix: str = ""  # the path of site_url, such as '/portal/'
    # What staff wrote for each page, and how to read it (once, when it is first asked for).
    sources: dict[str, list[Source]] = field(default_factory=dict)
    parse: Callable[[Source], Parsed] | None = None

    def ids_of(self, src_uri: str) -> set[str] | None:
        """The ids of the Markdown of a page staff wrote; None for a page the portal
        writes whole, whose ids only its templates know."""
        sources = self.sources.get(src_uri)
        if not sources or self.parse is None:
            return None
        return set().union(*(self.parse(source).ids for source in sources))

    def __post_init__(self) -> None:
        self.urls = {page_url(p): p for p in self.pages}

    def page_at(self, address: str) -> str | None:
        """The page published at ``address`` (relative to the site root), if any."""
        address = address.lstrip("/")
        if address in ("", ".") or address.endswith("/"):
            return self.urls.get("" if address in ("", ".") else address)
        if address.endswith("index.html"):
            return self.urls.get(address.removesuffix("index.html"))
        return None

    def exists_at(self, address: str) -> bool:
        address = address.lstrip("/")
        return (
            self.page_at(address) is not None or address in self.files or f"{address}/" in self.urls
        )


def site_map(
    portal: Portal, pages: Iterable[GeneratedPage], files: Iterable[GeneratedFile]
) -> SiteMap:
    content = portal.settings.content_dir
    staff_pages: set[str] = set()
    static: set[str] = set()
    for path in content.rglob("*") if content.is_dir() else []:
        relative = path.relative_to(content)
        if path.is_file() and not any(p.startswith(".") for p in relative.parts):
            if split(relative.as_posix(), portal.settings.all_languages)[1] is not None:
                continue  # a page's translation is published at the page's address
            (staff_pages if path.suffix == ".md" else static).add(relative.as_posix())
    theme = portal.settings.theme_dir
    for path in theme.rglob("*") if theme.is_dir() else []:
        if path.is_file() and path.suffix != ".html":
            static.add(path.relative_to(theme).as_posix())
    static |= {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
    static |= SYNDICATION
    prefix = urlsplit(portal.settings.site_url).path.rstrip("/") + "/"
    return SiteMap(
        pages=staff_pages | {p.src_uri for p in pages},
        files=static | {f.dest_uri for f in files},
        url_prefix=prefix if prefix != "/" else "",
    )


@cache
def template_ids(theme_dir: Path) -> tuple[re.Pattern[str], ...]:
    """Ids the templates give a page around what staff wrote ('respond', 'outcome', ...)."""
    found: set[str] = set()
    folders = [theme_dir, Path(str(package_files("material") / "templates"))]
    for folder in folders:
        for template in folder.rglob("*.html") if folder.is_dir() else []:
            try:
                found.update(TEMPLATE_ID.findall(template.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue
    # An id made only of template expressions ('{{ id }}') would match any anchor: such
    # ids are a form's or a question's, which staff do not link to.
    return tuple(
        re.compile(".*".join(re.escape(part) for part in JINJA.split(value)))
        for value in sorted(found)
        if len(JINJA.sub("", value)) >= 3
    )


NO_SUGGESTION = "correct the address, or add the page or file it names"


def suggest(resolved: str, site: SiteMap) -> str:
    """A page or file of the same kind whose name is close to what was written."""
    want = resolved.strip("/")
    suffix = posixpath.splitext(want)[1]
    if suffix:
        pool = [n for n in site.pages | site.files if n.endswith(suffix)]
    else:  # a page's address
        pool = [u.rstrip("/") for u in site.urls if u]
    # The whole path, so that 'datasets/index.md' is not answered with another folder's
    # 'index.md', but 'privcy.md' is with 'privacy.md'.
    close = difflib.get_close_matches(want, sorted(pool), n=1, cutoff=0.85)
    if not close:
        return NO_SUGGESTION
    nearest = close[0]
    return f"did you mean '{nearest}{'' if suffix else '/'}'?"
