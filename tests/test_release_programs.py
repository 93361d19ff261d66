"""The release profile (`gust build --release`, `gust run --release`): each program of
tests/programs/release/ built by gust with the release runtime (integer `+`, `-`, `*`,
negation, shifts, `pow`, `abs`, `sum`, `product` wrap; gust.codegen.runtime_source) must
behave as `rustc -O`'s build of the same text: same stdout, stderr and exit status. The
recorded outcomes beside the programs come from `rustc -O`
(`python tests/tools/bless_programs.py`).

The default profile stays debug (tests/test_programs.py: overflow panics as in a Rust debug
build); each program here must overflow somewhere, so a release runtime that checked would
fail, and so would a debug build compared with these outcomes.

As tests/test_programs.py does, the programs are one Go module built into one binary.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION
from gust.ide.analysis import analyze_text
from gust.ide.generated import generate_file
from test_programs import GO, _go, _gofmt, _package_lines, _write_dispatcher, _write_package
from tools.programs import (
    Outcome,
    Program,
    discover_release,
    run_binary,
    rust_build,
    rustc_available,
    std_located,
)

PROGRAMS = discover_release()
MODULE = "gustprograms"


@dataclass
class Built:
    module: Path
    errors: dict[str, list[str]]
    unformatted: str
    vet: str
    build: str

    @property
    def binary(self) -> Path:
        return self.module / "bin" / "programs"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    if not GO.exists():
        pytest.skip(f"the Go toolchain is not installed at {GO}")
    module = tmp_path_factory.mktemp("release")
    (module / "go.mod").write_text(f"module {MODULE}\n\ngo {GO_VERSION}\n")
    errors: dict[str, list[str]] = {}
    for program in PROGRAMS:
        analysis = analyze_text(program.file_name, program.text())
        errors[program.name] = [f"{d.code}: {d.message}" for d in analysis.diagnostics()
                                if d.is_error]
        if not errors[program.name]:
            _write_package(module / program.name, program.name,
                           generate_file(analysis).text, release=True)
    gofmt = subprocess.run([str(_gofmt()), "-l", "."], cwd=module, capture_output=True,
                           text=True, check=False, timeout=300).stdout
    vet = _go(["vet", "./..."], module)
    _write_dispatcher(module / "cmd" / "programs",
                      sorted(name for name, errs in errors.items() if not errs))
    build = _go(["build", "-o", "bin/programs", "./cmd/programs"], module)
    yield Built(module, errors, gofmt, vet.stdout + vet.stderr, build.stdout + build.stderr)


def _expected(program: Program) -> Outcome:
    """`rustc -O`'s outcome (checked against the recorded one), or the recorded one."""
    recorded = program.recorded()
    if not rustc_available():
        print(f"rustc not found: comparing {program.name} with the outcome recorded from "
              "rustc -O")
        assert recorded is not None, f"{program.path.with_suffix('.stdout')} is missing"
        return recorded
    rust = rust_build(program)
    assert rust.outcome is not None, rust.compile_errors
    assert recorded == rust.outcome, (
        f"the outcome recorded beside {program.path.name} is missing or differs from "
        "rustc -O's: run `python tests/tools/bless_programs.py`")
    return rust.outcome


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_release_program(built: Built, program: Program) -> None:
    expected = _expected(program)
    assert not built.errors[program.name], "\n".join(built.errors[program.name])
    assert f"{program.name}/main.go" not in built.unformatted
    vet = _package_lines(built.vet, program)
    assert not vet, vet
    assert built.binary.exists(), built.build
    got = run_binary(built.binary, built.module, program.name)
    assert got.stdout == expected.stdout
    assert std_located(got.stderr, expected.stderr) == expected.stderr
    assert got.returncode == expected.returncode


@pytest.mark.skipif(not rustc_available(), reason="needs rustc")
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_release_program_overflows(program: Program) -> None:
    """rustc's debug build of the program panics on overflow: the program does test the
    difference between the profiles."""
    debug = rust_build(program, optimize=False).outcome
    assert debug is not None
    assert "with overflow" in debug.stderr and debug.returncode == 101
    assert debug != rust_build(program).outcome


def test_release_programs_exist() -> None:
    assert len(PROGRAMS) >= 2
