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
from typing import TypeVar

from gust.cli.cores import CpuTimes, idle_cores
from gust.ide.analysis import ItemFanOut, ItemOutcome
from gust.sema.items import signature_key
from gust.syntax.source import ParseCache
from gust.syntax.split import Split, split_items

T = TypeVar("T")

# Below this many characters of items to check (about 1,000 lines), forking saves less
# wall time than the CPU it adds (a fork costs ~20 ms of CPU, and the items about a fifth
# more). Measured on bench/gen_program.py's programs: docs/performance.md, "Third pass".
DEFAULT_MIN_CHARS = 30_000

# Overrides the threshold, and splits even on a busy machine (tests force the split with a
# small one).
MIN_CHARS_ENV = "GUST_CHECK_SPLIT_CHARS"


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

    def run(sizes: Sequence[int], offsets: Sequence[int],
            check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
        # Forking a process with threads may copy a lock some thread holds.
        if len(sizes) < 2 or sum(sizes) < threshold or threading.active_count() > 1:
            return None
        split = processes(ways, since)
        return _forked(shares(sizes, split), check) if split > 1 else None

    return run


def processes(ways: int, since: CpuTimes | None) -> int:
    """How many processes to share items out between: `ways`, or with `since` (the cores'
    times when the check began) this one and one per core that was idle meanwhile."""
    free = idle_cores(since) if since is not None else None
    return ways if free is None else min(ways, 1 + int(free + 0.5))


def _reap(children: Sequence[tuple[int, int, object]]) -> None:
    """Stop the children an exception left running."""
    for pid, fd, _ in children:
        with contextlib.suppress(OSError):
            os.close(fd)
            os.kill(pid, 9)
            os.waitpid(pid, 0)


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
        _reap(children)


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


def _read_child(pid: int, fd: int) -> object:
    """What a child wrote to its pipe, unpickled, once it has ended; None if it failed."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # a child that died mid-write: truncated data
        return None


def _collect(pid: int, fd: int, count: int) -> list[ItemOutcome] | None:
    """A child's outcomes, or None if it failed."""
    outcomes = _read_child(pid, fd)
    if not isinstance(outcomes, list) or len(outcomes) != count or \
            not all(isinstance(o, ItemOutcome) for o in outcomes):
        return None
    return outcomes


# ---------------------------------------------------------------- splitting before the parse


class SplitFailed(Exception):
    """A split made before the parse could not give the serial check's result (a child
    failed, or the processes parsed some item to different signature keys): the file is
    checked again, in one process."""


def split_before_parsing(text: str, ways: int, threshold: int, since: CpuTimes | None,
                         analyze: Callable[[ParseCache, ItemFanOut], T]) -> T | None:
    """`analyze(parse_cache, fan_out)` of one file, with its items shared out between
    `ways` processes from the start: each parses its own share in full and only the
    skeletons of the others' (gust.syntax.skeleton; the parse is then spread over the
    cores too), builds the environment, checks its share, and the children's outcomes
    come back to this process as with `fork_fan_out`. None when the file is too small for
    it or the cores are busy (`since`: the cores' times when the check began); raises
    SplitFailed when the result would not be the serial path's.

    Why the shares agree: the environment depends only on the items' signature keys
    (gust.sema.items.signature_key, as the server's reuse of an environment across edits
    of bodies does), and a child sends the keys of every item as it parsed it (its own in
    full, the others' skeletons) with its outcomes: they must be this process's
    (`_Share.keys`), in which the child's items are skeletons and its own are parsed in
    full, else the file is checked again in one process."""
    if ways < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    whole = split_items(text)
    chunks = whole.chunks
    sizes = [c.end - c.start for c in chunks]
    if len(chunks) < 2 or sum(sizes) < threshold:
        return None
    split = processes(ways, since)
    if split < 2:
        return None
    parts = shares(sizes, split)
    children: list[tuple[int, int, _Share]] = []
    try:
        for part in parts[1:]:
            share = _Share(text, whole, part)
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(read)
                    analyze(share.parse_cache, share.child_fan_out(write))
                finally:  # (the fan-out leaves with 0 once its outcomes are written)
                    os._exit(1)
            os.close(write)
            children.append((pid, read, share))
        share = _Share(text, whole, parts[0])
        # The fan-out collects the children, taking each off the list.
        return analyze(share.parse_cache, share.parent_fan_out(children))
    finally:
        _reap(children)


class _Share:
    """One process's share of a file split before its parse: the chunks (indices into
    the file's split) it parses in full and checks."""

    def __init__(self, text: str, whole: Split, own: Sequence[int]) -> None:
        chunks = self.chunks = whole.chunks
        self.own = own
        self.offsets = frozenset(chunks[i].start for i in own)
        # An item whose text is also another share's is parsed in full by both.
        texts = frozenset(text[chunks[i].start : chunks[i].end] for i in own)
        self.parse_cache = ParseCache(in_full=texts.__contains__, known=(text, whole))

    def consistent(self, child: bool) -> bool:
        """Whether this process parsed its own items in full (a skeleton is only ever
        parsed for the others'); a child's must also be free of syntax errors: those are
        the parsed items' (SourceFile.syntax_errors), which only this process has."""
        parsed = self.parse_cache.last_parsed()
        if len(parsed) != len(self.chunks):
            return False
        return not any(parsed[i].bodies_left_out or (child and parsed[i].errors)
                       for i in self.own)

    def keys(self) -> list[str]:
        """The signature key of every item as this process parsed it: its own in full,
        the others' skeletons. The processes' environments are the same when their keys
        are (the environment depends on nothing else: architecture invariant 6)."""
        return [signature_key(parsed.item, parsed.text)
                for parsed in self.parse_cache.last_parsed()]

    def own_outcomes(self, offsets: Sequence[int], check: Callable[[int], ItemOutcome]
                     ) -> dict[int, ItemOutcome]:
        return {offset: check(i) for i, offset in enumerate(offsets) if offset in self.offsets}

    def child_fan_out(self, write: int) -> ItemFanOut:
        def run(sizes: Sequence[int], offsets: Sequence[int],
                check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
            consistent = self.consistent(child=True)
            keys = self.keys() if consistent else []
            outcomes = self.own_outcomes(offsets, check) if consistent else {}
            data = pickle.dumps((consistent, keys, outcomes), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            os._exit(0)

        return run

    def parent_fan_out(self, children: list[tuple[int, int, _Share]]) -> ItemFanOut:
        def run(sizes: Sequence[int], offsets: Sequence[int],
                check: Callable[[int], ItemOutcome]) -> list[ItemOutcome] | None:
            found = self.own_outcomes(offsets, check) if self.consistent(child=False) \
                else None
            keys = self.keys() if found is not None else None
            failed = found is None
            while children:
                pid, fd, _ = children.pop()
                theirs = _collect_share(pid, fd, keys)
                if theirs is None:
                    failed = True
                elif found is not None:
                    found.update(theirs)
            if failed or found is None or any(offset not in found for offset in offsets):
                raise SplitFailed
            return [found[offset] for offset in offsets]

        return run


def _collect_share(pid: int, fd: int, keys: list[str] | None
                   ) -> dict[int, ItemOutcome] | None:
    """A child's outcomes by item offset, or None if it failed, found its share
    inconsistent, or parsed the items to other signature keys than `keys` (this
    process's: then the environments could differ)."""
    found = _read_child(pid, fd)
    if not isinstance(found, tuple) or len(found) != 3:
        return None
    consistent, theirs, outcomes = found
    if consistent is not True or theirs != keys or not isinstance(outcomes, dict) or \
            not all(isinstance(o, ItemOutcome) for o in outcomes.values()):
        return None
    return outcomes
