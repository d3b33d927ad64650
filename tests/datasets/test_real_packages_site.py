"""Real data packages, built into a real site by ``portal build``, checked as a reuser would:
descriptors with ``frictionless validate``, pages by size, READMEs by following their links,
metadata and the validation report by reading the pages, and both generators side by side.

The packages: the two in the shared collection (the invalid one republished with
``validation: report``) and two under tests/fixtures/packages modelled on real shapes (see
its README.md): v1 and v2 spellings, a schema and a dialect shared by path, Welsh names,
a README written for GitHub, and a third party's register with three invalid cells.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from tests.datasets.sites import (
    FIXTURES,
    add_package,
    build,
    frictionless_validate,
    make_root,
    real_packages_root,
)
from tests.support import axe_violations, describe, horizontal_overflow, portal

PAGE_LIMIT = 100 * 1024


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_packages_root(tmp_path_factory.mktemp("packages") / "portal")


@pytest.fixture(scope="module")
def built(root: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    site = root.parent / "site"
    return site, build(root, site)


@pytest.fixture(scope="module")
def site(built: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def pelican_site(root: Path) -> Path:
    site = root.parent / "pelican-site"
    build(root, site, "pelican")
    return site


def doc(site: Path, address: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / address).read_bytes())


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def facts(page: lxml_html.HtmlElement) -> dict[str, str]:
    """Each fact's text, list items apart ("a b", not "ab")."""
    return {
        text(dt): " ".join(" ".join(dd.itertext()).split()).replace(" ,", ",").replace(" )", ")")
        for dt, dd in zip(page.iter("dt"), page.iter("dd"), strict=True)
    }


def shown_report(page: lxml_html.HtmlElement) -> Counter[str]:
    rows = page.xpath("//table[caption[starts-with(., 'Errors by type')]]/tbody/tr")
    return Counter({text(r[1]): int(text(r[2]).replace(",", "")) for r in rows})


# 1. Every published descriptor resolves -------------------------------------------------


def check_descriptors(site: Path) -> list[str]:
    descriptors = sorted((site / "datasets").glob("*/datapackage.json"))
    assert descriptors
    for descriptor in descriptors:
        report = frictionless_validate(descriptor)
        assert report["errors"] == [], (descriptor, report["errors"])  # the metadata resolves
        found = Counter(e["type"] for task in report["tasks"] for e in task["errors"])
        # A package republished with its errors shows the same errors on its page; any
        # other package must be valid from the site, not only from the repository.
        page = doc(site, f"datasets/{descriptor.parent.name}/index.html")
        assert found == shown_report(page), descriptor
        assert report["valid"] == (not found), descriptor
    return [d.parent.name for d in descriptors]


def test_every_published_descriptor_validates_from_the_site(site: Path) -> None:
    names = check_descriptors(site)
    assert names == [
        "bond-yields-uk-10y",
        "public-bodies-register",
        "testing",
        "welsh-population-estimates",
    ]
    # The shared schema and the dialect are published where the descriptor says they are.
    welsh = site / "datasets" / "welsh-population-estimates"
    assert (welsh / "schemas" / "population.json").is_file()
    assert (welsh / "dialect.json").is_file()


def test_every_demo_descriptor_validates_from_the_site(demo_site: Path) -> None:
    assert "air-quality-sensors" in check_descriptors(demo_site)  # schemas by path


# 2. Pages that scale ---------------------------------------------------------------------


def test_no_dataset_page_is_over_100_kb(site: Path) -> None:
    pages = list((site / "datasets").rglob("*.html"))
    assert len(pages) > 20
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages}
    assert max(sizes.values()) <= PAGE_LIMIT, max(sizes.items(), key=lambda kv: kv[1])


