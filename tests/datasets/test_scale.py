"""Packages far larger than the demo's, through a real ``portal build`` and a real browser.

One site holds a generated package of 10 resources x 40,000 rows x 20 columns (the shape of
the real package in issue 18) and a register of 1,000,000 named bodies. Every page must stay
under 100 KB; a citizen must find one body among the million with JavaScript off (the
alphabetical index) and on (the search box, which may fetch only what the query needs).
Time and memory of the 10 x 40,000 build are recorded by bench/datasets_pages.py, not here.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from tests.datasets.generated import body_name, register_package, wide_package
from tests.datasets.sites import build, frictionless_validate, make_root
from tests.support import axe_violations, describe, horizontal_overflow, serve_portal

PAGE_LIMIT = 100 * 1024
ROWS = 1_000_000
WANTED = 777_777  # the row the citizen looks for
REGISTER = "datasets/public-bodies/resources/bodies/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = make_root(tmp_path_factory.mktemp("scale") / "portal")
    wide_package(root / "datasets" / "area-statistics", resources=10, rows=40_000, columns=20)
    register_package(root / "datasets" / "public-bodies", rows=ROWS)
    site = root.parent / "site"
    build(root, site)
    yield site
    shutil.rmtree(root.parent, ignore_errors=True)  # half a gigabyte, on a shared machine


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("scale-server")
    with serve_portal(site, folder / "responses.sqlite3", folder / "server.log") as running:
        yield running


def test_no_page_of_a_10_x_40000_x_20_package_is_over_100_kb(site: Path) -> None:
    folder = site / "datasets" / "area-statistics"
    overview = folder / "index.html"
    resources = sorted(folder.glob("resources/*/index.html"))
    rows = sorted(folder.glob("resources/*/rows/*.html"))
    assert len(resources) == 10 and len(rows) > 10 * 40_000 / 500
    sizes = {
        p.relative_to(site).as_posix(): p.stat().st_size for p in [overview, *resources, *rows]
    }
    largest = max(sizes.items(), key=lambda kv: kv[1])
    assert largest[1] <= PAGE_LIMIT, largest
    # The overview lists the ten resources with their row counts, not their data.
    page = lxml_html.fromstring(overview.read_bytes())
    counts = [
        " ".join(r[3].text_content().split())
        for r in page.xpath("//table[@id='resources-table']/tbody/tr")
    ]
    assert counts == ["40,000"] * 10


def test_the_generated_descriptors_resolve_from_the_site(site: Path) -> None:
    # Every row was validated by the build; from the site, the first rows show that the
    # descriptor and every file it names resolve (reading all 1.4 million again adds little).
    for name in ["area-statistics", "public-bodies"]:
        report = frictionless_validate(
            site / "datasets" / name / "datapackage.json", "--limit-rows", "100"
        )
        assert report["valid"], report["errors"] or report["tasks"]
        assert len(report["tasks"]) == (10 if name == "area-statistics" else 1)


def test_no_page_of_a_million_row_resource_is_over_100_kb(site: Path) -> None:
    pages = [*(site / REGISTER).rglob("*.html")]
    assert len(pages) > ROWS / 500
    largest = max(pages, key=lambda p: p.stat().st_size)
    assert largest.stat().st_size <= PAGE_LIMIT, largest


def test_the_index_covers_every_row_in_order(site: Path) -> None:
    top = lxml_html.fromstring((site / REGISTER / "rows" / "index.html").read_bytes())
    groups = top.xpath("//ul[@class='portal-row-ranges']/li/a")
    assert 1 < len(groups) <= 150
    total, keys = 0, []
    for group in groups:
        index = lxml_html.fromstring((site / REGISTER / "rows" / group.get("href")).read_bytes())
        for link in index.xpath("//ul[@class='portal-row-ranges']/li"):
            count = re.search(r"\(([\d,]+) rows?\)", link.text_content())
            assert count is not None
            total += int(count.group(1).replace(",", ""))
            keys += [link[0].get("data-first"), link[0].get("data-last")]
    assert total == ROWS
    assert keys == sorted(keys)


def as_read(text: str) -> str:
    """How a person files a name in an alphabetical list: Ålesund under A, case ignored."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def range_holding(page: Any, wanted: str) -> Any:
    """The index link whose "first to last" range holds ``wanted``, read as a person would."""
    for link in page.locator("ul.portal-row-ranges a").all():
        first, last = link.inner_text().split(" to ")
        if as_read(first) <= as_read(wanted) <= as_read(last):
            return link
    raise AssertionError(f"no range holds {wanted!r}")


def test_a_citizen_finds_a_row_without_javascript(server: Any, page_no_js: Any) -> None:
    wanted = body_name(WANTED)
    page = page_no_js
    page.goto(f"{server.url}/{REGISTER}")
    assert page.locator("form.portal-rowfind").is_hidden()  # the search box needs JavaScript
    page.get_by_role("link", name=re.compile("browse all 1,000,000 rows")).click()
    clicks = 0
    while page.locator("ul.portal-row-ranges").count():
        range_holding(page, wanted).click()
        clicks += 1
    assert clicks == 2  # the top index, then one part of it
    row = page.locator("tbody tr", has=page.get_by_role("rowheader", name=wanted, exact=True))
    assert row.count() == 1
    assert row.locator("td").all_inner_texts()[0] == f"B{WANTED:07d}"


def test_a_citizen_finds_a_row_with_javascript_fetching_little(server: Any, page: Any) -> None:
    wanted = body_name(WANTED)
    fetched: list[tuple[str, int]] = []
    page.goto(f"{server.url}/{REGISTER}")
    page.on("response", lambda r: fetched.append((r.url, len(r.body()))))
    search = page.get_by_role("searchbox", name="Find rows by Name")
    search.fill(wanted[:-3].upper().replace("E", "É", 1))  # capitals and accents ignored
    page.get_by_role("button", name="Find").click()
    status = page.get_by_role("status")
    status.filter(has_text="starting with").wait_for()
    results = page.locator(".portal-rowfind__results tbody tr")
    names = results.locator("th").all_inner_texts()
    assert wanted in names and all(n.startswith(wanted[:-3]) for n in names)
    assert len(names) == 100 or "Showing the first" not in status.inner_text()
    # Of the dataset's files, only index pages and row pages: never the 50 MB CSV, and a
    # few hundred KB in all. (Material's own search index loads as on every page.)
    data = [(url, size) for url, size in fetched if "/datasets/" in url]
    assert data and all("/rows/" in url for url, _ in data), data
    assert sum(size for _, size in data) < 600_000, data
    search.fill(wanted)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("status").filter(has_text="1 row starting with").wait_for()
    assert results.locator("th").all_inner_texts() == [wanted]


def test_a_search_with_no_match_says_so(server: Any, page: Any) -> None:
    page.goto(f"{server.url}/{REGISTER}")
    page.get_by_role("searchbox", name="Find rows by Name").fill("Qqq")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("status").filter(has_text="No rows start with “Qqq”").wait_for()
    assert page.locator(".portal-rowfind__results").is_hidden()


@pytest.mark.parametrize(
    "address",
    [
        REGISTER,
        REGISTER + "rows/index.html",
        REGISTER + "rows/index-1-0002.html",
        REGISTER + "rows/00500.html",
        "datasets/area-statistics/resources/year-2020/",
    ],
)
def test_large_pages_pass_axe_and_fit_320_px(browser: Any, server: Any, address: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/{address}")
        page.get_by_role("searchbox").first.wait_for()  # after rowfind.js has shown the form
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        context.close()
    assert horizontal_overflow(browser, f"{server.url}/{address}", 320) <= 0
