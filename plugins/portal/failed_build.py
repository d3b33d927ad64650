"""While the last rebuild of ``portal serve`` failed, every page shows why.

Serving the previous site without a word would let staff believe their change is live; the
page lists the same ``path:line: message`` lines the terminal shows, until a rebuild works.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
# A problem line ('consultations/x/index.md:12: ...', 'PORTAL_NOW: ...'); the rest is prose.
PROBLEM = re.compile(r"^[^\s:]+(?::\d+)?: ")
# Pages, not the endpoint's answers, its health, or the files a page loads (CSS, scripts).
NOT_PAGES = ("/responses/", "/health", "/api/")


@dataclass
class LastBuild:
    """The last build's failure, or None; written by the rebuild thread, read per request."""

    failure: str | None = None


def is_page(path: str) -> bool:
    if path.startswith(NOT_PAGES):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def error_page(failure: str) -> str:
    lines = [line for line in failure.splitlines() if line.strip()]
    problems = [line for line in lines if PROBLEM.match(line)]
    prose = [line for line in lines if not PROBLEM.match(line)]
    items = "\n".join(f"    <li><code>{html.escape(line)}</code></li>" for line in problems)
    notes = "\n".join(f"  <p>{html.escape(line)}</p>" for line in prose)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error: the site was not rebuilt</title>
<style>
  body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
         padding: 0 1rem; color: #0b0c0c; }}
  h1 {{ color: #b10e1e; }}
  li {{ margin: 0.5rem 0; }}
  code {{ white-space: pre-wrap; word-break: break-word; }}
</style>
</head>
<body>
<main>
  <h1>The site was not rebuilt</h1>
  <p>The last change has {len(problems) or "some"} problem{"" if len(problems) == 1 else "s"}.
  Until they are fixed, every page shows this list instead of the previous site. Fix them
  and save; then reload this page.</p>
  <h2>Problems</h2>
  <ul>
{items}
  </ul>
{notes}
</main>
</body>
</html>
"""


def show_failed_build(app: ASGIApp, last: LastBuild) -> ASGIApp:
    async def wrapped(
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        failure = last.failure
        if (
            failure is None
            or scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not is_page(str(scope.get("path", "")))
        ):
            await app(scope, receive, send)
            return
        body = error_page(failure).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": body if scope["method"] == "GET" else b""}
        )

    return wrapped
