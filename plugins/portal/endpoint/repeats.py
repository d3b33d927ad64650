"""Recognise a double click on a form that had no submission id of its own.

The static page cannot give each visitor an id without JavaScript, so a double click there
sends two posts with none. Two posts of the same answers to the same form, from the same
address and browser, within a few seconds, are one person's double click: the second gets
the first's submission id, so it is stored once and shows the same reference.

Only a keyed hash of address, browser and answers is kept, in memory, for ``window``
seconds; the key is random per process and never leaves it, so the hash cannot be turned
back into an address. Two different people would have to send identical answers from one
address and one browser version within that window to be taken for one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections import OrderedDict
from typing import Any

WINDOW_SECONDS = 10.0
REMEMBERED = 10_000


class Repeats:
    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self.key = secrets.token_bytes(32)
        self.seen: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def submission_id(
        self, form_id: str, client: str, browser: str, answers: dict[str, Any], fresh: str
    ) -> str:
        """The id of the same post seen moments ago, else ``fresh`` (remembered from now)."""
        now = time.monotonic()
        while self.seen and next(iter(self.seen.values()))[1] < now - self.window:
            self.seen.popitem(last=False)
        message = json.dumps([form_id, client, browser, answers], sort_keys=True, default=str)
        digest = hmac.new(self.key, message.encode("utf-8"), hashlib.sha256).hexdigest()
        if digest in self.seen:
            return self.seen[digest][0]
        self.seen[digest] = (fresh, now)
        while len(self.seen) > REMEMBERED:
            self.seen.popitem(last=False)
        return fresh
