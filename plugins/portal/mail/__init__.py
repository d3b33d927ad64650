"""Email that is never lost: a respondent's copy of their answers and each contact's daily
digest of new responses.

A message is written to the outbox (portal.storage.outbox) in the same transaction as its
cause (settings.py for the environment, copy.py and digest.py for what is written), then
sent by delivery (deliver.py): the endpoint's background sender (worker.py) or ``portal
mail send`` (cli.py) claims due messages with a lease, sends them over SMTP, and retries a
failure with a growing wait, for ever; the staff area's email page shows what is failing.
"""
