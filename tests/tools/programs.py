"""The differential programs (tests/programs/): discovery, rustc's runs, Rust's stderr.

Shared by tests/test_programs.py and tests/tools/bless_programs.py. A program's expected
behaviour is what rustc's build of the same text does: its stdout, its exit status and its
stderr (panic messages, `eprintln!`), with the parts that vary between runs normalised away
(the thread id rustc >= 1.91 prints, the RUST_BACKTRACE note).

rustc's runs are cached on disk, keyed by the program's text and `rustc -vV` (a program's
output is a function of both), so a warm test session builds only what changed.

The programs of tests/programs/release/ are compared with `rustc -O` (cargo's release
profile: integer overflow wraps) and built by gust in its release profile
(tests/test_release_programs.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "programs"
NEXT = PROGRAMS / "next"
RELEASE = PROGRAMS / "release"
EDITION = "2021"

# Rust's last panic line, printed by Gust's runtime too; not part of the comparison.
_BACKTRACE_NOTE = re.compile(
    r"^note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n", re.M)
_THREAD_ID = re.compile(r"^(thread '[^']*') \(\d+\) panicked at ", re.M)
# A panic inside Rust's standard library (`MIN.abs()`, `pow` overflowing) is located in
# rustc's own sources, which vary by rustc version: only the message is compared.
STD_LOCATION = "<rust std>"
_STD_PATH = re.compile(r"(panicked at )/rustc/[0-9a-f]+/library/\S+?:\d+:\d+:$", re.M)
_ANY_PATH = re.compile(r"(panicked at )\S+?:\d+:\d+:$", re.M)


@dataclass(frozen=True)
class Program:
    """One `.gust` file of tests/programs/ (or of tests/programs/next/), or the
    `main.gust` of a program in a directory of its own (`tests/programs/NAME/`: its
    modules in files, `mod name;`)."""

    path: Path

    @property
    def multi_file(self) -> bool:
        """A directory `NAME/` with `main.gust` and the files of its modules (a `.gust`
        file elsewhere, such as a generated program in a temporary directory, is one)."""
        return self.path.name == "main.gust" and \
            self.path.parent.parent in (PROGRAMS, NEXT, RELEASE)

    @property
    def _home(self) -> Path:
        """The directory the program is in (programs/, next/, release/)."""
        return self.path.parent.parent if self.multi_file else self.path.parent

    @property
    def name(self) -> str:
        return self.path.parent.name if self.multi_file else self.path.stem

    @property
    def release(self) -> bool:
        """In release/: built by `rustc -O` and by gust's release profile."""
        return self._home == RELEASE

    @property
    def pending(self) -> bool:
        """In next/: the backend cannot translate it yet."""
        return self._home == NEXT

    @property
    def test_id(self) -> str:
        return f"next/{self.name}" if self.pending else self.name

    @property
    def file_name(self) -> str:
        """The name both builds see (panic locations print it): `NAME.gust`."""
        return self.path.name

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def files(self) -> dict[str, str]:
        """Every `.gust` file of the program by its path from the program's directory,
        `main.gust` first (for a single-file program, that file alone)."""
        if not self.multi_file:
            return {self.file_name: self.text()}
        root = self.path.parent
        others = sorted(p for p in root.rglob("*.gust") if p != self.path)
        return {self.file_name: self.text(),
                **{p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
                   for p in others}}

    def recorded(self) -> Outcome | None:
        """What rustc's build did, as recorded beside the program (NAME.stdout, and
        NAME.stderr / NAME.exit when not empty / not 0)."""
        stdout = self.path.with_suffix(".stdout")
        if not stdout.exists():
            return None
        stderr = self.path.with_suffix(".stderr")
        status = self.path.with_suffix(".exit")
        return Outcome(
            int(status.read_text().strip()) if status.exists() else 0,
            stdout.read_text(encoding="utf-8"),
            stderr.read_text(encoding="utf-8") if stderr.exists() else "")

    def record(self, outcome: Outcome) -> None:
        """Write the recorded files from rustc's outcome (tests/tools/bless_programs.py)."""
        self.path.with_suffix(".stdout").write_text(outcome.stdout, encoding="utf-8")
        for suffix, text in ((".stderr", outcome.stderr),
                             (".exit", f"{outcome.returncode}\n" if outcome.returncode else "")):
            target = self.path.with_suffix(suffix)
            if text:
                target.write_text(text, encoding="utf-8")
            elif target.exists():
                target.unlink()


