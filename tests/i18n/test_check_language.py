"""`portal check` says, at its line, when the site's language has none of the portal's words,
and takes a portal's own catalogue for a language the engine lacks."""

from __future__ import annotations

from pathlib import Path

from portal import i18n
from tests.second_portal.conftest import copy_second_portal
from tests.support import portal


def with_language(root: Path, language: str) -> int:
    """Set theme.language; the line it is on."""
    config = root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  language: "))
    lines[at] = f"  language: {language}\n"
    config.write_text("".join(lines), encoding="utf-8")
    return at + 1


def test_a_language_without_the_portals_words_is_reported_at_its_line(tmp_path: Path) -> None:
    root = copy_second_portal(tmp_path / "portal")
    line = with_language(root, "fr")
    result = portal("check", root=root, check=False)
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: the portal's own words" in (result.stdout + result.stderr)
    assert "'fr'" in (result.stdout + result.stderr) and "locale/fr/LC_MESSAGES/portal.po" in (
        result.stdout + result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr

    # The portal brings its own French catalogue: the check has nothing to say about it.
    own = i18n.catalogue_path(root / "locale", "fr")
    own.parent.mkdir(parents=True)
    own.write_text('msgid "There is a problem"\nmsgstr "Il y a un problème"\n', encoding="utf-8")
    assert portal("check", root=root, check=False).returncode == 0


def test_a_language_code_nobody_knows_is_reported_at_its_line(tmp_path: Path) -> None:
    root = copy_second_portal(tmp_path / "portal")
    line = with_language(root, "klingon-xx")
    result = portal("check", root=root, check=False)
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: the language 'klingon-xx' is not a language code" in (
        result.stdout + result.stderr
    )


def test_welsh_and_english_varieties_pass(tmp_path: Path) -> None:
    root = copy_second_portal(tmp_path / "portal")
    for language in ("cy", "en-GB", "en"):
        with_language(root, language)
        result = portal("check", root=root, check=False)
        assert result.returncode == 0, (language, result.stdout + result.stderr)


def test_languages_that_are_not_a_list_are_reported_at_their_line(tmp_path: Path) -> None:
    """``languages: cy`` (one code, not a list): said at its line, never a traceback."""
    root = copy_second_portal(tmp_path / "portal")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert '      repo_url: ""\n' in text
    config.write_text(
        text.replace('      repo_url: ""\n', '      repo_url: ""\n      languages: cy\n'),
        encoding="utf-8",
    )
    line = text[: text.index('      repo_url: ""\n')].count("\n") + 2
    result = portal("check", root=root, check=False)
    said = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in said
    assert f"mkdocs.yml:{line}: the portal option 'languages' must be a list" in said
    assert "languages: [en, cy]" in said
