"""Go interop programs (issue 6.7): each tests/programs/interop/NAME.gust uses Go packages
with `use go` (net/http served and called on loopback, encoding/json, strings/strconv,
time, context, sync), is built by gust + the real Go toolchain and run; its stdout must be
NAME.stdout (and so must the examples of examples/interop/). rustc cannot be the oracle (these programs are Gust only): the expected
outputs follow from Go's documented behaviour, and the programs print nothing that
depends on timing.

As tests/test_programs.py does, all programs are one Go module, checked by one `gofmt -l`,
vetted by one `go vet ./...` and built by one `go build` into one binary (with the
session's shared GOCACHE). Go packages are loaded by the real Go toolchain, not the stubs.
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
from gust.project.provider import go_provider
from test_programs import GO, _go, _gofmt, _write_dispatcher, _write_package
from tools.programs import run_binary

ROOT = Path(__file__).resolve().parent.parent
INTEROP = ROOT / "tests" / "programs" / "interop"
# The interop examples of `./run demo` (examples/interop/) are built and run here too.
PROGRAMS = sorted(INTEROP.glob("*.gust")) + \
    sorted((ROOT / "examples" / "interop").glob("*.gust"))
MODULE = "gustprograms"


@dataclass
class Built:
    module: Path
    errors: dict[str, list[str]]  # program -> gust's error diagnostics
    unformatted: str
    vet: str
    build: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    if not GO.exists():
        pytest.skip(f"the Go toolchain is not installed at {GO}")
    module = tmp_path_factory.mktemp("interop")
    (module / "go.mod").write_text(f"module {MODULE}\n\ngo {GO_VERSION}\n")
    provider = go_provider()
    errors: dict[str, list[str]] = {}
    for path in PROGRAMS:
        analysis = analyze_text(path.name, path.read_text(encoding="utf-8"), provider)
        errors[path.stem] = [f"{d.code}: {d.message}" for d in analysis.diagnostics()
                             if d.is_error]
        if not errors[path.stem]:
            _write_package(module / path.stem, path.stem, generate_file(analysis).text)
    gofmt = _go_run_gofmt(module)
    vet = _go(["vet", "./..."], module)
    _write_dispatcher(module / "cmd" / "programs",
                      sorted(name for name, errs in errors.items() if not errs))
    build = _go(["build", "-o", "bin/programs", "./cmd/programs"], module)
    yield Built(module, errors, gofmt, vet.stdout + vet.stderr, build.stdout + build.stderr)


def _go_run_gofmt(module: Path) -> str:
    return subprocess.run([str(_gofmt()), "-l", "."], cwd=module, capture_output=True,
                          text=True, check=False, timeout=300).stdout


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_interop_program(built: Built, path: Path) -> None:
    name = path.stem
    assert not built.errors[name], "\n".join(built.errors[name])
    assert f"{name}/main.go" not in built.unformatted, f"gofmt -l lists {name}/main.go"
    vet = _package_lines(built.vet, name)
    assert not vet, vet
    binary = built.module / "bin" / "programs"
    assert binary.exists(), built.build
    got = run_binary(binary, built.module, name)
    assert got.stderr == "" and got.returncode == 0, got.stderr
    assert got.stdout == path.with_suffix(".stdout").read_text(encoding="utf-8")


def test_every_area_of_issue_6_7_has_a_program() -> None:
    names = [p.stem for p in PROGRAMS]
    assert len(names) == len(set(names)), "two programs have one name (one Go package each)"
    assert {"net_http", "encoding_json", "strings_strconv", "time", "context",
            "sync"} <= set(names)


def _package_lines(output: str, name: str) -> str:
    """What `go vet` says about one program's package: the block under its header."""
    blocks = ("\n" + output).split("\n# ")
    header = f"{MODULE}/{name}"
    return "\n".join("# " + b for b in blocks
                     if b.split("\n", 1)[0] in (header, f"[{header}]"))
