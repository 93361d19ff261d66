"""The `gust` command's entry point (and `python -m gust`'s).

It imports the command line interface with Python's cyclic garbage collector paused: the
imports make tens of thousands of objects (classes, functions, tables) that live to the
end of the process, and collections during the imports only scan them again (about 3 %
of the instructions of checking a small file). `gust.cli.main` then decides for the
rest of the process (a `gust check` keeps the collector off to its end)."""

from __future__ import annotations

import gc


def main() -> int:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from gust.cli.main import main as run
    finally:
        if was_enabled:
            gc.enable()
    return run()
