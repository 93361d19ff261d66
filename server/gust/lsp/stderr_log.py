"""The server's log on stderr, written so that it can never stop the server.

A client starts `gust-lsp` with its stderr on a pipe; VS Code and Neovim read that pipe,
but a client that does not (pygls' own client, a script) lets it fill: 64 KiB of warnings
later, a thread writing one more line to it blocks, and if that thread is the event loop
the server stops answering for good. So no serving thread writes to stderr: log records go
into a bounded queue, one daemon thread writes them out, and when the queue is full (the
pipe is full and the writer is blocked on it) records are dropped, and how many is said
when the writer catches up.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import sys
import threading
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUEUE_SIZE = 1000  # records waiting for the writer; beyond that they are dropped


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
    """The writer thread's handler: says first how many records were dropped before it."""

    def __init__(self, stream: TextIO, source: _DroppingQueueHandler) -> None:
        super().__init__(stream)
        self._source = source

    def emit(self, record: logging.LogRecord) -> None:
        if dropped := self._source.take_dropped():
            self.stream.write(f"... {dropped} log records dropped: stderr was not read\n")
        super().emit(record)


def log_to_stderr(level: str, stream: TextIO | None = None) -> logging.handlers.QueueListener:
    """Route the root logger through the queue to `stream` (stderr); returns the started
    listener, whose `stop()` writes out what is still queued (call it before exiting)."""
    records: queue.Queue[logging.LogRecord] = queue.Queue(QUEUE_SIZE)
    handler = _DroppingQueueHandler(records)
    writer = _Writer(stream if stream is not None else sys.stderr, handler)
    writer.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    listener = logging.handlers.QueueListener(records, writer)
    listener.start()
    return listener
