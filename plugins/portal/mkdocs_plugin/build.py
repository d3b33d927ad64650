"""``portal build`` with MkDocs, or with ProperDocs (a fork of MkDocs 1.6): the same plugin.

ProperDocs is installed beside MkDocs as a package of its own (``properdocs``); importing
``properdocs.replacement`` makes every later ``import mkdocs...`` load ProperDocs instead,
so Material and this plugin run on it unchanged. That only works before MkDocs itself is
imported, so the ProperDocs build runs in a fresh Python process (``python -m
portal.mkdocs_plugin.properdocs``).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from portal import languages
from portal.problems import ContentError
from portal.settings import load_settings


@dataclass(frozen=True)
class MkDocsGenerator:
    name: str = "mkdocs"
    summary: str = "MkDocs 1.6 with Material for MkDocs 9 (the default)"
    in_process: bool = True
    several_languages: bool = True  # one build per language (portal.languages)

    def build(self, root: Path, site_dir: Path) -> None:
        build_mkdocs(root, site_dir)


class GeneratorFailed(Exception):
    """A generator run in a process of its own failed; the message is what it said."""


@dataclass(frozen=True)
class ProperDocsGenerator:
    name: str = "properdocs"
    summary: str = "ProperDocs 1.6 (the maintained fork of MkDocs 1.6) with Material 9"
    in_process: bool = False
    several_languages: bool = True

    def build(self, root: Path, site_dir: Path) -> None:
        # Warnings (broken links) reach staff as the child prints them; the failure itself
        # comes back on stdout, to be reported once, in the words 'portal build' uses.
        done = subprocess.run(
            [sys.executable, "-m", "portal.mkdocs_plugin.properdocs", str(root), str(site_dir)],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise GeneratorFailed(done.stdout.strip() or "ProperDocs stopped without a message.")


def build_mkdocs(root: Path, site_dir: Path) -> None:
    """The site, once per language (portal.languages): the default first, at the root (a
    build empties its folder, so the others, in folders inside it, come after)."""
    from portal.mkdocs_plugin.languages import merge_sitemaps

    settings = load_settings(root)
    for language in settings.all_languages:
        if language == settings.default_language:
            _build_one(root, site_dir, None)
        else:
            _build_one(root, site_dir / languages.root(settings, language), language)
    if len(settings.all_languages) > 1:
        merge_sitemaps(site_dir, settings)


def _build_one(root: Path, site_dir: Path, language: str | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from portal.mkdocs_plugin.languages import configure

    _show_mkdocs_warnings()

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
    if language is not None:
        configure(config, load_settings(root), language)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    except Abort:
        # MkDocs logs the plugin's error and says only "Aborted with a BuildError!": the
        # problems themselves are what staff need, in the words 'portal check' uses.
        refused = getattr(config.plugins.get("portal"), "refused", None)
        if isinstance(refused, ContentError):
            raise refused from None
        raise
    finally:
        config.plugins.on_shutdown()


def _show_mkdocs_warnings() -> None:
    """MkDocs reports broken links and nav entries through logging; show them to staff."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "portal", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        handler.setLevel(logging.WARNING)
        handler.addFilter(_not_the_refusal)
        handler.portal = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _not_the_refusal(record: logging.LogRecord) -> bool:
    """The portal plugin's refusal is printed once, by build(), without MkDocs' prefix."""
    return not str(record.msg).endswith(ContentError.ENDING)
