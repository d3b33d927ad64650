"""Where ``portal endpoint`` spends a POST: cProfile over N in-process posts (no network).

    .venv/bin/python bench/profile_endpoint.py [--posts 2000] [--out FILE]

Builds the open-form fixture site (as endpoint_ceiling.py does), then sends N valid
urlencoded posts through the app with httpx's ASGI transport, one at a time, under cProfile;
the same is done for bench/ceiling_app.py, so the two per-request CPU costs can be compared.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint_ceiling import FORM, ROOT, build_fixture


async def hammer(app: object, posts: int, tag: str) -> float:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        start = time.perf_counter()
        for i in range(posts):
            r = await client.post(
                f"/responses/{FORM}",
                data={"support": "yes", "website": "", "submission_id": f"bench-{tag}-{i:012d}"},
            )
            assert r.status_code == 303, r.status_code
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "profile-endpoint.txt"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-profile-endpoint-"))
    try:
        site = build_fixture(work)
        os.environ.update(
            {
                "PORTAL_SITE_DIR": str(site),
                "PORTAL_THEME_DIR": str(ROOT / "theme"),
                "DATABASE_URL": f"sqlite:///{work / 'portal.sqlite3'}",
                "PORTAL_RATE_LIMIT": "1000000/second",
                "CEILING_DB": str(work / "ceiling.sqlite3"),
            }
        )
        import ceiling_app
        from portal.endpoint.app import app_from_env

        text = io.StringIO()
        for name, app in (("portal", app_from_env()), ("ceiling", ceiling_app.app)):
            asyncio.run(hammer(app, 50, name + "warm"))
            profiler = cProfile.Profile()
            profiler.enable()
            wall = asyncio.run(hammer(app, args.posts, name))
            profiler.disable()
            text.write(
                f"== {name}: {args.posts} sequential posts in {wall:.2f} s under "
                f"cProfile = {1000 * wall / args.posts:.2f} ms/post ==\n"
            )
            stats = pstats.Stats(profiler, stream=text)
            stats.sort_stats("tottime").print_stats(args.top)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text.getvalue().replace(str(ROOT) + "/", ""), encoding="utf-8")
        print(f"wrote {args.out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
