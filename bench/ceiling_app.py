"""The ceiling for the endpoint benchmark: bare Starlette, parse the form, insert one row.

The same work the portal endpoint cannot avoid, and nothing else: read the urlencoded body,
parse it, insert one row into SQLite (WAL, synchronous=FULL, busy timeout) in the thread
pool, answer 303. Run with uvicorn, uvloop and httptools, as ``portal endpoint`` is::

    CEILING_DB=/tmp/c.sqlite3 uvicorn bench.ceiling_app:app --loop uvloop --http httptools
"""

import json
import os
import secrets
import sqlite3
import threading
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse
from starlette.routing import Route

DB = os.environ.get("CEILING_DB", "ceiling.sqlite3")
local = threading.local()


def connection() -> sqlite3.Connection:
    if not hasattr(local, "db"):
        local.db = sqlite3.connect(DB, timeout=10, isolation_level=None)
        local.db.execute("PRAGMA journal_mode=WAL")
        local.db.execute("PRAGMA synchronous=FULL")
        local.db.execute("PRAGMA busy_timeout=10000")
        local.db.execute(
            "CREATE TABLE IF NOT EXISTS responses (id INTEGER PRIMARY KEY, "
            "form_id TEXT, submission_id TEXT UNIQUE, answers TEXT)"
        )
    return local.db


def insert(form_id: str, fields: list[tuple[str, str]]) -> None:
    answers = dict(fields)
    connection().execute(
        "INSERT INTO responses (form_id, submission_id, answers) VALUES (?, ?, ?)",
        (form_id, answers.pop("submission_id", ""), json.dumps(answers)),
    )


async def post(request):  # type: ignore[no-untyped-def]
    fields = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    await run_in_threadpool(insert, request.path_params["form_id"], fields)
    return RedirectResponse(f"/done/{secrets.token_hex(4)}", status_code=303)


app = Starlette(routes=[Route("/responses/{form_id}", post, methods=["POST"])])
