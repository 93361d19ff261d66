"""The language server's analysis thread.

One thread runs everything that touches the analysis (`AnalysisHost` and its caches are not
thread-safe, and need not be): analyses, the requests that read them, generated Go. The
event loop only reads messages, applies edits to the documents and hands work over, so an
edit is applied while an analysis runs and the analysis, which checks between items whether
its text is still the newest, gives up at once (see gust.lsp.server).

Jobs run one at a time, by priority, and in the order they were submitted within one
priority: first what a client waits for (requests, notifications, loading and closing
documents: NOW), then background analysis (BACKGROUND: a request that needs an analysis
computes it itself, and the background job then finds it cached), then idle work (warming
caches: IDLE). While the queue stays empty for IDLE_GC_S after some work, the thread
collects garbage (see `_collect`).

No LSP here: a job is a plain callable; its exceptions go to `on_error`.
"""

from __future__ import annotations

import gc
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

logger = logging.getLogger("gust.lsp")

# Quiet time after which the thread does a full garbage collection (see `_collect`).
IDLE_GC_S = 0.5
# Priorities: lower runs first; jobs of one priority run in submission order.
NOW = 0
BACKGROUND = 1
IDLE = 2


class Worker:
    """A single background thread running submitted callables in order."""

    def __init__(self, on_error: Callable[[str, BaseException], None],
                 name: str = "gust-analysis") -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Callable[[], None]]] = \
            queue.PriorityQueue()
        self._order = itertools.count()
        self._on_error = on_error
        self._name = name
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._dirty = False  # work ran since the last idle collection

    # -- submitting (any thread) --------------------------------------------------------

    def submit(self, fn: Callable[..., Any], *args: Any, priority: int = NOW) -> Future[Any]:
        """Run `fn(*args)` on the thread; its result or exception in the future. A future
        cancelled before the job starts skips it."""
        future: Future[Any] = Future()

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
        self._put(priority, job)
        return future

    def post(self, what: str, fn: Callable[..., Any], *args: Any,
             priority: int = NOW) -> None:
        """Run `fn(*args)` on the thread, reporting an exception as a failure of `what`."""
        def job() -> None:
            try:
                fn(*args)
            except Exception as exc:
                self._on_error(what, exc)
        self._put(priority, job)

    def busy(self) -> bool:
        """Whether a job more urgent than idle work waits (idle work checks it to step
        aside; other idle work waiting does not count, or two would take turns forever)."""
        with self._queue.mutex:
            waiting = self._queue.queue
            return bool(waiting) and waiting[0][0] < IDLE

    def on_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def _put(self, priority: int, job: Callable[[], None]) -> None:
        self._ensure_started()
        self._queue.put((priority, next(self._order), job))

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                # A daemon: the process exits when the server does, whatever is running.
                thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                thread.start()
                self._thread = thread

    # -- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                _, _, job = self._queue.get(timeout=IDLE_GC_S if self._dirty else None)
            except queue.Empty:
                self._collect()
                continue
            self._dirty = True
            try:
                job()
            except BaseException as exc:  # a job's own guard failed: never end the thread
                logger.exception("analysis thread job failed")
                if isinstance(exc, Exception):
                    self._on_error("analysis thread", exc)

    def _collect(self) -> None:
        """A full garbage collection while nobody waits, then freeze what survives.

        The analysis of a large file is hundreds of thousands of long-lived objects; Python's
        automatic full collections re-scan all of them (~50 ms for 5,000 lines), at whatever
        moment allocation triggers one, e.g. in the middle of answering a keystroke. Frozen
        objects are not scanned by automatic collections, which stay cheap; this idle
        collection unfreezes first, so cycles among them are still reclaimed, only later.
        """
        self._dirty = False
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        logger.debug("idle gc: %.1f ms", (time.perf_counter() - started) * 1000)
