"""The programme page gives every fact a learner looks for, or says it is to be confirmed;
its Course JSON-LD carries them in schema.org's terms; `portal check` reports a bad fact at
its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.frame.conftest import FULL_PROGRAMME, NOW
from tests.frame.html import parse, select, target, text
from tests.support import portal

FACTS = [
    "Fees",
    "Funding",
    "Start dates",
    "Application deadline",
    "Total length",
    "Hours per week",
    "How you study",
    "Entry requirements",
    "Certification",
    "Awarding body",
    "Level of the certification",
    "Where workshops take place",
    "How to apply",
    "Contact",
]
TBC = "To be confirmed — ask us"
TERMS = json.loads(Path(__file__).with_name("schemaorg_terms.json").read_text("utf-8"))


def facts(site: Path) -> dict[str, str]:
    doc = parse(site, "programme/index.html")
    (facts_list,) = select(doc, "dl.portal-facts")
    return {text(row.find("dt")): text(row.find("dd")) for row in facts_list if row.tag == "div"}


def course(site: Path) -> dict[str, Any]:
    doc = parse(site, "programme/index.html")
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    data: dict[str, Any] = json.loads(script.text)
    return data


def unknown_terms(node: Any, where: str = "") -> list[str]:
    """Every property of every typed node that schema.org does not give its type."""
    found: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += unknown_terms(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        kind = node.get("@type")
        if kind is not None:
            assert kind in TERMS["types"], f"{where}: type {kind} not in the checked list"
            allowed = set(TERMS["types"][kind])
            found += [
                f"{where}.{key} on {kind}"
                for key in node
                if not key.startswith("@") and key not in allowed
            ]
        for key, value in node.items():
            found += unknown_terms(value, f"{where}.{key}")
    return found


def test_demo_shows_every_fact_or_to_be_confirmed(demo_site: Path) -> None:
    shown = facts(demo_site)
    assert list(shown) == FACTS
    # The brief gives these facts; it gives none of the others, so they are not invented.
    assert shown["Total length"] == "Several months, part time"
    assert shown["How you study"].startswith("Blended learning: Online modules")
    assert shown["Certification"] == "A recognised certification when you complete the programme"
    assert shown["Contact"] == "Ask a question with our enquiry form"
    given = {"Total length", "How you study", "Certification", "Contact"}
    for label in set(FACTS) - given:
        assert shown[label] == TBC, label
    # "ask us" leads to the enquiry form.
    doc = parse(demo_site, "programme/index.html")
    asks = {a.get("href") for a in select(doc, "span.portal-tbc a")}
    assert asks == {"enquire/"}
    path = target(demo_site, "programme/index.html", "enquire/")
    assert path is not None and path.is_file()


def test_no_editors_notes_on_the_programme_page(demo_site: Path) -> None:
    page = text(parse(demo_site, "programme/index.html")).lower()
    for note in ["the brief does not name", "programme brief", "the brief says"]:
        assert note not in page, note


def test_demo_course_jsonld_uses_only_schema_org_terms(demo_site: Path) -> None:
    data = course(demo_site)
    assert data["@type"] == "Course"
    assert [i["@type"] for i in data["hasCourseInstance"]] == ["CourseInstance"]
    assert "startDate" not in data["hasCourseInstance"][0]  # none given: none made up
    assert "offers" not in data  # no fee given
    assert unknown_terms(data) == []


def test_every_fact_given_is_shown_and_in_the_jsonld(second_site: Path) -> None:
    shown = facts(second_site)
    assert shown == {
        "Fees": "NZ$1,450, payable in two instalments",
        "Funding": "Council staff can apply for a training grant that pays the whole fee.",
        "Start dates": "1 March 2027; 6 September 2027",
        "Application deadline": "20 February 2027",
        "Total length": "6 months",
        "Hours per week": "5 hours",
        "How you study": "Blended: Online modules; Workshops in Kōwhai Bay",
        "Entry requirements": "Two years' work in local government or a related field",
        "Certification": "Certificate in Coastal Management",
        "Awarding body": "Kōwhai Coast Institute of Technology",
        "Level of the certification": "Level 5 on the New Zealand Qualifications Framework",
        "Where workshops take place": "Kōwhai Bay Community Hall, 12 Shore Road",
        "How to apply": "Fill in the application form on the Institute's website.",
        "Contact": "courses@kowhaicoast.example.nz",
    }
    doc = parse(second_site, "programme/index.html")
    assert not select(doc, "span.portal-tbc")
    assert doc.xpath("//a[@href='mailto:courses@kowhaicoast.example.nz']")

    data = course(second_site)
    assert unknown_terms(data) == []
    instances = data["hasCourseInstance"]
    assert [i["startDate"] for i in instances] == ["2027-03-01", "2027-09-06"]
    for instance in instances:
        assert instance["@type"] == "CourseInstance"
        assert instance["courseMode"] == ["Blended", "Online modules", "Workshops in Kōwhai Bay"]
        assert instance["location"] == {
            "@type": "Place",
            "name": "Kōwhai Bay Community Hall, 12 Shore Road",
        }
        assert instance["courseWorkload"] == "5 hours a week"
    assert data["offers"] == {
        "@type": "Offer",
        "category": "Fees",
        "description": "NZ$1,450, payable in two instalments",
        "price": 1450.0,
        "priceCurrency": "NZD",
        "availabilityEnds": "2027-02-20",
    }
    credential = data["educationalCredentialAwarded"]
    assert credential["recognizedBy"]["name"] == "Kōwhai Coast Institute of Technology"
    assert credential["educationalLevel"].startswith("Level 5")
    assert data["coursePrerequisites"] == ["Two years' work in local government or a related field"]


def test_check_reports_each_bad_fact_at_its_line(second_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "portal"
    shutil.copytree(second_root, root, ignore=shutil.ignore_patterns("site", "build", "var"))
    bad = (
        FULL_PROGRAMME.replace("    amount: 1450\n", "    amount: lots\n")
        .replace("    currency: NZD\n", "    currency: dollars\n")
        .replace("  starts: [2027-03-01, 2027-09-06]", "  starts:\n    - 2027-03-01\n    - 6 Sept")
        .replace("  apply_by: 2027-02-20", "  apply_by: soon")
        .replace("  hours_per_week: 5", "  hours_per_week: 0")
        .replace("  contact: courses@kowhaicoast.example.nz", "  contact: ring us")
    )
    page = root / "content" / "programme" / "index.md"
    page.write_text(bad, "utf-8")
    lines = bad.splitlines()

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.startswith(start))

    result = portal("check", root=root, env=NOW, check=False)
    assert result.returncode == 1, result.stdout
    out = result.stdout + result.stderr
    where = "content/programme/index.md"
    expected = {
        line_of("    currency: dollars"): "must be a three-letter currency code",
        line_of("    - 6 Sept"): "'programme.starts item 2' must be a date",
        line_of("  apply_by: soon"): "'programme.apply_by' must be a date",
        line_of("  hours_per_week: 0"): "'programme.hours_per_week' must be more than 0",
        line_of("  contact: ring us"): "is not an email address, a web address or a page",
    }
    for line, message in expected.items():
        assert any(
            row.startswith(f"{where}:{line}:") and message in row for row in out.splitlines()
        ), (line, message, out)
    # A fee as a bare number has no currency: said at its line too.
    page.write_text(
        FULL_PROGRAMME.replace(
            "  fees:\n    amount: 1450\n    currency: NZD\n"
            "    text: NZ$1,450, payable in two instalments\n",
            "  fees: 1450\n",
        ),
        "utf-8",
    )
    result = portal("check", root=root, env=NOW, check=False)
    line = next(
        n for n, row in enumerate(page.read_text("utf-8").splitlines(), 1) if row == "  fees: 1450"
    )
    out = result.stdout + result.stderr
    assert f"{where}:{line}: 'programme.fees' is a number without a currency" in out
