"""The stylesheets and scripts a visitor downloads: Material's CSS trimmed, every file cacheable.

Run once a build has written every page (``finish``, from the MkDocs plugin's post-build).

Trimmed. Material's ``assets/stylesheets/*.min.css`` style every component Material has
(code blocks, tabs, tooltips, annotations, blog, version selector, every colour of its
palette...), about 150 KB, of which a portal page uses a quarter; all of it is render
blocking. Each rule is kept unless it can match nothing this site can ever show: a
selector is dropped only when it names a class, id, element or attribute value that is in
none of the built pages, none of the site's scripts (Material's bundle builds its search
results and other parts of the page from strings in it) and none of the portal's templates
(the endpoint fills the built pages with them). Custom properties that nothing reads
and keyframes that nothing runs go too. The rules come from the Material release that is
installed and the evidence from this build, so an upgrade of Material or a new page needs
nothing here; a stylesheet the reader cannot follow is shipped whole. The trimmed copy has
a name of its own (Material's name, with its own hash added), so that it can be cached for
good (deploy/nginx/portal.conf) and a later build that keeps more rules is a new address.

Cacheable. Every other local stylesheet and script the pages load, not already named by
its content's hash (the portal's ``assets/portal/*.css``, a site's ``extra_css``), is loaded
as ``name.css?v=HASH`` with the first 8 hex digits of its content's SHA-256, so nginx can
let browsers keep it for a year and a new build's file is a new address.

The files themselves stay where they are, under their own names, for anything that asks for
them by name.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

log = logging.getLogger("portal.shipped_assets")

# Material's own: assets/stylesheets/main.57a0d79d.min.css, palette.fb2fffe2.min.css.
MATERIAL_CSS = re.compile(r"^(?P<stem>[\w-]+)\.(?P<hash>[0-9a-f]{8})\.min\.css$")
# A file whose name already carries its content's hash (Material's, and the trimmed ones).
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.(?:min\.)?(?:css|js)$")
_URL_ATTR = re.compile(r"""(?P<pre>\s(?:href|src)=)(?P<q>["'])(?P<url>[^"']*)(?P=q)""")
_TAG = re.compile(r"<(?:link|script)\b[^>]*>", re.IGNORECASE)


# -- what the site can show -------------------------------------------------------------


@dataclass
class Evidence:
    """Every class, id, element and attribute the built pages have, and texts that may add
    more (scripts and templates), searched as plain text."""

    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=lambda: {"html", "body", "head"})
    attributes: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    text: str = ""  # the scripts and templates, joined
    _lower: str = ""
    _words: set[str] = field(default_factory=set)
    _prefixes: tuple[str, ...] = ()
    _seen: dict[tuple[str, str, str | None], bool] = field(default_factory=dict)

    def finish(self) -> None:
        self._lower = self.text.lower()
        self._words = set(re.findall(r"[\w-]+", self.text))
        # Classes a script builds from a prefix: `md-tag--${kind}`, "md-source__fact--"+x.
        found = re.findall(r"([A-Za-z][\w-]*(?:-|_))(?:\$\{|[\"'`]\s*\+)", self.text)
        self._prefixes = tuple(sorted({p for p in found if len(p) >= 4}))

    def _remember(self, key: tuple[str, str, str | None], answer: Callable[[], bool]) -> bool:
        if key not in self._seen:
            self._seen[key] = answer()
        return self._seen[key]

    def has_class(self, name: str) -> bool:
        return self._remember(
            ("class", name, None),
            lambda: name in self.classes or self._word(name) or name.startswith(self._prefixes),
        )

    def has_id(self, name: str) -> bool:
        return self._remember(("id", name, None), lambda: name in self.ids or self._word(name))

    def _word(self, name: str) -> bool:
        """``name`` in the scripts or templates, whole (not "tip" in "tooltip")."""
        return name in self._words

    def has_tag(self, name: str) -> bool:
        name = name.lower()
        return self._remember(
            ("tag", name, None),
            lambda: (
                name in self.tags
                or re.search(rf"""["'`<]{re.escape(name)}\b""", self._lower) is not None
            ),
        )

    def has_attribute(self, name: str, value: str | None) -> bool:
        name = name.lower()

        def answer() -> bool:
            if name not in self.attributes and name not in self._lower:
                return False
            return value is None or value == "" or value in self.values or value in self.text

        return self._remember(("attribute", name, value), answer)


# A start tag, its attributes, and inline scripts: read with expressions rather than an HTML
# parser, and each distinct tag once (every page repeats the header and navigation), so
# that a site of thousands of pages is read in a second or two.
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s=/>\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>"
)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _read_tag(tag: str, attributes: str, evidence: Evidence, texts: list[str]) -> None:
    e = evidence
    e.tags.add(tag.lower())
    for match in _ATTRIBUTE.finditer(attributes):
        name = match.group(1).lower()
        e.attributes.add(name)
        value = next((v for v in match.group(2, 3, 4) if v is not None), None)
        if value is None:
            continue
        value = unescape(value)
        e.values.add(value)
        if name == "class":
            e.classes.update(value.split())
            e.values.update(value.split())
        elif name == "id":
            e.ids.add(value)
        elif name == "style":
            texts.append(value)  # inline custom properties: read as text


