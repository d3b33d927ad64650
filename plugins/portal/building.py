"""What ``portal check``, ``build``, ``serve`` and ``endpoint`` do."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from portal import generators
from portal.checks.gate import settings_problems, site_problems
from portal.failed_build import LastBuild, show_failed_build
from portal.parallel import build_worker
from portal.problems import ContentError
from portal.settings import load_settings
from portal.site import load, start_reading_datasets, stop_reading_datasets

# Material's end-of-life banner is for site owners, not for every build a publisher runs;
# the Pelican build is our answer to it.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def check(root: Path) -> int:
    """Everything a build would refuse, in one run (portal.checks.gate)."""
    problems = settings_problems(root)
    try:
        portal = load(load_settings(root))
    except BrokenProcessPool as error:  # the process reading the data packages died
        print(f"The check did not finish.{worker_hint(error)}", file=sys.stderr)
        return 1
    if problems:
        # Pages and links are made from the settings (the theme's templates, the site's
        # address): with settings that cannot be used, only the content itself is checked.
        problems += portal.problems.items
    else:
        problems += site_problems(portal)[1]
    if problems:
        print(
            ContentError(problems)
            .report()
            .replace("nothing was built.", "fix them, then run 'portal check' again."),
            file=sys.stderr,
        )
        return 1
    note = generators.one_language_note(generators.chosen(), portal.settings.all_languages)
    if note:
        print(note, file=sys.stderr)
    forms = len(portal.forms())
    print(
        f"All content is valid: {len(portal.consultations)} consultations, {forms} forms, "
        f"{len(portal.datasets)} datasets."
    )
    if not portal.settings.site_url:
        # Not a content problem (previews work without it), but the live site needs it.
        print(
            "Note: site_url is not set (mkdocs.yml, or SITE_URL), so the sitemap is empty and "
            "feeds and the calendar link to pages relative to the site. Set it before going "
            "live.",
            file=sys.stderr,
        )
    return 0


def build(root: Path, site_dir: Path | None = None, *, generator: str | None = None) -> int:
    """Build into a fresh folder, then swap it in: a failed build never leaves half a site."""
    failure = _build(root, site_dir, generator=generator)
    if failure is not None:
        print(failure, file=sys.stderr)
        return 1
    return 0


def _build(root: Path, site_dir: Path | None = None, *, generator: str | None = None) -> str | None:
    """What went wrong, in the words staff see, or None when the site was built.

    ``generator`` names one registered in ``portal.generators`` (None: PORTAL_GENERATOR, or
    MkDocs)."""
    target = (site_dir or root / "site").resolve()
    # Settings and environment first: the generators cannot start without them. The
    # adapters apply the rest of the gate (content, links) once they have read the content.
    refused = settings_problems(root)
    if refused:
        return f"{FAILED}\n{ContentError(refused)}"
    # The adapters read and check all content before they write anything (reading it here
    # too would double the build's largest cost) and report every problem they find.
    try:
        chosen = generators.get(generators.chosen(generator))
    except generators.UnknownGenerator as error:
        return f"{FAILED}\n{error}"
    note = generators.one_language_note(chosen.name, load_settings(root).all_languages)
    if note:
        print(note, file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    # mkdtemp makes the folder 0700; the site is public and is read by other users (the
    # endpoint's DynamicUser, nginx's www-data), so it gets the mode any new folder gets.
    staging.chmod(0o777 & ~_umask())
    try:
        with build_worker() as worker:
            # While the generator is imported: the data packages take longest to read.
            if chosen.in_process:
                start_reading_datasets(load_settings(root), worker)
            chosen.build(root, staging)
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        return f"{FAILED}\n{error}{worker_hint(error)}"
    finally:
        stop_reading_datasets()
    swap_in(staging, target)
    print(f"Built the site into {target}")
    return None


FAILED = "The build failed; the previous site is unchanged."


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it; set straight back
    os.umask(mask)
    return mask


def worker_hint(error: BaseException) -> str:
    """What to do when the build's worker process died (out of memory, killed)."""
    if isinstance(error, BrokenProcessPool):
        return (
            "\nThe build's second process stopped before it finished (was it out of memory, "
            "or did a chart library crash on a value in a data package, such as a control "
            "character in a CSV cell?). Run it again, or set PORTAL_WORKERS=0 to build in one "
            "process and see the library's own message."
        )
    return ""


