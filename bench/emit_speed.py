"""Go emission speed (issue 6, point 8: the 5,000-line bench file emitted within 0.5 s).

    .venv/bin/python bench/emit_speed.py [--sizes 1000,5000,20000] [--repeat 5] [--no-cli]
                                         [--profile N]

For each size a generated program (bench/gen_program.py: valid Gust and valid Rust) is
analysed once (parse, environment, types, borrows: not timed), then, in-process, best of
`--repeat`:

- emit: `codegen.emit_item` for every item of the file (what issue 6 sets the target for);
- assemble: joining the items' Go into the file (`ide.generated.generate_file`: imports,
  `//line` directives, the source map);
- build: the whole `gust build` path in-process, from the text: a fresh analysis (parse,
  check, borrow check, emit) and `cli.build.write_package` writing the Go files, the runtime
  file and a go.mod into a temporary directory.

Then, unless `--no-cli`, `gust build FILE -o DIR` in a new process (Python's start-up and
imports included), best of `--repeat`. `--profile N` prints cProfile's top N functions of
one emit of the largest size. Times are wall-clock (`perf_counter`) with the process's CPU
time beside the emit time: the machine is shared, and under load CPU time is the one that
says what the emitter costs (the target's verdict is on CPU time; on an idle machine the
two agree).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen_program import generate
from gust import codegen
from gust.cli.build import write_package
from gust.gcpause import paused_gc
from gust.ide import analyze_text
from gust.ide.analysis import FileAnalysis
from gust.ide.generated import generate_file
from gust.sema.package import CheckedItem

RESULTS = Path(__file__).parent / "results"
TARGET_S = 0.5  # issue 6: emitting the 5,000-line file


def analysed(text: str) -> tuple[FileAnalysis, list[CheckedItem]]:
    analysis = analyze_text("bench.gust", text)
    assert not analysis.diagnostics(), "the generated program must check clean"
    items = [CheckedItem(a.offset, a.node.parsed.text, a.node.item, a.bodies)
             for a in analysis.items if a.node.item is not None]
    return analysis, items


def emit_all(analysis: FileAnalysis, items: list[CheckedItem]) -> None:
    with paused_gc():  # as the analysis runs it (gust.ide.analysis)
        for item in items:
            chunk = codegen.emit_item(analysis.env, item)
            assert not chunk.diagnostics, chunk.diagnostics


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    runs = [timed(run) for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def build_in_process(text: str, out: Path) -> None:
    path = out / "bench.gust"
    analysis = analyze_text(str(path), text)
    write_package([analysis], out)


def gust_command() -> list[str]:
    beside = Path(sys.executable).with_name("gust")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "gust"]


def cli_build(source: Path, out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([*gust_command(), "build", "-o", str(out), str(source)],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"gust build failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-cli", action="store_true", help="skip `gust build` in a process")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the top N functions of one emit of the largest size")
    parser.add_argument("--out", type=Path, default=RESULTS / "emit_speed.json")
    parser.add_argument("--plot", type=Path, help="write a PNG of the throughput here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print(f"{'lines':>6}{'emit':>9}{'emit cpu':>10}{'lines/s':>9}{'assemble':>10}"
          f"{'build':>9}{'gust build':>12}   (ms; build = analysis + emit + write)")
    last: tuple[FileAnalysis, list[CheckedItem]] | None = None
    with tempfile.TemporaryDirectory(prefix="gust-emit-") as tmp:
        for size in sizes:
            load_before = os.getloadavg()[0]
            text = generate(size).text
            analysis, items = analysed(text)
            last = analysis, items
            emit_all(analysis, items)  # warm-up: imports, first-use caches
            emit_wall, emit_cpu = best(args.repeat, lambda a=analysis, i=items: emit_all(a, i))
            assemble, _ = best(args.repeat, lambda a=analysis: generate_file(a))
            out = Path(tmp) / f"out_{size}"
            out.mkdir()
            build, _ = best(args.repeat, lambda t=text, o=out: build_in_process(t, o))
            cli = None
            if not args.no_cli:
                source = Path(tmp) / f"gen_{size}.gust"
                source.write_text(text, encoding="utf-8")
                cli_out = Path(tmp) / f"cli_{size}"
                cli = min(cli_build(source, cli_out) for _ in range(args.repeat))
            rows.append({"lines": size, "emit_s": emit_wall, "emit_cpu_s": emit_cpu,
                         "assemble_s": assemble, "build_in_process_s": build,
                         "gust_build_s": cli,
                         "load": f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"})
            cli_ms = "-" if cli is None else f"{cli * 1000:.0f}"
            print(f"{size:>6}{emit_wall * 1000:>9.1f}{emit_cpu * 1000:>10.1f}"
                  f"{size / emit_wall:>9.0f}{assemble * 1000:>10.1f}{build * 1000:>9.0f}"
                  f"{cli_ms:>12}")
    for row in rows:
        if row["lines"] == 5000:
            # CPU time decides: on a shared machine the wall clock also counts other jobs.
            verdict = "met" if row["emit_cpu_s"] <= TARGET_S else "NOT met"
            print(f"target: emit of 5,000 lines <= {TARGET_S * 1000:.0f} ms: "
                  f"{row['emit_cpu_s'] * 1000:.0f} ms CPU ({row['emit_s'] * 1000:.0f} ms "
                  f"wall, load average {os.getloadavg()[0]:.1f}), {verdict}")
    if args.profile and last is not None:
        profile = cProfile.Profile()
        profile.runcall(emit_all, *last)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = {"load_average": os.getloadavg(), "rows": rows}
    args.out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"load average {os.getloadavg()}; results: {args.out}")
    if args.plot is not None:
        from report import plot_emit_speed

        plot_emit_speed(data, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
