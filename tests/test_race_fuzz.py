"""No data races in safe Gust, on random programs (issue 11.5).

Random concurrent programs (tests/tools/racegen.py: threads with `move` closures and join
handles, `mpsc` with several producers, `Arc<Mutex<T>>` counters, vectors and maps,
`Arc<Vec<T>>` readers, `thread::scope`, nested threads, pipelines of structs, probes of
aliasing in the Go translation, and Gust's `go`, `spawn`, `chan` and `select`) must pass
`gust check`, and then run under Go's race detector with no race, exit status 0 and
exactly the output the generator reasoned out; a sample of the Rust-compatible ones is
built by rustc, which must print the same. Random racy attempts (borrowing threads, one
value in two threads, conflicting scoped threads, `Rc`/`RefCell`/`MutexGuard` crossing
threads, mutation through `Arc`, references to locals sent into threads, and Gust's
extensions doing the same) must be rejected by gust with exactly rustc's codes, and rustc
must agree where the attempt is Rust.

Hypothesis draws with a fixed seed (CI is deterministic); all programs are one
`go build -race` (tests/tools/racebuild.py). bench/race_fuzz.py is the long run.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from tools.racebuild import race_unavailable
from tools.racefuzz import Report, run
from tools.rustc_oracle import rustc_available

PROGRAMS = 36
ATTEMPTS = 40
RUSTC_SAMPLE = 8
SEED = 0


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    # Drawn, checked and built in a fresh interpreter: nothing earlier tests left in this
    # process (caches, hypothesis settings) changes the programs.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        result = pool.submit(run, PROGRAMS, ATTEMPTS, SEED, tmp_path_factory.mktemp("race-fuzz"),
                             RUSTC_SAMPLE).result()
    print(f"{result.programs} programs ({result.core} Rust), {result.attempts} attempts, "
          f"seconds {result.seconds}")
    return result


def test_every_generated_program_passes_gust_check(report: Report) -> None:
    assert report.programs >= PROGRAMS * 0.9, "hypothesis drew too few distinct programs"
    assert not report.rejected, "\n\n".join(
        f"{report.src}/{name}.gust:\n{errors}" for name, errors in report.rejected.items())
    assert report.core and report.programs > report.core, \
        "the draw must hold both Rust and extension programs"
    assert len(report.blocks) >= 20, f"too few patterns drawn: {sorted(report.blocks)}"


def test_no_race_and_the_reasoned_output(report: Report) -> None:
    reason = race_unavailable()
    if reason:
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    assert not report.failures, "\n\n".join(
        f"{report.src}/{name}.gust: {why}" for name, why in list(report.failures.items())[:5])


def test_rustc_prints_what_the_generator_reasoned(report: Report) -> None:
    if not rustc_available():
        print("SKIP: rustc is not on PATH")
        pytest.skip("rustc is not on PATH")
    assert report.rustc_compared >= RUSTC_SAMPLE // 2
    assert not report.rustc_mismatches, "\n\n".join(
        f"{report.src}/{name}.gust: {why}" for name, why in report.rustc_mismatches.items())


def test_every_race_attempt_is_rejected_with_rustc_codes(report: Report) -> None:
    assert report.attempts >= ATTEMPTS * 0.75, "hypothesis drew too few distinct attempts"
    assert len(report.attempt_kinds) == 8, report.attempt_kinds
    if rustc_available():
        assert report.rustc_attempts > 0
    else:
        print("rustc is not on PATH: the attempts are checked against the codes the "
              "generator expects (which rustc gave when it was written)")
    assert not report.attempt_failures, "\n".join(
        f"{report.src}/{name}.gust: {why}" for name, why in report.attempt_failures.items())