def gather(site: Path, scripts: Iterable[Path], templates: Iterable[Path]) -> Evidence:
    """What the built pages hold, the ``scripts`` they load and the ``templates`` say."""
    evidence = Evidence()
    texts: list[str] = []
    seen: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        html = page.read_text("utf-8", errors="replace")
        for match in _START_TAG.finditer(html):
            if match[0] not in seen:
                seen.add(match[0])
                _read_tag(match[1], match[2], evidence, texts)
        texts += {m[1] for m in _INLINE_SCRIPT.finditer(html)} - set(texts)
    for script in scripts:
        texts.append(script.read_text("utf-8", errors="replace"))
    for folder in templates:
        for template in sorted(folder.rglob("*.html")):
            texts.append(template.read_text("utf-8", errors="replace"))
    evidence.text = "\n".join(texts)
    evidence.finish()
    return evidence


# -- reading CSS ------------------------------------------------------------------------


class Unreadable(ValueError):
    """CSS this reader does not follow: the stylesheet is shipped as it is."""


@dataclass
class Rule:
    prelude: str  # a selector list, or an at-rule's name and condition
    body: str | None  # None: a statement at-rule (@charset "x";)
    children: list[Rule] | None = None  # the rules inside @media, @supports...


_GROUPING = ("@media", "@supports", "@container", "@layer", "@document", "@-moz-document")


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    raise Unreadable("an unterminated string")


