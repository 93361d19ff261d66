"""The server's log on stderr, written so that it can never stop the server.

A client starts `gust-lsp` with its stderr on a pipe; VS Code and Neovim read that pipe,
but a client that does not (pygls' own client, a script) lets it fill: 64 KiB of warnings
later, a thread writing one more line to it blocks, and if that thread is the event loop
the server stops answering for good. So no serving thread writes to stderr: log records go
into a bounded queue, one daemon thread writes them out, and when the queue is full (the
pipe is full and the writer is blocked on it) records are dropped, and how many is said
when the writer catches up. Nothing waits for that writer at exit either (`_Listener.stop`,
`_Writer`, a stderr file object of its own): a client that closes the pipes without ever
reading stderr sees the server exit at once.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import queue
import sys
import threading
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUEUE_SIZE = 1000  # records waiting for the writer; beyond that they are dropped
STOP_WAIT_S = 1.0  # how long the exit waits for room in the queue, then for the writer


class _DroppingQueueHandler(logging.handlers.QueueHandler):
    """Puts a record into the queue without waiting; counts the records it had to drop."""

    def __init__(self, records: queue.Queue[logging.LogRecord]) -> None:
        super().__init__(records)
        self._lock_dropped = threading.Lock()
        self.dropped = 0

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            with self._lock_dropped:
                self.dropped += 1

    def take_dropped(self) -> int:
        with self._lock_dropped:
            dropped, self.dropped = self.dropped, 0
        return dropped


class _Writer(logging.StreamHandler):  # type: ignore[type-arg]
    """The writer thread's handler: says first how many records were dropped before it.

    Only the writer thread uses it, and it may stay blocked in a write for good, so nothing
    else may wait for it: it takes no lock around a record, and flushing it (which
    `logging.shutdown` does at exit) does nothing, each record being flushed as it is
    written."""

    def __init__(self, stream: TextIO, source: _DroppingQueueHandler) -> None:
        super().__init__(stream)
        self._source = source

    def handle(self, record: logging.LogRecord) -> bool:
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        if dropped := self._source.take_dropped():
            self.stream.write(f"... {dropped} log records dropped: stderr was not read\n")
        super().emit(record)  # (StreamHandler.emit flushes)

    def flush(self) -> None:
        pass


class _Listener(logging.handlers.QueueListener):
    """A listener whose `stop()` cannot fail or hang: the standard one puts its end marker
    into the queue without waiting (`queue.Full`, a traceback and exit status 1 when the
    queue is full because nobody reads the pipe) and then waits for the writer for good
    (which may be blocked on that pipe). This one waits a moment for each, then leaves the
    rest of the log to the daemon writer, which dies with the process."""

    def enqueue_sentinel(self) -> None:
        with contextlib.suppress(queue.Full):
            self.queue.put(self._sentinel, timeout=STOP_WAIT_S)  # type: ignore[attr-defined]

    def stop(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self.enqueue_sentinel()
        thread.join(STOP_WAIT_S)
        self._thread = None


def _own_stderr() -> TextIO:
    """A file object of its own on the process's stderr: the writer thread, blocked on a full
    pipe, then holds its lock and not `sys.stderr`'s, which the interpreter flushes as it
    exits (it would wait for good, or abort with "could not acquire lock")."""
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1,
                         encoding=sys.stderr.encoding or "utf-8", errors="backslashreplace")
    except (AttributeError, OSError, ValueError):  # no stderr file descriptor
        return sys.stderr


def log_to_stderr(level: str, stream: TextIO | None = None) -> logging.handlers.QueueListener:
    """Route the root logger through the queue to `stream` (stderr); returns the started
    listener, whose `stop()` writes out what is still queued (call it before exiting)."""
    records: queue.Queue[logging.LogRecord] = queue.Queue(QUEUE_SIZE)
    handler = _DroppingQueueHandler(records)
    writer = _Writer(stream if stream is not None else _own_stderr(), handler)
    writer.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    listener = _Listener(records, writer)
    listener.start()
    return listener
