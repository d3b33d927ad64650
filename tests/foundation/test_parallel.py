"""The build's second core (portal.parallel): same site, whether or not work is forked."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.generated import GeneratedPage
from portal.mkdocs_plugin.plugin import _source
from tests.support import portal

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


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="forks only on Linux with two or more CPUs",
)
def test_jobs_run_in_another_process_and_their_errors_come_back() -> None:
    assert probe({"PORTAL_WORKERS": ""}) == "True True in the job"


DIES = """
import os
from portal.building import worker_hint
from portal.parallel import Worker

worker = Worker()
try:
    worker.submit(os._exit, 9).result()
except Exception as error:
    print(worker_hint(error))
worker.close()
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="forks only on Linux with two or more CPUs",
)
def test_a_worker_that_dies_fails_the_build_with_what_to_do() -> None:
    result = subprocess.run(
        [sys.executable, "-c", DIES], capture_output=True, text=True, timeout=120, check=True
    )
    assert "second process stopped" in result.stdout
    assert "PORTAL_WORKERS=0" in result.stdout


def test_portal_workers_0_runs_jobs_inline() -> None:
    assert probe({"PORTAL_WORKERS": "0"}) == "False False in the job"


def tree(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_forked_build_writes_the_same_site_as_a_single_process(tmp_path: Path) -> None:
    pinned = {"PORTAL_NOW": "2027-02-01T12:00:00", "SITE_URL": "https://example.org/"}
    portal("build", "--site-dir", str(tmp_path / "one"), env={**pinned, "PORTAL_WORKERS": "0"})
    portal("build", "--site-dir", str(tmp_path / "two"), env={**pinned, "PORTAL_WORKERS": ""})
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    # The files made on the second core: present, and the same.
    for name in ("search/search_index.json", "feeds/consultations.ics", "api/datasets.json"):
        assert name in one
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


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