def _block_end(text: str, start: int) -> int:
    """The index just past the ``}`` that closes the ``{`` at ``start``."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise Unreadable("an unclosed block")


def parse(text: str) -> list[Rule]:
    rules: list[Rule] = []
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n;":
            i += 1
        if i >= len(text):
            return rules
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise Unreadable("an unclosed comment")
            i = end + 2
            continue
        j = i
        while j < len(text) and text[j] not in "{;}":
            if text[j] in "\"'":
                j = _skip_string(text, j)
                continue
            j += 1
        if j >= len(text) or text[j] == "}":
            raise Unreadable("a rule without a block")
        prelude = text[i:j].strip()
        if text[j] == ";":
            if not prelude.startswith("@"):
                raise Unreadable("a declaration outside a rule")
            rules.append(Rule(prelude, None))
            i = j + 1
            continue
        end = _block_end(text, j)
        inner = text[j + 1 : end - 1]
        if prelude.lower().startswith(_GROUPING):
            rules.append(Rule(prelude, None, parse(inner)))
        else:
            if not prelude.startswith("@") and "{" in inner:
                raise Unreadable("nested rules")
            rules.append(Rule(prelude, inner))
        i = end


def serialise(rules: list[Rule]) -> str:
    out = []
    for rule in rules:
        if rule.children is not None:
            out.append(f"{rule.prelude}{{{serialise(rule.children)}}}")
        elif rule.body is None:
            out.append(f"{rule.prelude};")
        else:
            out.append(f"{rule.prelude}{{{rule.body}}}")
    return "".join(out)


def split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside brackets, parentheses and strings."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "\\":
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


# -- selectors --------------------------------------------------------------------------

_IDENT = r"-?(?:[_a-zA-Z\u00a0-\uffff]|\\.)(?:[-\w\u00a0-\uffff]|\\.)*"
_SIMPLE = re.compile(
    rf"""
    (?P<cls>\.{_IDENT})
  | (?P<id>\#{_IDENT})
  | (?P<attr>\[)
  | (?P<pseudo>::?{_IDENT})(?P<args>\()?
  | (?P<tag>(?:{_IDENT}|\*)(?:\|(?:{_IDENT}|\*))?)
  | (?P<other>[\s>+~]+|\|)
    """,
    re.VERBOSE,
)
_ATTR = re.compile(
    rf"""\s*(?P<name>(?:{_IDENT}\|)?{_IDENT})\s*
    (?:(?P<op>[~|^$*]?=)\s*(?:(?P<q>["'])(?P<qv>(?:\\.|(?!(?P=q)).)*)(?P=q)|(?P<v>{_IDENT}))
    \s*(?P<flag>[iIsS])?)?\s*$""",
    re.VERBOSE | re.DOTALL,
)
# Pseudo-classes whose argument is a selector list: at least one of them must be possible.
_ANY_OF = {":is", ":where", ":matches", ":-webkit-any", ":-moz-any", ":has", ":host", "::slotted"}


def _unescape(ident: str) -> str:
    return re.sub(r"\\([0-9a-fA-F]{1,6}\s?|.)", lambda m: _escaped(m.group(1)), ident)


def _escaped(code: str) -> str:
    stripped = code.strip()
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", stripped):
        return chr(int(stripped, 16))
    return code


def _close_paren(text: str, start: int) -> int:
    depth, i = 1, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Unreadable("an unclosed parenthesis")


def possible(selector: str, evidence: Evidence) -> bool:
    """Whether ``selector`` (one complex selector) could match an element of this site."""
    i, text = 0, selector.strip()
    while i < len(text):
        match = _SIMPLE.match(text, i)
        if match is None:
            raise Unreadable(f"a selector this reader does not follow: {selector!r}")
        i = match.end()
        kind = match.lastgroup if match.group("pseudo") is None else "pseudo"
        if kind == "cls":
            if not evidence.has_class(_unescape(match.group("cls")[1:])):
                return False
        elif kind == "id":
            if not evidence.has_id(_unescape(match.group("id")[1:])):
                return False
        elif kind == "tag":
            name = match.group("tag").split("|")[-1]
            if name != "*" and not evidence.has_tag(_unescape(name)):
                return False
        elif kind == "attr":
            end = text.find("]", i)
            while end >= 0 and text.count('"', i, end) % 2:
                end = text.find("]", end + 1)
            if end < 0:
                raise Unreadable(f"an unclosed attribute selector: {selector!r}")
            attr = _ATTR.match(text[i:end])
            if attr is None:
                raise Unreadable(f"an attribute selector this reader does not follow: {selector!r}")
            value = attr.group("qv") if attr.group("q") else attr.group("v")
            exact = attr.group("op") in ("=", "~=") and not attr.group("flag")
            name = _unescape(attr.group("name").split("|")[-1])
            if not evidence.has_attribute(name, _unescape(value) if exact and value else None):
                return False
            i = end + 1
        elif kind == "pseudo":
            name = match.group("pseudo").lower()
            if match.group("args"):
                end = _close_paren(text, i)
                inside = text[i:end]
                i = end + 1
                if name in _ANY_OF and not any(
                    possible(part, evidence) for part in split_top(inside, ",") if part.strip()
                ):
                    return False
    return True


# -- trimming ---------------------------------------------------------------------------


def _declarations(body: str) -> list[str]:
    return [d for d in split_top(body, ";") if d.strip()]


def _property(declaration: str) -> str:
    return declaration.split(":", 1)[0].strip()


def _walk(rules: list[Rule]) -> Iterator[Rule]:
    """Every rule that is not a block of rules, inside @media, @supports... as well."""
    for rule in rules:
        if rule.children is not None:
            yield from _walk(rule.children)
        else:
            yield rule


def _rewrite(rules: list[Rule], change: Callable[[Rule], Rule | None]) -> list[Rule]:
    """``rules`` with ``change`` applied to each of ``_walk``'s rules (its answer in its place,
    or the rule dropped for None); a block left with no rules goes, but for @layer, which
    orders the layers even when empty."""
    kept: list[Rule] = []
    for rule in rules:
        if rule.children is not None:
            children = _rewrite(rule.children, change)
            if children or rule.prelude.lower().startswith("@layer"):
                kept.append(Rule(rule.prelude, None, children))
        elif (changed := change(rule)) is not None:
            kept.append(changed)
    return kept


def _keep_selectors(rules: list[Rule], evidence: Evidence) -> list[Rule]:
    def keep(rule: Rule) -> Rule | None:
        if rule.prelude.startswith("@") or rule.body is None:
            return rule
        selectors = [s for s in split_top(rule.prelude, ",") if possible(s, evidence)]
        if not selectors:
            return None
        return Rule(",".join(s.strip() for s in selectors), rule.body)

    return _rewrite(rules, keep)


def _read_properties(rules: list[Rule], evidence: Evidence) -> set[str]:
    """The custom properties a declaration, a page or a script reads."""
    values = [
        d.split(":", 1)[1] if ":" in d else d
        for rule in _walk(rules)
        if rule.body is not None
        for d in _declarations(rule.body)
    ]
    read = set(re.findall(r"var\(\s*(--[\w-]+)", " ".join(values)))
    read.update(re.findall(r"--[\w-]+", evidence.text))
    return read


def _without_unread(rule: Rule, read: set[str]) -> Rule | None:
    """``rule`` without the custom properties it sets that are not ``read``; None if it is
    left empty."""
    if rule.body is None or rule.prelude.startswith("@"):
        return rule
    declarations = _declarations(rule.body)
    kept = [d for d in declarations if not _property(d).startswith("--") or _property(d) in read]
    if len(kept) == len(declarations):
        return rule if rule.body.strip() else None
    return Rule(rule.prelude, ";".join(kept)) if kept else None


def _drop_unread_properties(rules: list[Rule], evidence: Evidence) -> list[Rule]:
    """Custom properties nothing reads, and rules left empty; again until nothing more goes,
    as a property dropped may have been the only reader of another."""
    read: set[str] | None = None
    while (now := _read_properties(rules, evidence)) != read:
        read = now
        rules = _rewrite(rules, partial(_without_unread, read=now))
    return rules


def _drop_unused_keyframes(rules: list[Rule], evidence: Evidence) -> list[Rule]:
    used = " ".join(
        d
        for rule in _walk(rules)
        if rule.body is not None and not rule.prelude.lower().startswith(("@keyframes", "@-"))
        for d in _declarations(rule.body)
        if "animation" in _property(d)
    )

    def keep(rule: Rule) -> Rule | None:
        head = rule.prelude.split(None, 1)
        if head[0].lower() not in ("@keyframes", "@-webkit-keyframes") or len(head) < 2:
            return rule
        name = head[1].strip().strip("\"'")
        found = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", used + evidence.text)
        return rule if found is not None else None

    return _rewrite(rules, keep)


def trim(css: str, evidence: Evidence) -> str:
    """``css`` without the rules, custom properties and keyframes this site cannot use."""
    rules = _keep_selectors(parse(css), evidence)
    rules = _drop_unread_properties(rules, evidence)
    return serialise(_drop_unused_keyframes(rules, evidence))


# -- the build --------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def trimmed_name(name: str, css: str) -> str:
    match = MATERIAL_CSS.match(name)
    assert match is not None
    return f"{match['stem']}.{match['hash']}.{_digest(css.encode('utf-8'))}.min.css"


def loaded_urls(html: str) -> list[str]:
    """The stylesheets (``<link rel=stylesheet href>``) and scripts (``<script src>``) a
    page loads, as written in it."""
    urls = []
    for tag in _TAG.finditer(html):
        attributes: dict[str, str] = {}
        for match in _ATTRIBUTE.finditer(tag[0], tag[0].find(" ") + 1 or len(tag[0])):
            value = next((v for v in match.group(2, 3, 4) if v is not None), "")
            attributes.setdefault(match.group(1).lower(), unescape(value))
        name = tag[0][1:7].lower()
        if name == "script" and attributes.get("src"):
            urls.append(attributes["src"])
        elif (
            name.startswith("link")
            and attributes.get("href")
            and "stylesheet" in attributes.get("rel", "").lower().split()
        ):
            urls.append(attributes["href"])
    return urls


def _site_path(url: str, page_url: str) -> str | None:
    """The file under the site a page's ``url`` names, as a relative path, or None."""
    parts = urlsplit(urljoin(page_url, url))
    if parts.scheme != "http" or parts.netloc != "site" or parts.query:
        return None
    return unquote(parts.path).lstrip("/")


def _page_url(site: Path, page: Path) -> str:
    return "http://site/" + page.relative_to(site).as_posix()


def finish(site: Path, templates: Iterable[Path]) -> None:
    """Trim Material's stylesheets and give every loaded file a cacheable address."""
    pages = sorted(site.rglob("*.html"))
    loaded: dict[str, set[str]] = {}
    for page in pages:
        for url in loaded_urls(page.read_text("utf-8", errors="replace")):
            path = _site_path(url, _page_url(site, page))
            if path is not None and (site / path).is_file():
                loaded.setdefault(path, set()).add(url)
    # What each loaded file becomes: a trimmed copy's name, or the same name with ?v=.
    renamed: dict[str, str] = {}
    evidence: Evidence | None = None
    for path in sorted(loaded):
        name = Path(path).name
        if path.startswith("assets/stylesheets/") and MATERIAL_CSS.match(name):
            scripts = [site / p for p in sorted(loaded) if p.endswith(".js")]
            evidence = evidence or gather(site, scripts, templates)
            original = (site / path).read_text("utf-8")
            try:
                css = trim(re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", original), evidence)
            except (Unreadable, RecursionError) as error:
                log.info("%s is shipped whole: %s", path, error)
                css = original
            else:
                new = trimmed_name(name, css)
                (site / path).with_name(new).write_text(css, encoding="utf-8")
                renamed[path] = new
                continue
        if not FINGERPRINTED.search(name):
            digest = _digest((site / path).read_bytes())
            renamed[path] = f"{name}?v={digest}"
    if not renamed:
        return
    for page in pages:
        text = page.read_text("utf-8")
        base = _page_url(site, page)

        def swap(tag: re.Match[str], base: str = base) -> str:
            def one(attr: re.Match[str]) -> str:
                path = _site_path(attr["url"], base)
                if path is None or path not in renamed:
                    return attr[0]
                folder = attr["url"].rsplit("/", 1)[0] + "/" if "/" in attr["url"] else ""
                return f"{attr['pre']}{attr['q']}{folder}{renamed[path]}{attr['q']}"

            return _URL_ATTR.sub(one, tag[0])

        changed = _TAG.sub(swap, text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
