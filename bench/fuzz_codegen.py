"""Soundness of the Go backend at scale: random well-typed programs through gust, Go and rustc.

Draws programs with the generator of tests/tools/randgen.py (hypothesis, fixed seed),
checks each with gust, builds the Go of all that pass as one module (one `gofmt -l`, one
`go vet ./...`, one `go build`; tests/tools/fuzzbuild.py) and, for a sample, compares the
Go binary's stdout, stderr and exit status with rustc's build of the same text. Prints the
counts and writes every program that failed, with what Go or rustc said, to --out.

    .venv/bin/python bench/fuzz_codegen.py --programs 5000 --rustc 200 --seed 1
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests")]

from tools.fuzzbuild import Compiled, build_batch, compile_program  # noqa: E402
from tools.programs import (  # noqa: E402
    Program,
    run_binary,
    rust_build,
    rustc_available,
    std_located,
)
from tools.randgen import draw_programs, tagged  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=2, help="program size (functions)")
    parser.add_argument("--rustc", type=int, default=50,
                        help="how many programs to compare with rustc's build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    report = run(args.programs, args.seed, args.size, args.rustc, args.out, args.jobs)
    print(json.dumps(report, indent=2))
    return 1 if report["go_failures"] or report["rustc_mismatches"] else 0


def run(count: int, seed: int, size: int, rustc: int, out: Path, jobs: int) -> dict[str, object]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    texts = draw_programs(count, seed, size)
    times["generate"] = time.perf_counter() - start
    start = time.perf_counter()
    compiled = [compile_program(f"p{i:05d}", tagged(text, f"p{i:05d}"))
                for i, text in enumerate(texts)]
    times["gust"] = time.perf_counter() - start
    passed = [c for c in compiled if c.go is not None]
    rejected = [c for c in compiled if c.go is None]
    start = time.perf_counter()
    batch = build_batch(compiled, out / "module")
    times["go"] = time.perf_counter() - start
    start = time.perf_counter()
    sample = [c for c in passed if c.name in batch.linked][:rustc]
    mismatches = compare_with_rustc(sample, batch.binary, out, jobs) \
        if rustc and rustc_available() else {}
    times["rustc"] = time.perf_counter() - start
    save(out, compiled, batch.failures, mismatches)
    reasons: dict[str, int] = {}
    for c in rejected:
        key = c.errors[0].split(": ", 1)[1][:90]
        reasons[key] = reasons.get(key, 0) + 1
    return {
        "programs": len(compiled),
        "lines": sum(c.text.count("\n") for c in compiled),
        "gust_rejected": len(rejected),
        "rejected_unsupported": sum(c.unsupported for c in rejected),
        "rejection_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])[:15]),
        "go_built": len(passed) - len(batch.failures),
        "go_failures": sorted(batch.failures),
        "unattributed_go_output": batch.unattributed[:20],
        "rustc_compared": len(sample),
        "rustc_mismatches": sorted(mismatches),
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "out": str(out),
    }


def compare_with_rustc(sample: list[Compiled], binary: Path, out: Path,
                       jobs: int) -> dict[str, str]:
    """Program name -> how the Go build differs from rustc's (or rustc's errors)."""
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    programs = []
    for c in sample:
        path = src / f"{c.name}.gust"
        path.write_text(c.text, encoding="utf-8")
        programs.append(Program(path))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        builds = list(pool.map(rust_build, programs))
    mismatches: dict[str, str] = {}
    for program, build in zip(programs, builds, strict=True):
        if build.outcome is None:
            mismatches[program.name] = "rustc rejects it:\n" + build.compile_errors[-3000:]
            continue
        got = run_binary(binary, binary.parent, program.name)
        want = build.outcome
        got_stderr = std_located(got.stderr, want.stderr)
        if (got.stdout, got_stderr, got.returncode) != (want.stdout, want.stderr,
                                                         want.returncode):
            mismatches[program.name] = (
                f"exit {got.returncode} (rustc {want.returncode})\n--- go stdout\n{got.stdout}"
                f"--- rustc stdout\n{want.stdout}--- go stderr\n{got_stderr}"
                f"--- rustc stderr\n{want.stderr}")
    return mismatches


def save(out: Path, compiled: list[Compiled], failures: dict[str, list[str]],
         mismatches: dict[str, str]) -> None:
    bad = out / "failed"
    bad.mkdir(parents=True, exist_ok=True)
    for old in bad.iterdir():
        os.unlink(old)
    by_name = {c.name: c for c in compiled}
    for name, lines in failures.items():
        (bad / f"{name}.gust").write_text(by_name[name].text, encoding="utf-8")
        (bad / f"{name}.go.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, text in mismatches.items():
        (bad / f"{name}.gust").write_text(by_name[name].text, encoding="utf-8")
        (bad / f"{name}.rustc.txt").write_text(text, encoding="utf-8")
    rejected = out / "rejected"
    rejected.mkdir(parents=True, exist_ok=True)
    for old in rejected.iterdir():
        os.unlink(old)
    for c in compiled:
        if c.go is None:
            (rejected / f"{c.name}.gust").write_text(
                c.text + "\n/*\n" + "\n".join(c.errors) + "\n*/\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
