"""Broken content staff really write: each case is one small edit to a copy of the fixture
site, with the file, the line (where ``needle`` is written) and the code check must report.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import ROOT

INDEX = "content/index.md"
BUS = "consultations/bus-lanes/index.md"
CONFIG = "mkdocs.yml"
README = "datasets/consultation-participation/README.md"


@dataclass(frozen=True)
class Case:
    name: str
    edit: Callable[[Path], None]
    path: str  # the file the problem is in (or the variable's name)
    needle: str | None  # the problem is on the line where this is first written
    code: str
    env: dict[str, str] = field(default_factory=dict)
    # A README link the dataset page shows as text (portal.datasets.readme): a warning that
    # check and build both give, in the same words, and the build goes on.
    refused: bool = True


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        file = root / path
        text = file.read_text("utf-8")
        assert old in text, f"{old!r} is not in {path}"
        file.write_text(text.replace(old, new, 1), "utf-8")

    return edit


def append(path: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        before = file.read_text("utf-8") if file.exists() else ""
        file.write_text(before + text, "utf-8")

    return edit


def write(path: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, "utf-8")

    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


def with_dataset(root: Path) -> None:
    """A real data package from the demo, for the README cases."""
    name = "consultation-participation"
    if not (root / "datasets" / name).exists():
        shutil.copytree(ROOT / "datasets" / name, root / "datasets" / name)


ABOUT = "---\ntitle: About\n---\n# About us\n\nWho we are.\n"
CONSULTATION = """\
---
title: Cycle lanes
summary: New cycle lanes on Mill Road.
organisation: Fixture Council
contact:
  email: roads@fixture.example
