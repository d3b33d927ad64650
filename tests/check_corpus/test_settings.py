"""The portal's options are declared once for check and once for MkDocs: they must agree."""

from __future__ import annotations

from pathlib import Path

from portal.mkdocs_plugin.config import PortalConfig
from portal.problems import CODES
from portal.settings import OPTIONS, load_settings
from tests.check_corpus.cases import CASES


def test_check_and_the_mkdocs_plugin_know_the_same_options() -> None:
    declared = {name: option._type for name, option in PortalConfig._schema}
    assert declared == OPTIONS


def test_settings_that_cannot_be_used_are_left_at_their_defaults(tmp_path: Path) -> None:
    """Reading never fails: check (which every build runs first) says what is wrong."""
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - portal:\n      timezone: Mars/Olympus\n      retention_days: two years\n",
        "utf-8",
    )
    settings = load_settings(tmp_path)
    assert (settings.timezone, settings.retention_days) == ("Europe/London", 730)
    (tmp_path / "mkdocs.yml").write_text("plugins: [\n", "utf-8")
    assert load_settings(tmp_path).timezone == "Europe/London"


def test_every_code_the_corpus_expects_is_a_documented_code() -> None:
    assert {case.code for case in CASES} <= set(CODES)
