"""Whole HTML pages the endpoint answers with, made from the built site's own pages.

A re-rendered form is the real consultation page with its form region swapped; every other
page (confirmation, closed, errors) is the build's shell page with its slot filled. Both are
served under another URL than the one they were built for, so their relative links (MkDocs
writes ``../../assets/...``) are made absolute from the page's original URL.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from portal.forms.render import end_marker, render_form, start_marker
from portal.i18n import ENGLISH, Words
from portal.mkdocs_plugin.headings import with_title
from portal.render import render

SHELL_FILE = Path("_portal/page/index.html")
SHELL_URL = "/_portal/page/"
SHELL_TITLE = "Your response"  # the build's shell page title (portal.pages.content)
SLOT = "<!--portal:slot-->"
SLOT_END = "<!--/portal:slot-->"  # the shell's own placeholder text ends here

_URL_ATTR = re.compile(
    r"""(?P<pre>\s(?:href|src|action|poster)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""",
    re.IGNORECASE | re.DOTALL,
)
_SRCSET = re.compile(
    r"""(?P<pre>\ssrcset\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.IGNORECASE | re.DOTALL
)
# Material reads its base URL and its search worker's URL from this JSON, and resolves both
# against the current location (a worker URL left relative: search stuck at "Initializing").
_MATERIAL_CONFIG = re.compile(r'(<script id="__config"[^>]*>)(.*?)(</script>)', re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z0-9-]{1,35})", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|/|#)", re.IGNORECASE)


def absolute_url(url: str, base: str) -> str:
    """``url`` as written in a page at ``base``, made independent of where it is served."""
    stripped = url.strip()
    if _ABSOLUTE.match(stripped) or stripped.startswith("{"):
        return url  # absolute, root-relative, in-page fragment, or a template placeholder
    return urljoin(base, stripped)


def absolutize(html: str, base: str) -> str:
    """Rewrite relative href/src/action/srcset URLs in ``html`` as if it were at ``base``."""

    def one(match: re.Match[str]) -> str:
        url = absolute_url(match["url"], base)
        return f"{match['pre']}{match['q']}{url}{match['q']}"

    def many(match: re.Match[str]) -> str:
        parts = []
        for candidate in match["url"].split(","):
            bits = candidate.strip().split(None, 1)
            if bits:
                bits[0] = absolute_url(bits[0], base)
            parts.append(" ".join(bits))
        return f"{match['pre']}{match['q']}{', '.join(parts)}{match['q']}"

    def material(match: re.Match[str]) -> str:
        start, text, end = match.group(1, 2, 3)
        try:
            config = json.loads(text)
        except ValueError:
            return match[0]  # not Material's JSON: leave it as built
        if not isinstance(config, dict):
            return match[0]
        # Material resolves "../.." against the location; "/" resolves to the same place.
        value = config.get("base")
        if isinstance(value, str) and not _ABSOLUTE.match(value):
            config["base"] = urljoin(base, value.rstrip("/") + "/")
        worker = config.get("search")
        if isinstance(worker, str):
            config["search"] = absolute_url(worker, base)
        # As Material writes it (tojson): no "</" can close the script early.
        text = json.dumps(config).replace("</", "<\\/")
        return f"{start}{text}{end}"

    html = _URL_ATTR.sub(one, html)
    html = _SRCSET.sub(many, html)
    return _MATERIAL_CONFIG.sub(material, html)


def set_title(html: str, title: str) -> str:
    return _TITLE.sub(lambda _m: f"<title>{escape(title)}</title>", html, count=1)


def page_title(html: str) -> str:
    found = _TITLE.search(html)
    return found[1].strip() if found else ""


def site_language(site_dir: Path) -> str:
    """The site's default language, as its shell page was built in (``<html lang>``):
    the language of a request (or a subscriber) that names none. '' without a shell page."""
    try:
        with open(site_dir / SHELL_FILE, encoding="utf-8", errors="replace") as shell:
            start = shell.read(2000)  # read each time: a rebuild may change it
    except OSError:
        return ""
    found = _HTML_LANG.search(start)
    return found[1] if found else ""


