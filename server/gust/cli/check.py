"""`gust check` for many files: packages found, checked in parallel, results cached on disk.

The work is cut into *units*, each checked on its own: a package (the files of a directory,
or one program of a directory of programs: gust.packages), or a file named alone on the
command line (checked alone, as before). Units are independent, so they are checked in a
pool of processes (one per core) and put back in command-line order: the output does not
depend on the number of processes.

Each unit's result is cached on disk (gust.cli.check_cache), keyed by what it depends on:
Gust's own code, the unit's file names and texts, and the Go packages it imports. An
unchanged tree is answered from the cache without parsing anything.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gust import diagnostics as d
from gust.budget import DEFAULT_SECONDS
from gust.cli import check_cache
from gust.cli.cores import CpuTimes, available_cores
from gust.cli.files import find_gust_files
from gust.frozen import dataclass
from gust.gcpause import paused_gc
from gust.hashing import content_hash
from gust.packages import group_with_modules, mod_declarations, module_layout
from gust.text import starts_word

if TYPE_CHECKING:
    from gust.ide.analysis import AnalysisHost

# `use go "net/http"`. Without a leading `\b`, which `go_imports` checks (`starts_word`:
# the 5,000-line bench file is searched in 0.05 ms, against 5.6 ms with it).
_USE_GO = re.compile(r'use\s+go\s+"([^"]*)"')
_MODULE = re.compile(r"^\s*module\s+\"?([^\s\"]+)\"?", re.MULTILINE)


def go_imports(text: str) -> list[str]:
    """The Go packages a file imports (`use go "net/http"`: the `use` a word of its own)."""
    return [m[1] for m in _USE_GO.finditer(text)
            if starts_word(text, m.start())]


class PathError(Exception):
    """A path on the command line that is missing or unreadable (a usage error)."""


@dataclass(frozen=True)
class Unit:
    """Files checked together: (path as shown, text) pairs."""

    files: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FileResult:
    path: str
    text: str
    diagnostics: tuple[d.Diagnostic, ...]


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PathError(f"cannot read {path}: {e.strerror}") from e
    # Invalid UTF-8 is replaced, not fatal: the replacement characters get diagnostics.
    return data.decode("utf-8", errors="replace")


def collect_units(paths: Sequence[str], cache: check_cache.CheckCache | None = None
                  ) -> list[Unit]:
    """The units of the paths named: a file alone, a directory's packages (recursively,
    honouring .gitignore: gust.cli.files)."""
    units: list[Unit] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            texts = {str(p): read_source(p) for p in find_gust_files(path)}
            groups = _packages(texts, cache)
            units.extend(Unit(tuple((p, texts[p]) for p in group)) for group in groups)
        elif path.is_file():
            units.append(Unit(((name, read_source(path)), *_module_files(name))))
        else:
            raise PathError(f"no such file or directory: {name}")
    return units


def _packages(texts: dict[str, str], cache: check_cache.CheckCache | None
              ) -> list[list[str]]:
    """The packages of a directory's files (gust.packages), remembered in the cache by
    the files' names and texts: an unchanged tree is not even cut into items."""
    key = cache.key(list(texts.items()), "packages") if cache is not None else None
    if cache is not None and key is not None:
        found = cache.get_packages(key)
        if found is not None and sorted(p for g in found for p in g) == sorted(texts):
            return found
    groups = group_with_modules(texts)
    if cache is not None and key is not None:
        cache.put_packages(key, groups)
    return groups


def _module_files(path: str) -> list[tuple[str, str]]:
    """The files of the modules a file named alone declares (`mod name;`), from disk."""
    texts: dict[str, str | None] = {}

    def declarations(p: str) -> tuple[str, ...] | None:
        if p not in texts:
            try:
                texts[p] = read_source(Path(p)) if Path(p).is_file() else None
            except PathError:
                texts[p] = None
        text = texts[p]
        return None if text is None else mod_declarations(text)

    layout = module_layout([path], declarations)
    return [(p, text) for p in layout.files_of([path])[1:]
            if (text := texts.get(p)) is not None]


