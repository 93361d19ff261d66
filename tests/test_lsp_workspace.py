"""Workspaces through a real client (issue 7.4), under the VS Code and Neovim profiles:
diagnostics of the files that are not open, `$/progress` while the workspace loads, files
changed on disk (`workspace/didChangeWatchedFiles`, registered dynamically where the client
allows it) and settings through `workspace/configuration`.

Each test starts its own server: what is checked happens at initialisation, in a folder
of the test's own."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from gust.cli.build import GO_VERSION
from gust.lsp.workspace import Settings, Workspace, gust_files, settings_of
from test_lsp import (
    GustClient,
    change,
    diagnostics_for,
    no_internal_errors,
    open_doc,
    position,
    publishes,
    until,
)

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

SERVER = [sys.executable, "-m", "gust.lsp.server"]

MAIN = """\
fn main() {
    println!("{}", helper(2));
}
"""

LIB = """\
fn helper(x: i32) -> i32 {
    x * 2
}
"""

MOVED = """\
fn twice() {
    let s = String::from("x");
    let t = s;
    println!("{} {}", s, t);
}
"""


class WorkspaceClient(GustClient):
    """Also records `client/registerCapability` requests (see conftest.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations: list[lsp.Registration] = []


def _on_diagnostics(client: GustClient, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def make_client() -> WorkspaceClient:
    client = WorkspaceClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_diagnostics
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
    params=["visual-studio-code", "neovim"],
)
async def client(request: pytest.FixtureRequest, lsp_client: WorkspaceClient
                 ) -> AsyncIterator[WorkspaceClient]:
    """A client not yet initialised (each test opens its own folder); `profile` is set."""
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


async def start(client: WorkspaceClient, folder: Path,
                settings: dict[str, Any] | None = None) -> lsp.InitializeResult:
    """Initialise with `folder` as the workspace and `settings` as the `gust` section."""
    if settings is not None:
        client.set_configuration(settings, section="gust")
    return await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(client.profile),  # type: ignore[attr-defined]
        root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)]))


async def loaded(client: WorkspaceClient) -> list[Any]:
    """The reports of the workspace-loading progress, once it has ended."""
    def ended() -> list[Any] | None:
        for reports in client.progress_reports.values():
            if reports and isinstance(reports[-1], lsp.WorkDoneProgressEnd):
                return reports
        return None
    result: list[Any] = await until(ended, "the workspace-loading progress to end")
    return result


def last_codes(client: GustClient, uri: str) -> list[Any] | None:
    found = publishes(client, uri)
    return [d.code for d in found[-1].diagnostics] if found else None


def watched(client: GustClient, *events: tuple[Path, lsp.FileChangeType]) -> None:
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=path.as_uri(), type=kind) for path, kind in events]))


@pytest.mark.asyncio
async def test_loading_a_workspace_publishes_files_not_open_with_progress(
        client: WorkspaceClient, tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.gust").write_text(MAIN, encoding="utf-8")
    (tmp_path / "app" / "lib.gust").write_text(LIB, encoding="utf-8")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "moves.gust").write_text(MOVED, encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.gust").write_text("fn broken( {\n", encoding="utf-8")
    await start(client, tmp_path)
    reports = await loaded(client)
    assert isinstance(reports[0], lsp.WorkDoneProgressBegin)
    assert reports[0].title == "Gust: loading workspace"
    assert reports[-1].message == "3 files checked"
    moves_uri = (tmp_path / "tools" / "moves.gust").as_uri()
    assert last_codes(client, moves_uri) == ["E0382"]
    (published,) = publishes(client, moves_uri)
    assert published.version is None  # the file on disk, not a document version
    assert published.diagnostics[0].range.start == position(MOVED, "s, t")
    # Clean files get no message; hidden directories are not searched.
    assert publishes(client, (tmp_path / "app" / "main.gust").as_uri()) == []
    assert publishes(client, (tmp_path / ".hidden" / "skip.gust").as_uri()) == []
    # Watching `**/*.gust` is registered where the client allows dynamic registration.
    if client.profile == "visual-studio-code":  # type: ignore[attr-defined]
        (reg,) = await until(lambda: client.registrations, "the watcher registration")
        assert reg.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
        assert reg.register_options == {"watchers": [{"globPattern": "**/*.gust"}]}
    else:
        await asyncio.sleep(0.2)
        assert client.registrations == []
    # Opening the broken file and fixing it in the editor: the document's diagnostics.
    # Closing it unsaved: the file on disk is broken again.
    open_doc(client, moves_uri, MOVED)
    assert [d.code for d in await diagnostics_for(client, moves_uri, 1)] == ["E0382"]
    start_at = position(MOVED, "s, t")
    change(client, moves_uri, 2, lsp.Range(start=start_at, end=lsp.Position(
        line=start_at.line, character=start_at.character + 1)), "t")
    assert await diagnostics_for(client, moves_uri, 2) == []
    before = len(publishes(client, moves_uri))
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=moves_uri)))
    await until(lambda: publishes(client, moves_uri)[before:], "diagnostics after close")
    assert last_codes(client, moves_uri) == ["E0382"]
    no_internal_errors(client)