@dataclass(frozen=True)
class Outcome:
    """A program's observable behaviour."""

    returncode: int
    stdout: str
    stderr: str  # normalised (normalise_stderr)


@dataclass(frozen=True)
class RustBuild:
    """rustc's verdict on a program: its outcome, or why it did not compile."""

    outcome: Outcome | None
    compile_errors: str = ""


def discover() -> list[Program]:
    return [Program(p) for home in (PROGRAMS, NEXT)
            for p in sorted(home.glob("*.gust")) + sorted(home.glob("*/main.gust"))]


def discover_release() -> list[Program]:
    return [Program(p) for p in sorted(RELEASE.glob("*.gust"))]


def normalise_stderr(stderr: str) -> str:
    text = _THREAD_ID.sub(r"\1 panicked at ", _BACKTRACE_NOTE.sub("", stderr))
    return _STD_PATH.sub(rf"\g<1>{STD_LOCATION}:", text)


def std_located(got: str, expected: str) -> str:
    """`got` with its panic locations replaced as rustc's are (`STD_LOCATION`) when rustc
    located its panic inside the standard library."""
    if f"panicked at {STD_LOCATION}:" not in expected:
        return got
    return _ANY_PATH.sub(rf"\g<1>{STD_LOCATION}:", got)


def run_binary(binary: Path, cwd: Path, *args: str) -> Outcome:
    """Run a built program as the tests do: no stdin, no RUST_BACKTRACE, and no arguments
    for the program (`args` are for a binary that holds several programs)."""
    env = {"PATH": os.environ.get("PATH", "")}
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=60,
                          check=False, cwd=cwd, env=env, stdin=subprocess.DEVNULL)
    return Outcome(proc.returncode, proc.stdout, normalise_stderr(proc.stderr))


def rustc_available() -> bool:
    return rustc_version() is not None


@cache
def rustc_version() -> str | None:
    if shutil.which("rustc") is None:
        return None
    try:
        proc = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _cache_dir() -> Path:
    return Path(os.environ.get("GUST_RUSTC_CACHE") or
                Path(tempfile.gettempdir()) / "gust-rustc-programs")


def rust_build(program: Program, optimize: bool | None = None) -> RustBuild:
    """Build the program with rustc (in a temporary directory, as `NAME.gust`, so panic
    locations read like Gust's) and run it; cached by text and compiler version. `optimize`
    (default: for the programs of release/) builds with `-O`."""
    version = rustc_version()
    assert version is not None
    files = program.files()
    flags = "-O" if (program.release if optimize is None else optimize) else ""
    key = hashlib.sha256("\0".join(
        [version, flags, *(x for item in files.items() for x in item)]).encode()).hexdigest()
    cached = _cache_dir() / f"{key}.json"
    if cached.exists():
        data = json.loads(cached.read_text(encoding="utf-8"))
        outcome = data.get("outcome")
        return RustBuild(Outcome(**outcome) if outcome else None, data["compile_errors"])
    result = _rust_build_uncached(program.file_name, files, [flags] if flags else [])
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps({
        "outcome": asdict(result.outcome) if result.outcome else None,
        "compile_errors": result.compile_errors}), encoding="utf-8")
    partial.replace(cached)
    return result


def _rust_build_uncached(file_name: str, files: dict[str, str], flags: list[str]
                         ) -> RustBuild:
    """`files`: the program's files (its root `file_name` first); the others, its modules'
    files, are given to rustc as `.rs` files (`net/http.gust` is `net/http.rs`, where rustc
    looks for `mod http;` of `net`), and the panic locations rustc prints in them are
    named back as `.gust`."""
    renamed = {name: name.removesuffix(".gust") + ".rs" for name in files if name != file_name}
    with tempfile.TemporaryDirectory(prefix="gust-rustc-") as tmp:
        work = Path(tmp)
        for name, text in files.items():
            target = work / renamed.get(name, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        exe = work / "program"
        build = subprocess.run(
            ["rustc", "--edition", EDITION, *flags, "--crate-name", "program", "-o", str(exe),
             file_name], cwd=work, capture_output=True, text=True, timeout=300, check=False)
        if build.returncode != 0 or not exe.exists():
            return RustBuild(None, build.stderr)
        outcome = run_binary(exe, work)
        for name, rs in renamed.items():
            outcome = Outcome(outcome.returncode, outcome.stdout,
                              outcome.stderr.replace(f"panicked at {rs}:", f"panicked at {name}:"))
        return RustBuild(outcome)
