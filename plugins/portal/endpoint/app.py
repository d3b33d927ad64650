"""The endpoint as a Starlette app; the routes are data, the work is in responses.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from portal.alerts import routes as alert_routes
from portal.endpoint import drafts, exports_route, filtering, search
from portal.endpoint.config import EndpointSettings
from portal.endpoint.headers import SecurityHeaders, content_security_policy
from portal.endpoint.ratelimit import Network, networks
from portal.endpoint.responses import Responses
from portal.endpoint.static import OneOpenStaticFiles
from portal.staff import routes as staff_routes
from portal.staff.auth import StaffArea
from portal.storage import Storage


class EndpointApp(Starlette):
    """Starlette with the security headers outside everything, its error handler included:
    as middleware they sat inside it, and every 500 went out without them."""

    headers: tuple[str, list[Network]] = ("", [])

    def build_middleware_stack(self) -> ASGIApp:
        csp, proxies = self.headers
        return SecurityHeaders(super().build_middleware_stack(), csp=csp, proxies=proxies)


def create_app(settings: EndpointSettings, site_dir_to_serve: Path | None = None) -> Starlette:
    """The endpoint; with ``site_dir_to_serve`` also the static site, on one origin."""
    storage = Storage(settings.database_url)
    storage.create()
    responses = Responses(settings, storage)
    routes: list[BaseRoute] = [
        Route("/health", responses.health, methods=["GET"]),
        Route("/responses/{form_id}", responses.post, methods=["POST"]),
        Route(
            "/responses/{form_id}/confirmation/{reference}", responses.confirmation, methods=["GET"]
        ),
        *drafts.routes(),
        *exports_route.routes(),
        *staff_routes(),
        *search.routes(settings),
        *filtering.routes(settings),
        *alert_routes.routes(),
    ]
    if site_dir_to_serve is not None:
        routes.append(Mount("/", OneOpenStaticFiles(directory=site_dir_to_serve, html=True)))
    csp = content_security_policy(settings.allowed_origins)

    # Mail (portal.mail): read here so a bad setting stops the start, as the others do.
    # Imported here: portal.mail's settings build on portal.endpoint.config, whose package
    # imports this module.
    from portal.mail import worker as mail_worker
    from portal.mail.settings import MailSettings

    mail = MailSettings.from_env()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        sender = mail_worker.start(storage, mail, settings.site_dir, settings.locale_dir)
        yield
        if sender is not None:
            await sender.close()
        storage.dispose()

    app = EndpointApp(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={Exception: responses.server_error},
    )
    app.headers = (csp, networks(settings.trusted_proxies))
    app.state.export_failures = exports_route.failure_limit(settings)
    app.state.storage = storage
    app.state.responses = responses
    app.state.staff = StaffArea.create(settings, storage)
    app.state.mail = mail
    app.state.alert_limit = alert_routes.alert_limit(settings.rate_limit, settings.trusted_proxies)
    return app


def app_from_env() -> Starlette:
    """The factory ``portal endpoint`` gives uvicorn, so each worker builds its own app."""
    return create_app(EndpointSettings.from_env())