@pytest.mark.asyncio
async def test_files_changed_on_disk_recheck_their_package(
        client: WorkspaceClient, tmp_path: Path) -> None:
    main, lib = tmp_path / "main.gust", tmp_path / "lib.gust"
    main.write_text(MAIN, encoding="utf-8")
    lib.write_text(LIB, encoding="utf-8")
    await start(client, tmp_path)
    await loaded(client)
    uri = main.as_uri()
    open_doc(client, uri, MAIN)
    assert await diagnostics_for(client, uri, 1) == []
    # lib.gust renames `helper` on disk (a `git checkout`): main.gust, open and unchanged,
    # is checked again.
    lib.write_text(LIB.replace("helper", "assist"), encoding="utf-8")
    watched(client, (lib, lsp.FileChangeType.Changed))
    await until(lambda: last_codes(client, uri) == ["E0425"], "main.gust republished")
    # A new file brings `helper` back.
    extra = tmp_path / "extra.gust"
    extra.write_text(LIB, encoding="utf-8")
    watched(client, (extra, lsp.FileChangeType.Created))
    await until(lambda: last_codes(client, uri) == [], "main.gust republished")
    # A broken file created on disk gets diagnostics; deleting it clears them.
    broken = tmp_path / "broken.gust"
    broken.write_text(MOVED, encoding="utf-8")
    watched(client, (broken, lsp.FileChangeType.Created))
    await until(lambda: last_codes(client, broken.as_uri()) == ["E0382"],
                "broken.gust's diagnostics")
    broken.unlink()
    watched(client, (broken, lsp.FileChangeType.Deleted))
    await until(lambda: last_codes(client, broken.as_uri()) == [], "cleared diagnostics")
    # Deleting the file that defines `helper` breaks main.gust again.
    extra.unlink()
    watched(client, (extra, lsp.FileChangeType.Deleted))
    await until(lambda: last_codes(client, uri) == ["E0425"], "main.gust republished")
    assert all(p.version == 1 for p in publishes(client, uri))
    no_internal_errors(client)


@pytest.mark.asyncio
async def test_check_on_type_off_checks_on_save_and_settings_are_pulled_again(
        client: WorkspaceClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path, {"checkOnType": False,
                                            "trace": {"server": "verbose"}})
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, lsp.TextDocumentSyncOptions) and sync.save
    await loaded(client)
    uri = (tmp_path / "main.gust").as_uri()
    open_doc(client, uri, LIB)
    assert await diagnostics_for(client, uri, 1) == []  # opening checks
    end = position(LIB, "x * 2", delta=5)
    change(client, uri, 2, lsp.Range(start=end, end=end), " + true")
    await asyncio.sleep(0.5)
    assert [p.version for p in publishes(client, uri)] == [1]  # typing does not
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["E0277"]
    # `trace.server: verbose` logs each check, with what was re-checked.
    await until(lambda: [m for m in client.log_messages if m.type == lsp.MessageType.Log
                         and m.message.startswith("gust-lsp: checked main.gust v2 in ")
                         and "items re-checked" in m.message], "the trace of the check")
    # Turning checkOnType on: the server pulls the settings again, then checks as you type.
    client.set_configuration({"checkOnType": True}, section="gust")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={}))
    await asyncio.sleep(0.3)
    change(client, uri, 3, lsp.Range(start=end, end=lsp.Position(
        line=end.line, character=end.character + len(" + true"))), "")
    await until(lambda: [p for p in publishes(client, uri) if p.version == 3],
                "diagnostics while typing")
    no_internal_errors(client)


