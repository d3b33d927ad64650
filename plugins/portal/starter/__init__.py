"""``portal init DIR``: a new, minimal portal that checks, builds, serves and takes an
answer with no edit.

The files are in ``files/``, shipped in the package beside this module, as the new team
will see them (after a few ``@@NAME@@`` values are filled in). Names starting ``dot-`` are
written with a leading dot instead (``.gitignore``, ``.github/``): in this repository they
would otherwise be this repository's own ignore file and workflows.

The new portal holds content and settings only. The engine, its theme included, is the
``portal`` package that ``requirements.txt`` pins to this release, and ``mkdocs.yml`` names
the theme as ``theme: name: portal``, so a later release is taken by changing one line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from portal.site import build_time

FILES = Path(__file__).parent / "files"
DOT = "dot-"
# Where releases of the engine are published, as a pip requirement: tagged v<version>.
ENGINE_SOURCE = "git+https://github.com/participation-portal/portal"
# The example consultation is open from the day before init, for twelve weeks.
OPEN_FOR = timedelta(weeks=12)


@dataclass(frozen=True)
class Values:
    """What ``portal init`` fills into the files: every ``@@NAME@@`` they hold."""

    engine: str  # the requirement line that pins the engine
    version: str
    today: date

    def replacements(self) -> dict[str, str]:
        opens = self.today - timedelta(days=1)
        return {
            "@@ENGINE@@": self.engine,
            "@@VERSION@@": self.version,
            "@@INIT_DATE@@": self.today.isoformat(),
            "@@OPENS@@": f"{opens.isoformat()}T09:00",
            "@@CLOSES@@": (opens + OPEN_FOR).isoformat(),
        }


def engine_version() -> str:
    try:
        return version("portal")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0.0.0"


def default_values(now: datetime | None = None, engine: str | None = None) -> Values:
    release = engine_version()
    # The clock's day (PORTAL_NOW pins it): the example's dates follow the day of init.
    today = (now or build_time()).date()
    return Values(engine or f"portal @ {ENGINE_SOURCE}@v{release}", release, today)


def target_name(relative: Path) -> Path:
    return Path(*(p.replace(DOT, ".", 1) if p.startswith(DOT) else p for p in relative.parts))


def write_portal(folder: Path, values: Values) -> list[Path]:
    """Write the starter into ``folder``; the paths written, relative to it."""
    written = []
    replacements = values.replacements()
    for source in sorted(FILES.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        relative = target_name(source.relative_to(FILES))
        text = source.read_text(encoding="utf-8")
        for token, value in replacements.items():
            text = text.replace(token, value)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(relative)
    return written


def init(folder: Path, engine: str | None = None) -> int:
    """The ``portal init`` command; refuses a folder that already holds files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(
            f"{folder} is not empty: give a new or empty folder, so that no file is overwritten.",
            file=sys.stderr,
        )
        return 2
    try:
        values = default_values(engine=engine)
    except ValueError as error:  # a PORTAL_NOW that is not a date and time
        print(f"portal init: {error}", file=sys.stderr)
        return 2
    written = write_portal(folder, values)
    print(f"Wrote a new portal in {folder} ({len(written)} files). Next:")
    print(f"  cd {folder}")
    print("  portal check     # the content is valid")
    print("  portal serve     # the portal at http://127.0.0.1:8000; answer the example")
    print("Then change the lines marked FILL IN (mkdocs.yml first); README.md says more.")
    return 0
