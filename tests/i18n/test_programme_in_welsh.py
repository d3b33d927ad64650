"""The programme page in Welsh (issue 21): ``programme/index.cy.md`` gives the course's
words, index.md its facts, on the bilingual second test portal built by the real
``portal build``. The Welsh page shows the Welsh words and the facts in Welsh ways (dates,
"5 awr"); a word the translation lacks is shown in English, marked ``lang="en"``, and
``portal check`` warns at its line; an enquiry form taking its options from the modules
(``options_from``) has the Welsh module titles on the Welsh page, with the same values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.frame.conftest import FULL_PROGRAMME, NOW
from tests.frame.conftest import copy_second_portal as copy_with_programme
from tests.i18n.test_bilingual_site import make_bilingual
from tests.support import portal

MODULES = """\
  modules:
    - {title: Erosion and dunes, summary: How a coast changes.}
    - {title: Working with communities, summary: Planning with the people who live there.}
"""
PROGRAMME = FULL_PROGRAMME.replace("  hours_per_week: 5\n", "  hours_per_week: 5\n" + MODULES)
WELSH = """\
---
title: Tystysgrif mewn Rheoli Arfordirol
description: Cwrs byr ar reoli arfordir sy’n newid.
programme:
  summary: Cwrs rhan-amser ar reoli erydiad, twyni a chymunedau arfordirol.
  outcomes:
    - Cynllunio gwaith gyda chymunedau arfordirol
  duration: 6 mis
  format: Cyfunol
  delivery: [Modiwlau ar-lein, Gweithdai ym Mae Kōwhai]
  fees: NZ$1,450, i’w dalu mewn dau randaliad
  entry_requirements:
    - Dwy flynedd o waith mewn llywodraeth leol neu faes cysylltiedig
  certification: Tystysgrif mewn Rheoli Arfordirol
  awarding_body: Sefydliad Technoleg Arfordir Kōwhai
  level: Lefel 5 ar Fframwaith Cymwysterau Seland Newydd
  workshops: Neuadd Gymunedol Bae Kōwhai, 12 Heol y Traeth
  how_to_apply: Llenwch y ffurflen gais ar wefan y Sefydliad.
  modules:
    - {title: Erydiad a thwyni, summary: Sut mae arfordir yn newid.}
    - {title: Gweithio gyda chymunedau, summary: Cynllunio gyda’r bobl sy’n byw yno.}
---
## Trosolwg

Y cwrs mewn paragraff.
"""
ENQUIRE = """\
---
title: Enquire about the course
form:
  id: course-enquiry
  title: {en: Enquire about the course, cy: Holi am y cwrs}
  submit_label: {en: Send my enquiry, cy: Anfon fy ymholiad}
  questions:
    - id: modules
      type: checkboxes
      label: {en: Which modules interest you?, cy: Pa fodiwlau sydd o ddiddordeb i chi?}
      options_from: programme.modules
      required: false