@pytest.mark.asyncio
async def test_workspace_folders_added_and_removed(client: WorkspaceClient,
                                                   tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (second / "moves.gust").write_text(MOVED, encoding="utf-8")
    await start(client, first)
    await loaded(client)
    uri = (second / "moves.gust").as_uri()
    assert publishes(client, uri) == []
    folder = lsp.WorkspaceFolder(uri=second.as_uri(), name="second")
    client.workspace_did_change_workspace_folders(lsp.DidChangeWorkspaceFoldersParams(
        event=lsp.WorkspaceFoldersChangeEvent(added=[folder], removed=[])))
    await until(lambda: last_codes(client, uri) == ["E0382"], "the added folder's file")
    client.workspace_did_change_workspace_folders(lsp.DidChangeWorkspaceFoldersParams(
        event=lsp.WorkspaceFoldersChangeEvent(added=[], removed=[folder])))
    await until(lambda: last_codes(client, uri) == [], "diagnostics cleared")
    no_internal_errors(client)


def test_settings_accept_nested_and_dotted_keys_and_ignore_bad_values() -> None:
    assert settings_of(None) == Settings()
    assert settings_of({"checkOnType": False, "goPath": " /opt/go/bin/go ",
                        "trace": {"server": "verbose"}}) == Settings(
        check_on_type=False, go_path="/opt/go/bin/go", trace_server="verbose")
    assert settings_of({"trace.server": "messages"}).trace_server == "messages"
    assert settings_of({"analysis": {"timeBudget": 5}}).time_budget == 5.0
    assert settings_of({"analysis.timeBudget": 0}).time_budget is None  # no limit
    assert settings_of({"analysis.timeBudget": -1}).time_budget == 2.0
    # Ill-typed values keep their defaults instead of breaking the server.
    assert settings_of({"checkOnType": "no", "goPath": 3, "trace": {"server": "loud"},
                        "goModulePackages": "yes"}) == Settings()
    # Go packages outside the standard library: only when the client says so.
    assert not Settings().go_module_packages
    assert settings_of({"goModulePackages": True}).go_module_packages


def test_workspace_files_skip_hidden_and_dependency_directories(tmp_path: Path) -> None:
    for name in ("a/one.gust", "a/b/two.gust", ".git/x.gust", "node_modules/y.gust",
                 "target/z.gust", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("fn main() {}\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in gust_files([tmp_path])] == [
        "a/b/two.gust", "a/one.gust"]
    assert len(gust_files([tmp_path], limit=1)) == 1


class _FakeServer:
    """What `Workspace.apply` asks of the server, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def use_go(self, go: str | None, module_packages: bool = False) -> None:
        self.calls.append(("use_go", (go, module_packages)))

    def republish(self, paths: set[str] | None = None) -> None:
        self.calls.append(("republish", paths))

    def run_on_loop(self, start: object) -> None:
        self.calls.append(("run_on_loop", "the workspace's unopened files re-checked"))


def test_settings_pushed_by_clients_without_workspace_configuration() -> None:
    server = _FakeServer()
    workspace = Workspace(server)  # type: ignore[arg-type]
    assert not workspace.client.configuration  # so the notification's settings are used
    workspace.did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"gust": {"checkOnType": False}}))
    assert not workspace.settings.check_on_type and server.calls == []
    # Checking on type again re-checks the open documents; a new `go` re-checks everything.
    workspace.did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"gust": {"checkOnType": True, "goPath": "/opt/go/bin/go"}}))
    rechecked = ("run_on_loop", "the workspace's unopened files re-checked")
    assert server.calls == [("use_go", ("/opt/go/bin/go", False)), ("republish", None),
                            rechecked]
    server.calls.clear()
    # Allowing the packages of the Go module re-reads Go packages with a new provider.
    workspace.did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"gust": {"goPath": "/opt/go/bin/go", "goModulePackages": True}}))
    assert server.calls == [("use_go", ("/opt/go/bin/go", True)), ("republish", None),
                            rechecked]
    # Other sections, or none, are the defaults.
    workspace.did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    assert workspace.settings == Settings()


TEXTKIT = """\
pub fn tokenize(input: &str) -> Vec<String> {
    input.split_whitespace().map(|w| w.to_string()).collect()
}

fn helper() -> i32 {
    1
}
"""

APP = """\
use textkit::tokenize;

pub fn count(input: &str) -> usize {
    tokenize(input).len() + textkit::helper() as usize
}
"""


@pytest.mark.asyncio
async def test_packages_of_a_go_module_use_each_other(client: WorkspaceClient,
                                                      tmp_path: Path) -> None:
    """Another Gust package of the Go module is a crate (`use textkit::tokenize;`): its
    private items are E0603 in the package using it, go to definition opens it, and an
    edit of it in the editor rechecks the open files that use it."""
    (tmp_path / "go.mod").write_text(f"module example.com/m\n\ngo {GO_VERSION}\n", encoding="utf-8")
    (tmp_path / "textkit").mkdir()
    (tmp_path / "app").mkdir()
    lib, app = tmp_path / "textkit" / "lib.gust", tmp_path / "app" / "app.gust"
    lib.write_text(TEXTKIT, encoding="utf-8")
    app.write_text(APP, encoding="utf-8")
    await start(client, tmp_path)
    await loaded(client)
    uri, lib_uri = app.as_uri(), lib.as_uri()
    open_doc(client, uri, APP)
    (diag,) = await diagnostics_for(client, uri, 1)
    assert diag.code == "E0603" and diag.message.startswith("function `helper` is private")
    assert diag.range.start == position(APP, "helper")
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position(APP, "tokenize(input)", delta=2)))
    assert isinstance(found, lsp.Location) or (isinstance(found, list) and len(found) == 1)
    target = found if isinstance(found, lsp.Location) else found[0]
    assert target.uri == lib_uri and target.range.start == position(TEXTKIT, "tokenize")
    # Making `helper` public in the (open) library fixes the open file that uses it.
    open_doc(client, lib_uri, TEXTKIT)
    assert await diagnostics_for(client, lib_uri, 1) == []
    at = position(TEXTKIT, "fn helper")
    change(client, lib_uri, 2, lsp.Range(start=at, end=at), "pub ")
    await until(lambda: last_codes(client, uri) == [], "app.gust republished")
    no_internal_errors(client)
