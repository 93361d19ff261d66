"""Record rustc's outcome beside each differential program (tests/programs/README.md).

For `tests/programs/NAME.gust` (and `next/NAME.gust`, `release/NAME.gust`) writes
`NAME.stdout`, and `NAME.stderr` / `NAME.exit` when the program writes to stderr / exits
with a non-zero status, from rustc's build of the program (`rustc -O` for release/), never
from Gust's. The test compares them with rustc when rustc is present, and uses them when
it is not.

Usage: python tests/tools/bless_programs.py [PROGRAM.gust ...]   (default: all)
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from programs import Program, discover, discover_release, rust_build, rustc_available


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="programs (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel rustc builds")
    args = parser.parse_args(argv)
    if not rustc_available():
        print("error: rustc is not on PATH; cannot record outcomes", file=sys.stderr)
        return 1
    programs = ([Program(f.resolve()) for f in args.files] if args.files
                else discover() + discover_release())
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        builds = list(pool.map(rust_build, programs))
    failed = 0
    for program, build in zip(programs, builds, strict=True):
        if build.outcome is None:
            print(f"error: rustc rejects {program.path}:\n{build.compile_errors}",
                  file=sys.stderr)
            failed += 1
            continue
        program.record(build.outcome)
    print(f"recorded {len(programs) - failed} of {len(programs)} programs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
