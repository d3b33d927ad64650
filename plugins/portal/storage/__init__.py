"""Where responses are kept: one package that the endpoint (which writes them) and the
exports, results and retention (which read and purge them) all use, so neither side imports
the other. See database.py for the table and durability rules, writer.py for group commit."""

from portal.storage.database import (
    Storage,
    StorageError,
    describe,
    new_reference,
    responses,
)

__all__ = ["Storage", "StorageError", "describe", "new_reference", "responses"]
