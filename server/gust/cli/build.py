"""`gust build` and `gust run`: write the generated Go beside its runtime file, and run it
with the Go toolchain."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gust import codegen
from gust.cli.gotool import GoNotFound, find_go, go_env, run_go
from gust.ide.analysis import FileAnalysis
from gust.ide.generated import generate_file

RUNTIME_FILE = "gust_runtime.go"
GO_MOD = "module gustprogram\n\ngo 1.23\n"


class BuildError(Exception):
    pass


def write_package(analyses: Sequence[FileAnalysis], out_dir: Path) -> list[Path]:
    """Write one Go file per Gust file, the runtime file, and a go.mod if `out_dir` is not
    inside a Go module already. Returns the paths written."""
    from gust.cli.main import UsageError

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create {out_dir}: {e.strerror}") from e
    written: list[Path] = []
    for analysis in analyses:
        go_file = generate_file(analysis)
        target = out_dir / (Path(analysis.path).stem + ".go")
        target.write_text(go_file.text, encoding="utf-8")
        written.append(target)
    runtime = out_dir / RUNTIME_FILE
    runtime.write_text(codegen.runtime_source(), encoding="utf-8")
    written.append(runtime)
    if _enclosing_module(out_dir) is None:
        go_mod = out_dir / "go.mod"
        go_mod.write_text(GO_MOD, encoding="utf-8")
        written.append(go_mod)
    return written


def _enclosing_module(directory: Path) -> Path | None:
    for d in [directory.resolve(), *directory.resolve().parents]:
        if (d / "go.mod").exists():
            return d / "go.mod"
    return None


def build_and_run(analyses: Sequence[FileAnalysis], args: Sequence[str]) -> int:
    """Build the program (the files of one package) in a temporary module and run it,
    passing its stdin, stdout, stderr and exit code through."""
    from gust.cli.main import UsageError

    try:
        find_go()
    except GoNotFound as e:
        raise UsageError(str(e)) from e
    with tempfile.TemporaryDirectory(prefix="gust-run-") as tmp:
        work = Path(tmp)
        (work / "go.mod").write_text(GO_MOD, encoding="utf-8")
        write_package(analyses, work)
        binary = work / "program"
        built = run_go(["build", "-o", str(binary), "."], work)
        if built.returncode != 0:
            sys.stderr.write(built.stderr)
            sys.stderr.write("gust: the generated Go did not build; this is a bug in gust\n")
            return 2
        completed = subprocess.run([str(binary), *args], env=go_env(), check=False)
        return completed.returncode
