"""Screenshots for issue 17's closing note: the demo as a citizen and a learner see it.

    .venv/bin/python scripts/screenshots.py              # build the demo, serve it, shoot
    .venv/bin/python scripts/screenshots.py --site site  # an existing build instead

The demo is built (``portal build``) and served with its endpoint on one origin, as
``portal serve`` serves it (the tests' server, tests/serve_built.py), at one pinned moment
(``--now``, by default the test suite's), so an open consultation is open whatever the day.
Each page is shot whole at 320 px (a phone, or 1280 px at 400% zoom) and 1280 px wide into
bench/results/screenshots/: the home page, an open consultation, that consultation's error
page (its form sent empty by a browser without JavaScript: the endpoint's 422 page), and the
programme page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from tests.support import CHROMIUM, CHROMIUM_ARGS, TEST_NOW, serve_portal  # noqa: E402

OUT = ROOT / "bench" / "results" / "screenshots"
WIDTHS = (320, 1280)
HEIGHT = 800  # the viewport's; each shot is the whole page


def build(site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portal.cli", "--root", str(ROOT), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"The demo did not build:\n{done.stderr.strip()}")


def open_consultation(site: Path, now: datetime) -> str:
    """The page of the consultation whose form takes answers at ``now`` and closes
    soonest, as the home page lists it first."""
    found = []
    for path in sorted((site / "api" / "forms").glob("*.json")):
        manifest = json.loads(path.read_text("utf-8"))
        page = str(manifest.get("page_url") or "")
        opens, closes = manifest.get("opens"), manifest.get("closes")
        if not page.startswith("/consultations/") or not closes:
            continue
        if (not opens or datetime.fromisoformat(opens) <= now) and now < (
            end := datetime.fromisoformat(closes)
        ):
            found.append((end, page))
    if not found:
        sys.exit(f"No consultation in {site} is open at {now.isoformat()}: choose --now.")
    return min(found)[1]


def send_empty(page: Any) -> int:
    """Send the page's form with nothing answered, as a browser without JavaScript does
    (the browser's own checks skipped, as the endpoint must not rely on them)."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            "() => HTMLFormElement.prototype.submit.call("
            "document.querySelector('form[data-portal-form]'))"
        )
    return int(navigation.value.status)


def shoot(page: Any, name: str, width: int) -> Path:
    page.evaluate("() => document.fonts.ready")
    # From the top: a whole-page shot draws the sticky header where the page is scrolled
    # to, and the 422 page has scrolled to its error summary.
    page.evaluate("() => window.scrollTo(0, 0)")
    path = OUT / f"{name}-{width}px.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site to use (default: build one)")
    parser.add_argument("--now", default=TEST_NOW, help="the moment the portal takes as now")
    args = parser.parse_args()
    try:
        now = datetime.fromisoformat(args.now)
    except ValueError:
        sys.exit(f"--now {args.now!r} is not a date and time such as {TEST_NOW}")
    if now.tzinfo is None:
        sys.exit(f"--now {args.now!r} needs its offset, such as {TEST_NOW}")
    os.environ["PORTAL_NOW"] = args.now  # for the build and the endpoint alike
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is missing ({CHROMIUM}): apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        folder = Path(scratch)
        site = args.site.resolve() if args.site else folder / "site"
        if args.site is None:
            build(site)
        if not (site / "index.html").is_file():
            sys.exit(f"{site} is not a built site (no index.html)")
        consultation = open_consultation(site, now)
        log = folder / "server.log"
        with (
            serve_portal(site, folder / "responses.sqlite3", log) as server,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                for js in (True, False):
                    context = browser.new_context(
                        viewport={"width": width, "height": HEIGHT}, java_script_enabled=js
                    )
                    page = context.new_page()
                    if js:
                        for name, path in (
                            ("home", "/"),
                            ("consultation", consultation),
                            ("programme", "/programme/"),
                        ):
                            page.goto(server.url + path)
                            print(shoot(page, name, width).relative_to(ROOT))
                    else:
                        page.goto(server.url + consultation)
                        status = send_empty(page)
                        if status != 422:
                            sys.exit(f"The empty form got {status}, not 422:\n{log.read_text()}")
                        print(shoot(page, "consultation-error", width).relative_to(ROOT))
                    context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # a server or browser that did not start: said, no traceback
        sys.exit(f"The screenshots were not taken: {error}")
