"""First-visit weight of a consultation page: its HTML plus the CSS and JS it references.

    .venv/bin/python bench/page_weight.py [--site DIR] [--out bench/results/page-weight.md]

Without ``--site`` it builds the demo site (this repository) into a temporary folder with
``portal build``. For every consultation page it sums the bytes of the page and of each local
stylesheet (<link rel=stylesheet>) and script (<script src>) it references, raw and gzipped
(level 6, as a typical server would), excluding web fonts (the site sets ``font: false``;
any font file would be fetched by CSS, which this does not follow). It also checks that the
response form is plain HTML: a <form method=post action=...> with named inputs and a submit
button, so it works before (or without) any JavaScript.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.in_form = 0
        self.named_inputs = 0
        self.submit = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "form" and a.get("class", "").find("portal-form") >= 0:
            self.forms.append(a)
            self.in_form += 1
        elif self.in_form and tag in ("input", "textarea", "select") and a.get("name"):
            self.named_inputs += 1
        elif self.in_form and tag == "button" and a.get("type", "submit") == "submit":
            self.submit = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form -= 1


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(site: Path, page: Path) -> dict[str, object]:
    html = page.read_bytes()
    parser = Assets()
    parser.feed(html.decode("utf-8"))
    url = "/" + str(page.relative_to(site).parent).strip(".") + "/"
    rows = [("html", str(page.relative_to(site)), len(html), gz(html))]
    for kind, refs in (("css", parser.css), ("js", parser.js)):
        for ref in refs:
            parsed = urlparse(urljoin(url, ref))
            if parsed.netloc:
                rows.append((kind, ref + " (EXTERNAL, not counted)", 0, 0))
                continue
            f = site / parsed.path.lstrip("/")
            if f.suffix in (".woff", ".woff2", ".ttf", ".otf"):
                continue
            data = f.read_bytes()
            rows.append((kind, parsed.path, len(data), gz(data)))
    form = parser.forms[0] if parser.forms else {}
    plain_form = (
        bool(form)
        and form.get("method", "").lower() == "post"
        and bool(form.get("action"))
        and parser.named_inputs > 0
        and parser.submit
    )
    return {
        "page": url,
        "rows": rows,
        "raw": sum(r[2] for r in rows),
        "gzip": sum(r[3] for r in rows),
        "has_form": bool(form),
        "plain_html_form": plain_form,
        "form_action": form.get("action", ""),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--root", type=Path, default=ROOT, help="site source to build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "page-weight.md")
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="bench-weight-")) / "site"
        subprocess.run(
            [str(BIN / "portal"), "--root", str(args.root), "build", "--site-dir", str(site)],
            check=True,
            capture_output=True,
        )
    pages = sorted(
        p
        for p in (site / "consultations").glob("*/index.html")
        if p.parent.name not in ("filter",) and not p.parent.name.startswith("page")
    )
    results = [weigh(site, p) for p in pages]
    with_form = [r for r in results if r["has_form"]]
    out = [
        "# First-visit weight of a consultation page",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}",
        f"- Command: `.venv/bin/python bench/page_weight.py {' '.join(sys.argv[1:])}`"
        " (builds the demo site with `portal build` unless --site is given)",
        "- Counted: the page's HTML, every local <link rel=stylesheet> and <script src>; "
        "gzip level 6. Web fonts excluded (the theme sets `font: false`, none are loaded). "
        "Images: none are referenced by the consultation pages' own content.",
        "",
        "| page | HTML KB | CSS KB | JS KB | total KB | total gzip KB | form | plain-HTML form |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        by = {k: sum(x[2] for x in r["rows"] if x[0] == k) for k in ("html", "css", "js")}  # type: ignore[attr-defined]
        out.append(
            f"| {r['page']} | {by['html'] / 1024:.1f} | {by['css'] / 1024:.1f} | "
            f"{by['js'] / 1024:.1f} | {int(r['raw']) / 1024:.1f} | "  # type: ignore[call-overload]
            f"{int(r['gzip']) / 1024:.1f} | {r['has_form']} | {r['plain_html_form']} |"
        )  # type: ignore[call-overload]
    if results:
        sample = with_form[0] if with_form else results[0]
        out += [
            "",
            f"## Breakdown for {sample['page']}",
            "",
            "| kind | file | bytes | gzip |",
            "|---|---|---|---|",
        ]
        out += [f"| {k} | {f} | {b} | {g} |" for k, f, b, g in sample["rows"]]  # type: ignore[attr-defined]
    ok = all(r["plain_html_form"] for r in with_form)
    plain = sum(bool(r["plain_html_form"]) for r in with_form)
    out += [
        "",
        "Forms that are plain HTML (method=post, action, named fields, submit button), "
        f"working before any JavaScript loads: {plain} of {len(with_form)} consultation "
        "pages with a form.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(out), encoding="utf-8")
    print("\n".join(out))
    return 0 if results and ok else 1


if __name__ == "__main__":
    sys.exit(main())
