"""A real, throw-away PostgreSQL 15 server (Debian's), run as the postgres user.

As in ../shared/TESTING.md: initdb in a temporary folder, pg_ctl start on a free port on
127.0.0.1, and pg_ctl stop afterwards. Tests skip, saying why, only when the binaries are
absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Debian's postgresql package, whichever major version the release ships (15 on bookworm).
_FOUND = sorted(
    Path("/usr/lib/postgresql").glob("*/bin/initdb"),
    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
)
BIN = _FOUND[-1].parent if _FOUND else Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_postgres(*args: str) -> list[str]:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        return ["runuser", "-u", "postgres", "--", *args]
    return list(args)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh server; stop it and remove its files afterwards."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        pytest.fail(
            f"PostgreSQL binaries not found in {BIN}: run 'make test', which installs "
            "Debian's postgresql"
        )
    folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, log, port = folder / "data", folder / "log", free_port()
    subprocess.run(
        _as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    started = subprocess.run(
        _as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ),
        capture_output=True,
        text=True,
    )
    try:
        if started.returncode != 0:
            text = log.read_text() if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{text}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
