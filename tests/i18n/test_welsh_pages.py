"""The portal's own words on a Welsh portal's pages (issue 21): the second test portal built
with theme.language: cy, and every fixed word the portal writes on a citizen's page is
Welsh, from the catalogue: the consultation index and pages, the data pages, the frame
around them, the words handed to the scripts, and the endpoint's own pages in the shell
that build made. The English words they replace are looked for too, so a template that
writes English again fails here. The content itself (titles, summaries) stays as staff
wrote it, in English: these tests pick English words that content does not use."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal import i18n
from portal.endpoint.pages import Pages
from tests.second_portal.conftest import NOW, copy_second_portal
from tests.support import ROOT, portal

INDEX = "consultations/index.html"
OPEN = "consultations/coastal-erosion-kowhai-bay/index.html"  # open, closing in 47 days
OUTCOME = "consultations/rural-library-hours/index.html"  # closed, its outcome published
DATASET = "datasets/swimming-water-quality/index.html"
RESOURCE = "datasets/swimming-water-quality/resources/samples/index.html"
FILTER = "consultations/filter/index.html"
HOME = "index.html"
THEME = ROOT / "theme"  # the engine's theme, as the endpoint of this portal is given it


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second portal in Welsh, with a phase banner (so the frame has all its words)."""
    root = copy_second_portal(tmp_path_factory.mktemp("welsh-pages") / "portal")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  language: en\n" in text and '      repo_url: ""\n' in text
    text = text.replace("  language: en\n", "  language: cy\n")
    text = text.replace(
        '      repo_url: ""\n',
        '      repo_url: ""\n      phase: beta\n      feedback_url: privacy.md\n',
    )
    config.write_text(text, encoding="utf-8")
    site = tmp_path_factory.mktemp("welsh-pages-site") / "site"
    portal("build", "--site-dir", str(site), root=root, env=NOW)
    return site