opens: 2027-01-01
closes: 2027-02-01
---
Body.
"""
NEW = "consultations/cycle-lanes/index.md"

CASES: list[Case] = [
    # -- mkdocs.yml: the portal's options, then what MkDocs itself refuses ---------------
    Case(
        "option-wrong-type",
        replace(
            CONFIG,
            "timezone: Europe/London",
            'timezone: Europe/London\n      retention_days: "two years"',
        ),
        CONFIG,
        "retention_days:",
        "config-type",
    ),
    Case(
        "option-misspelt",
        replace(
            CONFIG, "timezone: Europe/London", "timezone: Europe/London\n      endpoint_urll: ''"
        ),
        CONFIG,
        "endpoint_urll:",
        "config-unknown",
    ),
    Case(
        "option-unknown-time-zone",
        replace(CONFIG, "timezone: Europe/London", "timezone: Europe/Londn"),
        CONFIG,
        "timezone:",
        "config-value",
    ),
    Case(
        "option-retention-zero",
        replace(
            CONFIG, "timezone: Europe/London", "timezone: Europe/London\n      retention_days: 0"
        ),
        CONFIG,
        "retention_days:",
        "config-value",
    ),
    Case(
        "option-enabled-quoted",
        replace(CONFIG, "timezone: Europe/London", "timezone: Europe/London\n      enabled: 'yes'"),
        CONFIG,
        "enabled:",
        "config-type",
    ),
    Case(
        "option-repo-url-not-an-address",
        replace(
            CONFIG,
            "timezone: Europe/London",
            "timezone: Europe/London\n      repo_url: github.com/x",
        ),
        CONFIG,
        "repo_url:",
        "config-value",
    ),
    Case(
        "portal-plugin-missing",
        replace(CONFIG, "  - portal:\n      timezone: Europe/London\n", ""),
        CONFIG,
        "plugins:",
        "config-value",
    ),
    Case(
        "config-malformed-yaml",
        replace(CONFIG, "docs_dir: content", "docs_dir: [content"),
        CONFIG,
        "strict:",
        "yaml-malformed",
    ),
    Case(
        "plugin-not-installed",
        replace(CONFIG, "  - search\n", "  - search\n  - sitemapz\n"),
        CONFIG,
        "- sitemapz",
        "config-value",
    ),
    Case(
        "config-unknown-setting",
        append(CONFIG, "site_nme: Typo\n"),
        CONFIG,
        "site_nme:",
        "config-unknown",
    ),
    Case(
        "config-theme-folder-missing",
        replace(CONFIG, f"custom_dir: {ROOT / 'theme'}", "custom_dir: no-such-folder"),
        CONFIG,
        "custom_dir:",
        "config-value",
    ),
    Case(
        "theme-not-the-portals",
        replace(CONFIG, "name: material", "name: mkdocs"),
        CONFIG,
        "name: mkdocs",
        "config-value",
    ),
    Case(
        "theme-name-missing",
        replace(CONFIG, "  name: material\n", ""),
        CONFIG,
        "theme:",
        "config-value",
    ),
    Case(
        "material-theme-folder-without-the-portal-templates",
        both(
            write("other-theme/main.html", "{% extends 'base.html' %}\n"),
            replace(CONFIG, f"custom_dir: {ROOT / 'theme'}", "custom_dir: other-theme"),
        ),
        CONFIG,
        "custom_dir:",
        "config-value",
    ),
    Case(
        "site-url-not-an-address",
        append(CONFIG, "site_url: consult.example\n"),
        CONFIG,
        "site_url:",
        "config-value",
    ),
    Case(
        "site-url-from-environment",
        append(CONFIG, 'site_url: !ENV [SITE_URL, ""]\n'),
        CONFIG,
        "site_url:",
        "env-invalid",
        {"SITE_URL": "consult.example"},
    ),
    Case(
        "site-url-from-environment-reads-as-an-impossible-date",
        append(CONFIG, 'site_url: !ENV [SITE_URL, ""]\n'),
        CONFIG,
        "site_url:",
        "yaml-malformed",
        {"SITE_URL": "2027-02-30"},
    ),
    Case(
        "nav-names-a-missing-page",
        replace(CONFIG, "  - Home: index.md\n", "  - Home: index.md\n  - About: about.md\n"),
        CONFIG,
        "About: about.md",
        "nav-missing",
    ),
    Case(
        "portal-now-malformed",
        lambda root: None,
        "PORTAL_NOW",
        None,
        "env-invalid",
        {"PORTAL_NOW": "next tuesday"},
    ),
    # -- links and images in pages staff write --------------------------------------------
    Case(
        "page-link-missing",
        append(INDEX, "\nSee [the plan](plan.md).\n"),
        INDEX,
        "plan.md",
        "link-broken",
    ),
    Case(
        "page-image-missing",
        append(INDEX, "\n![Map](images/map.png)\n"),
        INDEX,
        "map.png",
        "image-missing",
    ),
    Case(
        "page-absolute-link-missing",
        append(INDEX, "\nSee [parking](/consultations/parking/).\n"),
        INDEX,
        "/consultations/parking/",
        "link-broken",
    ),
    Case(
        "page-anchor-missing",
        append(INDEX, "\n[Jump](#opening-times)\n"),
        INDEX,
        "#opening-times",
        "link-anchor",
    ),
    Case(
        "anchor-on-another-page-missing",
        append(INDEX, "\n[Respond](consultations/bus-lanes/index.md#how-to-respond)\n"),
        INDEX,
        "#how-to-respond",
        "link-anchor",
    ),
    Case(
        "html-image-missing",
        append(INDEX, '\n<img src="logo.svg" alt="Logo">\n'),
        INDEX,
        "logo.svg",
        "image-missing",
    ),
    Case(
        "html-link-to-a-markdown-file",
        append(INDEX, '\n<p><a href="about.md">About</a></p>\n'),
        INDEX,
        "about.md",
        "link-broken",
    ),
    Case(
        "reference-link-missing",
        append(INDEX, "\nRead [the terms][terms].\n\n[terms]: terms.md\n"),
        INDEX,
        "terms.md",
        "link-broken",
    ),
    Case(
        "folder-link-from-a-page-one-level-down",
        write("content/about.md", ABOUT + "\nSee [consultations](consultations/).\n"),
        "content/about.md",
        "(consultations/)",
        "link-broken",
    ),
    Case(
        "absolute-link-on-a-site-under-a-path",
        both(
            append(CONFIG, "site_url: https://council.example/portal/\n"),
            append(INDEX, "\nSee [all consultations](/consultations/).\n"),
        ),
        INDEX,
        "/consultations/",
        "link-broken",
    ),
    Case(
        "page-at-an-address-the-portal-uses",
        write("content/consultations/bus-lanes/index.md", ABOUT),
        "content/consultations/bus-lanes/index.md",
        None,
        "address-taken",
    ),
    Case(
        "page-link-to-a-draft",
        append(INDEX, "\n[Secret](consultations/secret-plan/index.md)\n"),
        INDEX,
        "secret-plan",
        "link-broken",
    ),
    # -- links in consultations and outcomes -----------------------------------------------
    Case(
        "consultation-link-to-unlisted-document",
        append(BUS, "\nRead [the survey](documents/survey.pdf).\n"),
        BUS,
        "survey.pdf",
        "link-broken",
    ),
    Case(
        "consultation-link-to-missing-consultation",
        append(BUS, "\nSee also [parking](../parking/).\n"),
        BUS,
        "../parking/",
        "link-broken",
    ),
    Case(
        "consultation-image-missing",
        append(BUS, "\n![Route](route.png)\n"),
        BUS,
        "route.png",
        "image-missing",
    ),
    Case(
        "consultation-anchor-missing",
        append(BUS, "\n[Times](#bus-lane-hours)\n"),
        BUS,
        "#bus-lane-hours",
        "link-anchor",
    ),
    Case(
        "outcome-link-missing",
        append("consultations/park-lighting/outcome.md", "\nRead [the report](report.pdf).\n"),
        "consultations/park-lighting/outcome.md",
        "report.pdf",
        "link-broken",
    ),
    Case(
        "readme-link-missing",
        both(with_dataset, append(README, "\nSee [the method note](method.md).\n")),
        README,
        "method.md",
        "link-broken",
        refused=False,
    ),
    Case(
        "readme-image-missing",
        both(with_dataset, append(README, "\n![Chart](chart.png)\n")),
        README,
        "chart.png",
        "link-broken",
        refused=False,
    ),
    # -- front matter -------------------------------------------------------------------
    Case(
        "front-matter-malformed",
        write(NEW, CONSULTATION.replace("summary: New", "summary: New: [cycle")),
        NEW,
        "summary:",
        "yaml-malformed",
    ),
    Case(
        "date-impossible",
        write(NEW, CONSULTATION.replace("2027-02-01", "2027-02-30")),
        NEW,
        "closes:",
        "date-invalid",
    ),
    Case(
        "dates-in-the-wrong-order",
        write(NEW, CONSULTATION.replace("2027-02-01", "2026-12-01")),
        NEW,
        "closes:",
        "date-order",
    ),
    Case(
        "field-misspelt",
        write(NEW, CONSULTATION.replace("summary:", "summry:")),
        NEW,
        "summry:",
        "key-unknown",
    ),
    Case(
        "title-missing",
        write(NEW, CONSULTATION.replace("title: Cycle lanes\n", "")),
        NEW,
        "summary:",
        "field-missing",
    ),
    Case(
        "email-invalid",
        write(NEW, CONSULTATION.replace("roads@fixture.example", "roads at fixture")),
        NEW,
        "email:",
        "email-invalid",
    ),
    Case(
        "document-missing",
        write(
            NEW,
            CONSULTATION.replace(
                "---\nBody.", "documents:\n  - title: Plan\n    file: plan.pdf\n---\nBody."
            ),
        ),
        NEW,
        "file: plan.pdf",
        "document-missing",
    ),
    Case(
        "key-given-twice",
        write(
            NEW,
            CONSULTATION.replace("closes: 2027-02-01", "closes: 2027-02-01\ncloses: 2027-03-01"),
        ),
        NEW,
        "closes: 2027-03-01",
        "key-duplicate",
    ),
    Case(
        "folder-without-index",
        write("consultations/empty/notes.txt", "notes"),
        "consultations/empty",
        None,
        "file-missing",
    ),
    Case(
        "reserved-address",
        write("consultations/filter/index.md", CONSULTATION),
        "consultations/filter/index.md",
        None,
        "slug-reserved",
    ),
    # The form adds "(optional)" to every question that is not required (issue 17's
    # "Your name (optional) (optional)"): said by staff too, a warning; on a required
    # question it tells people something untrue, refused.
    Case(
        "label-says-optional",
        replace(
            BUS,
            "      options: [Yes, No]\n",
            "      options: [Yes, No]\n    - id: name\n      type: text\n"
            "      label: Your name (optional)\n",
        ),
        BUS,
        "label: Your name (optional)",
        "label-says-optional",
        refused=False,
    ),
    Case(
        "required-label-says-optional",
        replace(BUS, "label: Do you support bus lanes?", "label: Bus lanes? (Optional)"),
        BUS,
        "label: Bus lanes? (Optional)",
        "required-says-optional",
    ),
]
