"""Gust packages using each other (issue 6.2): another Gust library of the same Go module is
a crate, `use textkit::tokenize;` or `textkit::Token::new(..)`, with Rust's rules across
crates: its private items are E0603 (E0616 for fields, E0624 for methods), unknown names
E0432 / E0425 / E0433, worded as rustc words them. The oracle is rustc itself, with the
same two files built as two crates (`--crate-type lib`, then `--extern`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION
from gust.cli.gotool import GoNotFound, find_go, go_env
from gust.ide import AnalysisHost
from gust.ide.analysis import GustPackage
from gust.ide.definition import definition
from gust.ide.hover import hover

TEXTKIT = """\
/// A word of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    offset: usize,
}

impl Token {
    pub fn new(text: &str) -> Token {
        Token { text: text.to_string(), offset: 0 }
    }

    pub fn len(&self) -> usize {
        self.text.len() + crate::helper()
    }

    fn secret(&self) -> usize {
        self.offset
    }
}

/// Splits the input at whitespace.
pub fn tokenize(input: &str) -> Vec<Token> {
    input.split_whitespace().map(|w| Token::new(w)).collect()
}

fn helper() -> usize {
    0
}

pub mod inner {
    pub fn deep() -> i32 {
        1
    }

    fn hidden() {}
}
"""

APP_OK = """\
use textkit::Token;

pub fn count(input: &str) -> usize {
    let toks: Vec<Token> = textkit::tokenize(input);
    let t = Token::new("xyz");
    toks.len() + t.len() + textkit::inner::deep() as usize
}
"""

# Each line with a mistake says which (checked against rustc below).
APP_BAD = """\
use textkit::helper; //~ ERROR E0603
use textkit::nope; //~ ERROR E0432
use textkit::inner::hidden; //~ ERROR E0603
use textkit::missing::x; //~ ERROR E0432

pub fn count(input: &str) -> usize {
    let toks = textkit::tokenize(input);
    let _ = textkit::nothing("a"); //~ ERROR E0425
    let _ = textkit::absent::f(); //~ ERROR E0433
    let t = textkit::Token::new("x");
    let _ = t.offset; //~ ERROR E0616
    let _ = t.secret(); //~ ERROR E0624
    toks.len()
}
"""


# `pub(crate)` is `pub` inside the package and private to every other one, as across Rust
# crates (each line with a mistake says which; checked against rustc below).
LIMITS = """\
pub(crate) const MAX_BATCH: usize = 32;

pub struct Limits {
    pub(crate) max_batch: usize,
    pub name: String,
}

impl Limits {
    pub fn new() -> Limits {
        Limits { max_batch: MAX_BATCH, name: String::from("default") }
    }

    pub(crate) fn raise(&mut self) {
        self.max_batch = double(self.max_batch);
    }

    pub fn batch(&self) -> usize {
        self.max_batch
    }
}

pub(crate) fn double(n: usize) -> usize {
    n * 2
}

pub(crate) struct Internal {
    pub id: u32,
}

pub mod tuning {
    pub(crate) fn factor() -> usize {
        crate::double(2)
    }

    pub fn public_factor() -> usize {
        factor()
    }
}
"""

LIMITS_USER = """\
use limits::Limits;
use limits::double; //~ ERROR E0603
use limits::Internal; //~ ERROR E0603

pub fn tune() -> usize {
    let mut l = Limits::new();
    l.raise(); //~ ERROR E0624
    let b = l.max_batch; //~ ERROR E0616
    let c = limits::MAX_BATCH; //~ ERROR E0603
    let d = limits::tuning::factor(); //~ ERROR E0603
    b + c + d + l.batch() + l.name.len() + limits::tuning::public_factor()
}
"""


class Packages:
    """`GustPackages` over texts in memory."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = dict(files)

    def packages(self, directory: str) -> Mapping[str, GustPackage]:
        dirs = sorted({p.rsplit("/", 1)[0] for p in self.files})
        return {d: GustPackage(d, d, f"example.com/m/{d}",
                               tuple(sorted(p for p in self.files if p.startswith(d + "/"))))
                for d in dirs if d != directory}

    def text(self, path: str) -> str | None:
        return self.files.get(path)


