"""The full build, run as ``portal build`` in a child process that can be stopped.

A child process rather than a thread: it can fork its worker (the serve process cannot, it
has threads, see ``portal.parallel``), it leaves the serve process's interpreter free for the
fast path and for requests, and a build made stale by a newer save is simply stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# The child runs the same engine, with the same interpreter, as this process.
# At a lower priority: on a busy machine the quick path and the served pages come first.
COMMAND = "import os, sys; os.nice(10); from portal.cli import main; sys.exit(main(sys.argv[1:]))"


@dataclass
class FullBuild:
    """One ``portal build`` into ``out``; ``generation`` is the change count it started at."""

    process: subprocess.Popen[bytes]
    out: Path
    errors: IO[bytes]
    generation: int

    @classmethod
    def start(cls, root: Path, site: Path, generation: int) -> FullBuild:
        # In a folder of its own: the build stages beside its target, and a build that is
        # stopped leaves its staging folder there, removed with the rest by discard().
        home = site.parent / f".{site.name}-next"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        out = home / site.name
        # Kept open past this method: read once the build ends, closed by discard().
        errors = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-c", COMMAND, "--root", str(root), "build", "--site-dir", str(out)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            # Its own process group, so that stopping it stops the worker it forked too.
            start_new_session=True,
        )
        return cls(process, out, errors, generation)

    def done(self) -> bool:
        return self.process.poll() is not None

    def failure(self) -> str | None:
        """What the build said when it failed, or None when it built the site."""
        if self.process.returncode == 0:
            return None
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", errors="replace").strip()
        return said or f"The build failed (exit status {self.process.returncode})."

    def stop(self) -> None:
        if not self.done():
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()
        self.discard()

    def discard(self) -> None:
        self.errors.close()
        shutil.rmtree(self.out.parent, ignore_errors=True)
