"""The speed of the Go that Gust writes: bench/programs/ built three ways, timed side by side.

Each program NAME is written in Gust (`NAME.gust`, inside the Rust-compatible core) and as
idiomatic hand-written Go (`NAME.go`, standard library only). The runner builds

- gust:  `gust build --release` of NAME.gust, then `go build` (the Go that Gust writes, in
         the release profile: integer arithmetic wraps as in `rustc -O`; `--debug` times
         the default profile instead, whose arithmetic panics on overflow);
- go:    `go build` of NAME.go (what a Go programmer would write);
- rustc: `rustc -O --edition 2021` of NAME.gust copied to NAME.rs,

checks that the three print the same bytes (each program prints a checksum of its work),
runs each binary `--runs` times after one warm-up run, the three in turn (gust, go, rustc,
gust, ...: a change of load weighs on all three), and prints a table: the median wall
time and CPU time (user + sys of the child, from getrusage) per run, the ratio gust / go,
and the heap allocations per run. With `--instructions` it also counts the instructions of
one run of each binary under valgrind's callgrind, with Go's collector off (`GOGC=off`) and
one thread (`GOMAXPROCS=1`): a count that is the same on every run whatever the machine's
load, where the medians of times move by several percent between runs on a shared machine.
It counts the programs' own work and their allocations, not the collector's.

Allocations are counted outside the programs, with the same method for both Go builds: the
package is also built as a test binary (`go test -c`) with one extra file whose `TestMain`
reads `runtime.MemStats.Mallocs` (and `TotalAlloc`) before and after calling the program's
`main` (a test of package main may call it). The timed binaries are the plain `go build`
ones: nothing is added to them. For rustc the program is included (`include!`) into a
wrapper crate whose `#[global_allocator]` counts `alloc` and `realloc` calls (a Go `append`
that grows is a malloc too); that needs `unsafe`, outside Gust's core, so it lives in the
wrapper only.

Usage: python bench/go_programs.py [--programs a,b] [--runs 5] [--smoke] [--debug]
       [--instructions] [--json FILE] [--plot FILE.png]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROGRAMS_DIR = BENCH / "programs"
RESULTS = BENCH / "results" / "go_programs"

# name -> (argument of the timed runs: the default work, argument of the smoke test)
PROGRAMS: dict[str, tuple[str | None, str]] = {
    "wordcount": (None, "3000"),
    "matmul": (None, "24"),
    "tokenizer": (None, "500"),
    "fanout": (None, "2000"),
    "aggregate": (None, "5000"),
    "simulation": (None, "5"),
}

GO_ALLOC_HARNESS = """\
package main

// Added by bench/go_programs.py to the test binary only: heap allocations of one run of
// main, from the Go runtime's own counters.

import (
\t"fmt"
\t"os"
\t"runtime"
\t"testing"
)

func TestMain(m *testing.M) {
\tvar before, after runtime.MemStats
\truntime.ReadMemStats(&before)
\tmain()
\truntime.ReadMemStats(&after)
\tfmt.Fprintf(os.Stderr, "gobench-allocs %d %d\\n", after.Mallocs-before.Mallocs,
\t\tafter.TotalAlloc-before.TotalAlloc)
\tos.Exit(0)
}
"""

RUST_ALLOC_WRAPPER = """\
// Added by bench/go_programs.py: counts heap allocations of one run of the program's main.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

mod program {
    include!("program.rs");
}

