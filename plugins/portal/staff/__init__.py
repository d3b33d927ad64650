"""The staff area at /staff/: signing in (signin.py, auth.py), what staff see and do with
responses (pages.py), and the audit log of it all (audit.py).

It runs in the endpoint, so it reads the same database and the same built site; it is off
(every /staff/ address answers 404) until PORTAL_SECRET_KEY or single sign-on is set.
"""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    from portal.staff import pages, signin

    return [*signin.routes(), *pages.routes()]
