"""rustc as the test oracle for the Gust corpus.

The Rust-compatible core of Gust is a subset of Rust, so ``rustc`` decides what a corpus file
means: which errors it has (code and line of the primary span) and what it prints.

UI annotations follow rustc's own UI-test style:

* ``//~ ERROR E0382``  -- an error with that code is reported on this line;
* ``//~^ ERROR E0499`` -- ... on the line above (one ``^`` per line up);
* ``//~ ERROR syntax`` -- a syntax error (rustc gives parse errors no code; see
  :func:`rustc_errors`, which reports them as ``"syntax"``);
* ``//~ ERROR overflowing_literals`` -- a deny-by-default lint, which rustc reports as an
  error with the lint's name as its code (Gust uses the same name).

Words after the code are free text. The module holds no global mutable state.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

RUSTC = "rustc"
EDITION = "2021"
#: The pseudo-code used for errors that rustc reports without an error code (parse errors).
SYNTAX = "syntax"

_RENDERED_LOCATION = re.compile(r"^\s*--> .*?:(?P<line>\d+):\d+\s*$", re.MULTILINE)
# rustc's deny-by-default lints that Gust reports (gust.diagnostics.LINTS): rustc's JSON gives
# the lint's name as the error's code.
LINTS = ("overflowing_literals", "arithmetic_overflow", "unconditional_panic")
_ANNOTATION = re.compile(r"//~(?P<carets>\^*)\s*ERROR\s+(?P<code>E\d{4}|syntax|"
                         + "|".join(LINTS) + r")\b")


def rustc_available() -> bool:
    """Whether a working ``rustc`` is on PATH."""
    if shutil.which(RUSTC) is None:
        return False
    try:
        proc = subprocess.run(
            [RUSTC, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _primary_line(diagnostic: dict[str, object]) -> int:
    """The line rustc shows for a diagnostic: the ``--> file:LINE:COL`` of its rendering.

    rustc's JSON may list several spans with ``is_primary`` (e.g. for mismatched delimiters)
    in an order other than the one rustc uses; the rendered text shows the first primary span.
    """
    rendered = diagnostic.get("rendered")
    if isinstance(rendered, str):
        location = _RENDERED_LOCATION.search(rendered)
        if location:
            return int(location.group("line"))
    spans = diagnostic.get("spans")
    if isinstance(spans, list):
        for span in spans:
            if isinstance(span, dict) and span.get("is_primary"):
                return int(span["line_start"])
        for span in spans:
            if isinstance(span, dict):
                return int(span["line_start"])
    return 0


def parse_rustc_json(stderr: str) -> list[tuple[int, str]]:
    """(line, code) for each error in rustc's ``--error-format=json`` output.

    Warnings, notes and the "aborting due to N previous errors" summary are ignored. Errors
    without a code (parse errors) are reported as :data:`SYNTAX`; errors without a span (such
    as an unreadable file) are reported on line 0, so that they can never match an annotation.
    """
    errors: list[tuple[int, str]] = []
    for raw in stderr.splitlines():
        raw = raw.strip()
        if not raw.startswith("{"):
            continue
        try:
            diagnostic = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if not isinstance(diagnostic, dict) or diagnostic.get("level") != "error":
            continue
        message = str(diagnostic.get("message", ""))
        if message.startswith("aborting due to"):
            continue
        code_obj = diagnostic.get("code")
        code = code_obj.get("code") if isinstance(code_obj, dict) else None
        errors.append((_primary_line(diagnostic), str(code) if code else SYNTAX))
    return errors


def rendered_diagnostics(stderr: str) -> str:
    """The human-readable text of the errors and warnings in rustc's JSON output."""
    texts: list[str] = []
    for raw in stderr.splitlines():
        raw = raw.strip()
        if not raw.startswith("{"):
            if raw:
                texts.append(raw + "\n")
            continue
        try:
            diagnostic = json.loads(raw)
        except json.JSONDecodeError:
            texts.append(raw + "\n")
            continue
        if isinstance(diagnostic, dict) and isinstance(diagnostic.get("rendered"), str):
            texts.append(diagnostic["rendered"])
    return "".join(texts)


