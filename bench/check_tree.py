"""`gust check` over a tree, as CI runs it: cold in one process, cold in parallel, and an
unchanged tree answered from the results cache.

    .venv/bin/python bench/check_tree.py [--files 50] [--lines 200] [--repeat 3]

Two trees: the project's examples/ (a directory of programs and examples/mistakes), and a
generated tree of `--files` programs of `--lines` lines (bench/gen_program.py), five
directories of programs. For each: `gust check --no-cache -j 1`, `gust check --no-cache`
(one process per core), then `gust check` twice with a fresh cache directory (the first
fills it, the second is all hits). Each is the whole command in a new process (Python's
start-up and imports included), best of `--repeat`; wall time and the CPU time of the
command and its children (the machine is shared: CPU time is the steadier number).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from gen_program import generate

ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit status) of one `gust check` process."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gust", "check", *args], cwd=cwd, env=env,
                          capture_output=True, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu, done.returncode


def best(args: list[str], cwd: Path, env: dict[str, str], repeat: int
         ) -> tuple[float, float, int]:
    runs = [run(args, cwd, env) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def make_tree(root: Path, files: int, lines: int) -> None:
    for i in range(files):
        program = generate(lines, seed=i + 1)
        path = root / f"dir{i % 5}" / f"prog{i:03}.gust"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(program.text, encoding="utf-8")


def bench_tree(name: str, tree: Path, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "server"), os.environ.get("PYTHONPATH", "")])}
    # As installed: imports read compiled bytecode (the shared machine sets this variable).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    count = len(list(tree.rglob("*.gust")))
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in tree.rglob("*.gust"))
    print(f"\n{name}: {count} files, {lines} lines, {os.cpu_count()} cores")
    rows: list[dict[str, Any]] = []

    def record(label: str, measure: Callable[[], tuple[float, float, int]]) -> None:
        before = os.getloadavg()
        wall, cpu, status = measure()
        rows.append({"run": label, "wall_s": wall, "cpu_s": cpu, "exit": status,
                     "load_before": before, "load_after": os.getloadavg()})
        print(f"  {label:<22} wall {wall:6.2f} s   cpu {cpu:6.2f} s   exit {status}")

    record("cold, -j 1", lambda: best(["--no-cache", "-j", "1", "."], tree, env, repeat))
    record("cold, parallel", lambda: best(["--no-cache", "."], tree, env, repeat))
    with tempfile.TemporaryDirectory(prefix="gust-bench-cache-") as cache:
        env["GUST_CACHE_DIR"] = cache
        record("filling the cache", lambda: run(["."], tree, env))
        record("unchanged (cache)", lambda: best(["."], tree, env, repeat))
    return {"name": name, "files": count, "lines": lines, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-examples", action="store_true",
                        help="only the generated tree")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" /
                        "check_tree.json")
    parser.add_argument("--plot", type=Path, help="write a PNG of the timings here")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    trees = []
    if not args.no_examples:
        trees.append(bench_tree("examples/", ROOT / "examples", args.repeat))
    with tempfile.TemporaryDirectory(prefix="gust-bench-tree-") as tmp:
        make_tree(Path(tmp), args.files, args.lines)
        trees.append(bench_tree(f"generated tree ({args.files} programs of {args.lines} lines)",
                                Path(tmp), args.repeat))
    data = {"benchmark": "check_tree", "repeat": args.repeat, "trees": trees}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if args.plot is not None:
        from report import plot_check_tree

        plot_check_tree(data, args.plot)


if __name__ == "__main__":
    main()
