"""Run a Python module (`python audit_network.py MODULE ARGS...`) with an audit hook that
writes every network operation of this process to $GUST_NET_LOG, one line each: what
Python's audit events report for sockets (`socket.connect`, `socket.bind`,
`socket.getaddrinfo`, ...). tests/test_security.py runs `gust` and `gust-lsp` under it.

Audit hooks see the Python process only (not the go commands it starts) and every socket
operation Python's standard library makes, including asyncio's; a C extension calling the
OS directly would not be seen (Gust and its dependencies have none that do networking)."""

from __future__ import annotations

import os
import runpy
import sys
from typing import Any

# Audit events of network operations (the Python docs' audit events table).
NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
})


def main() -> None:
    log = os.environ["GUST_NET_LOG"]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in NETWORK_EVENTS:
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{event} {args[1:]!r}\n")

    sys.addaudithook(hook)
    module, *rest = sys.argv[1:]
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