def words_of(page: str) -> str:
    """What a reader reads: the text of the page, its scripts and styles left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def english_left(text: str, english: list[str]) -> list[str]:
    return [word for word in english if re.search(rf"\b{re.escape(word)}\b", text)]


def test_the_consultation_index_is_in_welsh(welsh_site: Path) -> None:
    text = words_of(read(welsh_site, INDEX))
    for welsh in [
        "Ymgynghoriadau",
        "Ar agor nawr (1)",
        "Ar ddod (1)",
        "Wedi cau: canlyniad wedi’i gyhoeddi (1)",
        "Yn cau mewn 47 diwrnod, am 11:59yh ar 29 Mawrth 2027",  # a plural, and Welsh dates
        "Yn agor am 9yb ar 12 Ebrill 2027",
        "Wedi cau ar 31 Hydref 2026",
        "Yn ôl pwnc:",
        "Dilyn ymgynghoriadau",
    ]:
        assert welsh in text
    english = ["Open now", "Coming up", "Closes", "Opens", "Closed on", "Have your say on what"]
    english += ["By topic", "Follow consultations", "Email alerts", "There are none"]
    assert english_left(text, english) == []


def test_a_consultation_page_is_in_welsh(welsh_site: Path) -> None:
    page = read(welsh_site, OPEN)
    text = words_of(page)
    for welsh in [
        "Ffeithiau allweddol",
        "Yn cau 11:59yh ar 29 Mawrth 2027",
        "Cylchfa amser",
        "Dogfennau",
        "(Testun, 217 beit)",  # the document's format and size
        "Ymateb i’r ymgynghoriad hwn",
        "Hanes newidiadau",
        "Tudalen yr ymgynghoriad wedi’i diweddaru",  # a change's summary, without git
    ]:
        assert welsh in text
    english = ["Key facts", "Closes", "Opens", "Time zone", "Documents", "Change history"]
    english += ["Respond to this consultation", "Add the opening", "bytes", "Telephone"]
    english += ["Consultation page updated", "Last changed"]
    assert english_left(text, english) == []
    # The page's title and description (MkDocs writes them from the generated page).
    index = read(welsh_site, INDEX)
    assert "<title>Ymgynghoriadau - " in index
    assert "Pob ymgynghoriad: ar agor nawr, ar ddod, wedi cau" in index


def test_an_outcome_is_headed_in_welsh(welsh_site: Path) -> None:
    text = words_of(read(welsh_site, OUTCOME))
    assert "Canlyniad" in text and "Beth oedd testun yr ymgynghoriad" in text
    assert "Daeth yr ymgynghoriad hwn i ben am 11:59yh ar 31 Hydref 2026" in text
    assert english_left(text, ["Outcome", "What we consulted on", "You can no longer"]) == []


def test_the_data_pages_are_in_welsh(welsh_site: Path) -> None:
    text = words_of(read(welsh_site, DATASET))
    for welsh in ["Cyhoeddwr", "Trwydded", "Lawrlwythiadau", "Y pecyn data cyfan", "Adnoddau"]:
        assert welsh in text
    assert "(CSV, 3 KB, 100 rhes)" in text
    english = ["Publisher", "Licence", "Downloads", "Whole data package", "Resources", "rows"]
    english += ["Download the chart", "Last modified"]
    assert english_left(text, english) == []
    resource = read(welsh_site, RESOURCE)
    text = words_of(resource)
    assert "Meysydd" in text and "Rhagolwg" in text
    assert english_left(text, ["Fields", "Preview", "Find rows by", "Part of"]) == []


def test_the_scripts_are_handed_their_words_in_welsh(welsh_site: Path) -> None:
    """rowfind.js and filter.js write no English of their own on a Welsh page: the page
    gives them every form of each plural message, by CLDR category (Welsh has six)."""
    found = re.search(r"data-portal-words='([^']*)'", read(welsh_site, RESOURCE))
    assert found, "the row search has no words"
    rowfind = json.loads(html.unescape(found[1]))
    assert rowfind["searching"] == "Yn chwilio…"
    forms = rowfind["found_starting"]
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    assert forms["two"] == "{n} res sy’n dechrau gyda “{query}”."  # the mutation after two
    found = re.search(r"data-portal-words='([^']*)'", read(welsh_site, FILTER))
    assert found, "the filter has no words"
    assert json.loads(html.unescape(found[1]))["showing"]["one"].startswith("Yn dangos {n} o ")


def test_the_frame_is_in_welsh(welsh_site: Path) -> None:
    page = read(welsh_site, HOME)
    text = words_of(page)
    assert "Mae hwn yn wasanaeth newydd. Bydd eich adborth yn ein helpu i’w wella." in text
    assert 'aria-label="Dolenni cymorth"' in page
    assert "Hysbysiad preifatrwydd" in text and "Datganiad hygyrchedd" in text
    assert 'aria-label="Dewislen"' in page
    english = ["This is a new service", "feedback", "Privacy notice", "Accessibility statement"]
    english += ["Open consultations closing soonest", "See all consultations"]
    assert english_left(text, english) == []
    assert "Support links" not in page and 'aria-label="Menu"' not in page
    not_found = words_of(read(welsh_site, "404.html"))
    assert "Heb ddod o hyd i’r dudalen" in not_found
    assert english_left(not_found, ["Page not found", "Where to go next"]) == []


def test_the_endpoint_pages_are_welsh_in_the_welsh_shell(welsh_site: Path) -> None:
    """The confirmation and the closed page, as the endpoint writes them: in the shell page
    the Welsh build made, with the words of the language the visitor's page was in."""
    pages = Pages(welsh_site, THEME)
    manifest = json.loads(read(welsh_site, "api/forms/coastal-erosion.json"))
    welsh = i18n.words("cy")
    confirmation = pages.template(
        "confirmation.html", "Ymateb wedi’i anfon", welsh, manifest=manifest, reference="7KQM3XPD"
    )
    assert '<html lang="cy"' in confirmation
    text = words_of(confirmation)
    assert "Eich cyfeirnod 7KQM3XPD" in text
    assert "Beth sy’n digwydd nesaf" in text and "Yn ôl i Coastal erosion at Kōwhai Bay" in text
    assert english_left(text, ["Your reference number", "What happens next", "Back to"]) == []

    closed = pages.template(
        "closed.html",
        "Mae’r ymgynghoriad hwn wedi cau",
        welsh,
        manifest=manifest,
        not_yet=False,
        opens=None,
        closes=datetime(2027, 3, 29, 23, 59, tzinfo=ZoneInfo("Pacific/Auckland")),
        posted={"full_name": ["Aroha"]},
    )
    text = words_of(closed)
    assert "Daeth “Coastal erosion at Kōwhai Bay” i ben am 11:59yh ar 29 Mawrth 2027." in text
    assert "Nid yw eich ymateb wedi’i gadw." in text and "Eich atebion" in text and "Aroha" in text
    english = ["closed at", "has not been saved", "Your answers", "Copy them now", "Go to"]
    assert english_left(text, english) == []


def test_the_same_pages_are_in_english_without_a_language(welsh_site: Path) -> None:
    """The endpoint's pages for an English page: the English words, in the same templates."""
    pages = Pages(welsh_site, THEME)
    manifest = json.loads(read(welsh_site, "api/forms/coastal-erosion.json"))
    content = words_of(
        pages.template("confirmation.html", "Response sent", manifest=manifest, reference="X")
    )
    assert "Your reference number X" in content and "What happens next" in content


def test_the_feed_and_the_calendar_are_in_welsh(welsh_site: Path) -> None:
    feed = read(welsh_site, "feeds/consultations.atom")
    assert "<title>Kōwhai Coast Have Your Say: ymgynghoriadau</title>" in feed
    assert "<title>Ar agor i gael sylwadau: Coastal erosion at Kōwhai Bay</title>" in feed
    assert "Yn cau am 11:59yh ar 29 Mawrth 2027 (NZDT)." in feed
    assert english_left(feed, ["Open for comments", "Closes at", "Outcome published"]) == []
    calendar = read(welsh_site, "feeds/consultations.ics")
    assert "SUMMARY:Dyddiad cau: Coastal erosion at Kōwhai Bay" in calendar
    assert english_left(calendar, ["Closing date", "Opens for comments", "Read and respond"]) == []
