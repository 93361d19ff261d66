"""`gust-lsp` under tracemalloc, for bench/lsp_memory.py --tracemalloc (finding a leak).

    python bench/traced_server.py DIR [gust-lsp arguments]

Imports the server, starts tracemalloc (10 frames per allocation: the imports are not traced,
which under tracemalloc would take minutes), then serves as `gust-lsp` does. Each SIGUSR1
writes a snapshot of the traced allocations to DIR/snapshot_N.pickle (N counts from 0) and
then DIR/snapshot_N.done, so the benchmark knows it is complete. The snapshot is taken in
the main thread between two bytecodes; the analysis thread may be mid-job, which only adds
its temporaries to the snapshot.
"""

from __future__ import annotations

import itertools
import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    counter = itertools.count()
    from gust.lsp.server import main as serve

    tracemalloc.start(10)

    def dump(signum: int, frame: FrameType | None) -> None:
        n = next(counter)
        tracemalloc.take_snapshot().dump(str(out / f"snapshot_{n}.pickle"))
        (out / f"snapshot_{n}.done").write_text("")

    signal.signal(signal.SIGUSR1, dump)
    serve(sys.argv[2:])


if __name__ == "__main__":
    main()
