"""No data races in safe Gust, with Go's race detector as the oracle (issue 11.5): every
concurrent program of the corpus, built by gust and `go build -race`, runs with no race
reported and behaves as it does without the detector.

The corpus: the differential programs (tests/programs/, release/ and interop/), the
examples (examples/, examples/interop/), the benchmark programs (bench/programs/, with
their smoke-test work), the programs of tests/ui/**/pass/ and the runnable examples of
docs/language.md. A program is concurrent when its Go starts a goroutine (`go`, or the
runtime's `gustSpawn`/`gustScope` of `thread::spawn`/`thread::scope`) or uses a Go package
that runs code on goroutines of its own (`net/http`, `sync`, `context`).

All of them are one Go module built by ONE `go build -race` (tests/tools/racebuild.py);
each run has `GORACE="halt_on_error=1 exitcode=66"`. Expected outputs are the recorded
ones (rustc's, for tests/programs/ and examples/; Go's documented behaviour for interop),
for the benchmarks the hand-written Go of the same program (built into the same binary),
and for UI and documentation programs exit status 0. The random concurrent programs are
in tests/test_race_fuzz.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from gust.ide.analysis import GoProvider, analyze_text
from gust.ide.generated import generate_file
from gust.project.provider import go_provider
from test_language_doc import EXAMPLES
from tools.programs import Outcome, normalise_stderr, std_located
from tools.racebuild import RaceBuild, RaceProgram, RaceRun, build, race_unavailable, run_all

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "programs"
BENCH = ROOT / "bench" / "programs"
# The smoke-test work of bench/go_programs.py's programs: small enough for a race build.
BENCH_ARGS = {"fanout": "2000", "aggregate": "5000", "wordcount": "3000", "tokenizer": "500",
              "matmul": "24", "simulation": "5"}
# The Go that starts goroutines: Go's `go` statement (`go`, `spawn`, `thread::spawn` of a
# `()` result in statement position) and the runtime's threads.
_GOROUTINES = re.compile(r"^\s*go |\bgustSpawn|\bgustScope", re.M)
# Go packages that run the program's code on goroutines of their own (an HTTP server's
# handlers, `WaitGroup.Go`, a context's timers) or synchronise goroutines.
_CONCURRENT_GO = re.compile(r'^use go "(net/http(/httptest)?|sync|context)"', re.M)
# What a reader recognises as concurrency in Gust's text (cross-checked with the Go).
_SPAWNS = re.compile(r"\bthread::(spawn|scope)\b|^\s*spawn\(|^\s*go [\w:]+\(", re.M)
# A program without any of these words starts no goroutine: it is not even compiled here.
_MAYBE_CONCURRENT = re.compile(r"\b(thread|spawn|mpsc|Arc|Mutex|chan|select|go|sync)\b")


@dataclass(frozen=True)
class Source:
    """One corpus program, and how to judge its race-instrumented run."""

    name: str  # the Go package and the program's name in the binary
    path: Path
    args: tuple[str, ...] = ()
    release: bool = False
    # the outcome to compare with (None: exit status 0 is enough), or the name of another
    # program of the binary whose output this one must print
    expected: Outcome | None = None
    same_as: str | None = None
    text: str | None = None  # the source, when not the file's (documentation examples)

    @property
    def source(self) -> str:
        return self.text if self.text is not None else self.path.read_text(encoding="utf-8")

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT))


def _recorded(path: Path) -> Outcome:
    stderr, status = path.with_suffix(".stderr"), path.with_suffix(".exit")
    return Outcome(int(status.read_text().strip()) if status.exists() else 0,
                   path.with_suffix(".stdout").read_text(encoding="utf-8"),
                   stderr.read_text(encoding="utf-8") if stderr.exists() else "")


def _name(prefix: str, stem: str) -> str:
    return f"{prefix}_{re.sub(r'[^a-z0-9_]', '_', stem.lower())}"


def corpus() -> list[Source]:
    """Every runnable program of the corpus (concurrent or not: `compile_corpus` decides)."""
    sources = [Source(_name("prog", p.stem), p, expected=_recorded(p))
               for p in sorted(PROGRAMS.glob("*.gust"))]
    sources += [Source(_name("rel", p.stem), p, release=True, expected=_recorded(p))
                for p in sorted((PROGRAMS / "release").glob("*.gust"))]
    sources += [Source(_name("interop", p.stem), p, expected=_recorded(p))
                for p in sorted((PROGRAMS / "interop").glob("*.gust"))]
    for folder, prefix in ((ROOT / "examples", "ex"), (ROOT / "examples" / "interop", "exi")):
        sources += [Source(_name(prefix, p.stem), p, expected=_recorded(p))
                    for p in sorted(folder.glob("*.gust")) if p.with_suffix(".stdout").exists()]
    for p in sorted(BENCH.glob("*.gust")):
        if p.stem in BENCH_ARGS and p.with_suffix(".go").exists():
            sources.append(Source(_name("bench", p.stem), p, (BENCH_ARGS[p.stem],),
                                  same_as=_name("benchgo", p.stem)))
    ui = ROOT / "tests" / "ui"
    sources += [Source(_name("ui", "_".join((*p.relative_to(ui).parent.parts, p.stem))), p)
                for p in sorted(ui.rglob("pass/*.gust"))]
    sources += [Source(_name("doc", str(ex.line)), ROOT / "docs" / "language.md", text=ex.program())
                for ex in EXAMPLES if ex.kind in ("gust", "extension")
                and "fn main" in ex.source and "use go" not in ex.source]
    return sources


@dataclass(frozen=True)
class Compiled:
    source: Source
    go: str | None  # None: gust reports errors (other tests own those)
    concurrent: bool


def _compile(source: Source, provider: Callable[[], GoProvider]) -> Compiled:
    text = source.source
    analysis = analyze_text(source.path.name if source.text is None else "example.gust", text,
                            provider() if "use go" in text else None)
    if any(d.is_error for d in analysis.diagnostics()):
        return Compiled(source, None, False)
    go = generate_file(analysis).text
    return Compiled(source, go, bool(_GOROUTINES.search(go) or _CONCURRENT_GO.search(text)))


@cache
def compile_corpus() -> tuple[Compiled, ...]:
    provider = cache(go_provider)
    return tuple(_compile(s, provider) for s in corpus()
                 if _MAYBE_CONCURRENT.search(s.source))


@dataclass(frozen=True)
class Session:
    built: RaceBuild
    programs: tuple[Compiled, ...]  # the concurrent ones, in the binary
    runs: dict[str, RaceRun]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    reason = race_unavailable()
    if reason:
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    concurrent = tuple(c for c in compile_corpus() if c.concurrent)
    programs = [RaceProgram(c.source.name, c.go, c.source.name, c.source.release)
                for c in concurrent if c.go is not None]
    for c in concurrent:
        if c.source.same_as:  # the hand-written Go of a benchmark
            go = c.source.path.with_suffix(".go").read_text(encoding="utf-8")
            programs.append(RaceProgram(c.source.same_as, go, c.source.same_as))
    built = build(programs, tmp_path_factory.mktemp("race"))
    calls = [(c.source.name, c.source.args) for c in concurrent]
    calls += [(c.source.same_as, c.source.args) for c in concurrent if c.source.same_as]
    runs = run_all(built, calls) if built.binary.exists() else {}
    return Session(built, concurrent, runs)


def _concurrent_ids() -> list[str]:
    return [c.source.name for c in compile_corpus() if c.concurrent]


@pytest.mark.parametrize("name", _concurrent_ids())
def test_no_race_and_the_same_behaviour(session: Session, name: str) -> None:
    program = next(c for c in session.programs if c.source.name == name)
    source = program.source
    assert name in session.built.linked, \
        f"{source.where}: `go build -race` failed:\n{session.built.output[-4000:]}"
    got = session.runs[name]
    assert not got.raced, f"{source.where}: the race detector reports:\n{got.report()}"
    if source.same_as:
        handwritten = session.runs[source.same_as]
        assert not handwritten.raced, \
            f"the hand-written Go of {source.where} races:\n{handwritten.report()}"
        assert (got.stdout, got.returncode) == (handwritten.stdout, handwritten.returncode), \
            f"{source.where} with -race prints other than the hand-written Go"
    elif source.expected is not None:
        want = source.expected
        assert got.stdout == want.stdout, f"{source.where}: stdout differs under -race"
        stderr = std_located(normalise_stderr(got.stderr), want.stderr)
        assert stderr == want.stderr, f"{source.where}: stderr differs under -race"
        assert got.returncode == want.returncode, f"{source.where}: exit status"
    else:
        assert got.returncode == 0, f"{source.where}: exit {got.returncode}\n{got.stderr[-3000:]}"


def test_the_corpus_has_its_concurrent_programs() -> None:
    """The Go-based classification finds what a reader sees as concurrency in Gust's text,
    and the corpus keeps its threads, channels, mutexes and goroutines."""
    compiled = compile_corpus()
    missed = [c.source.where for c in compiled
              if c.go is not None and _SPAWNS.search(c.source.source) and not c.concurrent]
    assert not missed, f"spawning programs not taken as concurrent: {missed}"
    names = {c.source.name for c in compiled if c.concurrent}
    print(f"{len(names)} concurrent programs of {len(corpus())} run under -race")
    assert {"prog_arc_mutex_counter", "prog_threads_channels", "prog_channel_pipeline",
            "bench_fanout", "interop_sync", "interop_net_http",
            "ui_extensions_pass_spawn_and_select", "ui_pass_std_threads_shared"} <= names
    assert len(names) >= 25