def test_overview_links_each_resource_page_with_size_and_rows(site: Path) -> None:
    page = doc(site, "datasets/welsh-population-estimates/index.html")
    rows = page.xpath("//table[@id='resources-table']/tbody/tr")
    assert [text(r[3]) for r in rows] == ["1,000", "1,000"]
    assert [r[0].find("a").get("href") for r in rows] == [
        "resources/population-2021/",
        "resources/population-2022/",
    ]
    resource = doc(site, "datasets/welsh-population-estimates/resources/population-2022/index.html")
    assert [
        text(th)
        for th in resource.xpath("//table[contains(@class,'portal-schema')]//th[@scope='row']")
    ][:2] == [
        "codeArea code",
        "area_nameArea name",
    ]
    # The dialect by path is honoured: the preview's cells are split on ';'.
    first = resource.xpath("//table[@id='preview-population-2022']/tbody/tr[1]/td")
    assert len(first) == 5 and re.fullmatch(r"W0\d{7}", text(first[0]))


# 4. READMEs from anywhere ----------------------------------------------------------------


def test_readme_links_work_on_the_site(site: Path) -> None:
    address = "datasets/welsh-population-estimates/index.html"
    page = doc(site, address)
    about = page.find_class("portal-dataset__description")[0]
    hrefs = {text(a): a.get("href") for a in about.iter("a")}
    homepage = "https://example.org/welsh-population-estimates"
    # Outside the package (the repository's LICENSE) or not published (a hidden folder):
    # to the package's homepage.
    assert hrefs["LICENSE"] == homepage
    assert hrefs[".github/workflows/update.yml"] == homepage
    for label in ["schemas/population.json", "dialect.json", "scripts/build.py", "notes/method.md"]:
        target = urlsplit(urljoin(f"https://x/{address}", hrefs[label])).path.lstrip("/")
        path = site / target
        assert (path / "index.html" if target.endswith("/") else path).is_file(), label
    method = doc(site, "datasets/welsh-population-estimates/notes/method/index.html")
    assert text(method.find(".//h1")) == "How the estimates are made"
    links = {text(a): a.get("href") for a in method.find_class("portal-document")[0].iter("a")}
    assert (site / "datasets/welsh-population-estimates/scripts/build.py").is_file()
    assert links["build script"] == "../../scripts/build.py"
    assert links["README"] in {"../../", "../../index.html"}


def test_images_from_other_sites_are_links_not_broken_images(site: Path) -> None:
    for path in (site / "datasets").rglob("index.html"):
        for img in lxml_html.fromstring(path.read_bytes()).iter("img"):
            assert not urlsplit(img.get("src", "")).netloc, (path, img.get("src"))
    page = doc(site, "datasets/welsh-population-estimates/index.html")
    links = {text(a): a.get("href") for a in page.iter("a")}
    assert links["Map of Wales (image on another site)"] == "https://example.org/map.png"
    assert links["CI"] == "https://github.com/example/welsh-population/actions"  # the badge