def check_unit(unit: Unit, time_budget: float | None = DEFAULT_SECONDS, ways: int = 1,
               since: CpuTimes | None = None) -> list[list[dict[str, object]]]:
    """Check one unit (in a worker process): each file's diagnostics, as plain data. An
    item whose analysis takes over `time_budget` seconds gets the `time_budget` warning.
    With `ways` > 1 (a unit checked alone), the items of a large file are checked in
    that many processes (gust.cli.item_split), with the same result: a unit of one file
    without Go imports is shared out before it is parsed (`split_before_parsing`), and
    others once their environment is built (`fork_fan_out`). `since`: the cores' times
    when the command began.

    The cyclic garbage collector is off while units are checked (check_units, _run): a
    check's trees, types and tables live until its end, and a collection when the
    collector came back on scanned every one of them (80-150 ms of a cold check of 5,000
    lines, for nothing: a single unit's process ends right after). What a unit leaves
    in cycles (the checker's closures that refer to themselves) is collected after each
    unit but the last of a process (`_run`, `_collected_after`): a collection of the
    youngest generation, which holds everything made since the last one (that unit's
    objects: the garbage and the little that lives on, which moves to an older
    generation); a full collection would scan every object of the process each time (12 %
    of the checks of a tree of small programs). Not before the first unit: that would
    only scan what the imports made (45,000 objects, 7-14 ms, for a file checked
    alone)."""
    from gust.ide.analysis import AnalysisHost
    from gust.project.gopackages import GoPackages
    from gust.project.gust_packages import GustModulePackages
    from gust.project.provider import go_provider

    def new_host() -> AnalysisHost:
        host = AnalysisHost(go_provider(GoPackages(module_packages=True)),
                            GustModulePackages())
        host.time_budget = time_budget
        return host

    fan_out = None
    if ways > 1:
        from gust.cli import item_split

        if item_split.worth_splitting(ways):
            # Forced by hand (tests): on however busy a machine.
            if item_split.MIN_CHARS_ENV in os.environ:
                since = None
            if len(unit.files) == 1 and not go_imports(unit.files[0][1]):
                found = _split_before_parsing(new_host, *unit.files[0], ways, since)
                if found is not None:
                    return [found]
            else:
                # (Loading Go packages is done once, before the items are shared out.)
                fan_out = item_split.fork_fan_out(ways, item_split.min_chars(), since)
    host = new_host()
    host.fan_out = fan_out
    for path, text in unit.files:
        host.set_text(path, text)
    return [[check_cache.diagnostic_to_data(diag) for diag in host.analyze(path).diagnostics()]
            for path, _ in unit.files]


def _split_before_parsing(new_host: Callable[[], AnalysisHost], path: str, text: str,
                          ways: int, since: CpuTimes | None
                          ) -> list[dict[str, object]] | None:
    """One file's diagnostics, its items shared out before the parse
    (item_split.split_before_parsing); None when it is not split, or when the split
    could not give the serial path's result (then it is checked again in one process)."""
    from gust.cli import item_split
    from gust.ide.analysis import BodiesLeftOut, ItemFanOut
    from gust.syntax.source import ParseCache

    def analyze(parse_cache: ParseCache, fan_out: ItemFanOut) -> list[dict[str, object]]:
        host = new_host()
        host.fan_out = fan_out
        host.set_text(path, text, parse_cache=parse_cache)
        return [check_cache.diagnostic_to_data(diag)
                for diag in host.analyze(path).diagnostics()]

    try:
        return item_split.split_before_parsing(text, ways, item_split.min_chars(), since,
                                               analyze)
    except (item_split.SplitFailed, BodiesLeftOut):
        return None


def _go_fingerprint(unit: Unit) -> str:
    """What the Go packages the unit imports depend on, for the cache key (without loading
    them, which would import the whole checker): the Go toolchain (its path and date: the
    standard library's API), and for a package of the user's module, its `.go` files and
    the module's go.mod and go.sum, as gust.project.gopackages keys its own cache."""
    imports = sorted({(m, os.path.dirname(path) or ".") for path, text in unit.files
                      for m in go_imports(text)})
    if not imports:
        return ""
    from gust.cli.gotool import GoNotFound, find_go

    digest = content_hash()
    try:
        go = find_go()
        digest.update(f"{go}\x00{_mtime(Path(go))}".encode())
    except GoNotFound:
        digest.update(b"no go")
    for import_path, directory in imports:
        digest.update(f"\x01{import_path}\x00".encode())
        module = _module_of(Path(directory))
        if module is None:
            continue
        root, name = module
        files = [root / "go.mod", root / "go.sum"]
        if import_path == name or import_path.startswith(name + "/"):
            package_dir = root / import_path[len(name):].lstrip("/")
            files += sorted(package_dir.glob("*.go"))
        for f in files:
            digest.update(f.name.encode() + b"\x00")
            with contextlib.suppress(OSError):
                digest.update(f.read_bytes())
    return digest.hexdigest()