def host_with(**files: str) -> AnalysisHost:
    texts = {name.replace("__", "/") + ".gust": text for name, text in files.items()}
    host = AnalysisHost(gust_packages=Packages(texts))
    for path, text in texts.items():
        if path.startswith("app/"):
            host.set_text(path, text)
    return host


def errors(host: AnalysisHost, path: str) -> list[tuple[int, str | None, str]]:
    analysis = host.analyze(path)
    return [(analysis.text.count("\n", 0, d.span.start) + 1, d.code, d.message)
            for d in analysis.diagnostics() if d.is_error]


def annotated(text: str) -> list[tuple[int, str]]:
    return [(i + 1, line.split("//~ ERROR ")[1].strip())
            for i, line in enumerate(text.splitlines()) if "//~ ERROR " in line]


def test_a_package_uses_another_by_its_name() -> None:
    host = host_with(textkit__lib=TEXTKIT, app__app=APP_OK)
    assert errors(host, "app/app.gust") == []


def test_private_and_unknown_items_of_another_package_are_rustc_errors() -> None:
    host = host_with(textkit__lib=TEXTKIT, app__app=APP_BAD)
    found = errors(host, "app/app.gust")
    assert [(line, code) for line, code, _ in found] == annotated(APP_BAD)
    messages = [m for _, _, m in found]
    assert messages == [
        "function `helper` is private",
        "unresolved import `textkit::nope`",
        "function `hidden` is private",
        "unresolved import `textkit::missing`",
        "cannot find function `nothing` in crate `textkit`",
        "cannot find `absent` in `textkit`",
        "field `offset` of struct `Token` is private",
        "method `secret` is private",
    ]
    analysis = host.analyze("app/app.gust")
    labels = {d.message: d.label for d in analysis.diagnostics()}
    assert labels["unresolved import `textkit::nope`"] == "no `nope` in the root"
    assert labels["unresolved import `textkit::missing`"] == "could not find `missing` in `textkit`"


def assert_rustc_agrees_across_crates(tmp_path: Path, lib_name: str, lib: str,
                                      app: str) -> None:
    """rustc builds `lib` as the crate `lib_name` and checks `app` against it: its errors are
    the annotated ones, and each error Gust reports for the same two packages is there, on
    the same line with the same message."""
    (tmp_path / f"{lib_name}.rs").write_text(lib)
    (tmp_path / "app.rs").write_text(app)
    built = subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib",
                            f"{lib_name}.rs"], cwd=tmp_path, capture_output=True, text=True,
                           check=False)
    assert built.returncode == 0, built.stderr
    checked = subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib", "--extern",
                              f"{lib_name}=lib{lib_name}.rlib", "-L", ".", "--error-format",
                              "short", "app.rs"], cwd=tmp_path, capture_output=True,
                             text=True, check=False)
    found = sorted({(int(line.split(":")[1]), line.split("error[")[1][:5])
                    for line in checked.stderr.splitlines() if line.startswith("app.rs:")
                    and "error[" in line})
    assert found == annotated(app), checked.stderr
    host = host_with(**{f"{lib_name}__lib": lib, "app__app": app})
    for line, code, message in errors(host, "app/app.gust"):
        assert f"app.rs:{line}:" in checked.stderr and message in checked.stderr, (code, message)


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_rustc_reports_the_same_codes_on_the_same_lines(tmp_path: Path) -> None:
    assert_rustc_agrees_across_crates(tmp_path, "textkit", TEXTKIT, APP_BAD)


