"""Lighthouse on five pages of the demo, served as deployed: behind the shipped nginx.

What is checked here (issue 17):

- Lighthouse 12.2 (tools/lighthouse, pinned; run with Debian's Chromium through CHROME_PATH,
  headless, mobile as Lighthouse's default) gives accessibility, best practices and SEO 100
  on the home page, the consultation index, an open consultation, the programme and a
  dataset page. When a score is lower, the failing audits are listed with the elements they
  name. Performance is not asserted here: on a shared two-core machine it moves with the
  load; bench/lighthouse.py measures it (median of three runs) into
  bench/results/lighthouse.md.
- nginx as shipped (deploy/nginx/portal.conf, through tests/deploy/test_nginx.py's
  templating: only root, ports and log paths changed) compresses the pages and everything
  they load, lets browsers keep fingerprinted files for a year and makes them check pages.
- The search index and Material's search worker are fetched only when someone searches
  (theme/main.html), and search then works.

The site is built with ``portal build`` as the deploy workflow builds it: with SITE_URL set
to the address it is served at (here http://127.0.0.1:PORT/), so the pages carry the
canonical links and the sitemap its absolute addresses, as on the council's server. Without
a site_url (a local build, most other tests) the build writes no canonical link at all: a
canonical address must be absolute and the build does not know it, and a wrong one would
tell search engines to index another site. Lighthouse then reports its canonical audit as
not applicable, which is not a failure; ``test_no_canonical_without_a_site_url`` holds that
behaviour. The site has no robots.txt (everything it publishes may be indexed; the staff
area and response addresses are the endpoint's and answer only signed-in staff or posts), so
Lighthouse's robots.txt audit is not applicable either.

Nothing here depends on the network: the pages load nothing from elsewhere (the site sets
``font: false``), and Lighthouse's own look-ups are for the page's address. The one audit
that could never pass on 127.0.0.1 would be "uses HTTPS" (is-on-https), but Lighthouse counts
localhost and 127.0.0.1 as secure origins, as browsers do, so it passes as it would on
https; and redirects-http (http sent on to https) is not applicable on 127.0.0.1. Behind
the council's TLS (deploy/nginx/portal.conf's certbot note) both hold for real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.deploy.test_nginx import NGINX, main_config, site_config
from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, endpoint_command, free_port

LIGHTHOUSE = ROOT / "tools/lighthouse/node_modules/lighthouse/cli/index.js"
LIGHTHOUSE_VERSION = "12.2."
# The five pages of issue 17: home, the consultation index, an open consultation (with its
# form), the programme, a dataset (with its chart and tables).
PAGES = {
    "home": "/",
    "consultations": "/consultations/",
    "open consultation": "/consultations/open-data-charter/",
    "programme": "/programme/",
    "dataset": "/datasets/air-quality-sensors/",
}
ASSERTED = ["accessibility", "best-practices", "seo"]
CATEGORIES = ["performance", *ASSERTED]
# Chromium as the suite runs it (tests/support.py), headless as Lighthouse needs it.
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="Debian's nginx is not installed (run 'make system')"
    ),
]


# -- the portal as deployed -------------------------------------------------------------


@dataclass
class Deployed:
    url: str  # http://127.0.0.1:PORT, nginx in front
    site: Path


def build(site: Path, site_url: str, *, root: Path = ROOT) -> None:
    """``portal build`` of ``root`` (this repository unless told) into ``site``."""
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(root), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env={**os.environ, "SITE_URL": site_url},
        timeout=900,
    )
    assert result.returncode == 0, f"portal build failed:\n{result.stdout}\n{result.stderr}"


@contextmanager
def behind_nginx(
    folder: Path,
    root: Path = ROOT,
    builder: Callable[[Path, str], None] | None = None,
) -> Iterator[Deployed]:
    """The demo built for, and served by, nginx with deploy/nginx/portal.conf, endpoint behind.

    ``builder(site, site_url)`` builds the site (bench/lighthouse.py builds an older tree
    with its own code); by default ``portal build`` of ``root``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    http_port, endpoint_port = free_port(), free_port()
    url = f"http://127.0.0.1:{http_port}"
    site = folder / "site"
    if builder is None:
        build(site, url + "/", root=root)
    else:
        builder(site, url + "/")
    servers: list[Server] = []
    try:
        endpoint = Server(
            endpoint_command(endpoint_port),
            endpoint_port,
            folder / "endpoint.log",
            {
                "PORTAL_SITE_DIR": str(site),
                "PORTAL_THEME_DIR": str(root / "theme"),
                "DATABASE_URL": f"sqlite:///{folder / 'responses.sqlite3'}",
                "PORTAL_TRUSTED_PROXIES": "127.0.0.1",
            },
        )
        servers.append(endpoint)
        endpoint.wait("/health")
        nginx_dir = folder / "nginx"
        nginx_dir.mkdir()
        conf = nginx_dir / "portal.conf"
        conf.write_text(
            site_config(site, http_port, endpoint_port, None, nginx_dir / "portal-access.log"),
            encoding="utf-8",
        )
        main = nginx_dir / "nginx.conf"
        main.write_text(main_config(nginx_dir, conf), encoding="utf-8")
        args = [NGINX, "-p", str(nginx_dir), "-c", str(main), "-e", str(nginx_dir / "error.log")]
        tested = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=60)
        assert tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}"
        nginx = Server([*args, "-g", "daemon off;"], http_port, nginx_dir / "nginx.out", {})
        servers.append(nginx)
        nginx.wait("/health")
        yield Deployed(url, site)
    finally:
        for server in reversed(servers):
            server.stop()


