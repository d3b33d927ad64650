"""The council's frame around every page: the footer's links, the licence and the phase
banner, from mkdocs.yml (the portal plugin's options) and the pages that exist.

Computed once per build and handed to the templates (theme/partials/footer.html,
theme/main.html), so the templates know no site's pages: a site names its own footer links,
or gets one for each usual page it has (privacy notice, accessibility statement...).

The frame's own words come with it, in the language being built (``Frame.says``, from the
portal's catalogue, portal.i18n): the generators' templates have no ``_`` of their own, and
a Frame is plain data that every adapter hands over as it is (Zensical as a dict).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from portal import i18n, licences, urls
from portal.glossary import glossary
from portal.i18n import to_translate
from portal.settings import Settings

# The footer a public service has, for a site that names no links of its own: each when
# the page exists in content/.
DEFAULT_LINKS = (
    (to_translate("Contact us"), "contact.md"),
    (to_translate("Privacy notice"), "privacy.md"),
    (to_translate("Accessibility statement"), "accessibility.md"),
    (to_translate("Cookies"), "cookies.md"),
    (to_translate("For staff"), "publishers/index.md"),
)
# What the frame says, by the name the templates use (theme/main.html, theme/404.html,
# theme/partials/, theme/pelican/templates/base.html). A message with a {placeholder} is
# filled in the template, which escapes the words and inserts its link.
WORDS = {
    "alpha": to_translate("Alpha"),
    "beta": to_translate("Beta"),
    "new_service": to_translate("This is a new service."),
    "new_service_feedback": to_translate(
        "This is a new service. Your {feedback} will help us improve it."
    ),
    "feedback": to_translate("feedback"),
    "support_links": to_translate("Support links"),
    "licence": to_translate(
        "Content and open data are available under the {licence}, except where otherwise stated."
    ),
    "menu": to_translate("Menu"),
    "skip": to_translate("Skip to main content"),  # the Pelican theme's; Material has its own
    "main_navigation": to_translate("Main"),
    "search_site": to_translate("Search this site"),
    "search": to_translate("Search"),
    "not_found": to_translate("Page not found"),
    "not_found_typed": to_translate(
        "There is no page at this address. If you typed it, check it is correct. If you "
        "pasted it, check you copied the whole address."
    ),
    "not_found_consultation": to_translate(
        "If you were looking for a consultation: closed ones stay on this site, so you can "
        "find it in the list of all consultations."
    ),
    "where_next": to_translate("Where to go next"),
    "all_consultations": to_translate("See all consultations"),
    "home_page_of": to_translate("Go to the home page of {site}"),
}
PHASES = {"alpha", "beta"}
EXTERNAL = ("https://", "http://", "mailto:")


class FrameError(ValueError):
    """A frame option mkdocs.yml cannot have; the message says which and what to write."""


@dataclass(frozen=True)
class Link:
    label: str
    url: str  # from the site root ("privacy/"), or a full web address
    external: bool = False
    lang: str = ""  # the language of a label mkdocs.yml gives no translation of (portal.glossary)


@dataclass(frozen=True)
class Frame:
    organisation: str
    links: list[Link] = field(default_factory=list)
    licence: Link | None = None
    phase: str = ""  # "alpha", "beta" or "" (no banner)
    feedback: Link | None = None  # where the phase banner asks for feedback
    says: dict[str, str] = field(default_factory=lambda: dict(WORDS))  # WORDS, translated
    language: str = i18n.SOURCE  # the language of ``says`` (the one being built)


def frame_words(words: i18n.Words) -> dict[str, str]:
    return {name: words(message) for name, message in WORDS.items()}


def build_frame(settings: Settings) -> Frame:
    """The frame of this site; FrameError names a bad option in mkdocs.yml."""
    options = settings.extra
    words = i18n.words(settings.language, settings.locale_dir)
    links = _links(settings, options.get("footer_links"), words)
    phase = str(options.get("phase") or "").strip().lower()
    if phase and phase not in PHASES:
        raise FrameError(
            f"mkdocs.yml: the portal option 'phase' must be alpha or beta, not {phase!r} "
            "(leave it out for no phase banner)"
        )
    feedback = str(options.get("feedback_url") or "").strip()
    licence = None
    named = licences.name(settings.licence, words) if settings.licence in licences.KNOWN else None
    if named is not None:
        address = licences.KNOWN[settings.licence][1]
        licence = Link(named.text, address, external=True, lang=named.lang)
    return Frame(
        organisation=settings.organisation or settings.site_name,
        links=links,
        licence=licence,
        phase=phase,
        feedback=_link(settings, "feedback", feedback) if feedback else None,
        says=frame_words(words),
        language=words.language,
    )


def _links(settings: Settings, configured: Any, words: i18n.Words) -> list[Link]:
    if not configured:  # the plugin's default is {}
        return [
            Link(words(label), urls.page(path))
            for label, path in DEFAULT_LINKS
            if (settings.content_dir / path).is_file()
        ]
    if not isinstance(configured, dict):
        raise FrameError(
            "mkdocs.yml: the portal option 'footer_links' must be 'label: page' lines, such "
            "as 'Privacy notice: privacy.md'"
        )
    # The site's own labels, in the language being built when ``translations:`` words them.
    site_words = glossary(settings)
    links = [_link(settings, str(label), str(target or "")) for label, target in configured.items()]
    shown = [(link, site_words.word(link.label)) for link in links]
    return [replace(link, label=word.text, lang=word.lang) for link, word in shown]


def _link(settings: Settings, label: str, address: str) -> Link:
    address = address.strip()
    problem = link_problem(settings.content_dir, label, address)
    if problem:
        raise FrameError(f"mkdocs.yml: {problem}")
    if address.startswith(EXTERNAL):
        return Link(label, address, external=True)
    path, _, anchor = address.partition("#")
    return Link(label, urls.page(path) + (f"#{anchor}" if anchor else ""))


def link_problem(content_dir: Path, label: str, address: str) -> str:
    """What is wrong with one footer link ('' if nothing), for the build and ``portal check``."""
    if address.startswith(EXTERNAL):
        return ""
    path = address.partition("#")[0]
    if path.endswith(".md") and (content_dir / path).is_file():
        return ""
    return (
        f"the link {label!r} points to {address!r}, which is not a page in content/ "
        "(write its path, such as privacy.md) or a web address"
    )