def test_check_and_build_agree_on_readmes(
    root: Path, built: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    check = portal("check", root=root, env={"PORTAL_NOW": "2026-12-01T12:00"})
    warnings = sorted(ln for ln in check.stderr.splitlines() if ln.startswith("Warning:"))
    note = next(w for w in warnings if "README.md" in w)
    # No homepage: the link outside the package becomes text, with a note at its line.
    assert note.startswith("Warning: datasets/public-bodies-register/README.md:3: ")
    assert "'../CHANGELOG.md'" in note
    built_warnings = sorted(ln for ln in built[1].stderr.splitlines() if ln.startswith("Warning:"))
    assert built_warnings == warnings
    page = doc(built[0], "datasets/public-bodies-register/index.html")
    about = page.find_class("portal-dataset__description")[0]
    assert "See the changelog for changes." in text(about)
    assert [a.get("href") for a in about.iter("a")] == []


# 5. Metadata as published ----------------------------------------------------------------


def test_v1_metadata_is_read_in_its_own_spelling(site: Path) -> None:
    page = doc(site, "datasets/welsh-population-estimates/index.html")
    shown = facts(page)
    assert shown["Last modified"] == "30 June 2023"  # v1 "last_updated"
    assert shown["Created"] == "27 June 2019"
    assert shown["Version"] == "2.1.0"
    assert shown["Update frequency"] == "annual"  # "update_frequency"
    assert shown["Keywords"] == "population Cymru small areas"
    assert shown["Contributors"] == (
        "Ystadegau Cymru / Statistics for Wales (publisher), stats@example.org "
        "Siân Llewelyn, Statistics for Wales (author) "
        "Open data volunteers (contributor)"
    )
    assert "may be out of date" in text(page).lower()  # annual, last changed 2023


def test_v2_metadata_and_the_out_of_date_note(site: Path) -> None:
    page = doc(site, "datasets/public-bodies-register/index.html")
    shown = facts(page)
    assert shown["Last modified"] == "1 March 2024"
    assert shown["Contributors"] == "Register Office (publisher) Ada Jones (creator, maintainer)"
    [note] = page.xpath("//div[p[@class='admonition-title'][.='May be out of date']]")
    assert "updated daily" in text(note) and "1,005 days" in text(note)
    bond = doc(site, "datasets/bond-yields-uk-10y/index.html")
    assert "out of date" not in text(bond)  # no stated frequency, no claim to check


def json_ld(page: lxml_html.HtmlElement) -> dict[str, Any]:
    [script] = page.xpath("//script[@type='application/ld+json']")
    data: dict[str, Any] = json.loads(script.text)
    return data


@pytest.mark.parametrize(
    "name",
    ["bond-yields-uk-10y", "public-bodies-register", "welsh-population-estimates", "testing"],
)
def test_dataset_json_ld_meets_schema_org_dataset_requirements(site: Path, name: str) -> None:
    data = json_ld(doc(site, f"datasets/{name}/index.html"))
    assert data["@type"] == "Dataset"
    assert data["name"] and 50 <= len(data["description"]) <= 5000
    assert data.get("license") or name == "testing"  # frictionless' test package names none
    assert data["creator"] and data["publisher"]["name"]
    assert data["distribution"]
    for download in data["distribution"]:
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"] and download["encodingFormat"]


def test_json_ld_creators_are_the_credited_authors(site: Path) -> None:
    data = json_ld(doc(site, "datasets/welsh-population-estimates/index.html"))
    assert data["publisher"]["name"] == "Ystadegau Cymru / Statistics for Wales"
    assert [c["name"] for c in data["creator"]] == ["Siân Llewelyn", "Open data volunteers"]


# 6. Third-party data with known errors ---------------------------------------------------


def test_known_errors_are_shown_with_their_report(site: Path) -> None:
    page = doc(site, "datasets/public-bodies-register/index.html")
    [notice] = page.xpath("//div[p[@class='admonition-title'][.='Published with known errors']]")
    assert "found 3 errors" in text(notice)
    assert shown_report(page) == Counter({"type-error": 3})
    first = page.xpath("//table[caption='Every error']/tbody/tr")
    assert sorted((text(r[1]), text(r[2])) for r in first) == [
        ("3493", "email"),
        ("4159", "email"),
        ("4485", "email"),
    ]
    version = subprocess.run(
        ["python", "-m", "frictionless", "--version"], capture_output=True, text=True
    )
    assert f"frictionless {version.stdout.strip()}" in text(page)
    # The rows are published as they are, errors included, and can be found.
    csv = (site / "datasets/public-bodies-register/data/bodies.csv").read_text(encoding="utf-8")
    assert "info17@body17.example.org  ," in csv


def test_without_the_setting_a_data_error_still_stops_the_build(
    tmp_path: Path,
) -> None:
    root = make_root(tmp_path / "portal")
    folder = add_package(root, FIXTURES / "public-bodies-register")
    (folder / "portal.yml").unlink()
    site = tmp_path / "site"

    check = portal("check", root=root, check=False)
    result = portal("build", "--site-dir", str(site), root=root, check=False)

    assert check.returncode == 1 and result.returncode == 1
    assert not site.exists()
    for output in (check.stderr, result.stderr):
        assert "resource 'bodies' row 4159 field 'email': type error" in output


# Both generators -------------------------------------------------------------------------


def test_pelican_publishes_the_same_dataset_pages_and_files(site: Path, pelican_site: Path) -> None:
    def listing(where: Path) -> set[str]:
        return {
            p.relative_to(where).as_posix() for p in (where / "datasets").rglob("*") if p.is_file()
        }

    mkdocs = listing(site)
    assert mkdocs == listing(pelican_site)
    for relative in mkdocs:
        if not relative.endswith("index.html"):  # files and row pages: the same bytes
            assert (site / relative).read_bytes() == (pelican_site / relative).read_bytes(), (
                relative
            )


# Accessibility of every new kind of page -------------------------------------------------

NEW_PAGES = [
    "datasets/welsh-population-estimates/",
    "datasets/welsh-population-estimates/resources/population-2021/",
    "datasets/welsh-population-estimates/resources/population-2021/rows/index.html",
    "datasets/welsh-population-estimates/resources/population-2021/rows/00002.html",
    "datasets/welsh-population-estimates/notes/method/",
    "datasets/public-bodies-register/",
]


@pytest.fixture(scope="module")
def server(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.support import serve_portal

    folder = tmp_path_factory.mktemp("packages-server")
    with serve_portal(site, folder / "responses.sqlite3", folder / "server.log") as running:
        yield running


@pytest.mark.parametrize("address", NEW_PAGES)
def test_new_pages_pass_axe_and_fit_320_px(browser: Any, server: Any, address: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/{address}")
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        context.close()
    assert horizontal_overflow(browser, f"{server.url}/{address}", 320) <= 0


def test_a_small_resource_is_searched_in_every_column(server: Any, page: Any) -> None:
    address = "datasets/welsh-population-estimates/resources/population-2021/"
    page.goto(f"{server.url}/{address}")
    search = page.get_by_role("searchbox", name="Find rows")
    page.get_by_text("Type any part of a value in any column").wait_for()
    search.fill("rhondda")  # a local authority, not the column the rows are sorted by
    page.get_by_role("button", name="Find").click()
    status = page.get_by_role("status").filter(has_text="containing “rhondda”")
    status.wait_for()
    found = page.locator(".portal-rowfind__results tbody tr")
    authorities = {
        cells[2] for cells in (r.locator("th, td").all_inner_texts() for r in found.all())
    }
    assert authorities == {"Rhondda Cynon Taf"}
    # 22 authorities in turn over 1,000 rows: every 22nd row from the 16th, 45 in all.
    assert found.count() == len(range(15, 1000, 22)) == 45
    assert "45 rows" in status.inner_text()


@pytest.mark.parametrize(
    "address", ["datasets/welsh-population-estimates/", "datasets/bond-yields-uk-10y/"]
)
def test_no_broken_images_under_the_sites_policy(server: Any, page: Any, address: str) -> None:
    """Served with the site's Content Security Policy, every image on the page loads."""
    response = page.goto(f"{server.url}/{address}")
    assert "img-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert broken == []
    if address == "datasets/bond-yields-uk-10y/":
        assert page.locator("img").count() >= 1  # its chart, which is the site's own


@pytest.fixture(scope="module")
def pelican_server(pelican_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.support import serve_portal

    folder = tmp_path_factory.mktemp("packages-pelican-server")
    with serve_portal(pelican_site, folder / "responses.sqlite3", folder / "server.log") as running:
        yield running


@pytest.mark.parametrize("address", NEW_PAGES[:2] + NEW_PAGES[4:])
def test_pelican_pages_pass_axe_and_search_works(
    browser: Any, pelican_server: Any, address: str
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{pelican_server.url}/{address}")
        violations = axe_violations(page)
        assert not violations, describe(violations)
        if "/resources/" in address:  # the same search, from the Pelican theme's page
            page.get_by_role("searchbox", name="Find rows").fill("glynd")
            page.get_by_role("button", name="Find").click()
            page.get_by_role("status").filter(has_text="containing “glynd”").wait_for()
            names = page.locator(".portal-rowfind__results tbody th").all_inner_texts()
            assert names and all("Glyndŵr" in n for n in names)
    finally:
        context.close()
    assert horizontal_overflow(browser, f"{pelican_server.url}/{address}", 320) <= 0
