"""The items of one large file checked in forked processes (`gust check` of one unit).

Once a file is parsed and its environment built, checking each item (types, borrows, the
Go that finds what the backend cannot translate) depends only on that environment: the
host hands the work to an `ItemFanOut` (gust.ide.analysis), and this one forks the process
(`os.fork`: the children have everything the parent built, nothing is imported or parsed
again), shares the items out by size, checks one share itself and reads the others'
outcomes back through pipes as pickled plain data. The host puts them back in item order,
so the diagnostics are the serial path's, byte for byte.

It is used for a unit checked alone (`gust check FILE`, or a tree of one package), on a
machine with a core to spare (`worth_splitting` before parsing, then `idle_cores` over the
parse: how much of the other cores nobody used), for files above `DEFAULT_MIN_CHARS`. Any
failure of a child (an exception, a signal, bad data) makes the fan-out answer None, and
the host checks every item itself. Only the CLI uses it: the language server's
analyses are incremental and cancellable, and its process has threads.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable, Sequence

from gust.frozen import dataclass
from gust.ide.analysis import ItemFanOut, ItemOutcome

# Below this many characters of items to check (about 1,000 lines), forking saves less
# wall time than the CPU it adds (a fork costs ~20 ms of CPU, and the items about a fifth
# more). Measured on bench/gen_program.py's programs: docs/performance.md, "Third pass".
DEFAULT_MIN_CHARS = 30_000

# Overrides the threshold, and splits even on a busy machine (tests force the split with a
# small one).
MIN_CHARS_ENV = "GUST_CHECK_SPLIT_CHARS"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def min_chars() -> int:
    value = os.environ.get(MIN_CHARS_ENV, "")
    return int(value) if value.isdigit() else DEFAULT_MIN_CHARS


def worth_splitting(ways: int) -> bool:
    """Whether another core is likely idle, before the file is even parsed: the load
    average (the last minute) leaves at least half a core of the `ways` free. On a
    saturated machine the split only adds its cost (about a fifth more CPU for the items:
    the children's copied pages and caches filled twice) and ends no sooner. Always when
    the threshold is set by hand. (`fork_fan_out` checks again when it is time to fork,
    from what the cores did meanwhile: `idle_cores`.)"""
    if MIN_CHARS_ENV in os.environ:
        return True
    try:
        return os.getloadavg()[0] < ways - 0.5
    except OSError:  # no load average to read
        return True


@dataclass(frozen=True, slots=True)
class CpuTimes:
    """The time (in clock ticks) this process's cores have spent, in all and idle, since
    boot: two readings tell how much of those cores nobody used in between."""

    total: int
    idle: int
    cores: int


def cpu_times() -> CpuTimes | None:
    """The cores' times now (Linux's /proc/stat, the cores this process may run on);
    None where there is no such file."""
    try:
        allowed = os.sched_getaffinity(0)
        with open("/proc/stat", encoding="ascii") as f:
            lines = f.read().splitlines()
    except (AttributeError, OSError, ValueError):
        return None
    total = idle = cores = 0
    for line in lines:
        if not (line.startswith("cpu") and line[3:4].isdigit()):
            continue
        fields = line.split()
        if int(fields[0][3:]) not in allowed or len(fields) < 6:
            continue
        ticks = [int(x) for x in fields[1:9]]  # user .. steal (guest time is in user)
        total += sum(ticks)
        idle += ticks[3] + ticks[4]  # idle, iowait
        cores += 1
    return CpuTimes(total, idle, cores) if cores else None


# Fewer ticks than this per core between two readings (about 50 ms at Linux's 100 per
# second) say too little about how busy the cores are.
_MIN_TICKS_PER_CORE = 5


def idle_cores(since: CpuTimes | None) -> float | None:
    """How many cores nobody used since `since` (this process was busy all along, parsing
    the file: what is idle is what a child would get); None when that is not known."""
    now = cpu_times()
    if since is None or now is None or now.cores != since.cores:
        return None
    total, idle = now.total - since.total, now.idle - since.idle
    if total < _MIN_TICKS_PER_CORE * now.cores:
        return None
    return now.cores * idle / total


def fork_fan_out(ways: int, threshold: int, since: CpuTimes | None = None
                 ) -> ItemFanOut | None:
    """A fan-out over `ways` processes (this one included) for items totalling at least
    `threshold` characters; None where it cannot help (one way, no fork). With `since`
    (the cores' times when the check began), it forks only as many children as there
    were idle cores meanwhile, rounded (none: the items are checked here): the load
    average counts only this machine's own processes, while a shared or virtual
    machine's cores may be busy with others' (measured: a load of 1 on two cores that
    gave two processes one core's time between them)."""
    if ways < 2 or not hasattr(os, "fork"):
        return None

    def run(sizes: Sequence[int], check: Callable[[int], ItemOutcome]
            ) -> list[ItemOutcome] | None:
        # Forking a process with threads may copy a lock some thread holds.
        if len(sizes) < 2 or sum(sizes) < threshold or threading.active_count() > 1:
            return None
        split = ways
        free = idle_cores(since) if since is not None else None
        if free is not None:
            split = min(ways, 1 + int(free + 0.5))
            if split < 2:
                return None
        return _forked(shares(sizes, split), check)

    return run


def shares(sizes: Sequence[int], ways: int) -> list[list[int]]:
    """The items (indices) split into at most `ways` shares of about equal size: biggest
    first, each to the lightest share so far. Each share in item order."""
    loads = [0] * min(ways, len(sizes))
    out: list[list[int]] = [[] for _ in loads]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = loads.index(min(loads))
        loads[lightest] += sizes[i]
        out[lightest].append(i)
    return [sorted(share) for share in out if share]


def _forked(parts: list[list[int]], check: Callable[[int], ItemOutcome]
            ) -> list[ItemOutcome] | None:
    children: list[tuple[int, int, list[int]]] = []
    try:
        for share in parts[1:]:
            children.append(_spawn(share, check))
        found = {i: check(i) for i in parts[0]}
        failed = False
        for pid, fd, share in children:
            outcomes = _collect(pid, fd, len(share))
            children = [c for c in children if c[0] != pid]
            if outcomes is None:
                failed = True
            else:
                found.update(zip(share, outcomes, strict=True))
        return None if failed else [found[i] for i in range(len(found))]
    finally:
        for pid, fd, _ in children:  # what an exception here left running
            with contextlib.suppress(OSError):
                os.close(fd)
                os.kill(pid, 9)
                os.waitpid(pid, 0)


def _spawn(share: list[int], check: Callable[[int], ItemOutcome]) -> tuple[int, int, list[int]]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check its share, write it, and leave without cleaning up
        code = 1
        try:
            os.close(read)
            data = pickle.dumps([check(i) for i in share], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        finally:
            # No atexit handlers, no flushing of the parent's buffered output.
            os._exit(code)
    os.close(write)
    return pid, read, share


def _collect(pid: int, fd: int, count: int) -> list[ItemOutcome] | None:
    """A child's outcomes, or None if it failed."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        outcomes = pickle.loads(data)
    except Exception:  # a child that died mid-write: truncated data
        return None
    if not isinstance(outcomes, list) or len(outcomes) != count or \
            not all(isinstance(o, ItemOutcome) for o in outcomes):
        return None
    return outcomes