---
Ask us about the course.
"""
ENQUIRE_CY = """\
---
title: Holi am y cwrs
---
Holwch ni am y cwrs.
"""
CHECKBOX = re.compile(
    r'<input[^>]*type="checkbox"[^>]*value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)<'
)


def write_portal(dest: Path, welsh: str) -> Path:
    root = make_bilingual(copy_with_programme(dest))
    folder = root / "content" / "programme"
    (folder / "index.md").write_text(PROGRAMME, encoding="utf-8")
    (folder / "index.cy.md").write_text(welsh, encoding="utf-8")
    (folder / "enquire.md").write_text(ENQUIRE, encoding="utf-8")
    (folder / "enquire.cy.md").write_text(ENQUIRE_CY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    # Funding left out of the Welsh: shown in English, marked, and warned of.
    root = write_portal(tmp_path_factory.mktemp("programme-cy") / "portal", WELSH)
    site = tmp_path_factory.mktemp("programme-cy-site") / "site"
    checked = portal("check", root=root, env=NOW)
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    return root, site, checked.stdout + checked.stderr


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_welsh_programme_page_has_the_welsh_words_and_the_facts(
    built: tuple[Path, Path, str],
) -> None:
    _, site, _ = built
    welsh = page(site, "cy/programme/index.html")
    assert re.search(r"<h1[^>]*>Tystysgrif mewn Rheoli Arfordirol</h1>", welsh)
    assert "Cwrs rhan-amser ar reoli erydiad" in welsh
    assert "<dd>NZ$1,450, i’w dalu mewn dau randaliad</dd>" in welsh
    assert "<dd>5 awr</dd>" in welsh
    assert "1 Mawrth 2027; 6 Medi 2027" in welsh  # index.md's dates, said in Welsh
    assert "<dt>Erydiad a thwyni</dt>" in welsh and "Erosion and dunes" not in welsh
    # The word it lacks: English, marked as English.
    assert '<dd lang="en">Council staff can apply for a training grant' in welsh
    english = page(site, "programme/index.html")
    assert re.search(r"<h1[^>]*>Certificate in Coastal Management</h1>", english)
    assert "<dd>5 hours</dd>" in english and "<dt>Erosion and dunes</dt>" in english
    assert 'lang="en"' not in english.split("<article", 1)[-1].split("</article>", 1)[0]


def test_check_warns_of_the_missing_word_at_its_line(built: tuple[Path, Path, str]) -> None:
    root, _, said = built
    lines = (root / "content" / "programme" / "index.cy.md").read_text("utf-8").splitlines()
    at = lines.index("programme:") + 1
    assert f"content/programme/index.cy.md:{at}: the programme's 'funding' has no Welsh" in said
    assert "[translation-missing]" in said
    assert "'summary'" not in said  # what it translated is not reported


def test_the_enquiry_forms_options_from_the_modules_are_welsh(
    built: tuple[Path, Path, str],
) -> None:
    _, site, _ = built
    welsh = CHECKBOX.findall(page(site, "cy/programme/enquire/index.html"))
    english = CHECKBOX.findall(page(site, "programme/enquire/index.html"))
    assert [label.strip() for _, label in english] == [
        "Erosion and dunes",
        "Working with communities",
    ]
    assert [label.strip() for _, label in welsh] == ["Erydiad a thwyni", "Gweithio gyda chymunedau"]
    # The same values: answers in either language count together.
    assert [value for value, _ in welsh] == [value for value, _ in english]


def test_a_fact_in_the_translation_and_a_short_list_are_reported(tmp_path: Path) -> None:
    welsh = WELSH.replace("  duration: 6 mis\n", "  duration: 6 mis\n  starts: [2027-04-01]\n")
    welsh = welsh.replace("    - {title: Gweithio gyda chymunedau, summary: Cynllunio.}\n", "")
    welsh = welsh.replace(
        "    - {title: Gweithio gyda chymunedau, summary: Cynllunio gyda’r bobl sy’n byw yno.}\n",
        "",
    )
    root = write_portal(tmp_path / "portal", welsh)
    checked = portal("check", root=root, env=NOW)
    said = checked.stdout + checked.stderr
    lines = welsh.splitlines()
    starts = lines.index("  starts: [2027-04-01]") + 1
    modules = lines.index("  modules:") + 1
    path = "content/programme/index.cy.md"
    assert f"{path}:{starts}: 'programme.starts' is a fact, written once in index.md" in said
    assert f"{path}:{modules}: 'programme.modules' has 1 modules and index.md has 2" in said
    # The enquiry form's options then have no Welsh: said at the question's options_from.
    enquire = ENQUIRE.splitlines().index("      options_from: programme.modules") + 1
    assert f"content/programme/enquire.md:{enquire}: the list 'programme.modules'" in said
    assert checked.returncode == 0, said  # warnings: the site still builds
