"""The built site's files for ``portal serve``: each response one file, read by one open.

Starlette's StaticFiles looks a file up by its path (a stat, whose size becomes the
Content-Length), then opens the path again to send it. ``portal serve`` replaces pages by
rename while someone previews (portal.preview writes each page whole, then renames it into
place): a rename between the two sent the old page's length with the new page's bytes, and
the browser got a truncated page (seen at 5,000 consultations by bench/preview.py, an
IncompleteRead on a 900 KB index page). Here the file is opened once; its length, dates and
bytes all come from that one open file, so a response is wholly the old page or wholly
the new one. Production serves the site with nginx, which does the same (open, then
fstat), so this is for the preview server only.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

# A language's folder (portal.languages): 'cy', 'pt-BR'. Its own 404 page is in its words.
LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

# Larger files (a dataset's download) are sent by Starlette as usual: the preview never
# rewrites them while serving, and they should not be read into memory whole.
WHOLE_UP_TO = 16 * 1024 * 1024


class OneOpenStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        """As Starlette's, but a page missing under a language's folder (``/cy/...``) is
        answered with that language's 404 page, as deploy/nginx/portal.conf does."""
        response = await super().get_response(path, scope)
        if response.status_code != 404 or not self.html:
            return response
        folder = path.strip("/").split("/", 1)[0]
        if not LANGUAGE_FOLDER.fullmatch(folder):
            return response
        full_path, found = self.lookup_path(f"{folder}/404.html")
        if found is None or not stat.S_ISREG(found.st_mode):
            return response
        return FileResponse(full_path, stat_result=found, status_code=404)

    def file_response(
        self,
        full_path: Any,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        if stat_result.st_size > WHOLE_UP_TO:
            return super().file_response(full_path, stat_result, scope, status_code)
        try:
            with open(full_path, "rb") as opened:
                stat_result = os.fstat(opened.fileno())
                body = opened.read()
        except OSError:  # gone between the lookup and the open: as Starlette would say
            return super().file_response(full_path, stat_result, scope, status_code)
        # Starlette's own headers (type, length, dates, ETag), from the file that was read.
        headers = FileResponse(full_path, status_code=status_code, stat_result=stat_result)
        headers.headers["content-length"] = str(len(body))
        if self.is_not_modified(headers.headers, Headers(scope=scope)):
            return NotModifiedResponse(headers.headers)
        response = Response(body, status_code=status_code, media_type=headers.media_type)
        for name in ("last-modified", "etag"):
            response.headers[name] = headers.headers[name]
        return response