# -- Lighthouse -------------------------------------------------------------------------


def lighthouse_command(url: str, output: Path, categories: list[str]) -> list[str]:
    """The command line: Lighthouse's own CLI, mobile (its default), Debian's Chromium."""
    node = shutil.which("node") or "node"
    return [
        node,
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(categories)}",
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]


def lighthouse_env() -> dict[str, str]:
    return {**os.environ, "CHROME_PATH": CHROMIUM}


def run_lighthouse(url: str, output: Path, categories: list[str]) -> dict[str, Any]:
    assert LIGHTHOUSE.is_file(), (
        "Lighthouse is missing: run 'make test' (npm ci in tools/lighthouse)"
    )
    done = subprocess.run(
        lighthouse_command(url, output, categories),
        capture_output=True,
        text=True,
        env=lighthouse_env(),
        timeout=300,
    )
    assert done.returncode == 0 and output.is_file(), (
        f"Lighthouse did not finish for {url} ({done.returncode}):\n{done.stderr[-4000:]}"
    )
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), report["runtimeError"]
    assert report["lighthouseVersion"].startswith(LIGHTHOUSE_VERSION), report["lighthouseVersion"]
    return report


def scores(report: dict[str, Any]) -> dict[str, float | None]:
    return {name: c["score"] for name, c in report["categories"].items()}


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """Each audit that costs ``category`` points: its id, title, and what it found."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] == 0 or audit["score"] is None or audit["score"] >= 1:
            continue
        lines.append(f"{audit['id']}: {audit['title']} (score {audit['score']})")
        items = (audit.get("details") or {}).get("items") or []
        for item in items[:8]:
            node = item.get("node") or {}
            where = node.get("selector") or item.get("url") or item.get("source") or ""
            snippet = node.get("snippet") or ""
            lines.append(f"    {where} {snippet}".rstrip())
        if len(items) > 8:
            lines.append(f"    ... and {len(items) - 8} more")
    return lines


# -- the tests --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    with behind_nginx(tmp_path_factory.mktemp("lighthouse")) as stack:
        yield stack


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility_best_practices_and_seo_are_100(
    deployed: Deployed, name: str, tmp_path: Path
) -> None:
    url = deployed.url + PAGES[name]
    report = run_lighthouse(url, tmp_path / "report.json", ASSERTED)
    assert report["finalDisplayedUrl"] == url  # no redirect, no error page
    got = scores(report)
    problems = [
        f"{category} {got[category]}:\n  " + "\n  ".join(failing_audits(report, category))
        for category in ASSERTED
        if got[category] != 1
    ]
    assert not problems, f"Lighthouse on {url} ({name}):\n" + "\n".join(problems)


def loaded_files(html: str, page_url: str) -> list[str]:
    """The stylesheets and scripts a page loads, as absolute addresses."""
    from portal.shipped_assets import loaded_urls

    return [urljoin(page_url, url) for url in loaded_urls(html)]


@pytest.mark.parametrize("name", list(PAGES))
def test_nginx_compresses_and_caches_what_the_page_loads(deployed: Deployed, name: str) -> None:
    url = deployed.url + PAGES[name]
    gzip = {"Accept-Encoding": "gzip"}
    with httpx.Client(timeout=30, headers=gzip) as client:
        page = client.get(url)
        assert page.status_code == 200
        assert page.headers.get("content-encoding") == "gzip"
        assert page.headers.get("cache-control") == "no-cache"  # kept, but checked each visit
        assert "accept-encoding" in page.headers.get("vary", "").lower()
        files = loaded_files(page.text, url)
        assert any("/assets/stylesheets/" in f for f in files), files
        for address in files:
            assert urlsplit(address).netloc == urlsplit(url).netloc, address
            answer = client.get(address)
            assert answer.status_code == 200, address
            assert answer.headers.get("content-encoding") == "gzip", address
            kept = answer.headers.get("cache-control")
            assert kept == "public, max-age=31536000, immutable", address
        # The search index (fetched when someone searches) is compressed and checked.
        index = client.get(deployed.url + "/search/search_index.json")
        assert index.headers.get("content-encoding") == "gzip"
        assert index.headers.get("cache-control") == "no-cache"
        # A fingerprinted name that is not there: a 404, which nothing may keep.
        missing = client.get(deployed.url + "/assets/stylesheets/main.00000000.min.css")
        assert missing.status_code == 404
        assert "cache-control" not in missing.headers


def test_pages_load_the_trimmed_material_stylesheets(deployed: Deployed) -> None:
    html = (deployed.site / "index.html").read_text("utf-8")
    sheets = [f for f in loaded_files(html, "http://x/") if "/assets/stylesheets/" in f]
    assert sheets, html[:2000]
    for sheet in sheets:
        name = urlsplit(sheet).path.rsplit("/", 1)[1]
        stem, material_hash, *_ = name.split(".")
        original = deployed.site / "assets/stylesheets" / f"{stem}.{material_hash}.min.css"
        trimmed = deployed.site / "assets/stylesheets" / name
        assert original.is_file() and trimmed.is_file(), name
        # Material's main stylesheet is ~137 KB; a portal page uses about a quarter of it.
        assert trimmed.stat().st_size < original.stat().st_size * 0.7, name


SEARCH_FILES = ("/search/search_index.json", "/workers/search.")


@pytest.mark.parametrize("name", list(PAGES))
def test_the_search_index_is_fetched_only_when_someone_searches(
    deployed: Deployed, page: Any, name: str
) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.set_viewport_size({"width": 412, "height": 823})  # a phone, as Lighthouse's
    page.goto(deployed.url + PAGES[name], wait_until="load")
    page.wait_for_timeout(1500)  # Material's bundle has started (it used to ask at once)
    assert page.evaluate("() => document.documentElement.classList.contains('js')")
    early = [u for u in asked if any(s in u for s in SEARCH_FILES)]
    assert early == [], f"fetched before anyone searched: {early}"
    # On a phone the search box opens from the header's magnifier (a label for __search).
    page.locator("label[for=__search]").first.click()
    page.locator("[data-md-component=search-query]").type("parking")
    page.wait_for_function(
        "() => /matching document/.test("
        "document.querySelector('.md-search-result__meta').textContent)",
        timeout=30_000,
    )
    assert page.locator(".md-search-result__item").count() > 0
    fetched = [u for u in asked if any(s in u for s in SEARCH_FILES)]
    assert len([u for u in fetched if u.endswith("search_index.json")]) == 1, fetched


def test_search_from_the_keyboard_on_a_wide_screen(deployed: Deployed, page: Any) -> None:
    """Tab to the search box (its focus starts the search) and type; Enter opens the best."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(deployed.url + "/programme/")
    box = page.locator("[data-md-component=search-query]")
    for _ in range(30):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the search box is not reached with Tab")
    page.keyboard.type("charging")
    page.wait_for_function(
        "() => /matching document/.test("
        "document.querySelector('.md-search-result__meta').textContent)",
        timeout=30_000,
    )
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/programme/" not in url, timeout=30_000)


def test_no_canonical_without_a_site_url(demo_site: Path) -> None:
    """The suite's demo build has no site_url: no page names a canonical address, since any
    it could name (relative, or a guess) would be wrong. With one (the fixture above), every
    page names its own absolute address."""
    for page in ("index.html", "consultations/index.html", "programme/index.html"):
        assert 'rel="canonical"' not in (demo_site / page).read_text("utf-8"), page


def test_each_page_names_its_own_address_with_a_site_url(deployed: Deployed) -> None:
    for path in PAGES.values():
        html = (deployed.site / path.strip("/") / "index.html").read_text("utf-8")
        assert f'<link rel="canonical" href="{deployed.url}{path}">' in html, path
