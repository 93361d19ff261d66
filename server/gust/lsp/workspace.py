"""Workspace features of the language server (issue 7.4), apart from its text sync.

- Settings: the `gust` section of `workspace/configuration`, pulled at `initialized` and
  on every `workspace/didChangeConfiguration` (clients without `workspace/configuration`
  send the settings in that notification instead).
- The workspace folders: at `initialized`, every `.gust` file under them is read and
  checked, and the diagnostics of the files that are not open are published (as
  rust-analyzer does), with `$/progress` while that runs when the client supports
  server-created work-done progress.
- Files changed on disk: `workspace/didChangeWatchedFiles` (registered dynamically for
  `**/*.gust` when the client allows it) re-reads the file (unless it is open: the editor's
  text wins), re-checks its package and republishes the open and unopened files of it; a
  deleted file's diagnostics are cleared.

Only the LSP layer does I/O: the analysis host gets texts, never paths to read.

Threads (docs/lsp.md, Concurrency): the notifications here run on the analysis thread, which
owns the host; the coroutines (settings, progress, loading) run on the event loop and hand
the work that needs the host to the analysis thread (`server.on_analysis_thread`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from gust.budget import DEFAULT_SECONDS
from gust.frozen import dataclass
from gust.lsp import convert
from gust.text import LineIndex

if TYPE_CHECKING:
    from gust.lsp.server import GustLanguageServer

SECTION = "gust"
WATCH_ID = "gust-watch-gust-files"
# Directories never searched for `.gust` files (besides hidden ones).
_SKIPPED_DIRS = frozenset({"node_modules", "target", "vendor", "__pycache__"})
# A workspace bigger than this is not loaded whole (open files still are, with their
# packages): reading and checking it would hold the server up for minutes.
MAX_FILES = 5000
TRACE_LEVELS = ("off", "messages", "verbose")


@dataclass(frozen=True)
class Settings:
    """The `gust` settings section (docs/lsp.md, Settings)."""

    # Check as you type; False: diagnostics when a file is opened or saved only.
    check_on_type: bool = True
    # The `go` command used for the types of Go packages (None: found on PATH).
    go_path: str | None = None
    # "off", "messages" (a log line per analysis) or "verbose" (with what was re-checked).
    trace_server: str = "off"
    # Seconds the analysis of one item may take before it gives up (gust.budget); None:
    # no limit (the setting 0).
    time_budget: float | None = DEFAULT_SECONDS
    # Read the types of Go packages outside the standard library (`use go` of the user's
    # own module), which runs the Go toolchain on the workspace's code. Off unless the
    # client says so: a bare LSP client opening a workspace runs nothing of it
    # (docs/security.md; the VS Code extension turns it on in trusted workspaces only).
    go_module_packages: bool = False


def settings_of(value: Any) -> Settings:
    """The settings in a `gust` section as a client sends it (nested objects, or flat
    dotted keys); missing or ill-typed values keep their defaults."""
    section = _as_dict(value)
    trace = section.get("trace.server", _as_dict(section.get("trace")).get("server"))
    settings = Settings()
    check = section.get("checkOnType")
    if isinstance(check, bool):
        settings = replace(settings, check_on_type=check)
    go = section.get("goPath")
    if isinstance(go, str) and go.strip():
        settings = replace(settings, go_path=go.strip())
    if trace in TRACE_LEVELS:
        settings = replace(settings, trace_server=trace)
    module_packages = section.get("goModulePackages")
    if isinstance(module_packages, bool):
        settings = replace(settings, go_module_packages=module_packages)
    budget = section.get("analysis.timeBudget",
                         _as_dict(section.get("analysis")).get("timeBudget"))
    if isinstance(budget, int | float) and not isinstance(budget, bool) and budget >= 0:
        settings = replace(settings, time_budget=float(budget) or None)
    return settings


def _as_dict(value: Any) -> dict[str, Any]:
    """A JSON object however pygls decoded it (a dict, or an object with attributes)."""
    if isinstance(value, dict):
        return value
    if value is None or isinstance(value, (str, int, float, bool, list)):
        return {}
    if hasattr(value, "_asdict"):
        return dict(value._asdict())
    return dict(getattr(value, "__dict__", {}))


@dataclass(frozen=True)
class ClientWorkspace:
    """What the client supports of the features here."""

    configuration: bool = False
    watch_dynamic: bool = False
    progress: bool = False

    @staticmethod
    def of(caps: lsp.ClientCapabilities) -> ClientWorkspace:
        ws = caps.workspace
        watched = ws.did_change_watched_files if ws is not None else None
        return ClientWorkspace(
            configuration=bool(ws is not None and ws.configuration),
            watch_dynamic=bool(watched is not None and watched.dynamic_registration),
            progress=bool(caps.window is not None and caps.window.work_done_progress))


def folders_of(params: lsp.InitializeParams) -> list[Path]:
    """The workspace folders' paths (or the root's, for clients without folders)."""
    uris = [f.uri for f in params.workspace_folders or ()]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    paths = [p for p in (_fs_path(u) for u in uris) if p is not None]
    if not paths and params.root_path:
        paths = [params.root_path]
    return [Path(p) for p in paths if Path(p).is_absolute()]


def _fs_path(uri: str) -> str | None:
    try:
        return to_fs_path(uri)
    except Exception:
        return None


def gust_files(folders: list[Path], limit: int = MAX_FILES) -> list[Path]:
    """The `.gust` files under the folders (not in hidden or dependency directories), in
    path order, at most `limit`."""
    found: dict[Path, None] = {}
    for folder in folders:
        for path in _walk(folder):
            found[path] = None
            if len(found) >= limit:
                return sorted(found)
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, onerror=lambda _: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(".gust"):
                yield Path(root) / name


def read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


class Workspace:
    """The server's workspace: its folders, settings and the files it checks unopened."""

    def __init__(self, server: GustLanguageServer) -> None:
        self.server = server
        self.client = ClientWorkspace()
        self.folders: list[Path] = []
        self.settings = Settings()
        # Files not open whose (non-empty) diagnostics are published: cleared when they
        # are deleted, become clean, or are opened (then the document's own take over).
        self.published: set[str] = set()
        self._progress_count = 0
        self._tasks: set[asyncio.Task[None]] = set()

    # -- lifecycle --------------------------------------------------------------------

    def initialize(self, params: lsp.InitializeParams) -> None:
        self.client = ClientWorkspace.of(params.capabilities)
        self.folders = folders_of(params)

    def initialized(self) -> None:
        """Settings first (they may turn checking off), then watching, then loading."""
        self.spawn("initializing the workspace", self._start())

    async def _start(self) -> None:
        try:
            await self.pull_settings()
        except JsonRpcException as exc:  # the client's refusal: keep the defaults
            self.server.log(lsp.MessageType.Warning,
                            f"gust-lsp: could not read the settings: {exc}")
        if self.client.watch_dynamic:
            try:
                await self.server.client_register_capability_async(lsp.RegistrationParams(
                    registrations=[lsp.Registration(
                        id=WATCH_ID, method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[lsp.FileSystemWatcher(glob_pattern="**/*.gust")]))]))
            except JsonRpcException as exc:
                self.server.log(lsp.MessageType.Warning,
                                f"gust-lsp: could not watch .gust files: {exc}")
        await self.load()

    def spawn(self, what: str, work: Any) -> None:
        """Run a coroutine on the loop (from any thread); its exception is reported, never
        raised. `work` is a coroutine, or a coroutine function called on the loop."""
        async def guarded() -> None:
            try:
                await (work() if callable(work) else work)
            except Exception as exc:
                self.server.report_internal_error(what, exc)

        def start() -> None:
            task = asyncio.get_running_loop().create_task(guarded())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.server.run_on_loop(start)

    # -- settings ---------------------------------------------------------------------

    async def pull_settings(self) -> None:
        if not self.client.configuration:
            return
        result = await self.server.workspace_configuration_async(lsp.ConfigurationParams(
            items=[lsp.ConfigurationItem(section=SECTION)]))
        self.apply(settings_of(result[0] if result else None))

    def did_change_configuration(self, params: lsp.DidChangeConfigurationParams) -> None:
        if self.client.configuration:
            self.spawn("reading settings", self.pull_settings())
        else:
            self.apply(settings_of(_as_dict(params.settings).get(SECTION)))

    def apply(self, settings: Settings) -> None:
        old, self.settings = self.settings, settings
        go_changed = settings.go_path != old.go_path or \
            settings.go_module_packages != old.go_module_packages
        if go_changed:
            self.server.use_go(settings.go_path, settings.go_module_packages)
        if settings.time_budget != old.time_budget:
            self.server.use_time_budget(settings.time_budget)
            self.server.republish()
        if (settings.check_on_type and not old.check_on_type) or go_changed:
            # Edits made while checking was off (or checked with another Go) are checked now.
            self.server.republish()
        if go_changed:
            # The workspace's files that are not open too: `use go` may resolve now.
            self.spawn("re-checking the workspace", self.recheck_unopened)

    async def recheck_unopened(self) -> None:
        """Publish again the diagnostics of every workspace file that is not open (after
        the settings changed what a `use go` finds), one file per job."""
        paths: list[str] = await self.server.on_analysis_thread(
            "re-checking the workspace", self._unopened_paths)
        for path in paths:
            await self.server.on_analysis_thread(
                "checking the workspace", self.publish_unopened, path)

    def _unopened_paths(self) -> list[str]:
        """(Analysis thread) The host's files of the workspace that are not open."""
        return sorted(p for p in self.server.host.paths()
                      if self.in_folders(p) and not self.server.is_open(p))

    def trace(self, message: str, verbose: str = "") -> None:
        """A `window/logMessage` (type Log) when `trace.server` asks for it."""
        level = self.settings.trace_server
        if level == "off":
            return
        text = f"{message} ({verbose})" if verbose and level == "verbose" else message
        self.server.log(lsp.MessageType.Log, text)

    # -- loading the folders ----------------------------------------------------------

    def did_change_workspace_folders(self, params: lsp.DidChangeWorkspaceFoldersParams
                                     ) -> None:
        """Load added folders; clear the diagnostics of unopened files of removed ones."""
        removed = {Path(p) for p in (_fs_path(f.uri) for f in params.event.removed) if p}
        added = [Path(p) for p in (_fs_path(f.uri) for f in params.event.added) if p]
        added = [p for p in added if p.is_absolute() and p not in self.folders]
        self.folders = [f for f in self.folders if f not in removed] + added
        for path in sorted(self.published):
            if not self.in_folders(path):
                self.published.discard(path)
                self.server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                    uri=Path(path).as_uri(), diagnostics=[]))
        if added:
            self.spawn("loading workspace folders", self.load(added))

    async def load(self, folders: list[Path] | None = None) -> None:
        """Read and check every `.gust` file of the folders (all by default); publish the
        diagnostics of those not open. One file per loop turn, so edits and requests are
        served meanwhile."""
        folders = self.folders if folders is None else folders
        if not folders:
            return
        token: str | None = None
        if self.client.progress:
            self._progress_count += 1
            token = f"gust/loadWorkspace/{self._progress_count}"
            await self.server.work_done_progress.create_async(token)
            self.server.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(
                title="Gust: loading workspace", message="finding .gust files",
                percentage=0, cancellable=False))
        files: list[Path] = await self.server.on_analysis_thread(
            "loading the workspace", self._read, folders)
        for n, path in enumerate(files, 1):
            if token is not None:
                self.server.work_done_progress.report(token, lsp.WorkDoneProgressReport(
                    message=f"{path.name} ({n}/{len(files)})",
                    percentage=(n - 1) * 100 // len(files)))
            # One file per job: requests and edits are served in between.
            try:
                await self.server.on_analysis_thread(
                    "checking the workspace", self.publish_unopened, str(path))
            except Exception as exc:  # one file's failure must not stop the others
                self.server.report_internal_error(f"checking {path.name}", exc)
        if token is not None:
            self.server.work_done_progress.end(token, lsp.WorkDoneProgressEnd(
                message=f"{len(files)} file{'s' if len(files) != 1 else ''} checked"))
        self.trace(f"gust-lsp: workspace loaded, {len(files)} .gust files checked")

    def _read(self, folders: list[Path]) -> list[Path]:
        """(Analysis thread) Give the host the folders' `.gust` files that are not open."""
        files = gust_files(folders)
        host = self.server.host
        for path in files:
            name = str(path)
            if not self.server.is_open(name):
                text = read_text(path)
                if text is not None:
                    host.set_text(name, text)
        return files

    def in_folders(self, path: str) -> bool:
        p = Path(path)
        return any(p.is_relative_to(folder) for folder in self.folders)

    def publish_unopened(self, path: str) -> None:
        """Publish the diagnostics of a file of the host that is not open (without a
        version: they are of the file on disk)."""
        host = self.server.host
        text = host.text(path)
        if text is None or self.server.is_open(path) or not self.in_folders(path):
            return
        diags = host.analyze(path).diagnostics()
        if not diags and path not in self.published:
            return  # clean, and nothing to clear: no message at all
        if diags:
            self.published.add(path)
        else:
            self.published.discard(path)
        uri = Path(path).as_uri()
        self.server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=convert.diagnostics(diags, LineIndex(text), uri,
                                                     self.server.support)))

    def republish_unopened(self, path: str) -> None:
        """A file of `path`'s package changed: its unopened files may have new
        diagnostics."""
        for other in self.server.host.related_files(path):
            self.publish_unopened(other)

    def opened(self, path: str) -> None:
        """An open document's diagnostics replace those of the file on disk."""
        self.published.discard(path)

    def closed(self, path: str) -> bool:
        """A document was closed (the host has the file as it is on disk, if it is):
        publish the file's diagnostics if it belongs to the workspace. True if the file's
        diagnostics were published (else the caller clears them)."""
        if self.server.host.text(path) is None or not self.in_folders(path):
            return False
        self.published.add(path)  # so that an empty list is published, clearing the doc's
        self.publish_unopened(path)
        return True

    # -- files changed on disk --------------------------------------------------------

    def did_change_watched_files(self, params: lsp.DidChangeWatchedFilesParams) -> None:
        host = self.server.host
        changed: list[str] = []
        for event in params.changes:
            path = _fs_path(event.uri)
            if path is None or not path.endswith(".gust") or self.server.is_open(path):
                continue  # an open document's text is the editor's, not the disk's
            if event.type == lsp.FileChangeType.Deleted:
                host.remove(path)
                if path in self.published:
                    self.published.discard(path)
                    self.server.text_document_publish_diagnostics(
                        lsp.PublishDiagnosticsParams(uri=event.uri, diagnostics=[]))
            else:
                text = read_text(Path(path))
                if text is None:
                    continue
                if host.text(path) is None and not self._known_package(path):
                    continue  # neither in the workspace nor next to an open file
                host.set_text(path, text)
            changed.append(path)
        for path in changed:
            self.server.republish({*host.related_files(path), path})
            self.republish_unopened(path)
        if changed:
            self.trace(f"gust-lsp: {len(changed)} file{'s' if len(changed) != 1 else ''} "
                       "changed on disk", ", ".join(Path(p).name for p in changed))

    def _known_package(self, path: str) -> bool:
        """A new file belongs to the workspace, or to the package of a file the server
        already has."""
        if self.in_folders(path):
            return True
        directory = str(Path(path).parent)
        return any(str(Path(p).parent) == directory for p in self.server.host.paths())
