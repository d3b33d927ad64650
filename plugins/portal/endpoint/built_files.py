"""Which build's copy of a file of the built site the endpoint has read.

A build puts a new site in place atomically (portal.building), so a file read from it is
either the old one or the new one; its device, inode, size and modification time together
tell which. The endpoint reloads what it keeps in memory (the search index, the published
consultations) when this changes.
"""

from __future__ import annotations

from pathlib import Path

Version = tuple[int, int, int, int]


def version(path: Path) -> Version | None:
    """The file's version, or None when it is not there (no site yet, or mid-swap)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