def test_hover_and_definition_cross_into_the_other_package() -> None:
    host = host_with(textkit__lib=TEXTKIT, app__app=APP_OK)
    analysis = host.analyze("app/app.gust")
    at = APP_OK.index("tokenize(input)") + 2
    shown = hover(analysis, at)
    assert shown is not None and "fn tokenize(input: &str) -> Vec<Token>" in shown.signature
    target = definition(host, "app/app.gust", at)
    assert target is not None and target.path == "textkit/lib.gust"
    assert TEXTKIT[target.span.start:target.span.end] == "tokenize"
    method = definition(host, "app/app.gust", APP_OK.index("t.len()") + 3)
    assert method is not None and method.path == "textkit/lib.gust"
    assert TEXTKIT[method.span.start - 7:method.span.end] == "pub fn len"


def test_an_edit_in_the_used_package_rechecks_its_users() -> None:
    host = host_with(textkit__lib=TEXTKIT, app__app=APP_OK)
    assert errors(host, "app/app.gust") == []
    host.set_text("textkit/lib.gust", TEXTKIT.replace("pub fn tokenize", "fn tokenize"))
    assert [(line, code) for line, code, _ in errors(host, "app/app.gust")] == [(4, "E0603")]
    host.set_text("textkit/lib.gust", TEXTKIT)
    assert errors(host, "app/app.gust") == []


def test_a_program_is_not_a_crate_and_unknown_crates_are_rustc_errors() -> None:
    host = host_with(tool__main="pub fn run() {}\nfn main() {}\n",
                     app__app="use tool::run;\n\npub fn f() {\n    run();\n}\n")
    assert [(line, code) for line, code, _ in errors(host, "app/app.gust")] == [(1, "E0432")]


