"""The programme page's "Why this course" figures, taken from the skills-gap dataset.

The programme quotes these numbers; keeping them in one data package means the page, the
chart and the open data can never disagree.
"""

from __future__ import annotations

from portal.datasets.model import Dataset, Resource
from portal.problems import ContentError, Problem, Problems
from portal.settings import Settings

PACKAGE = "uk-digital-skills-gap"
RESOURCE = "skills-gap"
AREA, PERCENT = "skill_gap_area", "percentage_of_uk_workers"
HINT = "the programme page's figures and chart come from this package"


def skills_gap(datasets: list[Dataset], settings: Settings) -> list[tuple[str, int]]:
    """(skill area, percentage of UK workers) in the order the file lists them."""
    resource = _resource(_dataset(datasets, settings), settings)
    names = [f.name for f in resource.fields]
    area, percent = names.index(AREA), names.index(PERCENT)
    # A handful of rows, all inside the preview the reader already streamed.
    return [(row[area], int(row[percent])) for row in resource.preview]


def skills_gap_chart(datasets: list[Dataset], settings: Settings) -> str:
    """The dataset's bar chart as inline SVG (role="img", with a title and description)."""
    dataset = _dataset(datasets, settings)
    view = next((v for v in dataset.views if v.resource == RESOURCE and v.svg), None)
    if view is None:
        raise ContentError([_problem(settings, f"no chart view of resource '{RESOURCE}'")])
    return view.svg


def _dataset(datasets: list[Dataset], settings: Settings) -> Dataset:
    """The package as the build read it (a package with problems has stopped the build)."""
    dataset = next((d for d in datasets if d.name == PACKAGE), None)
    if dataset is None:
        raise ContentError([_problem(settings, "the skills-gap data package is missing")])
    return dataset


def _resource(dataset: Dataset, settings: Settings) -> Resource:
    resource = dataset.resource(RESOURCE)
    names = [f.name for f in resource.fields] if resource else []
    if resource is None or AREA not in names or PERCENT not in names:
        raise ContentError(
            [
                _problem(
                    settings,
                    f"resource '{RESOURCE}' with fields '{AREA}' and '{PERCENT}' is missing",
                )
            ]
        )
    if (resource.rows or 0) > len(resource.preview):
        raise ContentError([_problem(settings, f"resource '{RESOURCE}' has too many rows")])
    return resource


def _problem(settings: Settings, message: str) -> Problem:
    path = settings.datasets_dir / PACKAGE / "datapackage.json"
    return Problem(Problems(settings.root).relative(path), None, message, HINT)
