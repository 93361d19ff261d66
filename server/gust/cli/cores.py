"""How busy this machine's cores are: whether a check has a core to spare for a second
process (gust.cli.item_split). Read before anything heavy is imported: `gust check` takes
its first reading as it starts, and the import of the checker is the time it measures."""

from __future__ import annotations

import os

from gust.frozen import dataclass


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
