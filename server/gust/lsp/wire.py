"""What the server does with messages that are the client's mistake, not the server's: bytes
that are not JSON, JSON that is not a message, params of the wrong shape, and a client that
goes away (see docs/lsp.md, "Errors and robustness").

pygls logs each of these with `logger.exception` (a traceback on stderr, which editors show
in the server's output channel as if the server had crashed). The server answers and logs
them itself, in one line, so those records are dropped (`QuietClientMistakes`).
"""

from __future__ import annotations

import json
import logging

from pygls.exceptions import JsonRpcException

# pygls' records for a message it could not decode or deliver; the server reports these
# itself (GustLanguageServer.report_server_error).
_UNDECODABLE = "Unable to deserialize message"
_DECODE_FAILURES = ("Unable to handle message",)
_GONE = ("Error sending data",)
PYGLS_LOGGERS = ("pygls.server", "pygls.protocol.json_rpc", "pygls.io_")


def client_mistake(error: BaseException) -> bool:
    """Whether `error`, raised while reading a message, is the client's mistake: not JSON,
    not UTF-8, or not a message of the protocol (pygls wraps those in JsonRpcException)."""
    return isinstance(error, (JsonRpcException, json.JSONDecodeError, UnicodeDecodeError))


def client_gone(error: BaseException) -> bool:
    """Whether writing failed because the client closed its end (it exited)."""
    return isinstance(error, (BrokenPipeError, ConnectionResetError)) or (
        isinstance(error, ValueError) and "closed file" in str(error))


class QuietClientMistakes(logging.Filter):
    """Drops pygls' traceback records for the client's mistakes and for writes to a client
    that is gone; every other record passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith(_UNDECODABLE):
            # The traceback is in the message itself; the server logs its own warning.
            return False
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return True
        if message.startswith(_DECODE_FAILURES) and client_mistake(error):
            return False
        return not (message.startswith(_GONE) and client_gone(error))


def install_filters() -> None:
    quiet = QuietClientMistakes()
    for name in PYGLS_LOGGERS:
        logging.getLogger(name).addFilter(quiet)
