"""Refuse cross-site posts, from the headers browsers send on every form post.

The idea is Datasette's (simonw/datasette, ``datasette/csrf.py``, after Filippo Valsorda's
"CSRF protection without tokens"): modern browsers send ``Sec-Fetch-Site``; older ones send
``Origin`` on a POST. No token is needed, which suits forms in pages built once and served
statically. A request with neither header did not come from a browser form, so a
cross-site forgery is not possible through it (curl and tests may post freely).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def allowed(request: Request, allowlist: Iterable[str]) -> bool:
    """True when the post comes from this origin or one in ``allowlist``."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        # Sec-Fetch-Site says same-site/cross-site but no Origin: a browser never does this.
        return fetch_site is None
    origin = origin.rstrip("/")
    if origin == own_origin(request) or origin in set(allowlist):
        return True
    # Behind a proxy that ends TLS the scheme we see differs; the host still has to match.
    host = request.headers.get("host", "")
    return fetch_site is None and origin.split("://", 1)[-1] == host and bool(host)
