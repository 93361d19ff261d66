"""Many generated programs through gust and Go at once (bench/fuzz_codegen.py).

Each program is checked and translated by gust in-process; the Go of the programs that
pass is laid out as ONE Go module in which each package holds up to `per_package`
programs (each program's top-level names end with its own tag, so they do not clash; its
`main` is renamed `main_NAME`) and one copy of the runtime file: compiling the 3,000-line
runtime once per program would cost more than everything else. Then ONE `gofmt -l`, ONE
`go vet ./...` and ONE `go build` of a dispatcher binary (`fuzz NAME` runs program NAME)
judge them all. The `//line` directives name each program's `NAME.gust`, so every Go
diagnostic is attributed to the program it comes from.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gust import diagnostics as d
from gust.cli.build import GO_VERSION
from gust.codegen import runtime_source
from gust.codegen.context import UNSUPPORTED
from gust.ide.analysis import analyze_text
from gust.ide.generated import generate_file
from gust.text import LineIndex

MODULE = "gustfuzz"
GO = Path(sys.executable).parent / "go"
_PROGRAM_REF = re.compile(r"\b(p\d+)\.(?:gust|go)\b")


@dataclass(frozen=True)
class Compiled:
    """One program as gust left it: its Go, or its error diagnostics."""

    name: str  # `p0001`: the file is `p0001.gust`, the Go names end with `p0001`
    text: str
    go: str | None
    errors: tuple[str, ...] = ()

    @property
    def unsupported(self) -> bool:
        return any(f"error[{UNSUPPORTED}]" in e for e in self.errors)


@dataclass
class Batch:
    """The Go verdict on a batch: per program, what gofmt, vet or build said about it."""

    module: Path
    failures: dict[str, list[str]] = field(default_factory=dict)
    unattributed: list[str] = field(default_factory=list)
    linked: set[str] = field(default_factory=set)  # programs in the binary

    @property
    def binary(self) -> Path:
        return self.module / "bin" / "fuzz"

    def fail(self, name: str, line: str) -> None:
        self.failures.setdefault(name, []).append(line)


def compile_program(name: str, text: str) -> Compiled:
    analysis = analyze_text(f"{name}.gust", text)
    errors = [x for x in analysis.diagnostics() if x.is_error]
    if errors:
        index = LineIndex(text)
        return Compiled(name, text, None, tuple(_render(index, x) for x in errors))
    return Compiled(name, text, generate_file(analysis).text)


def _render(index: LineIndex, diag: d.Diagnostic) -> str:
    pos = index.position(diag.span.start)
    return f"{pos.line + 1}:{pos.column + 1}: error[{diag.code}]: {diag.message}"


def go_env() -> dict[str, str]:
    """Go offline, on the local toolchain, with the shared build cache of the test session
    (tests/conftest.py sets GOCACHE) or of earlier runs."""
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod", GOTELEMETRY="off")
    env.setdefault("GOCACHE", os.environ.get("GUST_GOCACHE") or
                   str(Path(tempfile.gettempdir()) / "gust-gocache"))
    return env


def _go(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GO), *args], cwd=cwd, env=go_env(), capture_output=True,
                          text=True, timeout=1800, check=False)


def build_batch(programs: list[Compiled], module: Path, per_package: int = 50) -> Batch:
    """Lay out, format-check, vet and build every program that has Go."""
    batch = Batch(module)
    if module.exists():
        shutil.rmtree(module)
    module.mkdir(parents=True)
    (module / "go.mod").write_text(f"module {MODULE}\n\ngo {GO_VERSION}\n")
    ok = [p for p in programs if p.go is not None]
    packages: dict[str, list[Compiled]] = {}
    for i in range(0, len(ok), per_package):
        packages[f"g{i // per_package:03d}"] = ok[i:i + per_package]
    for pkg, members in packages.items():
        _write_package(module / pkg, pkg, members)
    goroot = _go(["env", "GOROOT"], module).stdout.strip()
    gofmt = subprocess.run([str(Path(goroot) / "bin" / "gofmt"), "-l", "."], cwd=module,
                           capture_output=True, text=True, check=False, timeout=600)
    for line in gofmt.stdout.split():
        _attribute(batch, f"gofmt -l: {line}")
    # A syntax or type error stops vet at its package: the package is vetted again
    # without the programs it blamed (they stay out of the binary), until it is clean.
    targets = ["./..."]
    for _ in range(8):
        vet = _go(["vet", *targets], module)
        before = set(batch.failures)
        for line in (vet.stdout + vet.stderr).splitlines():
            if not line.startswith("#"):
                _attribute(batch, f"go vet: {line}")
        broken = set(batch.failures) - before
        if not broken:
            break
        targets = []
        for pkg, members in packages.items():
            if any(p.name in broken for p in members):
                shutil.rmtree(module / pkg)
                packages[pkg] = [p for p in members if p.name not in broken]
                _write_package(module / pkg, pkg, packages[pkg])
                targets.append(f"./{pkg}")
    _write_dispatcher(module / "cmd" / "fuzz", packages)
    build = _go(["build", "-o", "bin/fuzz", "./cmd/fuzz"], module)
    if build.returncode != 0:
        for line in (build.stdout + build.stderr).splitlines():
            if not line.startswith("#"):
                _attribute(batch, f"go build: {line}")
    else:
        batch.linked = {p.name for members in packages.values() for p in members}
    return batch


def _attribute(batch: Batch, line: str) -> None:
    match = _PROGRAM_REF.search(line)
    if match:
        batch.fail(match.group(1), line)
    elif line.strip():
        batch.unattributed.append(line)


def _write_package(pkg: Path, name: str, members: list[Compiled]) -> None:
    mains: list[tuple[str, str]] = []
    for p in members:
        assert p.go is not None
        mains.append((p.name, p.go))
    write_mains_package(pkg, name, runtime_source(name), mains)


def write_mains_package(pkg: Path, name: str, runtime: str,
                        mains: list[tuple[str, str]]) -> None:
    """Go package `name` in `pkg` holding several programs' Go (`(program name, Go of its
    package main)`): each `main` is renamed `main_NAME`, and `Programs` maps the names to
    them, so that one build compiles them all and a dispatcher runs one by name."""
    pkg.mkdir(parents=True)
    (pkg / "gust_runtime.go").write_text(runtime, encoding="utf-8")
    entries = ""
    for program, source in mains:
        go = source.replace("\npackage main\n", f"\npackage {name}\n", 1)
        go = go.replace("\nfunc main() {\n", f"\nfunc main_{program}() {{\n", 1)
        (pkg / f"{program}.go").write_text(go, encoding="utf-8")
        entries += f'\t"{program}": main_{program},\n'
    (pkg / "entry.go").write_text(
        f"package {name}\n\n// Programs are the mains of the package's programs, by name.\n"
        f"var Programs = map[string]func(){{\n{entries}}}\n", encoding="utf-8")


def _write_dispatcher(cmd: Path, packages: dict[str, list[Compiled]]) -> None:
    """`fuzz NAME` runs program NAME."""
    cmd.mkdir(parents=True)
    names = sorted(packages)
    imports = "".join(f'\t"{MODULE}/{n}"\n' for n in names)
    merge = "".join(f"\tfor k, v := range {n}.Programs {{\n\t\tprograms[k] = v\n\t}}\n"
                    for n in names)
    (cmd / "main.go").write_text(
        f'package main\n\nimport (\n\t"os"\n\n{imports})\n\n'
        "func main() {\n\tprograms := map[string]func(){}\n" + merge +
        "\tos.Args = os.Args[1:]\n\tprograms[os.Args[0]]()\n}\n", encoding="utf-8")
