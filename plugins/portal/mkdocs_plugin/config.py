from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PortalConfig(Config):
    enabled = c.Type(bool, default=True)
    timezone = c.Type(str, default="Europe/London")
    endpoint_url = c.Type(str, default="")
    retention_days = c.Type(int, default=730)
    repo_url = c.Type(str, default="")
    organisation = c.Type(str, default="")
    licence = c.Type(str, default="")
    areas = c.Type(str, default="")  # the data package of the map's areas (portal.areas)
    # The council's frame (portal.frame): a phase banner, and the footer's links.
    phase = c.Type(str, default="")  # "alpha" or "beta"; empty: no banner
    feedback_url = c.Type(str, default="")  # where the phase banner asks for feedback
    # The site's languages, theme.language (the default) among them (portal.languages).
    languages = c.Type(list, default=[])
    # Per language, the site's own words (portal.glossary): navigation titles, topics,
    # areas, footer labels: {cy: {Programme: Rhaglen, Open data: Data agored}}.
    translations = c.Type(dict, default={})
    footer_links = c.Type(dict, default={})  # label: page in content/ or web address
