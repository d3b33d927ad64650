"""The build's second core (portal.parallel): same site, whether or not work is forked."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.generated import GeneratedPage
from portal.mkdocs_plugin.plugin import _source
from tests.support import ROOT, portal

FORKS = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="forks only on Linux with two or more CPUs",
)

PROBE = """
import os, sys
from portal.parallel import Worker

def fails():
    raise ValueError("in the job")

worker = Worker()
pid = worker.submit(os.getpid).result()
try:
    worker.submit(fails).result()
except ValueError as error:
    raised = str(error)
forked = worker.forked
worker.close()
print(pid != os.getpid(), forked, raised)
"""


def probe(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


@FORKS
def test_jobs_run_in_another_process_and_their_errors_come_back() -> None:
    assert probe({"PORTAL_WORKERS": ""}) == "True True in the job"


def test_portal_workers_0_runs_jobs_inline() -> None:
    assert probe({"PORTAL_WORKERS": "0"}) == "False False in the job"


def tree(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


# ``portal build`` as the command runs it, noting (not changing) where each job was sent;
# with "die", the process reading the data packages is killed, as the kernel's out-of-memory
# killer would.
BUILD = """
import json, os, sys
from pathlib import Path
from portal import parallel, site
from portal.building import build

jobs = []
send = parallel.Worker.submit

def noted(self, job, *args):
    future = send(self, job, *args)
    jobs.append([job.__name__, self.forked])
    return future

def die(settings):
    os._exit(9)

parallel.Worker.submit = noted
if sys.argv[2] == "die":
    site._read_datasets = die
code = build(Path("."), Path(sys.argv[1]))
print(json.dumps(jobs))
sys.exit(code)
"""


def build_noting_jobs(
    site: Path, mode: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BUILD, str(site), mode],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=600,
    )


@FORKS
def test_forked_build_writes_the_same_site_as_a_single_process(tmp_path: Path) -> None:
    pinned = {"PORTAL_NOW": "2027-02-01T12:00:00", "SITE_URL": "https://example.org/"}
    portal("build", "--site-dir", str(tmp_path / "one"), env={**pinned, "PORTAL_WORKERS": "0"})
    forked = build_noting_jobs(tmp_path / "two", "normal", {**pinned, "PORTAL_WORKERS": ""})
    assert forked.returncode == 0, forked.stderr
    jobs = json.loads(forked.stdout.strip().splitlines()[-1])
    # Every job the build sent went to a forked worker, and these are the ones it sends.
    assert {name for name, _ in jobs} >= {"_read_datasets_apart", "syndication_files", "_index"}
    assert all(was_forked for _, was_forked in jobs), jobs
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    # The files made on the second core: present, and the same.
    for name in ("search/search_index.json", "feeds/consultations.ics", "api/datasets.json"):
        assert name in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


@FORKS
def test_a_build_whose_worker_is_killed_fails_and_keeps_the_previous_site(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    result = build_noting_jobs(site, "die", {"PORTAL_WORKERS": ""})
    assert result.returncode == 1
    assert "The build failed; the previous site is unchanged." in result.stderr
    assert "second process stopped before it finished" in result.stderr
    assert "PORTAL_WORKERS=0" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert not list(tmp_path.glob(".site-*"))  # no half-built folder left behind


def test_generated_front_matter_reads_back_exactly() -> None:
    from mkdocs.utils.meta import get_data

    title = 'Emoji 😀, "quotes", yes: no, tab\t, NEL\x85, DEL\x7f, LS\u2028, back\\slash'
    page = GeneratedPage(
        src_uri="consultations/x/index.md",
        title=title,
        markdown="Body text",
        meta={"description": "on", "search": {"exclude": True}},
    )
    body, meta = get_data(_source(page))
    assert meta == {"title": title, "description": "on", "search": {"exclude": True}}
    assert body.strip() == "Body text"
