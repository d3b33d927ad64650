"""Every problem code the engine reports has its title (problems.CODES): tools and tests
match codes, so an unregistered one would show as the generic "Content is invalid"."""

from __future__ import annotations

import re

from portal.problems import CODES
from tests.support import ROOT

# A code passed to Problems.add (its last argument) or as code=: "word-word[-word]".
CODE = re.compile(r'(?:^\s+|code=|, )"([a-z]+(?:-[a-z]+)+)"(?:,?$|\))', re.MULTILINE)
NOT_CODES = {"strict-origin-when-cross-origin"}  # a Referrer-Policy value


def test_every_code_in_the_engine_is_registered() -> None:
    used = set()
    for path in (ROOT / "plugins" / "portal").rglob("*.py"):
        used |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 20, "the scan finds the codes"
    assert sorted(used - NOT_CODES - set(CODES)) == []
