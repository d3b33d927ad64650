"""A zip of a whole data package, written to disk by streaming, reproducibly.

A resource may be hundreds of megabytes, so the zip is written file by file to a cache
folder rather than built in memory, and reused while the package's files are unchanged.
Fixed timestamps make the same package give the same bytes on every build.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from portal.datasets.model import Dataset

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def zip_name(dataset: Dataset) -> str:
    return f"{dataset.name}.zip"


def package_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def package_zip(dataset: Dataset, cache_dir: Path) -> Path:
    files = package_files(dataset.folder)
    key = hashlib.sha256()
    for path in files:
        stat = path.stat()
        key.update(
            f"{path.relative_to(dataset.folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
        )
    target = cache_dir / dataset.name / f"{key.hexdigest()[:16]}.zip"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            arcname = f"{dataset.name}/{path.relative_to(dataset.folder).as_posix()}"
            info = zipfile.ZipInfo(arcname, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    for old in target.parent.glob("*.zip"):
        old.unlink()  # earlier versions of this package
    partial.replace(target)
    return target
