"""The council frame in the built HTML: logo and name, footer, no tool branding, home page
title and heading, the 404 page, the phase banner, staff pages out of the citizens' way,
no contents rail, consultation pages without empty sections, machine links folded away."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.frame.html import parse, select, target, text

CITIZEN_PAGES = [
    "index.html",
    "consultations/index.html",
    "consultations/riverside-park-climate-plan/index.html",
    "programme/index.html",
    "datasets/index.html",
    "privacy/index.html",
]
STAFF_PAGES = ["publishers/", "publishers/email/", "publishers/staff-area/"]
STAFF_PAGES += ["publishers/deploy/", "reliability/", "performance/"]
BRANDING = ["Made with", "Material for MkDocs", "squidfunk", "material/library"]


def test_demo_header_shows_the_councils_logo_and_name(demo_site: Path) -> None:
    doc = parse(demo_site, "index.html")
    (link,) = select(doc, "header a.md-logo")
    assert link.get("aria-label") == "Northbridge Participation Portal"
    (img,) = select(link, "img")
    assert img.get("src") == "assets/northbridge-logo.svg"
    assert (demo_site / "assets" / "northbridge-logo.svg").is_file()
    assert "Northbridge Participation Portal" in text(select(doc, ".md-header__title")[0])


def test_second_portal_shows_its_own_logo_and_name(second_site: Path) -> None:
    doc = parse(second_site, "index.html")
    (img,) = select(doc, "header a.md-logo img")
    assert img.get("src") == "assets/kowhai-mark.svg"
    assert (second_site / "assets" / "kowhai-mark.svg").is_file()
    assert select(doc, "header a.md-logo")[0].get("aria-label") == "Kōwhai Coast Have Your Say"
    for page in second_site.rglob("*.html"):
        assert "northbridge" not in page.read_text("utf-8").lower(), page


def test_no_tool_branding_on_any_page(demo_site: Path, second_site: Path) -> None:
    for site in (demo_site, second_site):
        pages = list(site.rglob("*.html"))
        assert len(pages) > 20
        for page in pages:
            html = page.read_text("utf-8")
            found = [b for b in BRANDING if b in html]
            assert not found, (page, found)
    # The demo's icon is its own mark; a site that names none gets the engine's, not Material's.
    demo = (demo_site / "index.html").read_text("utf-8")
    assert 'rel="icon" href="assets/northbridge-logo.svg"' in demo
    second = (second_site / "index.html").read_text("utf-8")
    assert 'rel="icon" href="assets/portal/favicon.svg"' in second
    assert (second_site / "assets" / "portal" / "favicon.svg").is_file()


def footer_links(site: Path, page: str) -> dict[str, str]:
    doc = parse(site, page)
    (footer,) = select(doc, "footer.portal-footer")
    return {text(a): a.get("href") for a in select(footer, "nav a")}


def test_demo_footer_links_lead_to_pages_that_exist(demo_site: Path) -> None:
    for page in ["index.html", "consultations/riverside-park-climate-plan/index.html"]:
        links = footer_links(demo_site, page)
        assert list(links) == [
            "Contact us",
            "Privacy notice",
            "Accessibility statement",
            "Cookies",
            "For staff",
        ]
        for label, href in links.items():
            path = target(demo_site, page, href)
            assert path is not None and path.is_file(), (page, label, href)
            anchor = href.partition("#")[2]
            if anchor:
                assert f'id="{anchor}"' in path.read_text("utf-8"), (label, href)
    doc = parse(demo_site, "index.html")
    footer = text(select(doc, "footer.portal-footer")[0])
    assert "Open Government Licence v3.0" in footer
    assert "© Northbridge City Council" in footer


def test_second_portal_footer_has_the_usual_pages_it_has(second_site: Path) -> None:
    """No footer_links in its mkdocs.yml: one link for each usual page it has."""
    links = footer_links(second_site, "index.html")
    assert list(links) == ["Privacy notice", "Accessibility statement"]
    for href in links.values():
        path = target(second_site, "index.html", href)
        assert path is not None and path.is_file()
    footer = text(select(parse(second_site, "index.html"), "footer.portal-footer")[0])
    assert "Kōwhai Coast District Council. Content is available under CC BY 4.0." in footer


def test_home_page_h1_says_what_the_portal_is_for_and_title_names_the_site_once(
    demo_site: Path, second_site: Path
) -> None:
    doc = parse(demo_site, "index.html")
    assert [text(h) for h in select(doc, "h1")] == [
        "Have your say on Northbridge's smart city plans"
    ]
    assert text(select(doc, "title")[0]) == "Northbridge Participation Portal"
    second = parse(second_site, "index.html")
    assert [text(h) for h in select(second, "h1")] == ["Kōwhai Coast Have Your Say"]
    assert text(select(second, "title")[0]) == "Kōwhai Coast Have Your Say"
    # Other pages: their title, then the site's name.
    programme = parse(demo_site, "programme/index.html")
    assert text(select(programme, "title")[0]) == (
        "Career Advancement Programme in Citizen Engagement in Smart Cities"
        " - Northbridge Participation Portal"
    )


def test_404_page_says_what_happened_and_where_to_go(demo_site: Path) -> None:
    doc = parse(demo_site, "404.html")
    assert text(select(doc, "title")[0]) == "Page not found - Northbridge Participation Portal"
    article = select(doc, "article")[0]
    assert [text(h) for h in select(article, "h1")] == ["Page not found"]
    assert "There is no page at this address" in text(article)
    (form,) = select(article, "form[role=search]")
    assert form.get("action") == "/search" and form.get("method") == "get"
    assert select(form, "input[name=query]") and select(form, "label[for]")
    hrefs = {text(a): a.get("href") for a in select(article, "a")}
    # Served at any address, so its links are from the site's root.
    assert hrefs["See all consultations"] == "/consultations/"
    assert hrefs["Go to the home page of Northbridge Participation Portal"] == "/"


def test_phase_banner_when_the_site_sets_one(demo_site: Path, second_site: Path) -> None:
    doc = parse(demo_site, "consultations/index.html")
    (banner,) = select(doc, ".md-banner .portal-phase")
    assert text(banner).startswith("Beta This is a new service. Your feedback will help us")
    (feedback,) = select(banner, "a")
    path = target(demo_site, "consultations/index.html", feedback.get("href"))
    assert path is not None and path.is_file()
    assert not select(parse(second_site, "index.html"), ".md-banner")


def test_staff_pages_are_out_of_the_navigation_and_search_but_reachable(demo_site: Path) -> None:
    nav = select(parse(demo_site, "index.html"), "nav.md-nav--primary")[0]
    nav_hrefs = [a.get("href") for a in select(nav, "a")]
    assert "consultations/" in nav_hrefs and "programme/" in nav_hrefs
    for staff in STAFF_PAGES:
        assert staff not in nav_hrefs, staff
        assert (demo_site / staff / "index.html").is_file(), staff
    index = json.loads((demo_site / "search" / "search_index.json").read_text("utf-8"))
    locations = {d["location"].partition("#")[0] for d in index["docs"]}
    assert "consultations/" in locations and "programme/" in locations
    assert not locations & set(STAFF_PAGES), locations & set(STAFF_PAGES)
    # "charging" finds the consultation, not the performance page.
    charging = {d["location"] for d in index["docs"] if "charging" in d["text"].lower()}
    assert charging and not any(loc.startswith("performance/") for loc in charging)
    # Reachable: the footer's "For staff" leads to the guide, which links to the others.
    assert footer_links(demo_site, "index.html")["For staff"] == "publishers/"
    guide = select(parse(demo_site, "publishers/index.html"), "article")[0]
    guide_links = {
        target(demo_site, "publishers/index.html", a.get("href")) for a in select(guide, "a[href]")
    }
    for staff in STAFF_PAGES[1:]:
        assert demo_site / staff / "index.html" in guide_links, staff


def test_citizens_pages_have_no_contents_rail(demo_site: Path) -> None:
    for page in CITIZEN_PAGES:
        assert not select(parse(demo_site, page), ".md-sidebar--secondary"), page
    # A long staff guide keeps it.
    assert select(parse(demo_site, "publishers/index.html"), ".md-sidebar--secondary")


def consultation_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in (site / "consultations").glob("*/index.html")
        if (p.parent / "calendar.ics").is_file()  # a consultation, not a listing page
    )


def test_every_h2_on_a_consultation_page_has_content_under_it(
    demo_site: Path, second_site: Path
) -> None:
    for site in (demo_site, second_site):
        pages = consultation_pages(site)
        assert len(pages) >= 3
        for page in pages:
            article = select(parse(site, page), "article")[0]
            for h2 in article.iter("h2"):
                if h2.xpath("ancestor-or-self::*[@hidden]"):
                    continue  # a form's error summary, filled in only when there are errors
                following = h2.getnext()
                while following is not None and not isinstance(following.tag, str):
                    following = following.getnext()  # an HTML comment is not content
                assert following is not None, (page, text(h2))
                assert following.tag not in {"h1", "h2"}, (page, text(h2), text(following))
                assert text(following) or following.tag in {"img", "figure", "form"}, (
                    page,
                    text(h2),
                )


def test_outcome_is_where_the_text_says(demo_site: Path) -> None:
    for page in consultation_pages(demo_site):
        html = (demo_site / page).read_text("utf-8")
        assert "outcome below" not in html, page
        if 'id="outcome"' in html:
            assert html.index('id="outcome"') < html.index('id="details"'), page
    page = "consultations/riverside-park-climate-plan/index.html"
    assert "in the outcome at the top of this page" in text(parse(demo_site, page))


def test_machine_links_are_under_use_this_data(demo_site: Path) -> None:
    doc = parse(demo_site, "consultations/index.html")
    (aside,) = select(doc, "aside.portal-subscribe")
    (details,) = select(aside, "details.portal-data-links")
    assert text(select(details, "summary")[0]) == "Use this data"
    machine = [a.get("href") for a in select(aside, "a") if re.search(r"\.json$", a.get("href"))]
    assert len(machine) == 4
    assert machine == [a.get("href") for a in select(details, "a")]
    # What a resident follows stays in view: email alerts, the feed and the calendar.
    shown = [text(a) for a in select(select(aside, "ul")[0], "a")]
    assert shown == ["Email alerts", "Atom feed", "Calendar of deadlines"]
