"""The ``portal`` command: init, check, build, serve, new, endpoint."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from portal import building, generators, scaffold, starter
from portal.settings import engine_theme_dir, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description=__doc__)
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="the portal's folder, holding mkdocs.yml (default: here)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="write a new, minimal portal into DIR")
    init.add_argument("dir", type=Path, help="a new or empty folder")
    init.add_argument(
        "--engine", default=None, help="the pip requirement requirements.txt pins the engine to"
    )

    commands.add_parser("check", help="check all content and list every problem")

    build = commands.add_parser("build", help="build the site into site/")
    build.add_argument("--site-dir", type=Path, default=None)
    build.add_argument(
        "--generator",
        choices=generators.names(),  # every adapter installed (entry points portal.generators)
        default=None,
        help=f"the site generator (default: ${generators.ENV}, else {generators.DEFAULT})",
    )

    serve = commands.add_parser(
        "serve", help="build, then serve site and endpoint, rebuilding on change"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-watch", action="store_true", help="do not rebuild on change")

    endpoint = commands.add_parser("endpoint", help="run the form endpoint alone (production)")
    endpoint.add_argument("--host", default="127.0.0.1")
    endpoint.add_argument("--port", type=int, default=8001)
    endpoint.add_argument("--workers", type=int, default=1)

    new = commands.add_parser("new", help="write a commented skeleton")
    new.add_argument("kind", choices=["consultation"])
    new.add_argument("slug")

    _add_extra_commands(commands)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command in {"serve", "endpoint"}:
        # The endpoint renders its pages with the theme the site's mkdocs.yml names (for a
        # portal made by 'portal init', the one inside the installed engine).
        theme = load_settings(root).theme_dir if (root / "mkdocs.yml").is_file() else None
        os.environ.setdefault("PORTAL_THEME_DIR", str(theme or engine_theme_dir()))
    # The endpoint reads only its environment and the built site; the rest need the sources.
    needs_sources = args.command in {"check", "build", "serve", "new", "results"}
    if needs_sources and not (root / "mkdocs.yml").is_file():
        print(
            f"There is no mkdocs.yml in {root}: run portal in the portal's folder, or give "
            "it with --root.",
            file=sys.stderr,
        )
        return 2
    handlers: dict[str, Callable[[argparse.Namespace, Path], int]] = {
        "check": lambda a, r: building.check(r),
        "build": lambda a, r: building.build(r, a.site_dir, generator=a.generator),
        "serve": lambda a, r: building.serve(r, a.host, a.port, watch=not a.no_watch),
        "endpoint": lambda a, r: building.endpoint(r, a.host, a.port, a.workers),
        "new": lambda a, r: scaffold.new_consultation(r, a.slug),
        "init": lambda a, r: starter.init(a.dir.resolve(), a.engine),
    }
    handler = handlers.get(args.command) or getattr(args, "handler", None)
    if handler is None:
        parser.error(f"unknown command {args.command}")
    return handler(args, root)


def _add_extra_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The exports' commands (export, results, purge), the staff accounts' and mail's
    register themselves."""
    from portal.exports.cli import register
    from portal.mail.cli import register as register_mail
    from portal.staff.cli import register as register_staff

    register(commands)
    register_staff(commands)
    register_mail(commands)


if __name__ == "__main__":
    sys.exit(main())
