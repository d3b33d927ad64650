"""The pages nginx answers with itself (portal.endpoint.refusals), in each language built.

Every adapter calls ``write`` once the pages of a language are final (after
shipped_assets.finish, which rewrites the shell page's stylesheet addresses), so that
``mkdocs build`` alone writes them too, as it writes 404.html; ``portal build`` with
MkDocs builds each language in turn, and each build writes its own.
"""

from __future__ import annotations

from pathlib import Path

from portal import i18n, languages
from portal.settings import Settings


def write(site_dir: Path, settings: Settings) -> None:
    """The refusal pages of the language ``settings`` builds, into ``site_dir``, the folder
    that language's build writes (``site/``, or ``site/cy/``)."""
    # Here, not at the top: importing the endpoint's package loads its whole app (Starlette,
    # the database), which a build needs only now.
    from portal.endpoint import refusals

    language = settings.language
    words = i18n.chosen(language, settings.locale_dir)
    if words.language != language:
        return  # no words in it (portal check refuses that): nginx gives the site's own
    folder = languages.root(settings, language)
    site_root = site_dir
    for _level in range(folder.count("/")):
        site_root = site_root.parent
    refusals.write(site_root, folder, words, settings.theme_dir)
