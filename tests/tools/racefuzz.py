"""Random concurrent programs under Go's race detector, and random racy attempts against
both borrow checkers (issue 11.5): the engine of tests/test_race_fuzz.py and
bench/race_fuzz.py.

`run` draws programs and attempts with tests/tools/racegen.py (hypothesis, fixed seed),
checks every program with gust, builds all of them with ONE `go build -race`
(tests/tools/racebuild.py), runs each (no race, exit 0, exactly the stdout the generator
reasoned out), builds a sample of the Rust-compatible ones with rustc (same stdout: the
generator's reasoning checked), and checks every attempt with gust and, when it is Rust,
with rustc: both must report exactly the codes the generator expects.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gust.ide.analysis import analyze_text
from tools import racebuild
from tools.fuzzbuild import compile_program
from tools.programs import Program, rust_build, rustc_available
from tools.racegen import Attempt, Concurrent, draw_attempts, draw_concurrent
from tools.randgen import tagged
from tools.rustc_oracle import parse_rustc_json, rustc_json


@dataclass(frozen=True)
class Report:
    programs: int
    core: int  # programs of the Rust-compatible core
    blocks: dict[str, int]  # pattern -> how many programs' blocks use it
    rejected: dict[str, str]  # program -> gust's first errors
    failures: dict[str, str]  # program -> what went wrong under -race (race report, ...)
    rustc_compared: int
    rustc_mismatches: dict[str, str]
    attempts: int
    attempt_kinds: dict[str, int]
    attempt_failures: dict[str, str]  # attempt -> the codes each checker gave
    rustc_attempts: int  # attempts rustc judged too
    seconds: dict[str, float]
    src: str  # where the programs were written

    @property
    def ok(self) -> bool:
        return not (self.rejected or self.failures or self.rustc_mismatches or
                    self.attempt_failures)


def run(count: int, attempts: int, seed: int, work: Path, rustc_sample: int = 10,
        jobs: int = 2, per_package: int = 10) -> Report:
    times: dict[str, float] = {}
    start = time.perf_counter()
    drawn = draw_concurrent(count, seed)
    tried = draw_attempts(attempts, seed)
    times["generate"] = time.perf_counter() - start
    src = work / "src"
    src.mkdir(parents=True, exist_ok=True)
    named = [(f"r{i:04d}", p) for i, p in enumerate(drawn)]
    texts = {name: tagged(p.text, name) for name, p in named}
    for name, text in texts.items():
        (src / f"{name}.gust").write_text(text, encoding="utf-8")

    start = time.perf_counter()
    compiled = {name: compile_program(name, texts[name]) for name, _ in named}
    times["gust"] = time.perf_counter() - start
    rejected = {n: "\n".join(c.errors[:3]) for n, c in compiled.items() if c.go is None}
    passed = [(n, p) for n, p in named if n not in rejected]

    failures: dict[str, str] = {}
    reason = racebuild.race_unavailable()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        sample = [(n, p) for n, p in passed if p.core][:rustc_sample] \
            if rustc_available() else []
        rust = {n: pool.submit(rust_build, Program(src / f"{n}.gust")) for n, _ in sample}
        if reason is None:
            programs = []
            for i, (name, _) in enumerate(passed):
                go = compiled[name].go
                assert go is not None
                programs.append(racebuild.RaceProgram(name, go, f"g{i // per_package:03d}"))
            built = racebuild.build(programs, work / "module")
            times["race_build"] = time.perf_counter() - start
            start = time.perf_counter()
            runs = racebuild.run_all(built, [(n, ()) for n, _ in passed], jobs) \
                if built.binary.exists() else {}
            times["race_runs"] = time.perf_counter() - start
            for name, program in passed:
                failure = _judge(built, name, runs.get(name), program)
                if failure:
                    failures[name] = failure
        start = time.perf_counter()
        mismatches: dict[str, str] = {}
        by_name = dict(passed)
        for name, future in rust.items():
            outcome = future.result().outcome
            if outcome is None:
                mismatches[name] = "rustc rejects it: " + future.result().compile_errors[-2000:]
            elif (outcome.stdout, outcome.returncode) != (tagged(by_name[name].stdout, name), 0):
                mismatches[name] = (f"rustc's build exits {outcome.returncode}, prints:\n"
                                    f"{outcome.stdout}\nthe generator expects:\n"
                                    f"{by_name[name].stdout}")
        times["rustc_programs"] = time.perf_counter() - start

        start = time.perf_counter()
        verdicts = list(pool.map(_attempt_verdict, tried))
        times["attempts"] = time.perf_counter() - start
    attempt_failures: dict[str, str] = {}
    for i, (a, (gust_codes, rustc_codes)) in enumerate(zip(tried, verdicts, strict=True)):
        name = f"a{i:04d}"
        if gust_codes != a.codes or (rustc_codes is not None and rustc_codes != a.codes):
            (src / f"{name}.gust").write_text(tagged(a.text, "a"), encoding="utf-8")
            attempt_failures[name] = (f"{a.kind}: expected {sorted(a.codes)}, gust "
                                      f"{sorted(gust_codes)}, rustc "
                                      f"{sorted(rustc_codes) if rustc_codes else '-'}")
    blocks: dict[str, int] = {}
    for _, p in named:
        for b in set(p.blocks):
            blocks[b] = blocks.get(b, 0) + 1
    kinds: dict[str, int] = {}
    for a in tried:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    return Report(len(named), sum(p.core for _, p in named), dict(sorted(blocks.items())),
                  rejected, failures, len(rust), mismatches, len(tried),
                  dict(sorted(kinds.items())), attempt_failures,
                  sum(a.core for a in tried) if rustc_available() else 0,
                  {k: round(v, 1) for k, v in times.items()}, str(src))


def _judge(built: racebuild.RaceBuild, name: str, got: racebuild.RaceRun | None,
           program: Concurrent) -> str:
    if got is None:
        return f"not in the race build:\n{built.output[-3000:]}"
    if got.raced:
        return f"the race detector reports:\n{got.report()}"
    if got.returncode != 0:
        return f"exit {got.returncode}:\n{got.stderr[-3000:]}"
    if got.stdout != tagged(program.stdout, name):
        return f"prints:\n{got.stdout}\nthe generator expects:\n{tagged(program.stdout, name)}"
    return ""


def _attempt_verdict(a: Attempt) -> tuple[frozenset[str], frozenset[str] | None]:
    analysis = analyze_text("attempt.gust", tagged(a.text, "a"))
    gust_codes = frozenset(d.code or "" for d in analysis.diagnostics() if d.is_error)
    if not a.core or not rustc_available():
        return gust_codes, None
    proc = rustc_json(tagged(a.text, "a"))
    return gust_codes, frozenset(code for _, code in parse_rustc_json(proc.stderr))