def _crates_fingerprint(unit: Unit, modules: dict[Path, str]) -> str:
    """What the other Gust packages a unit may use depend on (`use textkit::..`: the Gust
    packages of its Go module, gust.project.gust_packages): every `.gust` file of the
    module, by name, size and time (once per module)."""
    if not unit.files:
        return ""
    module = _module_of(Path(os.path.dirname(unit.files[0][0]) or "."))
    if module is None:
        return ""
    root = module[0]
    if root not in modules:
        digest = content_hash()
        for current, dirs, names in os.walk(root):
            dirs[:] = sorted(x for x in dirs if not x.startswith((".", "_")) and
                             x not in ("testdata", "vendor", "node_modules"))
            for name in sorted(n for n in names if n.endswith(".gust")):
                path = Path(current) / name
                with contextlib.suppress(OSError):
                    stat = path.stat()
                    digest.update(f"{path}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x01".encode())
        modules[root] = digest.hexdigest()
    return "crates " + modules[root]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _module_of(directory: Path) -> tuple[Path, str] | None:
    """The nearest go.mod at or above `directory`: its directory and module path."""
    for parent in (directory.resolve(), *directory.resolve().parents):
        try:
            text = (parent / "go.mod").read_text(encoding="utf-8")
        except OSError:
            continue
        match = _MODULE.search(text)
        return (parent, match[1]) if match else None
    return None


def check_units(units: Sequence[Unit], jobs: int | None = None,
                cache: check_cache.CheckCache | None = None,
                time_budget: float | None = DEFAULT_SECONDS,
                since: CpuTimes | None = None) -> list[FileResult]:
    """Check every unit (cached ones from the cache), in a pool of `jobs` processes
    (default: one per core). Results in the order of the units and of their files.
    `since`: the cores' times when the command began (whether a unit checked alone has a
    core to spare: gust.cli.item_split)."""
    with paused_gc():
        return _check_units(units, jobs, cache, time_budget, since)


def _check_units(units: Sequence[Unit], jobs: int | None,
                 cache: check_cache.CheckCache | None,
                 time_budget: float | None, since: CpuTimes | None) -> list[FileResult]:
    modules: dict[Path, str] = {}
    # (The budget is part of the key: a unit that gave up is checked again with more.)
    keys = [cache.key(u.files, _go_fingerprint(u) + _crates_fingerprint(u, modules) +
                      f"budget {time_budget}")
            if cache is not None else None for u in units]
    found: list[list[list[dict[str, object]]] | None] = [
        cache.get(k) if cache is not None and k is not None else None for k in keys]
    todo = [i for i, f in enumerate(found) if f is None]
    # One unit to check leaves the other cores idle: its items are shared out instead.
    ways = 1
    if len(todo) == 1:
        ways = min(jobs or available_cores(), available_cores())
    check = functools.partial(check_unit, time_budget=time_budget, ways=ways, since=since)
    for i, result in zip(todo, _run(check, [units[i] for i in todo], jobs), strict=True):
        found[i] = result
        key = keys[i]
        if cache is not None and key is not None:
            cache.put(key, result)
    results: list[FileResult] = []
    for unit, data in zip(units, found, strict=True):
        assert data is not None
        for (path, text), diags in zip(unit.files, data, strict=True):
            results.append(FileResult(path, text, tuple(
                check_cache.diagnostic_from_data(x) for x in diags)))
    return results


def _run(fn: Callable[[Unit], list[list[dict[str, object]]]], units: list[Unit],
         jobs: int | None) -> list[list[list[dict[str, object]]]]:
    workers = min(jobs or os.cpu_count() or 1, len(units))
    if workers <= 1:
        out = []
        for i, unit in enumerate(units):
            if i:
                gc.collect(0)  # the previous unit's cycles (check_unit)
            out.append(fn(unit))
        return out
    # Imported here: a single unit (a file named alone) never starts a pool.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: the workers start with gust already imported.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and \
        sys.platform != "darwin" else "spawn"
    # The workers keep the collector off, as this process does (check_unit).
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=gc.disable) as pool:
        # Big units first keeps every worker busy to the end; results return in order.
        order = sorted(range(len(units)), key=lambda i: -sum(len(t) for _, t in units[i].files))
        done = dict(zip(order, pool.map(functools.partial(_collected_after, fn),
                                        [units[i] for i in order]), strict=True))
    return [done[i] for i in range(len(units))]


def _collected_after(fn: Callable[[Unit], list[list[dict[str, object]]]], unit: Unit
                     ) -> list[list[dict[str, object]]]:
    """`fn(unit)` in a pool's worker, which may check another unit next: the cycles this
    one left are collected first (check_unit)."""
    result = fn(unit)
    gc.collect(0)
    return result