fn main() {
    let allocs = ALLOCS.load(Ordering::Relaxed);
    let bytes = BYTES.load(Ordering::Relaxed);
    program::main();
    eprintln!(
        "gobench-allocs {} {}",
        ALLOCS.load(Ordering::Relaxed) - allocs,
        BYTES.load(Ordering::Relaxed) - bytes
    );
}
"""

BUILDS = ("gust", "go", "rustc")


@dataclass(frozen=True)
class Timing:
    wall_ms: float  # median over the runs
    cpu_ms: float  # median user + sys of the child
    allocs: int | None  # heap allocations of one run
    alloc_bytes: int | None
    instructions: int | None = None  # of one run under callgrind (`--instructions`)


@dataclass(frozen=True)
class Row:
    program: str
    builds: dict[str, Timing]

    def ratio(self, field: str = "wall_ms") -> float:
        return float(getattr(self.builds["gust"], field) / getattr(self.builds["go"], field))


class BenchError(Exception):
    """A build failed or the builds disagree: the message says which and why."""


def _run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed (exit {proc.returncode}):\n"
                         f"{proc.stderr[-3000:]}")
    return proc


def _tool(name: str) -> str:
    """A tool beside this Python first (the venv's gust and go), then on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"`{name}` is not on PATH")
    return found


def build(name: str, out: Path, allocs: bool = True, release: bool = True
          ) -> dict[str, Path]:
    """The three binaries of one program (and, with `allocs`, the allocation-counting
    builds); gust's in the release profile unless `release` is False."""
    src = PROGRAMS_DIR / name
    if out.exists():
        shutil.rmtree(out)
    gust_src, gust_go, hand, rust = (out / d for d in ("gust_src", "gust_go", "go", "rustc"))
    for d in (gust_src, hand, rust):
        d.mkdir(parents=True)
    go = _tool("go")
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off"}

    shutil.copy(src.with_suffix(".gust"), gust_src / f"{name}.gust")
    profile = ["--release"] if release else []
    _run([_tool("gust"), "build", *profile, str(gust_src), "-o", str(gust_go)])
    shutil.copy(src.with_suffix(".go"), hand / "main.go")
    (hand / "go.mod").write_text("module handwritten\n\ngo 1.24\n")
    bins: dict[str, Path] = {}
    _run([go, "vet", "."], cwd=gust_go, env=env)
    for key, pkg in (("gust", gust_go), ("go", hand)):
        bins[key] = out / f"{key}.bin"
        _run([go, "build", "-o", str(bins[key]), "."], cwd=pkg, env=env)
        if not allocs:
            continue
        (pkg / "zz_gobench_alloc_test.go").write_text(GO_ALLOC_HARNESS)
        bins[key + "-allocs"] = out / f"{key}-allocs.bin"
        _run([go, "test", "-c", "-o", str(bins[key + "-allocs"]), "."], cwd=pkg, env=env)

    program_rs = rust / "program.rs"
    shutil.copy(src.with_suffix(".gust"), program_rs)
    bins["rustc"] = out / "rustc.bin"
    _run(["rustc", "-O", "--edition", "2021", "-o", str(bins["rustc"]), str(program_rs)])
    if not allocs:
        return bins
    text = program_rs.read_text()
    if "\nfn main()" not in text:
        raise BenchError(f"{name}.gust has no `fn main()` at the start of a line")
    program_rs.write_text(text.replace("\nfn main()", "\npub fn main()", 1))
    wrapper = rust / "counting.rs"
    wrapper.write_text(RUST_ALLOC_WRAPPER)
    bins["rustc-allocs"] = out / "rustc-allocs.bin"
    _run(["rustc", "-O", "--edition", "2021", "--cap-lints", "allow", "-o",
          str(bins["rustc-allocs"]), str(wrapper)])
    return bins


def _timed(binary: Path, args: list[str]) -> tuple[str, float, float]:
    """stdout, wall seconds and CPU seconds (user + sys) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = _run([str(binary), *args])
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, wall, cpu


def _allocs(binary: Path, args: list[str]) -> tuple[str, int, int]:
    proc = _run([str(binary), *args])
    for line in proc.stderr.splitlines():
        if line.startswith("gobench-allocs "):
            _, count, size = line.split()
            return proc.stdout, int(count), int(size)
    raise BenchError(f"{binary.name} printed no allocation count")


def instructions(binary: Path, args: list[str]) -> int:
    """The instructions one run executes under callgrind: Go's collector off and one thread
    (async preemption off too: callgrind does not survive its signals)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise BenchError("--instructions needs valgrind (Debian's package valgrind)")
    env = {**os.environ, "GOGC": "off", "GOMAXPROCS": "1", "GODEBUG": "asyncpreemptoff=1"}
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
                               str(binary), *args], env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise BenchError(f"callgrind of {binary.name} failed (exit {proc.returncode}):\n"
                         f"{proc.stderr[-2000:]}")
    return int(found.group(1))


