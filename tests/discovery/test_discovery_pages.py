"""Static filter pages with counts, the paginated index and reserved addresses."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from discovery_sites import add_past_consultations, build, fixture_copy
from tests.support import portal

from portal.model.consultations import Status
from portal.pages.consultations import paginate


def article(page: Path) -> str:
    html = page.read_text("utf-8")
    return html[html.index("<article") : html.index("</article>")]


def resolve(url: str, html: str, rel: str) -> str:
    href = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    assert href, rel
    return urljoin(f"https://x.test/{url}", href.group(1)).removeprefix("https://x.test/")


def card_titles(html: str) -> list[str]:
    return re.findall(r'class="portal-card__title"><a [^>]*>([^<]+)</a>', html)


def test_each_topic_area_and_status_has_a_page_with_its_consultations(fixture_site: Path) -> None:
    pages = fixture_site / "consultations" / "filter"
    assert card_titles(article(pages / "topic" / "transport" / "index.html")) == [
        "Bus lanes on the ring road"
    ]
    assert card_titles(article(pages / "area" / "city-centre" / "index.html")) == [
        "Bus lanes on the ring road"
    ]
    assert card_titles(article(pages / "status" / "open" / "index.html")) == [
        "Library opening hours",
        "Bus lanes on the ring road",
    ]  # soonest closing first
    closed = article(pages / "status" / "closed" / "index.html")
    assert card_titles(closed) == [] and "There are none at the moment." in closed


def test_filter_links_show_counts_without_javascript(fixture_site: Path) -> None:
    html = article(fixture_site / "consultations" / "filter" / "index.html")
    links = re.findall(
        r'<a href="([^"]+)"[^>]*>(?:<strong>)?([^<]+)(?:</strong>)?</a> '
        r'<span class="portal-count">\((\d+)\)</span>',
        html,
    )
    counts = {label: int(n) for _, label, n in links}
    assert counts == {
        "Open now": 2,
        "Coming up": 1,
        "Closed: reading the responses": 0,
        "Closed: outcome published": 1,
        "Libraries": 1,
        "Transport": 1,
        "City centre": 1,
    }
    assert card_titles(html) == [
        "Library opening hours",
        "Bus lanes on the ring road",
        "School streets",
        "Park lighting",
    ]
    current = article(
        fixture_site / "consultations" / "filter" / "topic" / "libraries" / "index.html"
    )
    assert re.search(r'aria-current="page"><strong>Libraries</strong>', current)


def test_past_consultations_are_paged_twenty_at_a_time() -> None:
    open_now, coming = ["o1", "o2"], ["f1"]
    closed = [f"c{i}" for i in range(30)]
    outcome = [f"r{i}" for i in range(15)]
    pages = paginate(
        [
            (Status.OPEN, open_now),
            (Status.FORTHCOMING, coming),
            (Status.CLOSED, closed),
            (Status.OUTCOME, outcome),
        ]
    )  # type: ignore[list-item]
    assert [p.url for p in pages] == [
        "consultations/",
        "consultations/page/2/",
        "consultations/page/3/",
    ]
    first = dict(pages[0].groups)
    assert first[Status.OPEN] == open_now and first[Status.FORTHCOMING] == coming
    assert first[Status.CLOSED] == closed[:20] and first[Status.OUTCOME] == []
    second = dict(pages[1].groups)
    assert Status.OPEN not in second
    assert second[Status.CLOSED] == closed[20:] and second[Status.OUTCOME] == outcome[:10]
    assert dict(pages[2].groups)[Status.OUTCOME] == outcome[10:]
    assert [p.number for p in paginate([(Status.OPEN, [])])] == [1]


def test_built_index_and_filter_pages_link_to_the_next_page_of_past_ones(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src")
    add_past_consultations(root, 22)
    build(root, tmp_path / "site")
    # A topic: the open consultation in full, then past ones twenty to a page.
    topic = "consultations/filter/topic/transport/"
    first = article(tmp_path / "site" / topic / "index.html")
    assert card_titles(first) == ["Bus lanes on the ring road"] + [
        f"Old consultation {i:02d}" for i in range(21, 1, -1)
    ]
    assert "(page 1 of 2)" in first and "23 consultations" in first
    assert resolve(topic, first, "next") == f"{topic}page/2/"
    second = article(tmp_path / "site" / topic / "page" / "2" / "index.html")
    assert card_titles(second) == ["Old consultation 01", "Old consultation 00"]
    assert "(page 2 of 2)" in second and 'aria-current="page"><strong>Page 2' in second
    assert resolve(f"{topic}page/2/", second, "prev") == topic
    assert 'rel="next"' not in second
    closed = tmp_path / "site" / "consultations" / "filter" / "status" / "closed"
    assert len(card_titles(article(closed / "index.html"))) == 20
    assert len(card_titles(article(closed / "page" / "2" / "index.html"))) == 2
    # "Find a consultation": the 3 current ones and the 20 most recently closed, of 26,
    # whether or not their outcome is out (Park lighting's is; it closed in October 2026).
    browse = article(tmp_path / "site" / "consultations" / "filter" / "index.html")
    listed = card_titles(browse)
    assert listed[:3] == ["Library opening hours", "Bus lanes on the ring road", "School streets"]
    assert listed[3:] == ["Park lighting"] + [f"Old consultation {i:02d}" for i in range(21, 2, -1)]
    assert "Showing the 23 open, coming up and most recently closed of 26 consultations." in browse
    older = browse[browse.index("Older consultations are not listed here") :]
    filters = "../../consultations/filter/"
    assert f'<a href="{filters}status/closed/">Closed: reading the responses</a> (22)' in older
    assert f'<a href="{filters}status/outcome/">Closed: outcome published</a> (1)' in older
    # The index.
    first = article(tmp_path / "site" / "consultations" / "index.html")
    assert "Showing 20 of 22 on this page." in first
    assert resolve("consultations/", first, "next") == "consultations/page/2/"
    second = article(tmp_path / "site" / "consultations" / "page" / "2" / "index.html")
    assert card_titles(second) == ["Old consultation 01", "Old consultation 00", "Park lighting"]
    assert resolve("consultations/page/2/", second, "prev") == "consultations/"
    assert "Library opening hours" not in second


def test_a_consultation_cannot_take_the_filter_pages_address(tmp_path: Path) -> None:
    root = fixture_copy(tmp_path / "src")
    (root / "consultations" / "bus-lanes").rename(root / "consultations" / "filter")
    result = build(root, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert (
        "consultations/filter/index.md: the address 'consultations/filter/' is used by "
        "the portal's own pages" in result.stderr
    )
    assert not (tmp_path / "site").exists()
    # ``portal check`` finds it too, before anyone builds.
    checked = portal("check", root=root, check=False)
    assert checked.returncode == 1
    assert "the address 'consultations/filter/' is used by the portal's own pages" in (
        checked.stderr
    )
