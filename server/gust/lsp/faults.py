"""Fault injection, for tests only: `GUST_LSP_FAULTS=hover,completion:1` makes those
handlers raise before doing any work, so the tests can check with a real client, against
the real server, that a bug in one feature is caught, reported and survived
(docs/lsp.md, "Errors and robustness").

An entry names a handler by its method without the `textDocument/` or `workspace/` prefix
(`hover`, `semanticTokens/full`, `completionItem/resolve`, `symbol`, `gust/generatedGo`,
`didChange`), or one of the server's own jobs (`analysis`: the analysis that publishes a
document's diagnostics; `generatedGo/refresh`). It also matches the names under it
(`gust` is every `gust/...` request, `semanticTokens` all three kinds), and `*` matches
every handler; the most specific entry applies. `NAME:N` fails the first N calls only, after
which the handler works again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

ENV = "GUST_LSP_FAULTS"
_PREFIXES = ("textDocument/", "workspace/")


class InjectedFault(RuntimeError):
    """The exception an armed handler raises (never raised unless GUST_LSP_FAULTS is set)."""


def handler_name(method: str) -> str:
    """The name GUST_LSP_FAULTS knows a method by: `textDocument/hover` is `hover`."""
    for prefix in _PREFIXES:
        if method.startswith(prefix):
            return method[len(prefix):]
    return method


class Faults:
    """Which handlers fail, and how many more times (None: always)."""

    def __init__(self, spec: str = "") -> None:
        self._left: dict[str, int | None] = {}
        for entry in spec.split(","):
            name, _, count = entry.strip().partition(":")
            if name:
                self._left[name] = int(count) if count.strip().isdigit() else None
        self._lock = threading.Lock()

    @staticmethod
    def from_env(environ: Mapping[str, str] | None = None) -> Faults:
        return Faults((os.environ if environ is None else environ).get(ENV, ""))

    def __bool__(self) -> bool:
        return bool(self._left)

    def check(self, method: str) -> None:
        """Raise `InjectedFault` if the handler of `method` is armed (any thread)."""
        if not self._left:
            return
        name = handler_name(method)
        with self._lock:
            # The most specific entry that still fails (`semanticTokens/full/delta:1`
            # before `semanticTokens/full:1`).
            armed = [e for e, left in self._left.items()
                     if (e == "*" or name == e or name.startswith(e + "/")) and
                     (left is None or left > 0)]
            if not armed:
                return
            entry = max(armed, key=lambda e: -1 if e == "*" else len(e))
            left = self._left[entry]
            if left is not None:
                self._left[entry] = left - 1
        raise InjectedFault(f"injected fault in {method} ({ENV})")