class Pages:
    def __init__(self, site_dir: Path, theme_dir: Path) -> None:
        self.site_dir = site_dir
        self.theme_dir = theme_dir

    # -- the form page, re-rendered after an invalid post --------------------------------
    def form_page(
        self,
        manifest: dict[str, Any],
        *,
        values: dict[str, list[str]],
        errors: dict[str, str],
        submission_id: str,
        action: str,
        words: Words = ENGLISH,
    ) -> str:
        form = render_form(
            manifest,
            theme_dir=self.theme_dir,
            values=values,
            errors=errors,
            submission_id=submission_id,
            action=action,
            words=words,
        )
        _ = words  # the name `make messages` looks for
        page = self.site_dir / manifest["page_file"]
        html = page.read_text(encoding="utf-8") if page.is_file() else ""
        start, end = start_marker(manifest["id"]), end_marker(manifest["id"])
        if start in html and end in html:
            before, rest = html.split(start, 1)
            after = rest.split(end, 1)[1]
            html = before + form.strip() + after
            title = page_title(html)
            html = absolutize(html, manifest["page_url"])
            return set_title(html, _("Error: {title}", title=title) if errors else title)
        # The page is missing or was edited by hand: still answer with the form and errors.
        return self.page(
            _("Error: {title}", title=manifest["title"]) if errors else manifest["title"],
            f"<h1>{escape(manifest['title'])}</h1>\n{form}",
        )

    def site_name(self) -> str:
        """The site's name, as the build's shell page gives it ('' without a shell)."""
        shell = self.site_dir / SHELL_FILE
        html = shell.read_text(encoding="utf-8") if shell.is_file() else ""
        return page_title(html).removeprefix(SHELL_TITLE).lstrip(" -–")

    def site_language(self) -> str:
        return site_language(self.site_dir)

    # -- everything else, in the shell ---------------------------------------------------
    def shell(self, language: str) -> tuple[Path, str]:
        """The shell page built in ``language`` and its address: a site in several
        languages builds one under each language's folder (``cy/_portal/page/``), so the
        page around the endpoint's words (its header, footer, ``<html lang>``) is in that
        language too. The site's own shell otherwise."""
        if language and "/" not in language and ".." not in language:
            translated = self.site_dir / language / SHELL_FILE
            if translated.is_file():
                return translated, f"/{language}{SHELL_URL}"
        return self.site_dir / SHELL_FILE, SHELL_URL

    def page(self, title: str, content: str, words: Words = ENGLISH) -> str:
        shell, shell_url = self.shell(words.language)
        html = shell.read_text(encoding="utf-8") if shell.is_file() else ""
        if SLOT not in html:
            return render(
                self.theme_dir,
                "endpoint/standalone.html",
                title=title,
                content=content,
                language=words.language,
            )
        # The shell's own title is SHELL_TITLE plus the site's name; keep the name.
        site_name = page_title(html).removeprefix(SHELL_TITLE).lstrip(" -–")
        # Material repeats the page title in its header and in og:title.
        html = html.replace(SHELL_TITLE, escape(title))
        start = html.index(SLOT)
        end = html.find(SLOT_END, start)
        stop = end + len(SLOT_END) if end != -1 else start + len(SLOT)
        # The shell's skip link goes to #page-title, as on every built page: give the
        # content's heading that id (a page without the target has a skip link to nowhere).
        html = html[:start] + with_title(content, title) + html[stop:]
        html = absolutize(html, shell_url)
        return set_title(html, f"{title} - {site_name}" if site_name else title)

    def template(self, template: str, title: str, words: Words = ENGLISH, **context: Any) -> str:
        """A page of the endpoint's in the language of ``words`` (the language of the page
        the visitor came from): its fixed words, and the shell built in that language. The
        caller gives ``title`` already in that language."""
        content = render(self.theme_dir, f"endpoint/{template}", title=title, _=words, **context)
        return self.page(title, content, words)
