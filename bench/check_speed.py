"""Cold checking speed: a whole file checked from nothing, phase by phase, and beside rustc.

    .venv/bin/python bench/check_speed.py [--sizes 1000,5000,20000] [--repeat 5]

For each size a generated program (bench/gen_program.py, valid Gust and valid Rust) is
analysed from scratch, in-process, with fresh caches each time (after one warm-up run that
loads lark's tables and the imports): parsing, the item environment, type checking of every
body, borrow checking, Go emission. Times are the best of `--repeat` runs; "type check
cold" (parse + environment + types) is the number issue 4 sets a target for (5,000 lines
within 1 s).

Then the whole command line, cold, as CI runs it: `gust check --no-cache FILE` in a new
process (Python's start-up and imports included) against `rustc --edition 2021
--emit=metadata` on the same file (rustc must accept it: a non-zero exit stops the
benchmark), best of `--cli-repeat` each, wall time and CPU time (user + system of the
process and its children), and their ratios (below 1: gust is faster); and `gust build FILE
-o DIR` (check, borrow check, emit and write the Go), with both commands' throughput in
lines/s. The load average at the start and end of each size is recorded with its row.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from gen_program import generate
from gust import borrowck, codegen, sema
from gust.gcpause import paused_gc
from gust.ide import analyze_text
from gust.sema.items import build_env
from gust.sema.package import CheckedItem
from gust.syntax.source import ParseCache

RESULTS = Path(__file__).parent / "results"
PHASES = ("parse", "environment", "types", "borrows", "go")


def phase_times(text: str) -> dict[str, float]:
    """One cold analysis of `text`, timed phase by phase (seconds)."""
    times: dict[str, float] = {}
    with paused_gc():
        start = time.perf_counter()
        source = ParseCache().parse(text)
        times["parse"] = _lap(start)
        start = time.perf_counter()
        env, _ = build_env([node.item for node in source.items], {})
        times["environment"] = _lap(start)
        start = time.perf_counter()
        checked = [(node, *sema.check_item(env, node.item))
                   for node in source.items if node.item is not None]
        times["types"] = _lap(start)
        start = time.perf_counter()
        for _, bodies, _ in checked:
            for body in bodies:
                borrowck.check_body(env, body)
        times["borrows"] = _lap(start)
        start = time.perf_counter()
        for node, bodies, _ in checked:
            codegen.emit_item(env, CheckedItem(node.offset, node.parsed.text, node.item,
                                               tuple(bodies)))
        times["go"] = _lap(start)
    return times


def _lap(start: float) -> float:
    return time.perf_counter() - start


def best_of(repeat: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(repeat))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timing:
    """One command in a new process: wall seconds, CPU seconds (its own and its children's:
    user + system)."""

    wall: float
    cpu: float


def timed_command(command: list[str]) -> Timing:
    """Run `command`; it must exit 0 (rustc accepting the file is part of the benchmark)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {proc.returncode}):\n"
                         f"{proc.stdout}{proc.stderr}")
    return Timing(elapsed, _children_cpu() - cpu)


def best_command(repeat: int, command: list[str]) -> Timing:
    """Best wall and best CPU time of `repeat` runs (each its own minimum)."""
    runs = [timed_command(command) for _ in range(repeat)]
    return Timing(min(r.wall for r in runs), min(r.cpu for r in runs))


def gust_command() -> list[str]:
    beside = Path(sys.executable).with_name("gust")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "gust"]


