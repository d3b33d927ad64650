"""The watcher of ``portal serve``: the fast path at once, the full build behind it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from portal.failed_build import LastBuild
from portal.preview.full_build import FullBuild
from portal.preview.session import NeedsFullBuild, Session
from portal.problems import ContentError

WATCHED = ("content", "consultations", "datasets", "theme", "mkdocs.yml")
# Milliseconds: a save is acted on once the folder has been quiet this long (an editor's
# save is often a write and a rename), and the full build is polled this often.
QUIET_MS = 30
POLL_MS = 100


class Preview:
    def __init__(self, root: Path, site: Path, last: LastBuild) -> None:
        self.root = root.resolve()
        self.site = site.resolve()
        self.last = last
        self.session: Session | None = None
        self.session_wanted = True
        self.full: FullBuild | None = None
        self.generation = 0  # changes seen; a full build started before the last is stale
        # Files whose problems the fast path is showing: fixed, they clear the page at once.
        self.quick_failed: set[Path] = set()

    def changed(self, paths: set[Path]) -> None:
        self.generation += 1
        self.session_wanted = self.session_wanted or self.session is None
        if self.full is not None:
            self.full.stop()  # it read the content as it was before this change
            self.full = None
        consultation_files = {self._consultation_of(p) for p in paths}
        if self.session is not None and None not in consultation_files:
            self._fast({p for p in consultation_files if p is not None})
        elif self.session is not None:
            # A page, data package, theme or mkdocs.yml: the warm build no longer matches.
            self.session.close()
            self.session = None
            self.session_wanted = True
        self.full = FullBuild.start(self.root, self.site, self.generation)

    def _fast(self, paths: set[Path]) -> None:
        assert self.session is not None
        started = time.monotonic()
        try:
            written = self.session.update(paths, self.site)
        except ContentError as error:
            from portal.building import FAILED

            self.quick_failed |= paths
            self.last.failure = f"{FAILED}\n{error}"
            print(self.last.failure, file=sys.stderr)
            return
        except NeedsFullBuild:
            # A removed or renamed consultation: the warm build would keep listing it.
            self.session.close()
            self.session = None
            self.session_wanted = True
            return
        except Exception as error:  # the warm build broke: the full build still runs
            print(f"The quick preview stopped ({error}); full builds go on.", file=sys.stderr)
            self.session.close()
            self.session = None
            return
        took = time.monotonic() - started
        if written:
            print(
                f"Showed {written[0]} ({len(written)} pages) in {took:.2f} s; the full "
                "build follows.",
                flush=True,
            )
        if self.quick_failed:
            self.quick_failed -= paths
            if not self.quick_failed:
                self.last.failure = None

    def poll(self) -> None:
        if self.full is not None and self.full.done():
            full, self.full = self.full, None
            failure = full.failure()
            if failure is not None:
                full.discard()
                self.last.failure = failure
                print(failure, file=sys.stderr)
                return
            if full.generation == self.generation:
                from portal.building import swap_in

                swap_in(full.out, self.site)
                self.last.failure = None
                self.quick_failed.clear()
            full.discard()
        if (
            self.session is None
            and self.session_wanted
            and self.full is None
            and self.last.failure is None
        ):
            self._start_session()

    def _start_session(self) -> None:
        self.session_wanted = False
        try:
            self.session = Session.start(self.root, self.site.parent / f".{self.site.name}-preview")
            print("Edited consultations now show as soon as they are saved.", flush=True)
        except Exception as error:  # content changed meanwhile: the next change tries again
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            print(f"Edits show after a full build for now ({first}).", file=sys.stderr)

    def _consultation_of(self, path: Path) -> Path | None:
        """The index.md of the consultation a changed file belongs to (its outcome, a
        document, an editor's temporary file), or None for any other file."""
        folder = self.root / "consultations"
        if not path.is_relative_to(folder) or path == folder:
            return None
        name = path.relative_to(folder).parts[0]
        return None if name.startswith((".", "_")) else folder / name / "index.md"


def preview_loop(root: Path, site: Path, last: LastBuild) -> None:
    from watchfiles import watch

    preview = Preview(root, site, last)
    paths = [root / name for name in WATCHED if (root / name).exists()]
    for changes in watch(
        *paths, step=QUIET_MS, rust_timeout=POLL_MS, yield_on_timeout=True, debounce=1600
    ):
        if changes:
            preview.changed({Path(path).resolve() for _, path in changes})
        preview.poll()