def test_gust_check_finds_the_packages_of_the_go_module(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(f"module example.com/m\n\ngo {GO_VERSION}\n")
    for name, text in {"textkit/lib.gust": TEXTKIT, "app/app.gust": APP_BAD,
                       "ok/ok.gust": APP_OK}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    ok = subprocess.run([sys.executable, "-m", "gust", "check", "ok"], cwd=tmp_path,
                        capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "gust", "check", "app"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "error[E0603]: function `helper` is private" in bad.stderr
    assert "error: aborting due to 8 previous errors" in bad.stderr


def test_values_of_other_runtime_types_do_not_cross_packages_yet() -> None:
    """`Option`, `Result` and tuples are the module's shared types; the runtime's others
    (`Rc`, `RefCell`, ...) are each Go package's own: the backend says so rather than
    write Go that does not build."""
    host = host_with(
        textkit__lib="use std::rc::Rc;\n\npub fn shared() -> Vec<Rc<i32>> {\n"
                     "    vec![Rc::new(1)]\n}\n\n"
                     "pub fn pairs() -> Vec<(i32, Option<i32>)> {\n    vec![(1, None)]\n}\n",
        app__app="pub fn f() -> usize {\n    textkit::shared().len()\n}\n\n"
                 "pub fn g() -> usize {\n    textkit::pairs().len()\n}\n")
    (found,) = errors(host, "app/app.gust")
    assert found[:2] == (2, "unsupported")
    assert found[2].startswith("`textkit::shared` of another Gust package, whose type has "
                               "`Rc<i32>`")


def test_a_map_keyed_by_a_vec_does_not_cross_packages_yet() -> None:
    """A map keyed by a `Vec` is the runtime's `gustKeyMap`, each Go package's own type;
    one keyed by a `String` is a plain Go map, which crosses."""
    host = host_with(
        textkit__lib="use std::collections::HashMap;\n\n"
                     "pub fn size(m: &HashMap<(String, Vec<u8>), u32>) -> usize {\n"
                     "    m.len()\n}\n\n"
                     "pub fn words(m: &HashMap<String, u32>) -> usize {\n    m.len()\n}\n",
        app__app="use std::collections::HashMap;\n\npub fn f() -> usize {\n"
                 "    textkit::size(&HashMap::new()) + textkit::words(&HashMap::new())\n}\n")
    (found,) = errors(host, "app/app.gust")
    assert found[:2] == (4, "unsupported")
    assert found[2].startswith("`textkit::size` of another Gust package, whose type has "
                               "`HashMap<(String, Vec<u8>), u32>`")


CRATES = Path(__file__).resolve().parent / "crates"


def _go_available() -> bool:
    try:
        find_go()
    except GoNotFound:
        return False
    return True


def gust_build_module(root: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`gust build` of `files` (paths relative to `root`) in a new Go module at `root`."""
    (root / "go.mod").write_text(f"module example.com/m\n\ngo {GO_VERSION}\n")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True)
        (root / path).write_text(text, encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "gust", "build"], cwd=root,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return built


def assert_go_run_matches_rustc(root: Path, lib_name: str, lib: str, app: str) -> None:
    """The module built at `root` is `go vet`-clean, and `go run ./app` prints what rustc's
    build of the same two files as crates (`lib` named `lib_name`, then `app`) prints."""
    vet = subprocess.run([find_go(), "vet", "./..."], cwd=root, env=go_env(),
                         capture_output=True, text=True, check=False)
    assert vet.returncode == 0, vet.stdout + vet.stderr
    ran = subprocess.run([find_go(), "run", "./app"], cwd=root, env=go_env(),
                         capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    rust = root / "rust"
    rust.mkdir()
    (rust / f"{lib_name}.rs").write_text(lib)
    (rust / "app.rs").write_text(app)
    for args in (["--crate-type", "lib", f"{lib_name}.rs"],
                 ["--extern", f"{lib_name}=lib{lib_name}.rlib", "-L", ".", "app.rs"]):
        rustc = subprocess.run(["rustc", "--edition", "2021", "-A", "warnings", *args],
                               cwd=rust, capture_output=True, text=True, check=False)
        assert rustc.returncode == 0, rustc.stderr
    expected = subprocess.run([str(rust / "app")], capture_output=True, text=True,
                              check=False)
    assert ran.stdout == expected.stdout


@pytest.mark.skipif(shutil.which("rustc") is None or not _go_available(),
                    reason="rustc and Go are needed")
@pytest.mark.parametrize("name", ["route", "limits"])
def test_runtime_types_cross_packages_as_rustc_runs_them(name: str, tmp_path: Path) -> None:
    """A library and a program using it (tests/crates/NAME: `geom.gust`, `app.gust`) pass
    `Option`s, `Result`s and tuples both ways: as parameters, struct fields, method
    results, inside `Vec`s. Built as Gust packages of one Go module (vetted) and as two
    crates by rustc, the program prints the same."""
    lib = (CRATES / name / "geom.gust").read_text(encoding="utf-8")
    app = (CRATES / name / "app.gust").read_text(encoding="utf-8")
    built = gust_build_module(tmp_path, {"geom/geom.gust": lib, "app/app.gust": app})
    assert "internal/gustrt/gust_types.go" in built.stdout.split()
    if name == "limits":  # `pub(crate)` is not the library's Go API either
        go = (tmp_path / "geom" / "geom.go").read_text()
        for unexported in ("const maxSide ", "\tclamped bool", "func (self *Rect) clamp()",
                           "func area_of(", "func label("):
            assert unexported in go, unexported
        assert "func Describe(r *Rect) string" in go
    assert_go_run_matches_rustc(tmp_path, "geom", lib, app)


def test_names_the_package_means_otherwise_are_not_crates() -> None:
    """A `use go` import's name is the Go package's, and the package's own items keep their
    keys (and Go names) whatever the names of the crates it uses."""
    host = host_with(
        textkit__lib=TEXTKIT,
        strings__lib="pub fn upper() {}\n",
        app__app='use go "strings";\n\nmod a {\n    pub fn helper() -> usize {\n        1\n'
                 '    }\n}\n\npub fn f() -> usize {\n    a::helper() + textkit::tokenize("x")'
                 '.len() + strings::ToUpper("a").len()\n}\n')
    analysis = host.analyze("app/app.gust")
    assert analysis.env.modules.crates == {"textkit": "example.com/m/textkit"}
    assert "helper" in analysis.env.fns and "textkit::helper" in analysis.env.fns
    assert [d.code for d in analysis.diagnostics() if d.code == "unsupported"] == []


# ---------------------------------------------------------------- cycles

PING = """\
pub fn ping(n: i32) -> i32 {
    if n <= 0 {
        0
    } else {
        pong::pong(n - 1) + 1
    }
}
"""

PONG = """\
use ping::ping;

pub fn pong(n: i32) -> i32 {
    if n <= 0 { 0 } else { ping(n - 1) + 1 }
}
"""


def open_all(**files: str) -> AnalysisHost:
    """A host with every package's files open (each checked with the others as crates)."""
    texts = {name.replace("__", "/") + ".gust": text for name, text in files.items()}
    host = AnalysisHost(gust_packages=Packages(texts))
    for path, text in texts.items():
        host.set_text(path, text)
    return host


def test_packages_using_each_other_are_a_cycle_reported_in_both() -> None:
    """Go forbids import cycles: each package of the cycle gets Gust's own
    `cyclic_package_dependency` at its first path naming the next package of the cycle."""
    host = open_all(ping__ping=PING, pong__pong=PONG)
    assert errors(host, "ping/ping.gust") == [
        (5, "cyclic_package_dependency",
         "cyclic package dependency: package `ping` depends on itself")]
    (found,) = host.analyze("pong/pong.gust").diagnostics()
    assert found.code == "cyclic_package_dependency"
    assert PONG[found.span.start:found.span.end] == "ping"
    assert found.span.start == PONG.index("ping::ping")  # the `use`, not the call
    assert found.label == "`ping` is used here, and `ping` uses `pong`"
    assert found.notes[0] == "the cycle: `pong` -> `ping` -> `pong`"


def test_a_longer_cycle_names_every_package_and_others_are_not_in_it() -> None:
    host = open_all(a__a="pub fn f() -> i32 {\n    b::g()\n}\n",
                    b__b="pub fn g() -> i32 {\n    c::h()\n}\n",
                    c__c="pub fn h() -> i32 {\n    a::f() + 1\n}\n",
                    app__main="fn main() {\n    println!(\"{}\", a::f());\n}\n")
    (found,) = host.analyze("a/a.gust").diagnostics()
    assert found.label == "`b` is used here, which uses `c`, and `c` uses `a`"
    assert found.notes[0] == "the cycle: `a` -> `b` -> `c` -> `a`"
    assert [d.code for d in host.analyze("c/c.gust").diagnostics()] == \
        ["cyclic_package_dependency"]
    # A program is no package's crate: it only uses the packages of the cycle.
    assert errors(host, "app/main.gust") == []


def test_a_name_that_only_looks_like_the_package_is_no_cycle() -> None:
    """A comment, a string and a module of the crate named like the package do not use it."""
    quiet = """\
// ping::ping is not called here
mod ping {
    pub fn twice(n: i32) -> i32 {
        n * 2
    }
}

pub fn pong(n: i32) -> i32 {
    println!("ping::ping");
    ping::twice(n)
}
"""
    host = open_all(ping__ping=PING, pong__pong=quiet)
    assert errors(host, "ping/ping.gust") == []
    assert errors(host, "pong/pong.gust") == []


def test_breaking_the_cycle_clears_the_error() -> None:
    """The cycle is in a body of the other package (no signature changed): the package's
    next analysis still sees it appear and go."""
    alone = "pub fn pong(n: i32) -> i32 {\n    n\n}\n"
    host = open_all(ping__ping=PING, pong__pong=alone)
    assert errors(host, "ping/ping.gust") == []
    host.set_text("pong/pong.gust", alone.replace("    n\n", "    ping::ping(n)\n"))
    assert [code for _, code, _ in errors(host, "ping/ping.gust")] == \
        ["cyclic_package_dependency"]
    host.set_text("pong/pong.gust", alone)
    assert errors(host, "ping/ping.gust") == []


def test_gust_build_stops_at_a_cycle_before_go_sees_it(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(f"module example.com/m\n\ngo {GO_VERSION}\n")
    for path, text in {"ping/ping.gust": PING, "pong/pong.gust": PONG}.items():
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(text)
    built = subprocess.run([sys.executable, "-m", "gust", "build"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 1, built.stdout + built.stderr
    assert "error[cyclic_package_dependency]: cyclic package dependency: package `ping` " \
        "depends on itself" in built.stderr
    assert " --> ping/ping.gust:5:9" in built.stderr
    assert not list(tmp_path.rglob("*.go"))


# ---------------------------------------------------------------- pub(crate)


def test_pub_crate_is_private_to_other_packages() -> None:
    host = host_with(limits__lib=LIMITS, app__app=LIMITS_USER)
    found = errors(host, "app/app.gust")
    assert [(line, code) for line, code, _ in found] == annotated(LIMITS_USER)
    assert [m for _, _, m in found] == [
        "function `double` is private",
        "struct `Internal` is private",
        "method `raise` is private",
        "field `max_batch` of struct `Limits` is private",
        "constant `MAX_BATCH` is private",
        "function `factor` is private",
    ]


def test_pub_crate_is_pub_inside_its_own_package() -> None:
    """The library itself uses its `pub(crate)` items from its modules without errors, and
    a user that keeps to the `pub` API has none."""
    host = open_all(limits__lib=LIMITS,
                    limits__more="pub fn bigger() -> usize {\n    let mut l = Limits::new();\n"
                                 "    l.raise();\n    l.max_batch + MAX_BATCH + "
                                 "tuning::factor() + Internal { id: 1 }.id as usize\n}\n",
                    app__app="use limits::Limits;\n\npub fn f() -> usize {\n"
                             "    Limits::new().batch() + limits::tuning::public_factor()\n}\n")
    assert errors(host, "limits/lib.gust") == []
    assert errors(host, "limits/more.gust") == []
    assert errors(host, "app/app.gust") == []


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_rustc_agrees_on_pub_crate_across_crates(tmp_path: Path) -> None:
    assert_rustc_agrees_across_crates(tmp_path, "limits", LIMITS, LIMITS_USER)


# ---------------------------------------------------------------- same names in two packages

SHOW = """\
pub trait Show {
    fn show(&self) -> String;
}

pub fn shown<T: Show>(t: &T) -> String {
    t.show()
}
"""

TWO_SHOWS = """\
use fmt_a::Show;
use fmt_b::Show; //~ ERROR E0252

pub struct Point {
    pub x: i32,
}

pub fn f(p: &Point) -> i32 {
    p.x
}
"""


def test_importing_two_traits_of_one_name_is_e0252() -> None:
    host = host_with(fmt_a__lib=SHOW, fmt_b__lib=SHOW, app__app=TWO_SHOWS)
    found = errors(host, "app/app.gust")
    assert [(line, code) for line, code, _ in found] == annotated(TWO_SHOWS)
    assert found[0][2] == "the name `Show` is defined multiple times"
    renamed = TWO_SHOWS.replace("use fmt_b::Show; //~ ERROR E0252", "use fmt_b::Show as ShowB;")
    assert errors(host_with(fmt_a__lib=SHOW, fmt_b__lib=SHOW, app__app=renamed),
                  "app/app.gust") == []


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_rustc_agrees_on_two_imports_of_one_name(tmp_path: Path) -> None:
    for crate in ("fmt_a", "fmt_b"):
        (tmp_path / f"{crate}.rs").write_text(SHOW)
        lib = subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib",
                              f"{crate}.rs"], cwd=tmp_path, capture_output=True, text=True,
                             check=False)
        assert lib.returncode == 0, lib.stderr
    (tmp_path / "app.rs").write_text(TWO_SHOWS)
    app = subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib",
                          "--extern", "fmt_a=libfmt_a.rlib", "--extern", "fmt_b=libfmt_b.rlib",
                          "-L", ".", "--error-format", "short", "app.rs"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    found = sorted({(int(line.split(":")[1]), line.split("error[")[1][:5])
                    for line in app.stderr.splitlines() if line.startswith("app.rs:")
                    and "error[" in line})
    assert found == annotated(TWO_SHOWS), app.stderr
    assert "the name `Show` is defined multiple times" in app.stderr


SHOW_APP = """\
use fmt_a::shown;

struct Point {
    x: i32,
    y: i32,
}

struct Label(String);

impl fmt_a::Show for Point {
    fn show(&self) -> String {
        format!("({}, {})", self.x, self.y)
    }
}

impl fmt_b::Show for Label {
    fn show(&self) -> String {
        format!("<{}>", self.0)
    }
}

fn twice<T: fmt_b::Show>(t: &T) -> String {
    format!("{} {}", t.show(), t.show())
}

fn boxed(items: Vec<Box<dyn fmt_a::Show>>) -> Vec<String> {
    items.iter().map(|s| s.show()).collect()
}

fn main() {
    let p = Point { x: 1, y: -2 };
    let l = Label(String::from("tag"));
    println!("{}", shown(&p));
    println!("{}", fmt_b::shown(&l));
    println!("{}", twice(&l));
    println!("{:?}", boxed(vec![Box::new(Point { x: 3, y: 4 }), Box::new(p)]));
}
"""

BOTH_FOR_ONE = """\
use fmt_a::Show;

pub struct Point {
    pub x: i32,
}

impl Show for Point {
    fn show(&self) -> String {
        format!("a{}", self.x)
    }
}

impl fmt_b::Show for Point {
    fn show(&self) -> String {
        format!("b{}", self.x)
    }
}

pub fn both(p: &Point) -> String {
    format!("{} {}", fmt_a::shown(p), fmt_b::shown(p))
}
"""


def test_traits_of_one_name_from_two_packages_are_two_traits() -> None:
    """Each bound, impl and `dyn` names the trait its path resolves to (rustc accepts all
    of this: no conflicting impls, no method of the wrong trait)."""
    host = host_with(fmt_a__lib=SHOW, fmt_b__lib=SHOW, app__app=SHOW_APP)
    assert errors(host, "app/app.gust") == []
    analysis = host.analyze("app/app.gust")
    assert {"fmt_a::Show", "fmt_b::Show"} <= set(analysis.env.traits)
    mixed = SHOW_APP.replace("println!(\"{}\", twice(&l));", "println!(\"{}\", twice(&p));")
    wrong = errors(host_with(fmt_a__lib=SHOW, fmt_b__lib=SHOW, app__app=mixed), "app/app.gust")
    assert [(code, message) for _, code, message in wrong] == [
        ("E0277", "the trait bound `Point: fmt_b::Show` is not satisfied")]


def test_one_type_implementing_both_is_checked_and_reported_by_the_backend() -> None:
    """rustc accepts `Point` implementing both; Go has one method per name, so the Go
    backend says it cannot build it yet (rather than emit two `Show` methods)."""
    host = host_with(fmt_a__lib=SHOW, fmt_b__lib=SHOW, app__app=BOTH_FOR_ONE)
    found = errors(host, "app/app.gust")
    assert [(line, code) for line, code, _ in found] == [(13, "unsupported")]
    assert found[0][2].startswith("`Point` implementing both `fmt_a::Show` and `fmt_b::Show`, "
                                  "whose methods are both `Show` in Go,")


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_rustc_accepts_one_type_implementing_both(tmp_path: Path) -> None:
    for crate in ("fmt_a", "fmt_b"):
        (tmp_path / f"{crate}.rs").write_text(SHOW)
        subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib", f"{crate}.rs"],
                       cwd=tmp_path, capture_output=True, text=True, check=True)
    (tmp_path / "app.rs").write_text(BOTH_FOR_ONE)
    app = subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib", "--extern",
                          "fmt_a=libfmt_a.rlib", "--extern", "fmt_b=libfmt_b.rlib", "-L", ".",
                          "app.rs"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert app.returncode == 0, app.stderr


@pytest.mark.skipif(shutil.which("rustc") is None or not _go_available(),
                    reason="rustc and Go are needed")
def test_traits_of_one_name_run_as_rustc_runs_them(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(f"module example.com/m\n\ngo {GO_VERSION}\n")
    for path, text in {"fmt_a/lib.gust": SHOW, "fmt_b/lib.gust": SHOW,
                       "app/main.gust": SHOW_APP}.items():
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(text)
    built = subprocess.run([sys.executable, "-m", "gust", "build"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    vet = subprocess.run([find_go(), "vet", "./..."], cwd=tmp_path, env=go_env(),
                         capture_output=True, text=True, check=False)
    assert vet.returncode == 0, vet.stdout + vet.stderr
    ran = subprocess.run([find_go(), "run", "./app"], cwd=tmp_path, env=go_env(),
                         capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    rust = tmp_path / "rust"
    rust.mkdir()
    for crate in ("fmt_a", "fmt_b"):
        (rust / f"{crate}.rs").write_text(SHOW)
        subprocess.run(["rustc", "--edition", "2021", "--crate-type", "lib", f"{crate}.rs"],
                       cwd=rust, capture_output=True, text=True, check=True)
    (rust / "app.rs").write_text(SHOW_APP)
    rustc = subprocess.run(["rustc", "--edition", "2021", "--extern", "fmt_a=libfmt_a.rlib",
                            "--extern", "fmt_b=libfmt_b.rlib", "-L", ".", "app.rs"], cwd=rust,
                           capture_output=True, text=True, check=False)
    assert rustc.returncode == 0, rustc.stderr
    expected = subprocess.run([str(rust / "app")], capture_output=True, text=True, check=False)
    assert ran.stdout == expected.stdout
    assert ran.stdout.splitlines()[0] == "(1, -2)"


WEIGH = """\
pub trait Show {
    fn show(&self) -> String;
}

pub trait Weigh {
    fn weight(&self) -> i32;
}
"""

WEIGH_APP = """\
use shapes::{Show, Weigh};

struct Crate {
    items: Vec<i32>,
}

impl Show for Crate {
    fn show(&self) -> String {
        format!("crate of {}", self.items.len())
    }
}

impl Weigh for Crate {
    fn weight(&self) -> i32 {
        self.items.iter().sum()
    }
}

fn heavy<T: Show + Weigh>(t: &T) -> String {
    format!("{} weighs {}", t.show(), t.weight())
}

fn lighter<T>(t: &T) -> i32
where
    T: Weigh + Show,
{
    println!("{}", t.show());
    t.weight() - 1
}

fn main() {
    let c = Crate { items: vec![3, 4, 5] };
    println!("{}", heavy(&c));
    println!("{}", lighter(&c));
}
"""


@pytest.mark.skipif(shutil.which("rustc") is None or not _go_available(),
                    reason="rustc and Go are needed")
def test_several_traits_of_another_package_bound_one_parameter(tmp_path: Path) -> None:
    """`T: shapes::Show + shapes::Weigh` in a package without traits of its own: the named
    constraint is declared before its first function (`type ShowWeigh interface`), and the
    program prints what rustc's build prints."""
    gust_build_module(tmp_path, {"shapes/lib.gust": WEIGH, "app/main.gust": WEIGH_APP})
    go = (tmp_path / "app" / "main.go").read_text()
    assert go.count("type ShowWeigh interface {") == 1
    assert "func heavy[T ShowWeigh](t T) string {" in go
    assert_go_run_matches_rustc(tmp_path, "shapes", WEIGH, WEIGH_APP)
