"""Work that runs on a second core while the build goes on.

A build spends nearly all its time in one Python process, and the machines councils build
on have at least two cores. Some jobs need nothing from the rest of the build until its end:
reading the data packages (validation and charts), writing the feed, calendar and API files,
and Material's search indexing. They run in order in one worker process per build
(``build_worker``), forked when the build starts, while the build is still small: a fork
shares memory until either side writes to it, so a late fork of a large build would copy
much of it page by page. A job may fork a short-lived process of its own from the worker
(the data packages do, see ``portal.site``). Forking is skipped, and the jobs run inline
with the same result, unless:

* the platform is Linux, which forks cheaply (macOS and Windows start fresh interpreters,
  which would cost more than they save);
* the process may use more than one CPU;
* the process has one thread, counted by the kernel rather than by Python: a fork copies
  only the calling thread, so a lock or a runtime that another thread held would never be
  released in the child. ``portal serve`` rebuilds from a watcher thread beside the web
  server, and vl-convert (the chart renderer) starts native threads once it has drawn a
  chart: both build inline;
* ``PORTAL_WORKERS`` is not ``0``: set it to build everything in one process, for example to
  profile a build or to compare its output (the tests do).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    if os.environ.get("PORTAL_WORKERS", "").strip() == "0":
        return False
    if not sys.platform.startswith("linux"):
        return False
    return len(os.sched_getaffinity(0)) > 1 and _threads() == 1


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc (a locked-down container): assume the worst
        return 2


class Worker:
    """One background process (or none) whose jobs run in the order they were given."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._inline = False

    @property
    def forked(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Fork now, while the process is small, rather than at the first real job."""
        self.submit(int)

    def submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        # Decided at the first job, when the fork happens, not when the worker is made.
        if self._pool is None and not self._inline:
            if can_fork():
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            else:
                self._inline = True
        if self._pool is not None:
            return self._pool.submit(job, *args)
        done: Future[T] = Future()
        try:
            done.set_result(job(*args))
        except Exception as error:  # handed back through result(), as the pool does
            done.set_exception(error)
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._inline = False


_current: Worker | None = None


def _forget_in_child() -> None:
    """A forked worker is not inside its parent's build: a job there that asks for the
    build's worker gets one of its own, not a copy of the parent's pool."""
    global _current
    _current = None


if hasattr(os, "register_at_fork"):  # not on Windows, which never forks a worker anyway
    os.register_at_fork(after_in_child=_forget_in_child)


@contextmanager
def build_worker() -> Iterator[Worker]:
    """The build's worker: made by the outermost caller (``portal build``, or the MkDocs
    plugin when MkDocs runs alone), shared by everything inside, closed when it ends."""
    global _current
    if _current is not None:
        yield _current
        return
    _current = Worker()
    try:
        _current.start()
        yield _current
    finally:
        _current.close()
        _current = None
