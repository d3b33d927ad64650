"""Where responses are kept: one package that the endpoint (which writes them) and the
exports, results and retention (which read and purge them) all use, so neither side imports
the other. See database.py for the table and durability rules, writer.py for group commit,
staff.py for the staff area's tables, outbox.py for email waiting to be sent and drafts.py
for forms saved to finish later."""

from portal.storage import alerts as _alerts
from portal.storage import drafts as _drafts
from portal.storage import outbox as _outbox
from portal.storage import staff as _staff
from portal.storage.database import (
    Storage,
    StorageError,
    describe,
    new_reference,
    responses,
)

# Imported for their tables: Storage.create() makes every table on the shared metadata.
del _alerts, _drafts, _outbox, _staff

__all__ = ["Storage", "StorageError", "describe", "new_reference", "responses"]
