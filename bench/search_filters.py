"""Search and the combined filter without JavaScript: pre-built pages, or the endpoint?

    .venv/bin/python bench/search_filters.py [--n 1000] [--out bench/results/search-filters.md]

For the demo portal and for N synthetic consultations (bench/build_scale.py's generator,
built with ``portal build``), it counts what pre-building the combined filter would take:
every combination of (any or one) status, topic and area, the combinations that list at
least one consultation, and the cards those pages would hold. It then times the endpoint's
answers (in process, through Starlette's ASGI interface, no network): loading the search
index and the consultations JSON once, a search, a filter. A third count is for a larger
vocabulary than the generator's (30 topics and 20 areas, two topics and one area each, a
seeded random choice), from the counting alone. No figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import product
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
NOW = os.environ.get("PORTAL_NOW", "2026-12-01T12:00:00+00:00")
SHELL_BYTES = 17_000  # an endpoint page in the demo's shell, without cards (measured below)


def combinations(records: list[dict[str, Any]]) -> dict[str, int]:
    from portal.endpoint.filtering import slugify

    statuses = ["open", "forthcoming", "closed", "outcome"]
    topics = sorted({slugify(t) for r in records for t in r["topics"]})
    areas = sorted({slugify(a) for r in records for a in r["area"]})
    cards = [
        (r["status"], {slugify(t) for t in r["topics"]}, {slugify(a) for a in r["area"]})
        for r in records
    ]
    non_empty = listed = 0
    for s, t, a in product(["", *statuses], ["", *topics], ["", *areas]):
        n = sum(
            (not s or s == cs) and (not t or t in ct) and (not a or a in ca) for cs, ct, ca in cards
        )
        if n:
            non_empty += 1
            listed += n
    return {
        "consultations": len(records),
        "topics": len(topics),
        "areas": len(areas),
        "all": (len(statuses) + 1) * (len(topics) + 1) * (len(areas) + 1),
        "non_empty": non_empty,
        "cards": listed,
    }


def build(root: Path | None, site: Path) -> None:
    args = [str(Path(sys.executable).parent / "portal")]
    if root is not None:
        args += ["--root", str(root)]
    env = {**os.environ, "PORTAL_NOW": NOW}
    subprocess.run([*args, "build", "--site-dir", str(site)], check=True, env=env, cwd=ROOT)


async def timings(site: Path, query: str) -> dict[str, float]:
    import httpx
    from starlette.applications import Starlette

    from portal.endpoint import filtering, search
    from portal.endpoint.config import ENGINE_THEME, EndpointSettings

    settings = EndpointSettings(site_dir=site, theme_dir=ROOT / "theme")
    assert settings.theme_dir.exists() or ENGINE_THEME
    app = Starlette(routes=[*search.routes(settings), *filtering.routes(settings)])
    records = json.loads((site / "api" / "consultations.json").read_text("utf-8"))["consultations"]
    first = records[0]
    topic, area = filtering.slugify(first["topics"][0]), filtering.slugify(first["area"][0])
    out: dict[str, float] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as http:
        for name, url in [
            ("search", f"/search?query={query}"),
            ("filter", f"/consultations/filter?topic={topic}&area={area}"),
        ]:
            start = time.perf_counter()
            first_response = await http.get(url)
            out[f"{name} first (loads) ms"] = (time.perf_counter() - start) * 1000
            assert first_response.status_code == 200, (url, first_response.status_code)
            runs = []
            for _ in range(20):
                start = time.perf_counter()
                await http.get(url)
                runs.append((time.perf_counter() - start) * 1000)
            out[f"{name} median ms"] = statistics.median(runs)
            out[f"{name} page KB"] = len(first_response.content) / 1024
    out["search index KB"] = (site / "search" / "search_index.json").stat().st_size / 1024
    out["search index documents"] = len(
        json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    )
    return out


def real_areas(root: Path) -> None:
    """The generator's areas are not the demo's wards, which the build now checks: give each
    consultation one of the wards (or Citywide, every fourth), in turn."""
    wards_file = root / "datasets" / "northbridge-wards" / "data" / "wards.geojson"
    if not wards_file.exists():
        return
    wards = [f["properties"]["name"] for f in json.loads(wards_file.read_text("utf-8"))["features"]]
    for i, page in enumerate(sorted((root / "consultations").glob("bench-*/index.md"))):
        area = "Citywide" if i % 4 == 0 else wards[i % len(wards)]
        lines = page.read_text("utf-8").splitlines(keepends=True)
        lines = [f"area: {json.dumps(area)}\n" if ln.startswith("area:") else ln for ln in lines]
        page.write_text("".join(lines), encoding="utf-8")


def larger_vocabulary(n: int, topics: int = 30, areas: int = 20) -> list[dict[str, Any]]:
    rng = random.Random(22)
    names = [f"Topic {i}" for i in range(topics)]
    wards = [f"Ward {i}" for i in range(areas)]
    statuses = ["open", "forthcoming", "closed", "outcome"]
    return [
        {
            "status": rng.choices(statuses, weights=[3, 1, 6, 90])[0],
            "topics": rng.sample(names, 2),
            "area": [rng.choice(wards)],
        }
        for _ in range(n)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    import build_scale

    rows: list[tuple[str, dict[str, int], dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(None, work / "demo")
        demo = json.loads((work / "demo/api/consultations.json").read_text("utf-8"))
        rows.append(
            (
                "demo",
                combinations(demo["consultations"]),
                asyncio.run(timings(work / "demo", "parking")),
            )
        )
        build_scale.generate(args.n, work / "scale")
        real_areas(work / "scale" / "portal")
        build(work / "scale" / "portal", work / "scale-site")
        scale = json.loads((work / "scale-site/api/consultations.json").read_text("utf-8"))
        rows.append(
            (
                f"{args.n} synthetic (bench/build_scale.py)",
                combinations(scale["consultations"]),
                asyncio.run(timings(work / "scale-site", "proposal")),
            )
        )
    larger = combinations(larger_vocabulary(args.n))

    lines = [
        "# Search and the combined filter without JavaScript",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; PORTAL_NOW={NOW}",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (a shared machine)",
        f"- Command: `.venv/bin/python bench/search_filters.py --n {args.n}`",
        "",
        "## Pre-built pages for every combination",
        "",
        "| site | consultations | topics | areas | combinations | with a result | cards on them"
        " | est. MB pre-built |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, c, _t in [*rows, (f"{args.n}, 30 topics and 20 areas (counted only)", larger, {})]:
        mb = (c["non_empty"] * SHELL_BYTES + c["cards"] * 700) / 1e6
        lines.append(
            f"| {name} | {c['consultations']} | {c['topics']} | {c['areas']} | {c['all']:,} "
            f"| {c['non_empty']:,} | {c['cards']:,} | {mb:,.1f} |"
        )
    lines += [
        "",
        f"Estimated size: {SHELL_BYTES:,} bytes of page shell per page with a result, plus 700"
        " bytes per card (the demo's card HTML). Pages for empty combinations are not counted;"
        " they would be needed too (or a 404), since the form offers every choice.",
        "",
        "## The endpoint's answers (in process, ASGI, no network)",
        "",
        "| site | " + " | ".join(rows[0][2]) + " |",
        "|---|" + "---|" * len(rows[0][2]),
    ]
    for name, _c, t in rows:
        lines.append(f"| {name} | " + " | ".join(f"{v:,.1f}" for v in t.values()) + " |")
    lines += [
        "",
        "First: the first request after a start, which reads search_index.json (or"
        " api/consultations.json) and indexes it; median of the next 20.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
