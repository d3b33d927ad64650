"""The one gate: what ``portal check`` reports and what every build refuses, in one place."""

from __future__ import annotations

from pathlib import Path

from portal.checks.addresses import address_problems
from portal.checks.config import config_problems
from portal.checks.environment import environment_problems
from portal.checks.links import link_problems
from portal.exports.review_check import review_problems
from portal.generated import GeneratedFile, GeneratedPage
from portal.problems import ContentError, Problem
from portal.site import Portal

Outputs = tuple[list[GeneratedPage], list[GeneratedFile]]


def settings_problems(root: Path) -> list[Problem]:
    """mkdocs.yml and the environment: checked before a generator reads either."""
    return config_problems(root) + environment_problems()


def site_problems(portal: Portal, outputs: Outputs | None = None) -> tuple[Outputs, list[Problem]]:
    """The content's problems and its links', with the pages and files the site will have.

    ``outputs`` are the generator's, when it has made them already.
    """
    from portal.pages.outputs import page_outputs

    problems = list(portal.problems.items) + review_problems(portal)
    if outputs is None:
        try:
            outputs = page_outputs(portal)
        except ContentError as error:  # a page that needs data the content lacks
            return ([], []), problems + error.problems
    return outputs, problems + address_problems(portal, *outputs) + link_problems(portal, *outputs)
