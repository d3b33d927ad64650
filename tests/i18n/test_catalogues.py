"""The portal's own words: every message in the code is in portal.pot, and every catalogue
the engine ships translates every one, with the same placeholders (portal.i18n)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from portal import i18n
from tests.support import ROOT

POT = i18n.ENGINE_LOCALE.parent / "portal.pot"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CATALOGUES = sorted(i18n.ENGINE_LOCALE.glob("*/LC_MESSAGES/portal.po"))


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language)


def ids(catalog: Catalog) -> set[str]:
    return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_the_template_holds_every_message_in_the_code(tmp_path: Path) -> None:
    """`make messages` has been run since the last message was written or changed."""
    fresh = tmp_path / "portal.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            str(i18n.ENGINE_LOCALE.parent / "babel.cfg"),
            *("-k", "_", "-k", "plural:1,2", "-k", "to_translate"),
            "-o",
            str(fresh),
            "plugins",
            "theme",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    in_code, in_template = ids(read(fresh)), ids(read(POT))
    assert in_code, "no messages found: the extraction did not read the code"
    assert in_code - in_template == set(), "run `make messages`: portal.pot lacks these"
    assert in_template - in_code == set(), "run `make messages`: these are no longer used"


def test_welsh_is_shipped() -> None:
    assert "cy" in i18n.available()
    assert [p.parts[-3] for p in CATALOGUES] == ["cy"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_a_catalogue_translates_every_message_with_its_placeholders(path: Path) -> None:
    language = path.parts[-3]
    catalog = read(path, language)
    assert ids(read(POT)) <= ids(catalog), "run `make messages`, then translate the new ones"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            problems.append(f"not translated: {sources[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(sources[0]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"{sources[0]!r}: placeholders {wanted} but {string!r}")
    assert problems == []


def test_a_message_reads_in_welsh_and_falls_back_to_english() -> None:
    welsh = i18n.words("cy")
    assert welsh("There is a problem") == "Mae problem wedi codi"
    assert welsh("Enter an answer to {label}", label="“Enw”") == "Rhowch ateb i “Enw”"
    # Not in any catalogue: the English id itself, never an empty string or a code.
    assert welsh("A message no catalogue has") == "A message no catalogue has"
    assert i18n.ENGLISH("There is a problem") == "There is a problem"


def test_a_portal_catalogue_adds_a_language_and_rewords_the_engine(tmp_path: Path) -> None:
    own = tmp_path / "locale"
    for language, text in (("fr", "Il y a un problème"), ("cy", "Mae rhywbeth o’i le")):
        po = i18n.catalogue_path(own, language)
        po.parent.mkdir(parents=True)
        po.write_text(f'msgid "There is a problem"\nmsgstr "{text}"\n', encoding="utf-8")
    assert i18n.has_catalogue("fr", own) and not i18n.has_catalogue("fr")
    assert i18n.words("fr", own)("There is a problem") == "Il y a un problème"
    reworded = i18n.words("cy", own)
    assert reworded("There is a problem") == "Mae rhywbeth o’i le"
    # The engine's other Welsh messages are still there beneath the portal's.
    assert reworded("Error:") == "Gwall:"
    assert set(i18n.available(own)) >= {"en", "cy", "fr"}


def test_a_posted_language_is_only_taken_when_the_portal_has_its_words() -> None:
    assert i18n.chosen("cy").language == "cy"
    for posted in ("fr", "", "not a language", "x" * 200, "../../etc"):
        assert i18n.chosen(posted) is i18n.ENGLISH
