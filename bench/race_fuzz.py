"""No data races in safe Gust, at scale: random concurrent programs under `go build -race`,
random racy attempts against gust and rustc (issue 11.5).

The long run of tests/test_race_fuzz.py (engine: tests/tools/racefuzz.py, generator:
tests/tools/racegen.py). Prints the counts and timings as JSON; the programs are kept in
--out/src, and an attempt whose verdict differs is written there too.

    .venv/bin/python bench/race_fuzz.py --count 300 --attempts 300 --seed 1
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests")]

from tools.racebuild import race_unavailable  # noqa: E402
from tools.racefuzz import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="concurrent programs")
    parser.add_argument("--attempts", type=int, default=200, help="racy attempts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rustc", type=int, default=30,
                        help="how many Rust programs to compare with rustc's build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "race_fuzz")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    reason = race_unavailable()
    if reason:
        print(f"note: the programs are not run: {reason}", file=sys.stderr)
    report = run(args.count, args.attempts, args.seed, args.out, args.rustc, args.jobs,
                 per_package=20)
    print(json.dumps(asdict(report), indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
