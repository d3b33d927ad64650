"""English shown on the demo's Welsh pages is marked English (issue 21's "lang on any
passage in another language"), and nothing Welsh is: the programme, which the demo has not
translated, on the Welsh home page and in the Welsh menu; and the response page the endpoint
fills, which is Welsh even before the endpoint fills it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import ROOT

PROGRAMME_TITLE = re.compile(r"^title:\s*(.+)$", re.MULTILINE)
MENU_ITEM = re.compile(r'<span class="md-ellipsis"( lang="(\w+)")?>\s*([^<]*?)\s*</span>')


def programme_title() -> str:
    found = PROGRAMME_TITLE.search((ROOT / "content/programme/index.md").read_text("utf-8"))
    assert found, "the programme page has no title"
    return found[1].strip().strip("\"'")


def menu(page: str) -> dict[str, str]:
    """Each menu title and the language it is marked with ('' when unmarked)."""
    return {m[3]: m[2] or "" for m in MENU_ITEM.finditer(page) if m[3]}


def test_the_untranslated_programme_is_marked_english_on_the_welsh_home_page(
    demo_site: Path,
) -> None:
    assert not (ROOT / "content/programme/index.cy.md").exists(), "now translated: update"
    title = programme_title()
    welsh = (demo_site / "cy/index.html").read_text("utf-8")
    assert f'<h2 id="home-programme" lang="en">{title}</h2>' in welsh
    assert re.search(r'<h2 id="home-programme" lang="en">.*?</h2>\s*<p lang="en">', welsh, re.S)
    english = (demo_site / "index.html").read_text("utf-8")
    assert f'<h2 id="home-programme">{title}</h2>' in english


def test_the_welsh_menu_marks_only_the_untranslated_page_title(demo_site: Path) -> None:
    title = programme_title()
    welsh = menu((demo_site / "cy/index.html").read_text("utf-8"))
    assert welsh[title] == "en"
    assert welsh["Ymgynghoriadau"] == ""  # a title mkdocs.yml's translations give in Welsh
    assert welsh["Ymholi"] == ""  # a page in English only, but its menu title is Welsh
    english = menu((demo_site / "index.html").read_text("utf-8"))
    assert english[title] == "" and set(english.values()) == {""}


def test_the_response_page_shell_is_welsh_in_the_welsh_build(demo_site: Path) -> None:
    welsh = (demo_site / "cy/_portal/page/index.html").read_text("utf-8")
    assert '<h1 id="page-title">Gwasanaeth ymatebion</h1>' in welsh
    assert "Mae’r dudalen hon yn dangos canlyniad anfon ffurflen" in welsh
    assert "Response service" not in welsh
    english = (demo_site / "_portal/page/index.html").read_text("utf-8")
    assert "Response service" in english
