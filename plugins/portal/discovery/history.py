"""Change history of a consultation, from git: when it changed, and what changed.

Staff publish through git, so the log *is* the record of every edit. The page says what
changed in a resident's words ("Closing date extended to 5pm on 31 January 2027",
"Outcome published", "Documents added: ..."), worked out from the files each commit touched
and, for the consultation's index.md, from its front matter before and after
(portal.discovery.changes); a commit message is staff's words and stays in the log. A build
from a plain copy (a zip download, a container without .git) falls back to the files'
modification dates, and the page says so rather than pretending to know more.

What changed is kept as phrases (portal.discovery.changes.Summary), said on each page in
its own language: the Welsh page's history is Welsh, dates and all, from the same log.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from portal.discovery.changes import Summary, Touched, describe, file_summary, read_blobs

SEPARATOR = "\x1f"
GIT_FORMAT = f"%H{SEPARATOR}%P{SEPARATOR}%cI{SEPARATOR}%s"
RECORD = "\x1e"  # starts each commit in a --name-only log


@dataclass(frozen=True)
class Change:
    when: datetime
    message: str
    sha: str = ""
    url: str = ""  # the commit's page, when the repository's address is configured
    # What changed, in plain words, in any language (set by HistoryIndex.of).
    summary: Summary = field(default_factory=Summary)

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


def history(path: Path, tz: tzinfo, repo_url: str = "", language: str = "en") -> History:
    """The changes to ``path`` (a file or a folder), newest first."""
    folder = path if path.is_dir() else path.parent
    return HistoryIndex.read(folder, tz, repo_url, language).of(path)


@dataclass
class HistoryIndex:
    """One ``git log`` over a whole folder, answering for every path under it.

    A build asks for the history of every consultation; one git process per page cost
    seconds at a thousand consultations (bench/results/profile-build.txt).
    """

    tz: tzinfo
    repo_url: str = ""
    top: Path | None = None  # the repository's top folder; None without git history
    changes: dict[str, list[Change]] = field(default_factory=dict)  # path -> newest first
    touched: dict[str, list[Touched]] = field(default_factory=dict)  # sha -> files it changed
    blobs: dict[str, bytes] = field(default_factory=dict)  # "sha:path" -> content
    dirty: set[str] = field(default_factory=set)
    shallow: bool = False
    language: str = "en"  # what index.md is written in: the site's default language

    @classmethod
    def read(
        cls, folder: Path, tz: tzinfo, repo_url: str = "", language: str = "en"
    ) -> HistoryIndex:
        index = cls(tz, repo_url, language=language)
        top = (_git(folder, "rev-parse", "--show-toplevel") or "").strip()
        if not top:
            return index
        index.top = Path(top).resolve()
        target = str(folder.resolve())
        log = (
            _git(
                index.top,
                "log",
                f"--format={RECORD}{GIT_FORMAT}",
                "--name-status",
                "--no-renames",  # a moved file reads as removed and added
                "--",
                target,
            )
            or ""
        )
        wanted: list[str] = []  # index.md before and after each edit, read in one process
        for record in log.split(RECORD)[1:]:
            head, _, names = record.partition("\n")
            sha, parents, when, message = [*head.split(SEPARATOR, 3), "", "", ""][:4]
            if not (sha and when):
                continue
            change = Change(
                datetime.fromisoformat(when).astimezone(tz), message, sha, commit_url(repo_url, sha)
            )
            parent = parents.split(" ")[0]
            for line in filter(None, (n.strip() for n in names.splitlines())):
                status_letter, _, name = line.partition("\t")
                index.changes.setdefault(name, []).append(change)
                index.touched.setdefault(sha, []).append(Touched(status_letter[:1], name, parent))
                if name.endswith("/index.md") and status_letter[:1] == "M" and parent:
                    wanted += [f"{parent}:{name}", f"{sha}:{name}"]
        index.blobs = read_blobs(index.top, wanted) if wanted else {}
        status = _git(index.top, "status", "--porcelain", "--", target) or ""
        index.dirty = {line[3:].strip().strip('"') for line in status.splitlines() if line[3:]}
        shallow = _git(index.top, "rev-parse", "--is-shallow-repository") or ""
        index.shallow = shallow.strip() == "true"
        return index

    def of(self, path: Path) -> History:
        """The history of a file or folder: git's when it has any, else the files' dates."""
        if self.top is None:
            return _file_history(path, self.tz)
        try:
            relative = path.resolve().relative_to(self.top).as_posix()
        except ValueError:
            return _file_history(path, self.tz)
        prefix = relative + "/"
        seen: dict[str, Change] = {}
        for name, changes in self.changes.items():
            if name == relative or name.startswith(prefix):
                for change in changes:
                    seen.setdefault(change.sha, change)
        if not seen:
            return _file_history(path, self.tz)  # never committed: use the files' dates
        described = [
            replace(change, summary=self._summary(change, relative)) for change in seen.values()
        ]
        newest_first = sorted(described, key=lambda c: c.when, reverse=True)
        dirty = any(n == relative or n.startswith(prefix) for n in self.dirty)
        return History("git", newest_first, shallow=self.shallow, uncommitted=dirty)

    def _summary(self, change: Change, relative: str) -> Summary:
        prefix = relative + "/"
        touched = self.touched.get(change.sha, [])
        under = [t for t in touched if t.name == relative or t.name.startswith(prefix)]
        return describe(under, change.sha, self.blobs, self.tz, self.language)


def commit_url(repo_url: str, sha: str) -> str:
    """GitHub, Gitea and Forgejo serve ``/commit/SHA``; GitLab redirects it to ``/-/commit/``."""
    return f"{repo_url.rstrip('/')}/commit/{sha}" if repo_url and sha else ""


def _git(folder: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run(
            [git, "-C", str(folder), *args], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _file_history(path: Path, tz: tzinfo) -> History:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    base = path.parent if path.is_file() else path
    changes = [
        Change(
            datetime.fromtimestamp(f.stat().st_mtime, UTC).astimezone(tz),
            f"{f.relative_to(base).as_posix()} modified",
            summary=file_summary(f.relative_to(base).as_posix()),
        )
        for f in files
    ]
    # One line per kind of part (the page, the outcome, the documents), at its newest date.
    newest: dict[Summary, Change] = {}
    for change in sorted(changes, key=lambda c: c.when, reverse=True):
        newest.setdefault(change.summary, change)
    return History("files", list(newest.values()))
