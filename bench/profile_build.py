"""Where ``portal build`` spends its time at N consultations: cProfile, top entries.

    .venv/bin/python bench/profile_build.py --n 1000 [--top 30] [--out FILE]

Generates the same synthetic site as build_scale.py, then runs the build in-process under
cProfile and writes the top entries by cumulative and by own time. The build runs in one
process (PORTAL_WORKERS=0) so that the profile shows all of its work, including what a
normal build does in its forked worker (data packages, feeds, search indexing).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_scale import ROOT, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "profile-build.txt"
    )
    args = parser.parse_args(argv)
    os.environ["PORTAL_WORKERS"] = "0"
    from portal.building import build

    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        generate(args.n, work)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        rc = build(work / "portal", work / "out")
        profiler.disable()
        wall = time.perf_counter() - start
        text = io.StringIO()
        text.write(
            f"portal build, N={args.n}, rc={rc}, wall under cProfile {wall:.1f} s\n"
            f"command: .venv/bin/python bench/profile_build.py {' '.join(sys.argv[1:])}\n\n"
        )
        for key in ("cumulative", "tottime"):
            text.write(f"== top {args.top} by {key} ==\n")
            stats = pstats.Stats(profiler, stream=text)
            stats.sort_stats(key).print_stats(args.top)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text.getvalue().replace(str(ROOT) + "/", ""), encoding="utf-8")
        print(f"wrote {args.out} (wall {wall:.1f} s)")
        return rc
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