def swap_in(staging: Path, target: Path) -> None:
    """Put the new site in place in one step: nginx and the endpoint never see no site.

    Linux exchanges the two folders atomically (renameat2 with RENAME_EXCHANGE); elsewhere,
    or on a file system without it, two renames leave a moment without ``site/``.
    """
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous site
        return
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange)
    return bool(result == 0)


def serve(root: Path, host: str, port: int, *, watch: bool = True) -> int:
    """Site and endpoint on one origin, with SQLite: the whole portal from one command."""
    from portal.endpoint.app import create_app
    from portal.endpoint.config import EndpointSettings, SettingsError, default_theme_dir
    from portal.endpoint.server import run
    from portal.mail.settings import MailSettings

    site = root / "site"
    last = LastBuild(_build(root, site))
    if last.failure is not None:
        print(last.failure, file=sys.stderr)
        if not site.exists():
            return 1
    os.environ.setdefault("PORTAL_SITE_DIR", str(site))
    os.environ.setdefault("PORTAL_THEME_DIR", str(default_theme_dir(root)))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{root / 'var' / 'responses.sqlite3'}")
    # The staff area works out of the box on a laptop: one process, so a secret made now
    # signs every sign-in until it stops (staff sign in again after a restart). Production
    # (portal endpoint) has no such default: its secret must outlive restarts and workers.
    os.environ.setdefault("PORTAL_SECRET_KEY", secrets.token_hex(32))
    try:
        settings = EndpointSettings.from_env()
        MailSettings.from_env()  # portal.mail's settings: said here, not as a traceback
    except SettingsError as error:
        print(f"The portal was not served: {error}", file=sys.stderr)
        return 2
    # While the last build failed, every page lists its problems (portal.failed_build).
    app = show_failed_build(create_app(settings, site_dir_to_serve=site), last)
    if watch:
        threading.Thread(target=_rebuild_on_change, args=(root, site, last), daemon=True).start()
    print(f"Serving the portal at http://{host}:{port}/ (Ctrl+C to stop)")
    run(app, host=host, port=port)
    return 0


def _rebuild_on_change(root: Path, site: Path, last: LastBuild) -> None:
    """Edits show in well under a second (portal.preview), converging on a full build."""
    from portal.preview.loop import preview_loop

    preview_loop(root, site, last)


def endpoint(root: Path, host: str, port: int, workers: int) -> int:
    """The endpoint alone; its settings come from the environment (see the deploy guide)."""
    from sqlalchemy.exc import SQLAlchemyError

    from portal.endpoint.config import EndpointSettings, SettingsError, default_theme_dir
    from portal.endpoint.server import run
    from portal.mail.settings import MailSettings
    from portal.storage import Storage, StorageError, describe

    os.environ.setdefault("PORTAL_SITE_DIR", str(root / "site"))
    os.environ.setdefault("PORTAL_THEME_DIR", str(default_theme_dir(root)))
    from portal.forms import manifests

    try:
        settings = EndpointSettings.from_env()
        MailSettings.from_env()  # portal.mail's settings: said here, not as a traceback
        # Every form it would take answers for, checked now: a manifest it cannot read is
        # a build it was not made for, better said at start than to the first respondent.
        manifests.read_all(settings.site_dir)
    except (SettingsError, manifests.ManifestError) as error:
        print(f"The endpoint did not start: {error}", file=sys.stderr)
        return 2
    # Schema and WAL mode once, before several workers race to switch the file to WAL.
    try:
        storage = Storage(settings.database_url)
        storage.create()
        storage.dispose()
    except (StorageError, OSError, SQLAlchemyError) as error:
        # A database that is down, unsafe or unwritable: say which and why, not a traceback.
        print(f"The endpoint did not start: {describe(error)}", file=sys.stderr)
        return 2
    run("portal.endpoint.app:app_from_env", factory=True, host=host, port=port, workers=workers)
    return 0
