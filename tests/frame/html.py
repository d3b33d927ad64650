"""Reading built pages: the parts of Material's page the frame puts there."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html


def parse(site: Path, page: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / page).read_text("utf-8"))


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def target(site: Path, page: str, href: str) -> Path | None:
    """The built file a relative link on ``page`` leads to (None: outside the site)."""
    base = "/" + page.removesuffix("index.html")
    address = urlsplit(urljoin("http://site" + base, href))
    if address.netloc != "site":
        return None
    path = site / address.path.lstrip("/")
    return path / "index.html" if address.path.endswith("/") else path


SIMPLE = re.compile(r"^(\w+)?((?:\.[\w-]+)*)((?:\[[\w-]+(?:=[\w-]+)?\])*)$")


def select(element: lxml_html.HtmlElement, css: str) -> list[lxml_html.HtmlElement]:
    """The few CSS selectors these tests use (tag, .class, [attr], [attr=value], and
    descendants), as XPath: lxml's cssselect needs a package the project does not pin."""
    steps = []
    for part in css.split():
        found = SIMPLE.match(part)
        assert found, f"selector not supported here: {part}"
        tag, classes, attributes = found.groups()
        step = tag or "*"
        for name in filter(None, classes.split(".")):
            step += f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
        for attribute in re.findall(r"\[([\w-]+)(?:=([\w-]+))?\]", attributes):
            name, value = attribute
            step += f"[@{name}='{value}']" if value else f"[@{name}]"
        steps.append(step)
    result: list[lxml_html.HtmlElement] = element.xpath(".//" + "//".join(steps))
    return result
