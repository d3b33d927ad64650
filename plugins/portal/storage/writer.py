"""One writer thread per endpoint process, committing waiting responses together.

SQLite takes one writer at a time, and every commit waits for the disk (synchronous=FULL).
With many requests writing at once from the thread pool, each paid its own fsync and they
queued on the database lock with SQLite's sleeping busy handler. Here the requests that are
waiting when the writer becomes free go into one transaction: one fsync for all of them.
A request still hears back only after its row is committed, so "store before success" holds
for each of them (group commit, as databases do it internally).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

Row = dict[str, Any]
# Takes a batch of rows, returns one result per row: a reference, or an exception for it.
WriteBatch = Callable[[list[Row]], list[Any]]
MAX_BATCH = 256


class Writer:
    def __init__(self, write_batch: WriteBatch) -> None:
        self.write_batch = write_batch
        self.queue: queue.SimpleQueue[tuple[Row, Future[Any]] | None] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, row: Row) -> Future[Any]:
        future: Future[Any] = Future()
        self._start()
        self.queue.put((row, future))
        return future

    def _start(self) -> None:
        # Started on first use, so that each worker process gets its own thread.
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="portal-writer", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.queue.put(None)
            thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.queue.put(None)  # finish this batch, then stop
                    break
                batch.append(item)
            self._write([row for row, _ in batch], [future for _, future in batch])

    def _write(self, rows: list[Row], futures: list[Future[Any]]) -> None:
        try:
            results = self.write_batch(rows)
        except Exception as error:
            for future in futures:
                future.set_exception(error)
            return
        for future, result in zip(futures, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
