"""The staff area at /staff/, in the endpoint: signing in (signin.py, auth.py), the forms and
their responses with tags (pages.py), publication review (review_pages.py), exports
(export_pages.py), the audit log (audit.py, audit_page.py) and email waiting or failing to
go (mail_page.py).

It reads the same database and the same built site as the endpoint; it is off (every
/staff/ address answers 404) until PORTAL_SECRET_KEY is set.
"""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    from portal.staff import audit_page, export_pages, mail_page, pages, review_pages, signin

    return [
        *signin.routes(),
        *pages.routes(),
        *review_pages.routes(),
        *export_pages.routes(),
        *audit_page.routes(),
        *mail_page.routes(),
    ]
