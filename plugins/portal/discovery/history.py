"""Change history of a consultation, from git: when it changed, and what the change said.

Staff publish through git, so the log *is* the record of every edit. A build from a plain
copy (a zip download, a container without .git) falls back to the files' modification
dates, and the page says so rather than pretending to know more.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

SEPARATOR = "\x1f"
GIT_FORMAT = f"%H{SEPARATOR}%cI{SEPARATOR}%s"


@dataclass(frozen=True)
class Change:
    when: datetime
    message: str
    sha: str = ""
    url: str = ""  # the commit's page, when the repository's address is configured

    @property
    def short_sha(self) -> str:
        return self.sha[:7]


@dataclass
class History:
    source: str  # "git", or "files" when the build had no git history to read
    changes: list[Change] = field(default_factory=list)  # newest first
    shallow: bool = False  # a shallow clone: older commits are missing
    uncommitted: bool = False  # the build included edits not yet committed

    @property
    def last_changed(self) -> datetime | None:
        return self.changes[0].when if self.changes else None

    @property
    def first_recorded(self) -> datetime | None:
        return self.changes[-1].when if self.changes else None


def history(path: Path, tz: tzinfo, repo_url: str = "") -> History:
    """The changes to ``path`` (a file or a folder), newest first."""
    found = _git_history(path, tz, repo_url)
    return found if found is not None else _file_history(path, tz)


def commit_url(repo_url: str, sha: str) -> str:
    """GitHub, Gitea and Forgejo serve ``/commit/SHA``; GitLab redirects it to ``/-/commit/``."""
    return f"{repo_url.rstrip('/')}/commit/{sha}" if repo_url and sha else ""


def _git(folder: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run([git, "-C", str(folder), *args], capture_output=True,
                                text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _git_history(path: Path, tz: tzinfo, repo_url: str) -> History | None:
    folder = path if path.is_dir() else path.parent
    log = _git(folder, "log", f"--format={GIT_FORMAT}", "--", str(path.resolve()))
    if not log or not log.strip():
        return None  # not a repository, no git, or never committed: use the files' dates
    changes = []
    for line in log.splitlines():
        sha, when, message = [*line.split(SEPARATOR, 2), "", ""][:3]
        if sha and when:
            changes.append(Change(datetime.fromisoformat(when).astimezone(tz), message, sha,
                                  commit_url(repo_url, sha)))
    shallow = (_git(folder, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    status = _git(folder, "status", "--porcelain", "--", str(path.resolve()))
    return History("git", changes, shallow=shallow, uncommitted=bool(status and status.strip()))


def _file_history(path: Path, tz: tzinfo) -> History:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    base = path.parent if path.is_file() else path
    changes = [
        Change(datetime.fromtimestamp(f.stat().st_mtime, UTC).astimezone(tz),
               f"{f.relative_to(base).as_posix()} modified")
        for f in files
    ]
    return History("files", sorted(changes, key=lambda c: c.when, reverse=True))
