"""The council's frame around every page: the footer's links, the licence and the phase
banner, from mkdocs.yml (the portal plugin's options) and the pages that exist.

Computed once per build and handed to the templates (theme/partials/footer.html,
theme/main.html), so the templates know no site's pages: a site names its own footer links,
or gets one for each usual page it has (privacy notice, accessibility statement...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal import licences, urls
from portal.settings import Settings

# The footer a public service has, for a site that names no links of its own: each when
# the page exists in content/.
DEFAULT_LINKS = (
    ("Contact us", "contact.md"),
    ("Privacy notice", "privacy.md"),
    ("Accessibility statement", "accessibility.md"),
    ("Cookies", "cookies.md"),
    ("For staff", "publishers/index.md"),
)
PHASES = {"alpha", "beta"}
EXTERNAL = ("https://", "http://", "mailto:")


class FrameError(ValueError):
    """A frame option mkdocs.yml cannot have; the message says which and what to write."""


@dataclass(frozen=True)
class Link:
    label: str
    url: str  # from the site root ("privacy/"), or a full web address
    external: bool = False


@dataclass(frozen=True)
class Frame:
    organisation: str
    links: list[Link] = field(default_factory=list)
    licence: Link | None = None
    phase: str = ""  # "alpha", "beta" or "" (no banner)
    feedback: Link | None = None  # where the phase banner asks for feedback


def build_frame(settings: Settings) -> Frame:
    """The frame of this site; FrameError names a bad option in mkdocs.yml."""
    options = settings.extra
    links = _links(settings, options.get("footer_links"))
    phase = str(options.get("phase") or "").strip().lower()
    if phase and phase not in PHASES:
        raise FrameError(
            f"mkdocs.yml: the portal option 'phase' must be alpha or beta, not {phase!r} "
            "(leave it out for no phase banner)"
        )
    feedback = str(options.get("feedback_url") or "").strip()
    licence = None
    if settings.licence in licences.KNOWN:
        title, address = licences.KNOWN[settings.licence]
        licence = Link(title, address, external=True)
    return Frame(
        organisation=settings.organisation or settings.site_name,
        links=links,
        licence=licence,
        phase=phase,
        feedback=_link(settings, "feedback", feedback) if feedback else None,
    )


def _links(settings: Settings, configured: Any) -> list[Link]:
    if not configured:  # the plugin's default is {}
        return [
            Link(label, urls.page(path))
            for label, path in DEFAULT_LINKS
            if (settings.content_dir / path).is_file()
        ]
    if not isinstance(configured, dict):
        raise FrameError(
            "mkdocs.yml: the portal option 'footer_links' must be 'label: page' lines, such "
            "as 'Privacy notice: privacy.md'"
        )
    return [_link(settings, str(label), str(target or "")) for label, target in configured.items()]


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
