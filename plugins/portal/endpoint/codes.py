"""The machine codes of the endpoint's JSON answers: scripts act on these, never on words.

Each JSON error is ``{"ok": false, "code": ..., "error": ..., "errors": [...], "status": ...}``;
the words may change or be translated, the codes do not. ``theme/assets/portal/forms.js``
and the publishers' guide use them.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NOT_FOUND = "not_found"  # 404: no such form (or page)
    CROSS_SITE = "cross_site"  # 403: posted from another website's page
    TOO_LARGE = "too_large"  # 413: body over the limit, or too many fields
    TOO_SLOW = "too_slow"  # 408: the body did not arrive within the body timeout
    UNREADABLE = "unreadable"  # 400: not a form post we can read
    RATE_LIMITED = "rate_limited"  # 429: wait Retry-After seconds
    NOT_OPEN_YET = "not_open_yet"  # 403: before the consultation opens
    CLOSED = "closed"  # 410: after it closed
    INVALID = "invalid"  # 422: answers to correct, listed in "errors"
    UNSAVED = "unsaved"  # 503: the database could not take it; send again
    UNAVAILABLE = "unavailable"  # 503: the form cannot be read just now
    SERVER_ERROR = "server_error"  # 500: something unexpected; send again