def cli_row(text: str, size: int, tmp: Path, repeat: int, rustc: str | None
            ) -> dict[str, float | None]:
    """The commands, cold: `gust check --no-cache`, `gust build` into a new directory and
    `rustc --emit=metadata` on the same file (copied to `.rs`)."""
    path = tmp / f"gen_{size}.gust"
    path.write_text(text, encoding="utf-8")
    check = best_command(repeat, [*gust_command(), "check", "--no-cache", str(path)])
    out = tmp / f"go_{size}"
    build = best_command(repeat, [*gust_command(), "build", "-o", str(out), str(path)])
    row: dict[str, float | None] = {
        "gust_check_s": check.wall, "gust_check_cpu_s": check.cpu,
        "gust_build_s": build.wall, "gust_build_cpu_s": build.cpu,
        "rustc_metadata_s": None, "rustc_metadata_cpu_s": None}
    if rustc is not None:
        rs = path.with_suffix(".rs")
        rs.write_text(text, encoding="utf-8")
        meta = best_command(repeat, [rustc, "--edition", "2021", "--emit=metadata",
                                     "--crate-type", "bin", "-o", str(tmp / "out.rmeta"),
                                     str(rs)])
        row["rustc_metadata_s"], row["rustc_metadata_cpu_s"] = meta.wall, meta.cpu
    return row


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli-repeat", type=int,
                        help="runs of each command, best kept (default: --repeat)")
    parser.add_argument("--no-cli", action="store_true",
                        help="skip gust check / gust build / rustc")
    parser.add_argument("--out", type=Path, default=RESULTS / "check_speed.json")
    parser.add_argument("--plot", type=Path, help="write a PNG of gust against rustc here")
    args = parser.parse_args()
    rustc = shutil.which("rustc")
    cli_repeat = args.cli_repeat or args.repeat
    rows = []
    header = "".join(f"{p:>12}" for p in PHASES)
    print(f"{'lines':>6}{header}{'types cold':>12}{'all':>9}{'lines/s':>9}   "
          "(in-process, ms)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            load_before = list(os.getloadavg())
            text = generate(size).text
            assert not analyze_text("bench.gust", text).diagnostics(), "program must check"
            runs = [phase_times(text) for _ in range(args.repeat)]
            best = {p: min(r[p] for r in runs) for p in PHASES}
            total = min(sum(r.values()) for r in runs)
            types_cold = min(r["parse"] + r["environment"] + r["types"] for r in runs)
            row: dict[str, Any] = {
                "lines": size, **{f"{p}_s": best[p] for p in PHASES},
                "type_check_cold_s": types_cold, "all_s": total, "gust_check_s": None,
                "rustc_metadata_s": None}
            cells = "".join(f"{best[p] * 1000:>12.1f}" for p in PHASES)
            print(f"{size:>6}{cells}{types_cold * 1000:>12.1f}{total * 1000:>9.1f}"
                  f"{size / total:>9.0f}", flush=True)
            if not args.no_cli:
                row.update(cli_row(text, size, Path(tmp), cli_repeat, rustc))
            row["load_before"], row["load_after"] = load_before, list(os.getloadavg())
            rows.append(row)
    if not args.no_cli:
        print()
        print(cli_table(rows))
        if rustc is None:
            print("rustc not on PATH: no side-by-side column")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": "check_speed", "load_average": os.getloadavg(), "rows": rows,
            "cli_repeat": cli_repeat, "repeat": args.repeat}
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"load average {os.getloadavg()}; results: {out}")
    if args.plot is not None and not args.no_cli:
        from report import plot_check_speed

        if not plot_check_speed(data, args.plot):
            print("no plot: matplotlib is not installed (pip install -e '.[test]')")
    return 0


def cli_table(rows: list[dict[str, Any]]) -> str:
    """The commands, cold, best of --cli-repeat: wall / CPU ms, ratios, lines/s."""
    head = (f"{'lines':>6}{'gust check':>12}{'cpu':>8}{'rustc meta':>12}{'cpu':>8}"
            f"{'ratio wall':>12}{'ratio cpu':>11}{'check l/s':>11}{'gust build':>12}"
            f"{'cpu':>8}{'build l/s':>11}{'load':>12}")
    out = [head + "   (ms; ratio = gust check / rustc, < 1: gust is faster)", "-" * len(head)]
    for r in rows:
        wall = ratio(r["gust_check_s"], r["rustc_metadata_s"])
        cpu = ratio(r["gust_check_cpu_s"], r["rustc_metadata_cpu_s"])
        load = f"{r['load_before'][0]:.1f}-{r['load_after'][0]:.1f}"
        out.append(f"{r['lines']:>6}{_ms(r['gust_check_s']):>12}{_ms(r['gust_check_cpu_s']):>8}"
                   f"{_ms(r['rustc_metadata_s']):>12}{_ms(r['rustc_metadata_cpu_s']):>8}"
                   f"{_x(wall):>12}{_x(cpu):>11}{r['lines'] / r['gust_check_s']:>11.0f}"
                   f"{_ms(r['gust_build_s']):>12}{_ms(r['gust_build_cpu_s']):>8}"
                   f"{r['lines'] / r['gust_build_s']:>11.0f}{load:>12}")
    return "\n".join(out)


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


if __name__ == "__main__":
    sys.exit(main())
