"""The frame's options in mkdocs.yml: `portal check` says what is wrong, at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.frame.conftest import NOW
from tests.support import portal


def test_check_reports_a_bad_phase_and_a_footer_link_to_no_page(
    second_root: Path, tmp_path: Path
) -> None:
    root = tmp_path / "portal"
    shutil.copytree(second_root, root, ignore=shutil.ignore_patterns("site", "build", "var"))
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    options = (
        "      phase: gamma\n"
        "      feedback_url: feedback.md\n"
        "      footer_links:\n"
        "        Privacy: privacy.md\n"
        "        Cookies: cookies.md\n"
    )
    text = text.replace('      repo_url: ""\n', '      repo_url: ""\n' + options, 1)
    config.write_text(text, "utf-8")
    lines = text.splitlines()

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.startswith(start))

    result = portal("check", root=root, env=NOW, check=False)
    out = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 1
    expected = {
        line_of("      phase: gamma"): "the portal option 'phase' must be alpha or beta",
        line_of("      feedback_url:"): "'feedback' points to 'feedback.md', which is not a page",
        line_of("      footer_links:"): "'Cookies' points to 'cookies.md', which is not a page",
    }
    for line, message in expected.items():
        assert any(row.startswith(f"mkdocs.yml:{line}:") and message in row for row in out), (
            line,
            message,
            out,
        )
    assert not any("'Privacy'" in row for row in out)  # privacy.md exists
