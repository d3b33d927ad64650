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


def test_menu_sections_links_and_footer_links_without_welsh_are_reported_at_their_line(
    tmp_path: Path,
) -> None:
    """A section's title, a web address's and a footer link's take their other-language
    words only from 'translations:': each that lacks one is a warning at its line, and
    the Welsh build shows the English, marked. A page's title needs none (it is its Welsh
    page's), so the second portal's own menu gives no warning."""
    from tests.i18n.test_bilingual_site import make_bilingual
    from tests.second_portal.conftest import NOW

    root = make_bilingual(copy_second_portal(tmp_path / "portal"))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "  - Accessibility: accessibility.md\n",
        "  - Accessibility: accessibility.md\n"
        "  - Our coast:\n"
        "      - Swimming: swimming.md\n"
        "  - Council website: https://kowhaicoast.example.nz/\n",
    ).replace(
        '      repo_url: ""\n',
        '      repo_url: ""\n'
        "      footer_links:\n"
        "        Privacy: privacy.md\n"
        "        Accessibility statement: accessibility.md\n"
        "      translations:\n"
        "        cy:\n"
        "          Privacy: Preifatrwydd\n",
    )
    config.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = portal("check", root=root, env=NOW)
    said = result.stdout + result.stderr
    for entry, what in (
        ("  - Our coast:", "the menu title 'Our coast'"),
        (
            "  - Council website: https://kowhaicoast.example.nz/",
            "the menu title 'Council website'",
        ),
        (
            "        Accessibility statement: accessibility.md",
            "the footer link 'Accessibility statement'",
        ),
    ):
        line = lines.index(entry) + 1
        assert f"mkdocs.yml:{line}: {what} has no Welsh (cy) word" in said, said
    for worded in ("'Privacy'", "'Swimming'", "'Home'", "'Have your say'"):
        assert f"title {worded}" not in said and f"link {worded}" not in said
    assert "[translation-missing]" in said
