"""A README written for GitHub, made to work on the site, before any generator renders it.

GitHub READMEs link to files beside them (``scripts/clean.py``), to files elsewhere in their
repository (``../../LICENSE``, ``/docs/method.md``) and show badges from other sites. On the
site every file inside the package is published at the same relative place, so those links
are kept; a link that would lead nowhere on the site (outside the package, a hidden file, a
folder, a file that does not exist) goes to the package's homepage or repository when the
descriptor names one, and otherwise becomes its plain text with a note for ``portal check``.
Images from other sites are refused by the site's Content Security Policy (``img-src
'self'``), so they become links named by their alt text rather than broken images.

The rewrite is done here, on the Markdown, so MkDocs and Pelican render the same links, and
``portal check`` (which never renders) sees the same notes as ``portal build``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from portal.problems import Problems

FENCE = re.compile(r"^(?P<fence>```+|~~~+).*?^(?P=fence)[ \t]*$", re.M | re.S)
BADGE = re.compile(r"\[!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)[^)]*\)\]\((?P<href>[^)\s]+)[^)]*\)")
INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\[]*)\]\((?P<url><[^>]*>|[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)"
)
REFERENCE_USE = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]\[]+)\]\[(?P<ref>[^\]]*)\]")
REFERENCE_DEF = re.compile(r"^ {0,3}\[(?P<ref>[^\]]+)\]:\s*(?P<url>\S+).*$", re.M)
HTML_BADGE = re.compile(r"<a\b(?P<a>[^>]*)>\s*<img\b(?P<img>[^>]*)>\s*</a>", re.I)
HTML_TAG = re.compile(r"<(?P<tag>a|img)\b(?P<attrs>[^>]*)>", re.I)
HTML_ATTR = re.compile(r"\b(?P<name>href|src|alt)\s*=\s*(?P<q>[\"'])(?P<value>.*?)(?P=q)", re.I)


@dataclass(frozen=True)
class Place:
    """What a README's links are resolved against."""

    source: Path  # the file notes point at (README.md, or the descriptor for ``readme``)
    first_line: int  # the line of ``source`` the Markdown starts on
    doc_dir: str  # the Markdown file's folder inside the package ('' for the top)
    published: frozenset[str]  # every file published, package-relative
    pages: frozenset[str]  # Markdown files published as pages (README.md is the overview)
    elsewhere: str  # the homepage or repository, for links the site cannot serve
    one_line: bool = False  # Markdown held in one JSON string: every note is at first_line


def rewrite(markdown: str, place: Place, notes: Problems) -> str:
    """``markdown`` with every link and image made to work on the site."""
    prose = FENCE.sub("", markdown)  # a reference may be defined far from where it is used
    definitions = {m["ref"].lower(): m["url"] for m in REFERENCE_DEF.finditer(prose)}
    out, last = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(_rewrite_prose(markdown, last, fence.start(), place, notes, definitions))
        out.append(fence.group())
        last = fence.end()
    out.append(_rewrite_prose(markdown, last, len(markdown), place, notes, definitions))
    return "".join(out)


def _rewrite_prose(
    text: str,
    start: int,
    end: int,
    place: Place,
    notes: Problems,
    definitions: dict[str, str],
) -> str:
    before = place.first_line + (0 if place.one_line else text.count("\n", 0, start))
    chunk = text[start:end]

    def inline_reference(m: re.Match[str]) -> str:
        url = definitions.get((m["ref"] or m["text"]).lower())
        if url is None or not (m["bang"] or _is_local(url)):
            return m.group()  # a link to another site works as it is
        return f"{m['bang']}[{m['text']}]({url})"

    # Reference links become inline ones on the same line, so line numbers hold.
    chunk = REFERENCE_USE.sub(inline_reference, chunk)
    replacements: list[tuple[int, int, str]] = []
    handlers: list[tuple[re.Pattern[str], Handler]] = [
        (BADGE, _badge),
        (HTML_BADGE, _html_badge),
        (INLINE, _inline),
        (HTML_TAG, _html),
    ]
    for pattern, handler in handlers:
        for m in pattern.finditer(chunk):
            if any(a <= m.start() < b for a, b, _ in replacements):
                continue  # inside a badge already rewritten
            line = before + (0 if place.one_line else chunk.count("\n", 0, m.start()))
            replacements.append((m.start(), m.end(), handler(m, place, notes, line)))
    replacements.sort()
    pieces, last = [], 0
    for a, b, new in replacements:
        pieces.append(chunk[last:a])
        pieces.append(new)
        last = b
    pieces.append(chunk[last:])
    return "".join(pieces)


