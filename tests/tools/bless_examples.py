"""Write ``examples/NAME.stdout`` for every ``examples/NAME.gust`` from rustc's build.

Each example is compiled with ``rustc --edition 2021`` into a temporary directory and run; its
stdout is written beside it. Fails loudly (exit status 1) if rustc reports an error, if rustc is
missing, or if a program exits with a non-zero status.

Usage: python tests/tools/bless_examples.py [EXAMPLE.gust ...]
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rustc_oracle import RunResult, rendered_diagnostics, rustc_available, rustc_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def bless(path: Path, result: RunResult) -> str | None:
    """Write the .stdout file for one example; an error message if it could not."""
    if result.returncode is None:
        rendered = rendered_diagnostics(result.compile_stderr)
        return f"{path}: rustc reported errors {result.compile_errors}\n{rendered}"
    if result.returncode != 0:
        return f"{path}: exited with status {result.returncode}\n{result.stderr}"
    path.with_suffix(".stdout").write_text(result.stdout, encoding="utf-8")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="examples (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel builds")
    args = parser.parse_args(argv)
    if not rustc_available():
        print("error: rustc is not on PATH; cannot bless examples", file=sys.stderr)
        return 1
    files: list[Path] = args.files or sorted(EXAMPLES.glob("*.gust"))
    if not files:
        print(f"error: no examples found in {EXAMPLES}", file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(rustc_run, files))
    failures = [msg for path, res in zip(files, results, strict=True) if (msg := bless(path, res))]
    for msg in failures:
        print(f"error: {msg}", file=sys.stderr)
    print(f"blessed {len(files) - len(failures)} of {len(files)} examples")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
