"""Modules in files of their own (`mod net;` is `net.gust` or `net/mod.gust` beside the
file that declares it; `mod http;` in `net.gust` is `net/http.gust`), as rustc finds a
crate's modules: the analysis host, `gust check`, `gust build`, `gust run` and the
language server's queries all follow them. rustc agrees on the programs
(tests/programs/modules_in_files/) and on E0583 (tests/ui/modules/).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from gust.ide import AnalysisHost
from gust.ide.analysis import GustPackage
from gust.ide.definition import definition
from gust.packages import group_with_modules, module_layout

MAIN = """\
mod net;
mod util;

use net::http::Request;

fn main() {
    let r = Request::new("/x");
    println!("{} {}", r.path, util::double(net::port()));
    println!("{}", net::http::describe(&r));
}
"""

UTIL = """\
pub fn double(x: i32) -> i32 {
    x * 2
}
"""

NET = """\
pub mod http;

pub fn port() -> i32 {
    self::http::DEFAULT_PORT + 1
}
"""

HTTP = """\
use crate::util::double;

pub const DEFAULT_PORT: i32 = 80;

pub struct Request {
    pub path: String,
}

impl Request {
    pub fn new(path: &str) -> Request {
        Request { path: path.to_string() }
    }
}

pub fn describe(r: &Request) -> String {
    format!("GET {} {}", r.path, double(super::port()))
}
"""

FILES = {"main.gust": MAIN, "util.gust": UTIL, "net.gust": NET, "net/http.gust": HTTP}


def codes(host: AnalysisHost, path: str) -> list[tuple[int, str | None]]:
    analysis = host.analyze(path)
    return [(analysis.text.count("\n", 0, d.span.start) + 1, d.code)
            for d in analysis.diagnostics() if d.is_error]


def host_of(files: Mapping[str, str], prefix: str = "pkg/") -> AnalysisHost:
    host = AnalysisHost()
    for name, text in files.items():
        host.set_text(prefix + name, text)
    return host


def test_the_layout_follows_rustc_rules() -> None:
    files = {**FILES, "store/mod.gust": "pub mod items;\n", "store/items.gust": "",
             "main.gust": "mod net;\nmod util;\nmod store;\n"}

    def declarations(path: str) -> tuple[str, ...] | None:
        from gust.packages import mod_declarations

        return mod_declarations(files[path]) if path in files else None

    layout = module_layout(["main.gust", "net.gust", "util.gust"], declarations)
    assert layout.roots == ("main.gust",)
    assert dict(layout.modules) == {
        "net.gust": ("net",), "util.gust": ("util",), "store/mod.gust": ("store",),
        "net/http.gust": ("net", "http"), "store/items.gust": ("store", "items")}
    assert layout.missing == frozenset()
    # A directory walk puts the subdirectories' module files in the root's package.
    assert group_with_modules({f"d/{k}": v for k, v in files.items()}) == [[
        "d/main.gust", "d/net.gust", "d/net/http.gust", "d/store/items.gust",
        "d/store/mod.gust", "d/util.gust"]]


def test_items_of_module_files_resolve_with_self_super_and_crate() -> None:
    host = host_of(FILES)
    for name in FILES:
        assert codes(host, "pkg/" + name) == [], name
    assert host.package_of("pkg/net/http.gust")[0] == "pkg/main.gust"


def test_an_error_in_a_module_file_is_reported_there() -> None:
    host = host_of({**FILES, "net/http.gust": HTTP.replace("super::port()", "super::nope()")})
    assert codes(host, "pkg/main.gust") == []
    assert codes(host, "pkg/net/http.gust") == [(16, "E0425")]
    # Private items of a module file are private to it, as in rustc.
    host = host_of({**FILES, "util.gust": UTIL.replace("pub fn", "fn")})
    assert codes(host, "pkg/main.gust") == [(8, "E0603")]


def test_a_missing_module_file_is_e0583() -> None:
    host = host_of({"main.gust": MAIN, "util.gust": UTIL})
    analysis = host.analyze("pkg/main.gust")
    found = [d for d in analysis.diagnostics() if d.code == "E0583"]
    assert [d.message for d in found] == ["file not found for module `net`"]
    assert found[0].help == ('to create the module `net`, create file "net.gust" or '
                             '"net/mod.gust"',)
    # Creating it makes the error go.
    host.set_text("pkg/net.gust", NET)
    host.set_text("pkg/net/http.gust", HTTP)
    assert codes(host, "pkg/main.gust") == []


def test_definition_crosses_into_module_files_and_back() -> None:
    host = host_of(FILES)
    found = definition(host, "pkg/main.gust", MAIN.index("describe") + 2)
    assert found is not None and found.path == "pkg/net/http.gust"
    assert found.span.start == HTTP.index("describe")
    found = definition(host, "pkg/net/http.gust", HTTP.index("double(super") + 1)
    assert found is not None and found.path == "pkg/util.gust"
    assert found.span.start == UTIL.index("double")
    found = definition(host, "pkg/net/http.gust", HTTP.index("port()") + 1)
    assert found is not None and found.path == "pkg/net.gust"


class _Disk:
    """`GustPackages` over a dict: the host reads module files through it."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = dict(files)
        self.read: list[str] = []

    def packages(self, directory: str) -> Mapping[str, GustPackage]:
        return {}

    def text(self, path: str) -> str | None:
        self.read.append(path)
        return self.files.get(path)


def test_the_host_reads_module_files_it_was_not_given() -> None:
    disk = _Disk({"pkg/" + k: v for k, v in FILES.items()})
    host = AnalysisHost(gust_packages=disk)
    host.set_text("pkg/main.gust", MAIN)
    assert codes(host, "pkg/main.gust") == []
    assert {"pkg/net.gust", "pkg/net/http.gust", "pkg/util.gust"} <= set(disk.read)
    assert codes(host, "pkg/net/http.gust") == []


def gust(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=600)


def write(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_gust_check_reports_errors_in_module_files(tmp_path: Path) -> None:
    write(tmp_path, {**FILES, "net/http.gust": HTTP.replace("super::port()", "super::nope()")})
    for target in (str(tmp_path), str(tmp_path / "main.gust")):
        result = gust("check", target, "--color", "never", "--no-cache")
        assert result.returncode == 1, result.stderr
        assert "net/http.gust:16:" in result.stderr and "E0425" in result.stderr
    (tmp_path / "net" / "http.gust").write_text(HTTP, encoding="utf-8")
    assert gust("check", str(tmp_path), "--no-cache").returncode == 0
    (tmp_path / "util.gust").unlink()
    result = gust("check", str(tmp_path / "main.gust"), "--color", "never", "--no-cache")
    assert "error[E0583]: file not found for module `util`" in result.stderr


@pytest.mark.skipif(not (Path(sys.executable).parent / "go").exists(), reason="no Go")
def test_gust_run_and_build_follow_module_files(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    for target in (".", "main.gust"):
        result = gust("run", target, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "/x 162\nGET /x 162\n"
    built = gust("build", ".", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    # One Go package: the module file in net/ is net_http.go beside main.go.
    assert {p.name for p in tmp_path.glob("*.go")} == {
        "main.go", "net.go", "net_http.go", "util.go", "gust_runtime.go"}
    assert not list((tmp_path / "net").glob("*.go"))
