"""The endpoint's background sender: every PORTAL_MAIL_INTERVAL seconds, delivery in a
thread (SMTP and the database block), until the endpoint shuts down.

Each endpoint worker process runs one; their claims (deliver.py) keep them from sending a
message twice. Shutting down waits for the message being sent, never starts another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from portal.alerts.announce import announce
from portal.mail import deliver
from portal.mail.settings import MailSettings
from portal.storage import Storage, describe

log = logging.getLogger("portal.mail")


@dataclass
class Sender:
    task: asyncio.Task[None]
    stop: threading.Event

    async def close(self) -> None:
        self.stop.set()
        self.task.cancel()  # wakes the sleep; a run in its thread finishes its message
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def start(
    storage: Storage,
    settings: MailSettings,
    site_dir: Path | None = None,
    locale_dir: Path | None = None,
) -> Sender | None:
    """The sender, started; None when mail is not configured (messages wait in the outbox).

    With ``site_dir``, each round first queues the alerts for what the last build
    published (portal.alerts.announce), so they go out in the same round.
    """
    if not settings.configured:
        return None
    stop = threading.Event()
    site = (site_dir, locale_dir) if site_dir is not None else None
    return Sender(asyncio.create_task(_loop(storage, settings, stop, site)), stop)


# The built site and the site's own catalogues (PORTAL_LOCALE_DIR), for the alerts.
Site = tuple[Path, Path | None]


async def _loop(
    storage: Storage, settings: MailSettings, stop: threading.Event, site: Site | None
) -> None:
    while not stop.is_set():
        run = asyncio.create_task(asyncio.to_thread(_run_once, storage, settings, stop, site))
        try:
            # Shielded: cancelling the sender must not leave a run using the database
            # while the endpoint disposes of it; the run sees ``stop`` and ends.
            await asyncio.shield(run)
        except asyncio.CancelledError:
            await run
            raise
        await asyncio.sleep(settings.interval)


def _run_once(
    storage: Storage, settings: MailSettings, stop: threading.Event, site: Site | None
) -> None:
    if site is not None:
        try:
            announce(storage, *site)
        except Exception as error:  # the database is down: the next round tries again
            log.error("alerts could not be queued: %s", describe(error))
    try:
        outcome = deliver.run(storage, settings, stop)
    except Exception as error:  # the database is down: try again next time, keep serving
        log.error("email could not be sent: %s", describe(error))
        return
    if outcome.sent or outcome.failed:
        log.info("email: %d sent, %d failed", outcome.sent, outcome.failed)
