"""`gust-lsp` under tracemalloc, for bench/lsp_memory.py --tracemalloc (finding a leak).

    python bench/traced_server.py DIR [gust-lsp arguments]

Serves as `gust-lsp` does. The first SIGUSR1 starts tracemalloc (10 frames per allocation;
the imports and the cold open run untraced, at full speed: traced, they take minutes), and
every SIGUSR1 writes a snapshot of the traced allocations to DIR/snapshot_N.pickle (N counts
from 0), then DIR/snapshot_N.done, so the benchmark knows it is complete. What the last
snapshot holds and the second does not is what was allocated in between and is still alive:
the growth (not the first: it is taken as tracing starts, so everything alive later that
was allocated since, even what only replaced older state, would look like growth).
Snapshots are taken in the main thread between two bytecodes; the analysis
thread may be mid-job, which only adds its temporaries.
"""

from __future__ import annotations

import itertools
import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType

FRAMES = 10


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    counter = itertools.count()

    def dump(signum: int, frame: FrameType | None) -> None:
        if not tracemalloc.is_tracing():
            tracemalloc.start(FRAMES)
        n = next(counter)
        tracemalloc.take_snapshot().dump(str(out / f"snapshot_{n}.pickle"))
        (out / f"snapshot_{n}.done").write_text("")

    signal.signal(signal.SIGUSR1, dump)
    from gust.lsp.server import main as serve

    serve(sys.argv[2:])


if __name__ == "__main__":
    main()