Handler = Callable[[re.Match[str], Place, Problems, int], str]


def _badge(m: re.Match[str], place: Place, notes: Problems, line: int) -> str:
    """A linked image (a badge): the image is kept only if the site can show it."""
    image = m["alt"] or "Image"
    if _is_local(m["src"]):
        source = _target(m["src"], place)
        image = f"![{m['alt']}]({source})" if source else image
    target = _target(m["href"], place)
    if target is None:
        _note(notes, place, line, m["href"])
        return image
    return f"[{image}]({target})"


def _inline(m: re.Match[str], place: Place, notes: Problems, line: int) -> str:
    url = m["url"].strip("<>")
    title = m["title"] or ""
    if m["bang"]:
        if not _is_local(url):
            if urlsplit(url).scheme in {"http", "https"}:
                return f"[{m['text'] or 'Image'} (image on another site)]({url}{title})"
            return m.group()  # data: URIs and the like are allowed by the policy
        target = _target(url, place)
        if target is None:
            _note(notes, place, line, url)
            return m["text"]
        return f"![{m['text']}]({target}{title})"
    target = _target(url, place)
    if target is None:
        _note(notes, place, line, url)
        return m["text"]
    return f"[{m['text']}]({target}{title})"


def _html(m: re.Match[str], place: Place, notes: Problems, line: int) -> str:
    attrs = {a["name"].lower(): a["value"] for a in HTML_ATTR.finditer(m["attrs"])}
    tag = m["tag"].lower()
    url = attrs.get("href" if tag == "a" else "src")
    if url is None:
        return m.group()
    if tag == "img" and not _is_local(url):
        if urlsplit(url).scheme not in {"http", "https"}:
            return m.group()
        # Inside an <a> the alt text is the link's text; alone it becomes a link itself.
        return f'<a href="{url}">{attrs.get("alt") or "Image"} (image on another site)</a>'
    target = _target(url, place)
    if target is None:
        _note(notes, place, line, url)
        # An <a> without href is text, not a link; its closing tag stays as it was.
        return "<a>" if tag == "a" else attrs.get("alt", "")
    return m.group().replace(url, target, 1)


def _html_badge(m: re.Match[str], place: Place, notes: Problems, line: int) -> str:
    """``<a href><img></a>``: an image from another site becomes the link's text."""
    img = {a["name"].lower(): a["value"] for a in HTML_ATTR.finditer(m["img"])}
    if _is_local(img.get("src", "")):
        inner = _html(HTML_TAG.match(f"<img{m['img']}>"), place, notes, line)  # type: ignore[arg-type]
    else:
        inner = img.get("alt") or "Image"
    opening = _html(HTML_TAG.match(f"<a{m['a']}>"), place, notes, line)  # type: ignore[arg-type]
    return f"{opening}{inner}</a>"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _target(url: str, place: Place) -> str | None:
    """Where ``url`` leads on the site; None when nowhere and there is no homepage."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return url  # another site, mailto:, or a fragment on this page
    if not parts.path.startswith("/"):
        resolved = posixpath.normpath(posixpath.join(place.doc_dir, parts.path))
        if resolved == "README.md":  # the overview page itself
            return _with(posixpath.relpath("index.md", place.doc_dir or "."), parts.fragment)
        if resolved in place.published or resolved in place.pages:
            return url
    return place.elsewhere or None


def _with(path: str, fragment: str) -> str:
    return f"{path}#{fragment}" if fragment else path


def _note(notes: Problems, place: Place, line: int, url: str) -> None:
    notes.add(
        place.source,
        line,
        f"the link to '{url}' leads to no file published with the package, "
        "so the site shows its text without a link",
        "add the file to the package folder, give the package a 'homepage', or remove the link",
        code="link-broken",
    )
