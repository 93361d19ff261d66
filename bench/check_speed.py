"""Cold checking speed: a whole file checked from nothing, phase by phase, and beside rustc.

    .venv/bin/python bench/check_speed.py [--sizes 1000,5000,20000] [--repeat 5]

For each size a generated program (bench/gen_program.py, valid Gust and valid Rust) is
analysed from scratch, in-process, with fresh caches each time (after one warm-up run that
loads lark's tables and the imports): parsing, the item environment, type checking of every
body, borrow checking, Go emission. Times are the best of `--repeat` runs; "type check
cold" (parse + environment + types) is the number issue 4 sets a target for (5,000 lines
within 1 s).

Then the whole command line, as CI runs it: `gust check FILE` in a new process (Python's
start-up and imports included) against `rustc --edition 2021 --emit=metadata` on the same
file, best of `--repeat` each, and their ratio (below 1: gust is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def gust_command() -> list[str]:
    beside = Path(sys.executable).with_name("gust")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "gust"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-cli", action="store_true", help="skip gust check / rustc")
    parser.add_argument("--out", type=Path, default=RESULTS / "check_speed.json")
    args = parser.parse_args()
    rustc = shutil.which("rustc")
    rows = []
    header = "".join(f"{p:>12}" for p in PHASES)
    print(f"{'lines':>6}{header}{'types cold':>12}{'all':>9}{'lines/s':>9}"
          f"{'gust check':>12}{'rustc':>9}{'ratio':>7}   (ms)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            text = generate(size).text
            assert not analyze_text("bench.gust", text).diagnostics(), "program must check"
            runs = [phase_times(text) for _ in range(args.repeat)]
            best = {p: min(r[p] for r in runs) for p in PHASES}
            total = min(sum(r.values()) for r in runs)
            types_cold = min(r["parse"] + r["environment"] + r["types"] for r in runs)
            row: dict[str, float | int | None] = {
                "lines": size, **{f"{p}_s": best[p] for p in PHASES},
                "type_check_cold_s": types_cold, "all_s": total, "gust_check_s": None,
                "rustc_metadata_s": None}
            cli = rustc_s = None
            if not args.no_cli:
                path = Path(tmp) / f"gen_{size}.gust"
                path.write_text(text, encoding="utf-8")
                cli = best_of(args.repeat, lambda p=path: wall_time(
                    [*gust_command(), "check", str(p)]))
                row["gust_check_s"] = cli
                if rustc is not None:
                    rs = path.with_suffix(".rs")
                    rs.write_text(text, encoding="utf-8")
                    rustc_s = best_of(args.repeat, lambda r=rs: wall_time(
                        [rustc, "--edition", "2021", "--emit=metadata", "--crate-type",
                         "bin", "-o", str(Path(tmp) / "out.rmeta"), str(r)]))
                    row["rustc_metadata_s"] = rustc_s
            rows.append(row)
            cells = "".join(f"{best[p] * 1000:>12.1f}" for p in PHASES)
            ratio = f"{cli / rustc_s:>7.2f}" if cli and rustc_s else f"{'-':>7}"
            print(f"{size:>6}{cells}{types_cold * 1000:>12.1f}{total * 1000:>9.1f}"
                  f"{size / total:>9.0f}{_ms(cli):>12}{_ms(rustc_s):>9}{ratio}")
    if rustc is None and not args.no_cli:
        print("rustc not on PATH: no side-by-side column")
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"load_average": os.getloadavg(), "rows": rows}, indent=2),
                   encoding="utf-8")
    print(f"load average {os.getloadavg()}; results: {out}")
    return 0


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


if __name__ == "__main__":
    sys.exit(main())
