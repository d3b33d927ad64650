"""Issue 14, item 6: the suite does not depend on the day it runs.

The tests pin one moment for everything they start (tests/conftest.py, portal.clock); these
run the date-sensitive ones again with the machine's clock itself moved, by Debian's
``faketime``, to days when the demo's consultations have long closed. Before the one clock,
the endpoint read the real time and the demo's smart-parking consultation (closing on
15 March 2027) refused every answer from that day on.

The modules below are those that answer the demo's forms through the real endpoint, build a
site whose statuses depend on the date, or apply retention.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

DATE_SENSITIVE = [
    "tests/e2e_forms/test_complete.py",
    "tests/e2e/test_form_closing.py",
    "tests/exports/test_browser_round_trip.py",
    "tests/exports/test_retention_and_route.py",
    "tests/endpoint/test_endpoint_responses.py",
    "tests/discovery/test_discovery_pages.py",
]
FAKETIME = shutil.which("faketime")


@pytest.mark.skipif(FAKETIME is None, reason="Debian's faketime is missing: run 'make system'")
@pytest.mark.parametrize("day", ["2027-06-01 12:00:00", "2031-01-01 12:00:00"])
def test_the_date_sensitive_tests_pass_on_another_day(day: str, tmp_path: Path) -> None:
    # "-f @..." starts the clock at that moment and lets it run (a frozen clock would stop
    # every timeout); every process the tests start inherits it.
    command = [str(FAKETIME), "-f", f"@{day}", sys.executable, "-m", "pytest", "-q"]
    command += ["-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"), *DATE_SENSITIVE]
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, f"on {day}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert " passed" in summary and "failed" not in summary, summary
