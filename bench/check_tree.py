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
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def bench_tree(name: str, tree: Path, repeat: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "server"), os.environ.get("PYTHONPATH", "")])}
    # As installed: imports read compiled bytecode (the shared machine sets this variable).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    count = len(list(tree.rglob("*.gust")))
    lines = sum(p.read_text(encoding="utf-8").count("\n") for p in tree.rglob("*.gust"))
    print(f"\n{name}: {count} files, {lines} lines, {os.cpu_count()} cores")
    rows = [("cold, -j 1", ["--no-cache", "-j", "1", "."]),
            ("cold, parallel", ["--no-cache", "."])]
    for label, args in rows:
        wall, cpu, status = best(args, tree, env, repeat)
        print(f"  {label:<22} wall {wall:6.2f} s   cpu {cpu:6.2f} s   exit {status}")
    with tempfile.TemporaryDirectory(prefix="gust-bench-cache-") as cache:
        env["GUST_CACHE_DIR"] = cache
        wall, cpu, status = run(["."], tree, env)
        print(f"  {'filling the cache':<22} wall {wall:6.2f} s   cpu {cpu:6.2f} s   exit {status}")
        wall, cpu, status = best(["."], tree, env, repeat)
        print(f"  {'unchanged (cache)':<22} wall {wall:6.2f} s   cpu {cpu:6.2f} s   exit {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-examples", action="store_true",
                        help="only the generated tree")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    if not args.no_examples:
        bench_tree("examples/", ROOT / "examples", args.repeat)
    with tempfile.TemporaryDirectory(prefix="gust-bench-tree-") as tmp:
        make_tree(Path(tmp), args.files, args.lines)
        bench_tree(f"generated tree ({args.files} programs of {args.lines} lines)",
                   Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