@contextmanager
def rustc_pool(unchecked: str, workers: int) -> Iterator[ThreadPoolExecutor]:
    """Threads that run rustc for a test module's oracle fixture, shut down after it.
    Without rustc on PATH the fixture's tests skip, printing what goes ``unchecked``."""
    if not rustc_available():
        reason = f"rustc not found on PATH: {unchecked}"
        print(f"SKIP: {reason}", file=sys.stderr)
        pytest.skip(reason)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rustc")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def rustc_json(source: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """Type- and borrow-check ``source`` as a binary crate (``--emit=metadata``); rustc's
    diagnostics are JSON lines on the result's stderr.

    A crate that checks clean is checked again as far as its optimised MIR (``--emit=mir``):
    rustc runs its lints on known constants there (``arithmetic_overflow``,
    ``unconditional_panic``), which ``cargo check`` never shows but any build does, and Gust
    reports. They come only where nothing else failed, so the second run is only needed
    then (``--emit=mir`` costs two to three times as much)."""
    with tempfile.TemporaryDirectory(prefix="gust-oracle-") as tmp:
        path = Path(tmp) / "main.rs"
        path.write_text(source, encoding="utf-8")
        result = _rustc_emit(path, "metadata", Path(tmp), timeout)
        if result.returncode == 0:
            result = _rustc_emit(path, "mir", Path(tmp), timeout)
        return result


def _rustc_emit(path: Path, emit: str, tmp: Path, timeout: float
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            RUSTC,
            "--edition",
            EDITION,
            "--crate-type",
            "bin",
            f"--emit={emit}",
            "--error-format=json",
            "-o",
            str(tmp / "out"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=tmp,
    )


def rustc_errors(path: Path, timeout: float = 120.0) -> list[tuple[int, str]]:
    """Type- and borrow-check ``path`` with rustc; (1-based line, code) for each error."""
    return parse_rustc_json(rustc_json(Path(path).read_text(encoding="utf-8"), timeout).stderr)


@dataclass(frozen=True)
class RunResult:
    """What building and running a program with rustc gave."""

    compile_errors: list[tuple[int, str]]
    compile_stderr: str
    returncode: int | None
    stdout: str
    stderr: str


def rustc_run(path: Path, timeout: float = 120.0) -> RunResult:
    """Build ``path`` with rustc (edition 2021) in a temp dir and run it."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="gust-oracle-") as tmp:
        exe = Path(tmp) / "prog"
        build = subprocess.run(
            [
                RUSTC,
                "--edition",
                EDITION,
                "--crate-type",
                "bin",
                "--error-format=json",
                "-o",
                str(exe),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=tmp,
        )
        errors = parse_rustc_json(build.stderr)
        if build.returncode != 0 or errors or not exe.exists():
            return RunResult(errors, build.stderr, None, "", "")
        run = subprocess.run(
            [str(exe)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=tmp,
            stdin=subprocess.DEVNULL,
        )
        return RunResult([], build.stderr, run.returncode, run.stdout, run.stderr)


def expected_annotations(text: str) -> list[tuple[int, str]]:
    """(1-based line, code) for each ``//~ ERROR CODE`` / ``//~^ ERROR CODE`` annotation.

    Raises :class:`ValueError` for a ``//~`` that is not a well-formed annotation (for example
    one without a code, or pointing above the first line), so that a typo cannot silently
    drop an expected error.
    """
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        start = line.find("//~")
        while start != -1:
            match = _ANNOTATION.match(line, start)
            if match is None:
                raise ValueError(f"line {number}: malformed annotation: {line[start:].strip()!r}")
            target = number - len(match.group("carets"))
            if target < 1:
                raise ValueError(f"line {number}: annotation points above the first line")
            found.append((target, match.group("code")))
            start = line.find("//~", match.end())
    return found