def measure(name: str, out: Path, runs: int, arg: str | None, warmup: int = 1,
            allocs: bool = True, release: bool = True, callgrind: bool = False) -> Row:
    """Build, check that the three builds print the same, time (and count allocations).

    The timed runs alternate between the builds (gust, go, rustc, gust, ...), so a change of
    the machine's load during the measurement weighs on the three alike."""
    bins = build(name, out, allocs, release)
    args = [arg] if arg is not None else []
    expected: str | None = None
    counts: dict[str, tuple[int | None, int | None]] = {}
    for key in BUILDS:
        count: int | None = None
        size: int | None = None
        if allocs:
            stdout, count, size = _allocs(bins[key + "-allocs"], args)
        else:
            stdout = _run([str(bins[key]), *args]).stdout
        counts[key] = (count, size)
        if expected is None:
            expected = stdout
        elif stdout != expected:
            raise BenchError(f"{name}: the {key} build printed\n{stdout}\nbut gust's Go "
                             f"printed\n{expected}")
    walls: dict[str, list[float]] = {key: [] for key in BUILDS}
    cpus: dict[str, list[float]] = {key: [] for key in BUILDS}
    for i in range(warmup + runs):
        for key in BUILDS:
            stdout, wall, cpu = _timed(bins[key], args)
            if stdout != expected:
                raise BenchError(f"{name}: the {key} build printed different output on run {i}")
            if i >= warmup:
                walls[key].append(wall)
                cpus[key].append(cpu)
    builds = {key: Timing(statistics.median(walls[key]) * 1000,
                          statistics.median(cpus[key]) * 1000, *counts[key],
                          instructions(bins[key], args) if callgrind else None)
              for key in BUILDS}
    return Row(name, builds)


def _count(n: int | None) -> str:
    if n is None:
        return "n/a"
    if n >= 10_000_000:
        return f"{n / 1e6:.0f}M"
    if n >= 100_000:
        return f"{n / 1e6:.1f}M"
    if n >= 10_000:
        return f"{n / 1e3:.0f}k"
    return str(n)


def table(rows: list[Row]) -> str:
    counted = any(r.builds["gust"].instructions is not None for r in rows)
    head = ("| program | gust Go ms | hand Go ms | gust / Go (wall) | gust / Go (CPU) | "
            + ("gust / Go (instructions) | " if counted else "")
            + "rustc -O ms | allocs gust Go | allocs hand Go | allocs rustc |")
    lines = [head, "|---|" + "---:|" * (9 if counted else 8)]
    for r in rows:
        b = r.builds
        ratio = f"{r.ratio('instructions'):.2f}x | " if counted else ""
        lines.append(
            f"| {r.program} | {b['gust'].wall_ms:.0f} | {b['go'].wall_ms:.0f} | "
            f"{r.ratio():.2f}x | {r.ratio('cpu_ms'):.2f}x | {ratio}{b['rustc'].wall_ms:.0f} | "
            f"{_count(b['gust'].allocs)} | {_count(b['go'].allocs)} | "
            f"{_count(b['rustc'].allocs)} |")
    return "\n".join(lines)


def plot(rows: list[Row], path: Path) -> bool:
    """A bar chart of gust / hand-written Go per program (False without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [r.program for r in rows]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(rows))
    ax.bar([x - 0.2 for x in xs], [r.ratio() for r in rows], 0.4, label="wall time")
    ax.bar([x + 0.2 for x in xs], [r.ratio("cpu_ms") for r in rows], 0.4, label="CPU time")
    ax.axhline(1.15, color="red", linestyle="--", linewidth=1, label="target 1.15x")
    ax.axhline(1.0, color="black", linewidth=0.5)
    ax.set_xticks(list(xs), names)
    ax.set_ylabel("gust's Go / hand-written Go")
    ax.set_title("Time per run of the Go that Gust writes (lower is better)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", default=",".join(PROGRAMS),
                        help="comma-separated names from bench/programs/")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per binary")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny work per program, one run: checks builds and outputs")
    parser.add_argument("--debug", action="store_true",
                        help="build gust's Go in the debug profile (overflow checks on)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of one run under callgrind")
    parser.add_argument("--out", type=Path, default=RESULTS, help="build directory")
    parser.add_argument("--json", type=Path, help="write the numbers here")
    parser.add_argument("--plot", type=Path, help="write a PNG of the ratios here")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    load = os.getloadavg()
    try:
        for name in args.programs.split(","):
            if name not in PROGRAMS:
                parser.error(f"unknown program {name!r} (known: {', '.join(PROGRAMS)})")
            full, smoke = PROGRAMS[name]
            rows.append(measure(name, args.out / name, 1 if args.smoke else args.runs,
                                smoke if args.smoke else full, warmup=0 if args.smoke else 1,
                                release=not args.debug, callgrind=args.instructions))
            print(f"{name}: done", file=sys.stderr)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(table(rows))
    print(f"\nload average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, at end "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    if args.plot and not plot(rows, args.plot):
        print("no plot: matplotlib is not installed (pip install -e '.[bench]')",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
