"""`gust-lsp`: the Gust language server (pygls 2, LSP 3.17 over stdio).

Two threads (docs/lsp.md, "Concurrency", has the whole model):

- the event loop (pygls) reads every message, applies edits to our copy of the documents
  (`gust.lsp.documents`) and hands everything else to
- the analysis thread (`gust.lsp.worker`), the only one that touches the `AnalysisHost`: it
  analyses, publishes diagnostics, answers requests and regenerates Go, one job at a time.

So an edit is applied while an analysis runs, and that analysis, which checks between items
whether its text is still the newest (`AnalysisHost.cancellation`), gives up at once; the
newest text is analysed next. Diagnostics are published only for the newest version of a
document. A request is answered for the version it was sent for, if that is still the newest
when the answer is ready; otherwise it gets ContentModified, and a cancelled one
RequestCancelled.

Robustness: every handler is wrapped; an exception is logged once, with where it happened,
to stderr and to the client (`window/logMessage`, and now and then a `window/showMessage`)
and a request is answered InternalError, never a crash. The text is updated before any
analysis runs, so a failing analysis never loses an edit. `GUST_LSP_FAULTS` (tests only,
gust.lsp.faults) makes chosen handlers fail on purpose.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Generator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import (
    FeatureRequestError,
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcRequestCancelled,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCRequest
from pygls.uris import to_fs_path

import gust
from gust.codegen import GoFile
from gust.frozen import dataclass
from gust.ide import format as ide_format
from gust.ide import semantic_tokens as ide_tokens
from gust.ide.analysis import AnalysisHost, Cancelled, FileAnalysis
from gust.ide.borrow_insight import function_loans
from gust.ide.code_actions import quick_fixes
from gust.ide.definition import definition, type_definition
from gust.ide.explain import explanation
from gust.ide.generated import GeneratedGo, generated_go, source_map
from gust.ide.hover import hover
from gust.ide.references import document_highlights, references
from gust.ide.rename import RenameError, prepare_rename, rename
from gust.ide.structure import folding_ranges, selection_ranges
from gust.ide.symbols import document_symbols, workspace_symbols
from gust.lsp import assist, convert, stderr_log, wire
from gust.lsp.documents import Document, DocumentStore, Snapshot, lsp_range, offset_at
from gust.lsp.faults import Faults
from gust.lsp.worker import BACKGROUND, IDLE, Worker
from gust.lsp.workspace import Workspace
from gust.project.gopackages import GoPackages
from gust.project.gust_packages import GustModulePackages
from gust.project.provider import go_provider
from gust.text import LineIndex, Span

logger = logging.getLogger("gust.lsp")

GENERATED_GO = "gust/generatedGo"
GENERATED_GO_CHANGED = "gust/generatedGoChanged"
LOANS = "gust/loans"
EXPLAIN = "gust/explain"
# The server's own copy of a document, for tests that check it follows the client's edits
# (the fuzzer of tests/tools/lspfuzz.py): no other request returns the text itself.
DOCUMENT_TEXT = "gust/debug/documentText"
# The scheme of generated-Go documents served by `workspace/textDocumentContent` (LSP 3.18):
# `gust-go:<path of the .gust file>.go?<URI of the .gust document>`, as the VS Code
# extension names its own.
GO_SCHEME = "gust-go"
# Above stale Go served as a `gust-go:` document (the same words as the VS Code extension).
STALE_GO_HEADER = ("// Gust: out of date; the .gust file has errors. "
                   "Last Go generated without errors:\n\n")
# How often the threads may take turns (see `main`).
SWITCH_INTERVAL_S = 0.001
# Distinct internal errors reported to the client before we stop reporting new ones.
_MAX_REPORTED = 200
# An internal error pops up a message (`window/showMessage`) at most this often: the user
# learns that something failed, and the log has every failure.
SHOW_INTERVAL_S = 600.0


class GustProtocol(LanguageServerProtocol):
    """pygls' protocol with four changes.

    - Positions are always UTF-16 (mandatory in LSP, and what `LineIndex` converts), even
      when a client offers UTF-8 or UTF-32, which pygls would otherwise pick.
    - Text sync bypasses pygls' workspace: the server keeps its own documents
      (see gust.lsp.documents for why).
    - A request whose params cannot even be decoded is answered with InvalidParams instead
      of being dropped, which would leave the client waiting forever.
    - A handler's future is forgotten once it is done (`_execute_handler`): pygls kept a
      notification's for the rest of the session.
    """

    _initialize_seen = False
    # The process's exit status once the client sent `exit`: 1 without a `shutdown`
    # before it (LSP); `main` exits with it (pygls' own `sys.exit` is swallowed).
    exit_code = 0

    def handle_message(self, message: Any) -> None:
        """JSON that is not a message (a number, a string, an array: LSP has no batches)
        or whose id is neither a number nor a string is an InvalidRequest (null id), and
        so is a request after `shutdown` (LSP; pygls would leave it unanswered)."""
        msg_id = getattr(message, "id", None)
        if not hasattr(message, "jsonrpc") or isinstance(msg_id, bool) or \
                not isinstance(msg_id, int | str | None):
            logger.warning("not a JSON-RPC message: %.200r", message)
            self._send_data({"jsonrpc": "2.0", "id": None, "error": {
                "code": JsonRpcInvalidRequest.CODE,
                "message": "not a JSON-RPC message (an object with a number or string id)"}})
            return
        if self._shutdown and isinstance(message, RPCRequest):
            self._send_response(message.id, error=JsonRpcInvalidRequest(
                f"{message.method}: the server is shutting down").to_response_error())
            return
        super().handle_message(message)

    @lsp_method(lsp.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        self.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        """A request before `initialize` is answered ServerNotInitialized (LSP)."""
        if not self._initialize_seen and method_name != lsp.INITIALIZE:
            self._send_response(msg_id, error=JsonRpcServerNotInitialized(
                f"{method_name}: the server is not initialized yet").to_response_error())
            return
        super()._handle_request(msg_id, method_name, params)

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        """A cancel of a request that is not pending any more is routine (the client sent it
        before our answer reached it, LSP: ignore it); pygls logs a warning for each."""
        if msg_id in self._request_futures:
            super()._handle_cancel_notification(msg_id)
        else:
            logger.debug("$/cancelRequest for %r: not pending (answered already)", msg_id)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        """Notifications before `initialize` are dropped, except `exit` (LSP)."""
        if not self._initialize_seen and method_name != lsp.EXIT:
            logger.warning("ignored %s: the server is not initialized yet", method_name)
            return
        if method_name == lsp.CANCEL_REQUEST and (
                isinstance(getattr(params, "id", None), bool) or
                not isinstance(getattr(params, "id", None), (int, str))):
            logger.warning("ignored $/cancelRequest without a number or string id")
            return
        super()._handle_notification(method_name, params)

    @lsp_method(lsp.INITIALIZE)
    def lsp_initialize(self, params: lsp.InitializeParams
                       ) -> Generator[Any, Any, lsp.InitializeResult]:
        self._initialize_seen = True
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            utf16_only = attrs.evolve(general,
                                      position_encodings=[lsp.PositionEncodingKind.Utf16])
            params = attrs.evolve(params, capabilities=attrs.evolve(params.capabilities,
                                                                    general=utf16_only))
        result: lsp.InitializeResult = yield from super().lsp_initialize(params)
        workspace = params.capabilities.workspace
        if workspace is not None and workspace.text_document_content is not None:
            # LSP 3.18's content provider (pygls does not announce it itself).
            options = result.capabilities.workspace or lsp.WorkspaceOptions()
            options.text_document_content = lsp.TextDocumentContentOptions(schemes=[GO_SCHEME])
            result.capabilities.workspace = options
        return result

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any,
                         args: tuple[Any, ...] | None = None,
                         kwargs: dict[str, Any] | None = None) -> None:
        """A handler's future leaves `_request_futures` once it is done.

        pygls files the future of each handler it runs there (where `$/cancelRequest` finds
        a request's), under the request's id, which answering it pops, or, for a
        notification and for the handler a generator handler yields to, under a fresh uuid
        that nothing pops: every keystroke's `didChange` left two futures (and what they
        hold) alive for the rest of the session."""
        def done(future: Any) -> None:
            try:
                callback(future)
            finally:
                if self._request_futures.get(msg_id) is future:
                    self._request_futures.pop(msg_id, None)
        super()._execute_handler(msg_id, handler, done, args, kwargs)

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        """Messages are written by two threads (responses by the event loop, diagnostics
        by the analysis thread): one message at a time."""
        super().set_writer(_LockedWriter(writer), include_headers)

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        """JSON-RPC errors the handlers raise on purpose (ContentModified, RequestCancelled,
        InvalidParams for a document that is not open, RequestFailed for a refused rename)
        are answers, not failures; an InternalError was logged by `report_internal_error`.
        Send them without pygls' error log (a traceback on stderr for each)."""
        if not future.cancelled() and isinstance(future.exception(), JsonRpcException):
            self._request_futures.pop(msg_id, None)
            self._send_response(msg_id, error=future.exception().to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams
                                    ) -> Generator[Any, Any, None]:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams
                                      ) -> Generator[Any, Any, None]:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams
                                     ) -> Generator[Any, Any, None]:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Generator[Any, Any, None]:
        """Hand a text-sync notification to the server's handler (pygls' generator protocol)."""
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
            raise


class _LockedWriter:
    """A writer that writes one message at a time, whichever thread sends it."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer
        self._lock = threading.Lock()
        self._gone = False

    def write(self, data: bytes) -> Any:
        """Write one message; once the client has closed its end (it exited), drop
        messages: nobody reads them, and the server exits when its input ends."""
        with self._lock:
            if self._gone:
                return None
            try:
                return self._writer.write(data)
            except Exception as exc:
                if not wire.client_gone(exc):
                    raise
                self._gone = True
                logger.warning("the client closed the connection: %s", exc)
                return None

    def close(self) -> Any:
        return self._writer.close()


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed: a valid request the server refuses (a rename of a std name);
    clients show the message to the user."""

    CODE = -32803
    MESSAGE = "Request failed"


SEMANTIC_LEGEND = lsp.SemanticTokensLegend(token_types=list(ide_tokens.TOKEN_TYPES),
                                           token_modifiers=list(ide_tokens.TOKEN_MODIFIERS))


@dataclass
class GoAnswer:
    """The answer to `gust/generatedGo` for one document (see docs/lsp.md)."""

    text: str
    version: int
    stale: bool
    # What the Go was generated from, for its source map (computed when first asked).
    source: FileAnalysis | None = None
    go_file: GoFile | None = None
    source_index: LineIndex | None = None
    _map: list[int] | None = None

    def source_map(self) -> list[int]:
        if self._map is None:
            self._map = [] if self.source is None or self.go_file is None else \
                source_map(self.source, self.go_file, self.source_index)
        return self._map


@dataclass
class DocState:
    """What the server remembers about an open document besides its text."""

    published_seq: int = -1
    # Whether the syntax-only diagnostics of a newly opened document were sent.
    syntax_published: bool = False
    # The last analysis without errors: Go for it is generated only when asked for, so a
    # document nobody previews costs no codegen, yet a preview opened while the file is
    # broken still shows the last good Go.
    last_clean: FileAnalysis | None = None
    # Whether a client asked for this document's Go (a preview is open): only then is
    # Go regenerated after each analysis and gust/generatedGoChanged sent.
    watched: bool = False
    go_seq: int = -1
    go: GoAnswer | None = None
    # (text, stale) of the last answer the client has seen or was told about.
    notified: tuple[str, bool] | None = None
    # The package environment of the last analysis: when it changes, the other open
    # files of the package are analysed (and published) again.
    env_seen: object = None
    # Publish the next analysis even though the document's version did not change (a
    # file of its package changed).
    republish: bool = False
    # The last semantic tokens sent (result id, data), for `semanticTokens/full/delta`.
    tokens: tuple[str, list[int]] | None = None
    # Whether a client showed this document's Go through `workspace/textDocumentContent`:
    # then it is told `workspace/textDocumentContent/refresh` when the Go changes.
    content_watched: bool = False


class _Request:
    """A request handed to the analysis thread, and what it was sent for: a document at
    one version (`seq`), or, for requests about no open document, every document as they
    were (the server's count of edits)."""

    def __init__(self, method: str, doc: Document | None, seq: int,
                 edits: Callable[[], int], docs: DocumentStore) -> None:
        self.method = method
        self.doc = doc
        self.seq = seq
        self._edits = edits
        self._docs = docs
        # Set by the event loop when the client cancels ($/cancelRequest).
        self.cancelled = False

    def stale(self) -> bool:
        """Whether the answer is no longer wanted: cancelled, or what it is about changed."""
        if self.cancelled:
            return True
        if self.doc is None:
            return self._edits() != self.seq
        return self._docs.get(self.doc.uri) is not self.doc or self.doc.seq != self.seq

    def abandoned(self) -> JsonRpcException:
        if self.cancelled:
            return JsonRpcRequestCancelled(f"{self.method}: cancelled")
        return JsonRpcContentModified(
            f"{self.method}: the document changed before the answer was ready")


def _uri_param(params: Any) -> str:
    """`params.textDocument.uri` of a custom request, whatever shape pygls decoded it into."""
    uri = _document_uri(params)
    if uri is None:
        raise JsonRpcInvalidParams("expected params { textDocument: { uri: string } }")
    return uri


def _position_param(params: Any) -> lsp.Position:
    """`params.position` of a custom request."""
    pos = params.get("position") if isinstance(params, dict) else getattr(
        params, "position", None)
    get = pos.get if isinstance(pos, dict) else functools.partial(getattr, pos)
    line, character = get("line", None), get("character", None)
    if not isinstance(line, int) or not isinstance(character, int):
        raise JsonRpcInvalidParams("expected params { position: { line, character } }")
    return lsp.Position(line=line, character=character)


def _where(params: Any, doc: Document | None, version: int | None = None) -> str:
    """Where a handler failed, for its report: `uri:line:column (version N)`, the line and
    column 1-based (as editors show them; the column counts UTF-16 units, as LSP does)."""
    uri = doc.uri if doc is not None else _document_uri(params)
    if uri is None:
        return ""
    pos = _position_of(params)
    where = uri if pos is None else f"{uri}:{pos[0] + 1}:{pos[1] + 1}"
    if version is None and doc is not None:
        version = doc.version
    return where if version is None else f"{where} (version {version})"


def _position_of(params: Any) -> tuple[int, int] | None:
    """The (line, character) a request is about: its `position`, or its range's start."""
    def field(obj: Any, name: str) -> Any:
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    pos = field(params, "position")
    if pos is None:
        where = field(params, "range")
        pos = field(where, "start") if where is not None else None
    line, character = (field(pos, "line"), field(pos, "character")) if pos is not None \
        else (None, None)
    if isinstance(line, int) and isinstance(character, int):
        return line, character
    return None


def on_explain(params: Any) -> dict[str, str] | None:
    """`gust/explain`: the Markdown explanation of an error code (null for an unknown one),
    the text `gust explain` prints, for the editors' Explain Error commands."""
    code = params.get("code") if isinstance(params, dict) else getattr(params, "code", None)
    if not isinstance(code, str):
        raise JsonRpcInvalidParams("expected params { code: string }")
    for name in (code.strip().upper(), code.strip().lower()):  # E0382, time_budget
        text = explanation(name)
        if text is not None:
            return {"code": name, "markdown": text}
    return None


def _document_uri(params: Any) -> str | None:
    """The URI of the document a request is about (`textDocument.uri`), if any."""
    def field(obj: Any, *names: str) -> Any:
        for name in names:
            value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
            if value is not None:
                return value
        return None
    uri = field(field(params, "text_document", "textDocument"), "uri")
    if uri is None:  # `workspace/textDocumentContent`: the document a gust-go: URI shows
        go = field(params, "uri")
        uri = source_uri(go) if isinstance(go, str) else None
    return uri if isinstance(uri, str) else None


def go_uri(uri: str) -> str:
    """The `gust-go:` URI that shows the Go of the document `uri`."""
    path = urlsplit(uri).path or uri
    return f"{GO_SCHEME}:{quote(path, safe='/')}.go?{quote(uri, safe='')}"


def source_uri(go: str) -> str | None:
    """The document URI a `gust-go:` URI shows the Go of (None for another scheme)."""
    parts = urlsplit(go)
    if parts.scheme != GO_SCHEME:
        return None
    if parts.query:
        return unquote(parts.query)
    path = unquote(parts.path)
    return Path(path.removesuffix(".go")).as_uri() if path.startswith("/") else None


# How many directories up a file opened may be a module's file of a package (`mod a;` in
# `main.gust`, `mod b;` in `a.gust`, ...: `a/b/c.gust` is three down).
_MODULE_DEPTH: Final = 4


def _read_gust(path: Path) -> str | None:
    """A `.gust` file's text from disk, or None if it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def _path_of(uri: str) -> str:
    """The file path of a URI (the URI itself for untitled or non-file documents)."""
    try:
        path = to_fs_path(uri)
    except Exception:
        path = None
    return path or uri


class GustLanguageServer(LanguageServer):
    """The server: documents, the analysis host and the handlers that connect them."""

    def __init__(self) -> None:
        super().__init__("gust-lsp", gust.__version__, protocol_cls=GustProtocol,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.docs = DocumentStore()
        # Go packages outside the standard library are read only once the settings allow
        # it (`gust.goModulePackages`, docs/security.md): opening a workspace runs no Go.
        self._host = AnalysisHost(go_provider(GoPackages(module_packages=False)),
                                  GustModulePackages())
        self.support = convert.ClientSupport()
        self.project = Workspace(self)
        self._states: dict[str, DocState] = {}
        # The analysis thread (module docstring): everything that touches `host` runs there.
        self.worker = Worker(self.report_internal_error)
        # Documents whose analysis is queued and not yet started (see `_schedule`).
        self._pending: set[str] = set()
        self._pending_lock = threading.Lock()
        # Text changes applied, to any document (a request about no document compares it).
        self._edits = 0
        self._reported: set[tuple[str, str, str]] = set()
        self._reported_lock = threading.Lock()
        self._last_shown: float | None = None  # when a failure was last shown (monotonic)
        # Handlers made to fail on purpose, for tests (GUST_LSP_FAULTS, gust.lsp.faults).
        self.faults = Faults.from_env()
        if self.faults:
            logger.warning("fault injection is on: %s", os.environ.get("GUST_LSP_FAULTS"))
        self._loop: asyncio.AbstractEventLoop | None = None
        # Whether the client has LSP 3.18's `workspace/textDocumentContent`.
        self._content_support = False
        self._register()

    @property
    def host(self) -> AnalysisHost:
        """The analysis host; only the analysis thread may use it (module docstring)."""
        if not self.worker.on_thread():
            raise RuntimeError("the AnalysisHost is used outside the analysis thread: "
                               "register the handler through GustLanguageServer._register")
        return self._host

    # -- registration and error handling ------------------------------------------------

    def _register(self) -> None:
        """Register every handler, each wrapped so that it cannot crash the server.

        Where they run: text sync on the event loop (it must never touch `host`);
        every other notification and every request on the analysis thread, in arrival
        order (`_guard_notification`, `_guard_request`). A handler registered otherwise
        must not use `host` (it raises off the analysis thread)."""
        text_sync: dict[str, Callable[[Any], None]] = {
            lsp.TEXT_DOCUMENT_DID_OPEN: self.on_did_open,
            lsp.TEXT_DOCUMENT_DID_CHANGE: self.on_did_change,
            lsp.TEXT_DOCUMENT_DID_CLOSE: self.on_did_close,
            lsp.TEXT_DOCUMENT_DID_SAVE: self.on_did_save,
        }
        for method, fn in text_sync.items():
            self.feature(method)(self._guard_text_sync(method, fn))
        notifications: dict[str, Callable[[Any], None]] = {
            lsp.INITIALIZED: self.on_initialized,
            lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES: self.project.did_change_watched_files,
            lsp.WORKSPACE_DID_CHANGE_CONFIGURATION: self.project.did_change_configuration,
            lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS:
                self.project.did_change_workspace_folders,
        }
        for method, fn in notifications.items():
            self.feature(method)(self._guard_notification(method, fn))
        self.feature(lsp.INITIALIZE)(self._guard_initialize(self.on_initialize))
        requests: dict[str, Callable[[Any], Any]] = {
            lsp.TEXT_DOCUMENT_HOVER: self.on_hover,
            lsp.TEXT_DOCUMENT_DEFINITION: self.on_definition,
            GENERATED_GO: self.on_generated_go,
            LOANS: self.on_loans,
            EXPLAIN: on_explain,
            DOCUMENT_TEXT: self.on_document_text,
            lsp.TEXT_DOCUMENT_FORMATTING: self.on_formatting,
            lsp.TEXT_DOCUMENT_RANGE_FORMATTING: self.on_range_formatting,
            lsp.TEXT_DOCUMENT_TYPE_DEFINITION: self.on_type_definition,
            lsp.TEXT_DOCUMENT_REFERENCES: self.on_references,
            lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT: self.on_document_highlight,
            lsp.TEXT_DOCUMENT_PREPARE_RENAME: self.on_prepare_rename,
            lsp.TEXT_DOCUMENT_RENAME: self.on_rename,
            lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL: self.on_document_symbol,
            lsp.WORKSPACE_SYMBOL: self.on_workspace_symbol,
            lsp.TEXT_DOCUMENT_FOLDING_RANGE: self.on_folding_range,
            lsp.TEXT_DOCUMENT_SELECTION_RANGE: self.on_selection_range,
            lsp.WORKSPACE_TEXT_DOCUMENT_CONTENT: self.on_text_document_content,
        }
        for method, fn in requests.items():
            self.feature(method)(self._guard_request(method, fn))
        tokens: dict[str, Callable[[Any], Any]] = {
            lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL: self.on_semantic_tokens,
            lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA: self.on_semantic_tokens_delta,
            lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE: self.on_semantic_tokens_range,
        }
        for method, fn in tokens.items():
            self.feature(method, SEMANTIC_LEGEND)(self._guard_request(method, fn))
        self.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
            code_action_kinds=[lsp.CodeActionKind.QuickFix]))(
                self._guard_request(lsp.TEXT_DOCUMENT_CODE_ACTION, self.on_code_action))
        assist.register(self)  # completion, signature help, inlay hints (gust.lsp.assist)

    def _guard_text_sync(self, method: str, fn: Callable[[Any], None]
                         ) -> Callable[[Any], None]:
        """A text-sync handler: on the event loop, logging its exceptions. The handlers
        store the text first; whatever failed after that, the document is analysed (or,
        closed, forgotten) as if it had not."""
        def handler(params: Any) -> None:
            try:
                fn(params)
            except Exception as exc:
                self.report_internal_error(method, exc, _where(params, None))
                self._resync(method, params)
        return handler

    def _resync(self, method: str, params: Any) -> None:
        """After a failed text-sync handler: schedule what it would have."""
        uri = _document_uri(params)
        if uri is None:
            return
        if self.docs.get(uri) is not None:
            self._states.setdefault(uri, DocState())
            self._schedule(uri)
        elif method == lsp.TEXT_DOCUMENT_DID_CLOSE:
            self._states.pop(uri, None)
            self.worker.post("closing a document", self._closed, uri, _path_of(uri))

    def _guard_notification(self, method: str, fn: Callable[[Any], None]
                            ) -> Callable[[Any], None]:
        """A notification handler: run on the analysis thread after the work queued
        before it, its exceptions logged."""
        def handler(params: Any) -> None:
            self.worker.post(method, self._notified, method, fn, params)
        return handler

    def _notified(self, method: str, fn: Callable[[Any], None], params: Any) -> None:
        self.faults.check(method)
        fn(params)

    def _guard_initialize(self, fn: Callable[[Any], None]) -> Callable[[Any], None]:
        """`initialize` runs on the event loop, within pygls' own initialize handler."""
        def handler(params: Any) -> None:
            self._loop = asyncio.get_running_loop()
            try:
                self.faults.check(lsp.INITIALIZE)
                fn(params)
            except Exception as exc:
                self.report_internal_error(lsp.INITIALIZE, exc)
        return handler

    def _guard_request(self, method: str, fn: Callable[[Any], Any]
                       ) -> Callable[[Any], Awaitable[Any]]:
        """The handler pygls calls for a request: `fn` runs on the analysis thread, before
        background analyses that wait (it sees the newest text: the version the client
        has, and computes what it needs of the analysis itself).

        Its unexpected exceptions become an InternalError response (logged once);
        deliberate JSON-RPC errors such as InvalidParams pass through. An answer computed
        for a version that is no longer the newest is ContentModified; a request the client
        cancelled ($/cancelRequest: pygls cancels this coroutine) is RequestCancelled,
        and if it had started, it stops at its next cancellation check."""
        async def handler(params: Any) -> Any:
            uri = _document_uri(params)
            doc = self.docs.get(uri) if uri is not None else None
            request = _Request(method, doc, doc.seq if doc is not None else self._edits,
                               lambda: self._edits, self.docs)
            future: Future[Any] = self.worker.submit(self._answer, request, fn, params)
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                request.cancelled = True
                raise
        return handler

    def _answer(self, request: _Request, fn: Callable[[Any], Any], params: Any) -> Any:
        """Run a request's handler on the analysis thread (see `_guard_request`)."""
        if request.stale():
            raise request.abandoned()
        try:
            with self.host.cancellation(request.stale):
                self.faults.check(request.method)
                result = fn(params)
        except Cancelled:
            raise request.abandoned() from None
        except JsonRpcException:
            raise
        except Exception as exc:
            if request.stale():
                # The text changed under it: an answer nobody wants, not a bug to report.
                raise request.abandoned() from None
            self.report_internal_error(request.method, exc, _where(params, request.doc))
            raise JsonRpcInternalError(f"gust-lsp: {request.method} failed: {exc!r}") from exc
        if request.stale():
            raise request.abandoned()
        return result

    def report_internal_error(self, what: str, exc: BaseException, where: str = "") -> None:
        """Report a bug: with its traceback and where it happened (`where`: the document,
        position and version) to stderr and to the client's log (`window/logMessage`), once
        per distinct error, so a failure that repeats on every keystroke does not flood
        them; and, at most every SHOW_INTERVAL_S, in a message the user sees."""
        at = f" ({where})" if where else ""
        key = (what, type(exc).__name__, str(exc))
        with self._reported_lock:
            first = key not in self._reported and len(self._reported) < _MAX_REPORTED
            if first:
                self._reported.add(key)
            now = time.monotonic()
            show = self._last_shown is None or now - self._last_shown >= SHOW_INTERVAL_S
            if show:
                self._last_shown = now
        if not first:
            logger.warning("%s failed again%s: %r", what, at, exc)
            return
        logger.error("%s failed%s", what, at, exc_info=exc)
        trace = "".join(traceback.format_exception(exc))
        self.log(lsp.MessageType.Error, f"gust-lsp: {what} failed{at}: {exc!r}\n{trace}")
        if show:
            self.show(lsp.MessageType.Error,
                      f"Gust: an internal error in {what} ({exc!r:.200}). The language server "
                      "keeps running; the details are in its output (log).")

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside our handlers: log them, never pop up a message box.

        Request errors were already answered and logged by the guard. A message that does
        not decode is the client's mistake, not ours: a warning (a request among them was
        answered with InvalidParams by `GustProtocol.structure_message`)."""
        if source is FeatureRequestError:
            return
        if source is JsonRpcException and not isinstance(error, JsonRpcException) and \
                wire.client_mistake(error):
            # Bytes that are not JSON (or not UTF-8): JSON-RPC's answer is a ParseError
            # with a null id, since the request's id cannot be known.
            logger.warning("a message that is not JSON: %s", error)
            self.log(lsp.MessageType.Warning,
                     f"gust-lsp: ignored a message that is not JSON: {error}")
            # (A dict: pygls' own response type would leave out the null id.)
            self.protocol._send_data({"jsonrpc": "2.0", "id": None, "error": {
                "code": JsonRpcParseError.CODE, "message": f"not JSON: {error}"}})
            return
        if isinstance(error, JsonRpcException):
            cause = error.__cause__ if error.__cause__ is not None else error
            logger.warning("undecodable message: %s", cause)
            self.log(lsp.MessageType.Warning,
                     f"gust-lsp: ignored a message that does not decode: {cause}")
            return
        self.report_internal_error(f"message handling ({getattr(source, '__name__', source)})",
                                   error)

    def log(self, kind: lsp.MessageType, message: str) -> None:
        try:
            self.window_log_message(lsp.LogMessageParams(type=kind, message=message))
        except Exception:
            logger.exception("could not send window/logMessage")

    def show(self, kind: lsp.MessageType, message: str) -> None:
        try:
            self.window_show_message(lsp.ShowMessageParams(type=kind, message=message))
        except Exception:
            logger.exception("could not send window/showMessage")

    # -- lifecycle -------------------------------------------------------------------

    def on_initialize(self, params: lsp.InitializeParams) -> None:
        self.support = convert.ClientSupport.of(params.capabilities)
        workspace = params.capabilities.workspace
        self._content_support = workspace is not None and \
            workspace.text_document_content is not None
        self.project.initialize(params)

    def on_initialized(self, params: lsp.InitializedParams) -> None:
        self.log(lsp.MessageType.Info, f"gust-lsp {gust.__version__} ready")
        self.project.initialized()

    # -- text sync (event loop) --------------------------------------------------------
    # These run on the event loop and never touch the host: the text is ours at once, and
    # the analysis thread catches up (`_schedule`).

    def on_did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        doc = self.docs.open(td.uri, _path_of(td.uri), td.text, td.version, td.language_id)
        self._states[td.uri] = DocState()
        self._edits += 1
        self.worker.post("loading a package", self._load_package, doc.path)
        self.faults.check(lsp.TEXT_DOCUMENT_DID_OPEN)  # (after the text is ours: see _resync)
        self._schedule(doc.uri)

    def on_did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            self.log(lsp.MessageType.Warning,
                     f"gust-lsp: didChange for a document that is not open: "
                     f"{params.text_document.uri}")
            return
        doc.apply_changes(list(params.content_changes), params.text_document.version)
        self._edits += 1
        self.faults.check(lsp.TEXT_DOCUMENT_DID_CHANGE)
        if self.project.settings.check_on_type:
            self._schedule(doc.uri)

    def on_did_save(self, params: lsp.DidSaveTextDocumentParams) -> None:
        """With `checkOnType` off, a save is when the document is checked."""
        self.faults.check(lsp.TEXT_DOCUMENT_DID_SAVE)
        if self.docs.get(params.text_document.uri) is not None:
            self._schedule(params.text_document.uri)

    def on_did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = self.docs.close(uri)
        self._states.pop(uri, None)
        self._edits += 1
        self.faults.check(lsp.TEXT_DOCUMENT_DID_CLOSE)
        # On the analysis thread, after any analysis of the document that already runs:
        # its diagnostics (if it publishes any) go out before the empty list, never after.
        self.worker.post("closing a document", self._closed, uri,
                         doc.path if doc is not None else None)

    def _closed(self, uri: str, path: str | None) -> None:
        """(analysis thread) Forget a closed document: clear its diagnostics; the other
        files of its package still see it, as it is on disk, if it is."""
        if path is not None and self.docs.get(uri) is None:
            text = _read_gust(Path(path))
            if text is not None:
                self.host.set_text(path, text)
            else:
                self.host.remove(path)
            # A file of the workspace keeps the diagnostics of its text on disk.
            if self.project.closed(path):
                return
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- the workspace (gust.lsp.workspace) -------------------------------------------

    def is_open(self, path: str) -> bool:
        return self._doc_for_path(path) is not None

    def republish(self, paths: set[str] | None = None) -> None:
        """Check the open documents of `paths` (all of them by default) again, and publish
        them even though their version did not change: a file of their package changed
        on disk, or the settings did. (Any thread.)"""
        for doc in self.docs.all():
            state = self._states.get(doc.uri)
            if state is not None and (paths is None or doc.path in paths):
                state.republish = True
                self._schedule(doc.uri)

    def use_go(self, go: str | None, module_packages: bool = False) -> None:
        """Read the types of Go packages with this `go` command (`goPath`), those outside
        the standard library only if `module_packages` (`goModulePackages`). (Any thread:
        the host is told on the analysis thread.)"""
        provider = go_provider(GoPackages(go=go, module_packages=module_packages))
        self.worker.post("setting goPath", lambda: self.host.set_go_provider(provider))

    def use_time_budget(self, seconds: float | None) -> None:
        """Give up the analysis of an item after `seconds` (`analysis.timeBudget`; None:
        never). (Any thread.)"""
        self.worker.post("setting analysis.timeBudget",
                         lambda: self.host.set_time_budget(seconds))

    def on_analysis_thread(self, what: str, fn: Callable[..., Any], *args: Any
                           ) -> Awaitable[Any]:
        """(Event loop) Run `fn(*args)` on the analysis thread, in the background (after
        requests), and await its result: for work of the loop's coroutines that needs
        the host (loading the workspace)."""
        return asyncio.wrap_future(self.worker.submit(fn, *args, priority=BACKGROUND))

    def run_on_loop(self, start: Callable[[], None]) -> None:
        """(Any thread) Run `start()` on the event loop (to start a coroutine there)."""
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            start()
        else:
            loop.call_soon_threadsafe(start)

    def _load_package(self, path: str) -> None:
        """(analysis thread) Give the host the other `.gust` files of the file's directory
        (its package) that are not open, as they are on disk; and those of the
        directories above it that have `.gust` files, whose packages may have their
        modules here (`mod net;` in `../main.gust` for `net/http.gust`: the host finds the
        package a module's file is in, and reads the files of a package's modules itself)."""
        self.project.opened(path)
        directory = Path(path).parent
        if not Path(path).is_absolute() or not directory.is_dir():
            return
        open_paths = {d.path for d in self.docs.all()}
        known = set(self.host.related_files(path))
        for level, folder in enumerate([directory, *directory.parents][:_MODULE_DEPTH]):
            try:
                siblings = sorted(folder.glob("*.gust"))
            except OSError:
                return
            if level and not siblings:
                return
            for sibling in siblings:
                name = str(sibling)
                if name in open_paths or name in known:
                    continue
                text = _read_gust(sibling)
                if text is not None:
                    self.host.set_text(name, text)

    # -- analysis, diagnostics, generated Go (analysis thread) -------------------------------

    def _schedule(self, uri: str) -> None:
        """Analyse the document `uri` on the analysis thread, in the background: after the
        requests waiting (a request that needs the analysis computes it, and this finds it
        cached), before idle work.

        (Any thread.) Changes that arrive before the analysis starts share it: it takes the
        newest text when it starts. A change that arrives while it runs makes it stop at
        its next check and queues the analysis of the newest text, so a burst of keystrokes
        costs about one analysis, of the last one."""
        with self._pending_lock:
            if uri in self._pending:
                return
            self._pending.add(uri)
        self.worker.post("analysis", self._refresh, uri, priority=BACKGROUND)

    def analysis(self, doc: Document) -> FileAnalysis:
        """The analysis of the document's current text (cached by the host). Raises
        `Cancelled` when the document changes while it runs (handlers let it propagate:
        the request is then answered ContentModified)."""
        return self._analysis_of(doc, doc.snapshot)

    def _analysis_of(self, doc: Document, snap: Snapshot) -> FileAnalysis:
        self.host.set_text(doc.path, snap.text, snap.version)
        with self.host.cancellation(lambda: self._superseded(doc, snap.seq)):
            return self.host.analyze(doc.path)

    def _superseded(self, doc: Document, seq: int) -> bool:
        """Whether `doc` at `seq` is no longer the newest text of an open document."""
        return doc.seq != seq or self.docs.get(doc.uri) is not doc

    def _refresh(self, uri: str) -> None:
        """Publish fresh diagnostics for `uri`, then (if previewed) refresh its Go."""
        with self._pending_lock:
            self._pending.discard(uri)
        doc = self.docs.get(uri)
        state = self._states.get(uri)
        if doc is None or state is None:
            return
        snap = doc.snapshot
        try:
            self._refresh_snapshot(doc, state, snap)
        except Exception as exc:
            # Reported with the version that failed; the next edit is analysed afresh.
            self.report_internal_error("analysis", exc, _where(None, doc, snap.version))

    def _refresh_snapshot(self, doc: Document, state: DocState, snap: Snapshot) -> None:
        uri = doc.uri
        self.faults.check("analysis")
        if state.published_seq < 0 and not state.syntax_published:
            # A newly opened file with syntax errors: show them first (a parse is a
            # fraction of a full analysis), then the full analysis. A file without any
            # gets one publish, as usual.
            state.syntax_published = True
            self.host.set_text(doc.path, snap.text, snap.version)
            source = self.host.syntax(doc.path)
            if source.syntax_errors and not self._superseded(doc, snap.seq):
                diags = convert.diagnostics(source.syntax_errors, snap.index, doc.uri,
                                            self.support)
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                    uri=doc.uri, version=snap.version, diagnostics=diags))
        started = time.perf_counter()
        try:
            analysis = self._analysis_of(doc, snap)
        except Cancelled:
            return  # the change that cancelled it queued the analysis of the newer text
        self._publish(doc, state, snap, analysis)
        self.project.trace(
            f"gust-lsp: checked {Path(doc.path).name} v{snap.version} in "
            f"{(time.perf_counter() - started) * 1000:.1f} ms",
            f"{self.host.rechecked} items re-checked, {self.host.borrow_checked} bodies "
            "borrow-checked")
        if state.env_seen is not None and analysis.env is not state.env_seen:
            self._refresh_package(doc)
        state.env_seen = analysis.env
        if not analysis.has_errors:
            state.last_clean = analysis
        if state.watched or state.content_watched:
            self.worker.post("generated Go", self._refresh_go, uri, snap.seq,
                             priority=BACKGROUND)
        self.worker.post("semantic tokens", self._warm_tokens, uri, snap.seq, priority=IDLE)

    def _warm_tokens(self, uri: str, seq: int) -> None:
        """While nothing else waits, prepare the semantic tokens (and symbol index) of the
        items analysed but not yet tokenised, stepping aside between items when other work
        arrives, so that the editor's next semanticTokens request (sent after every change)
        finds them ready. After a keystroke that is one item."""
        doc = self.docs.get(uri)
        if doc is None or doc.seq != seq:
            return  # closed, or edited again: that edit's analysis warms them
        try:
            analysis = self._analysis_of(doc, doc.snapshot)
        except Cancelled:
            return
        for item in analysis.items:
            if "encoded" not in item.memo:
                ide_tokens.item_encoded(analysis, item)
                if self.worker.busy():  # the rest after what waits
                    self.worker.post("semantic tokens", self._warm_tokens, uri, seq,
                                     priority=IDLE)
                    return

    def _refresh_package(self, doc: Document) -> None:
        """A signature of `doc` changed: the other open files of its package may have
        new diagnostics (a function they call is gone, or now exists)."""
        # (and the packages that use it as a crate: `use textkit::..`)
        package = {*self.host.related_files(doc.path), *self.host.users_of(doc.path)}
        for other in self.docs.all():
            state = self._states.get(other.uri)
            if other.uri != doc.uri and other.path in package and state is not None:
                state.republish = True
                self._schedule(other.uri)
        self.project.republish_unopened(doc.path)

    def _publish(self, doc: Document, state: DocState, snap: Snapshot,
                 analysis: FileAnalysis) -> None:
        """Publish `analysis`'s diagnostics, unless the document has moved on since, or
        something newer was already published. (Only this thread publishes, so versions
        go out in order.)"""
        if self._superseded(doc, snap.seq) or analysis.text != snap.text or \
                (snap.seq <= state.published_seq and not state.republish):
            return
        state.republish = False
        diags = convert.diagnostics(analysis.diagnostics(), snap.index, doc.uri, self.support)
        if self._superseded(doc, snap.seq):
            return
        state.published_seq = snap.seq
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, version=snap.version, diagnostics=diags))

    def _refresh_go(self, uri: str, seq: int) -> None:
        """Regenerate Go for the version just analysed; announce it if the answer changed:
        `gust/generatedGoChanged` to a client that asked for `gust/generatedGo`, and
        `workspace/textDocumentContent/refresh` of its `gust-go:` URI to one that showed it
        through `workspace/textDocumentContent`."""
        doc = self.docs.get(uri)
        state = self._states.get(uri)
        if doc is None or state is None or doc.seq != seq:
            return  # closed, or edited again: that edit's refresh comes next
        try:
            self.faults.check("generatedGo/refresh")
            answer = self.generated(doc, state)
        except Cancelled:
            return
        except Exception as exc:
            self.report_internal_error("generated Go refresh", exc, _where(None, doc))
            return
        key = (answer.text, answer.stale)
        if key == state.notified:
            return
        state.notified = key
        if state.watched:
            self.protocol.notify(GENERATED_GO_CHANGED, {"uri": uri, "version": doc.version})
        if state.content_watched and self._loop is not None:
            # A request to the client: pygls' request bookkeeping belongs to the loop.
            params = lsp.TextDocumentContentRefreshParams(uri=go_uri(uri))
            self._loop.call_soon_threadsafe(self._send_refresh, params)

    def _send_refresh(self, params: lsp.TextDocumentContentRefreshParams) -> None:
        """(event loop) Ask the client to fetch a `gust-go:` document again."""
        try:
            future = self.workspace_text_document_content_refresh(params)
            # The client's answer carries nothing; an error answer is not ours to report.
            future.add_done_callback(lambda f: None if f.cancelled() else f.exception())
        except Exception as exc:
            self.report_internal_error(lsp.WORKSPACE_TEXT_DOCUMENT_CONTENT_REFRESH, exc)

    def generated(self, doc: Document, state: DocState) -> GoAnswer:
        """The `gust/generatedGo` answer for the document's current text: its Go, else the
        Go of the last version without errors (stale), else a comment saying why not."""
        snap = doc.snapshot
        if state.go is not None and state.go_seq == snap.seq:
            return state.go
        analysis = self._analysis_of(doc, snap)
        if not analysis.has_errors:
            state.last_clean = analysis
        source = state.last_clean if analysis.has_errors else analysis
        try:
            result = generated_go(source or analysis)
        except Exception as exc:
            self.report_internal_error("generating Go", exc)
            result = GeneratedGo(f"// gust-lsp: generating Go failed: {exc!r}\n", ok=False)
        if result.ok and source is not None:
            version = source.version if source.version is not None else snap.version
            index = snap.index if source is analysis else None
            answer = GoAnswer(result.text, version, stale=source is not analysis,
                              source=source, go_file=result.file, source_index=index)
        else:
            answer = GoAnswer(result.text, snap.version, stale=True)
        state.go, state.go_seq = answer, snap.seq
        return answer

    # -- requests --------------------------------------------------------------------

    def on_hover(self, params: lsp.HoverParams) -> lsp.Hover | None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return None
        index = doc.index
        if params.position.line >= index.line_count:
            return None
        found = hover(self.analysis(doc), offset_at(index, params.position))
        return convert.hover(found, index, self.support) if found is not None else None

    def on_code_action(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        """The quick fixes of the diagnostics under the cursor or selection."""
        doc = self.docs.get(params.text_document.uri)
        only = params.context.only
        if doc is None or (only is not None and not any(
                lsp.CodeActionKind.QuickFix.value.startswith(str(getattr(kind, "value", kind)))
                for kind in only)):
            return []
        index = doc.index
        start = offset_at(index, params.range.start)
        end = offset_at(index, params.range.end)
        fixes = quick_fixes(self.analysis(doc), min(start, end), max(start, end))
        return [convert.code_action(fix, index, doc.uri, doc.version, self.support)
                for fix in fixes]

    def on_definition(self, params: lsp.DefinitionParams) -> lsp.Location | None:
        """Where the name under the cursor is declared, in this file or another file of
        its package."""
        doc = self.docs.get(params.text_document.uri)
        if doc is None or params.position.line >= doc.index.line_count:
            return None
        self.host.set_text(doc.path, doc.text, doc.version)
        found = definition(self.host, doc.path, offset_at(doc.index, params.position))
        if found is None:
            return None
        target = self._doc_for_path(found.path)
        if target is not None:
            uri, index = target.uri, target.index
        else:
            text = self.host.text(found.path) or ""
            uri, index = Path(found.path).as_uri(), LineIndex(text)
        return lsp.Location(uri=uri, range=lsp_range(index, found.span.start, found.span.end))

    def _at(self, params: Any) -> tuple[Document, int] | None:
        """The open document and offset of a position request (None past its end)."""
        doc = self.docs.get(params.text_document.uri)
        if doc is None or params.position.line >= doc.index.line_count:
            return None
        self.host.set_text(doc.path, doc.text, doc.version)
        return doc, offset_at(doc.index, params.position)

    def _location(self, path: str, span: Span) -> lsp.Location:
        """A span of a file of the host: an open document's, or one read from disk."""
        uri, index = self._uri_index(path)
        return lsp.Location(uri=uri, range=lsp_range(index, span.start, span.end))

    def _uri_index(self, path: str) -> tuple[str, LineIndex]:
        target = self._doc_for_path(path)
        if target is not None:
            return target.uri, target.index
        return Path(path).as_uri(), LineIndex(self.host.text(path) or "")

    def on_type_definition(self, params: lsp.TypeDefinitionParams) -> list[lsp.Location]:
        """The declarations of the struct or enum types of the name under the cursor."""
        at = self._at(params)
        if at is None:
            return []
        return [self._location(loc.path, loc.span)
                for loc in type_definition(self.host, at[0].path, at[1])]

    def on_references(self, params: lsp.ReferenceParams) -> list[lsp.Location]:
        at = self._at(params)
        if at is None:
            return []
        found = references(self.host, at[0].path, at[1],
                           include_declaration=params.context.include_declaration)
        return [self._location(r.path, r.span) for r in found]

    def on_document_highlight(self, params: lsp.DocumentHighlightParams
                              ) -> list[lsp.DocumentHighlight]:
        at = self._at(params)
        if at is None:
            return []
        doc, offset = at
        return convert.highlights(document_highlights(self.host, doc.path, offset), doc.index)

    def on_prepare_rename(self, params: lsp.PrepareRenameParams
                          ) -> lsp.PrepareRenamePlaceholder | None:
        """The name to rename, or a RequestFailed error saying why it cannot be."""
        at = self._at(params)
        if at is None:
            return None
        doc, offset = at
        found = prepare_rename(self.host, doc.path, offset)
        if isinstance(found, RenameError):
            raise RequestFailed(found.message)
        return lsp.PrepareRenamePlaceholder(
            range=lsp_range(doc.index, found.span.start, found.span.end),
            placeholder=found.name)

    def on_rename(self, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        """Edits in every file of the package that names the symbol; RequestFailed when
        it cannot be renamed (a std or Go name, a keyword, a name already taken)."""
        at = self._at(params)
        if at is None:
            return None
        doc, offset = at
        found = rename(self.host, doc.path, offset, params.new_name)
        if isinstance(found, RenameError):
            raise RequestFailed(found.message)
        changes: dict[str, list[lsp.TextEdit]] = {}
        for path, edits in found.items():
            uri, index = self._uri_index(path)
            changes[uri] = convert.text_edits(edits, index)
        return lsp.WorkspaceEdit(changes=changes)

    def on_document_symbol(self, params: lsp.DocumentSymbolParams
                           ) -> list[lsp.DocumentSymbol] | list[lsp.SymbolInformation]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        self.host.set_text(doc.path, doc.text, doc.version)
        return convert.document_symbols(document_symbols(self.host.syntax(doc.path)),
                                        doc.index, doc.uri, self.support)

    def on_workspace_symbol(self, params: lsp.WorkspaceSymbolParams
                            ) -> list[lsp.SymbolInformation]:
        """Symbols of every file the server knows (open ones and their packages)."""
        for doc in self.docs.all():
            self.host.set_text(doc.path, doc.text, doc.version)
        found = workspace_symbols(self.host, params.query)
        out: list[lsp.SymbolInformation] = []
        for s in found:
            uri, index = self._uri_index(s.path)
            out.append(convert.workspace_symbol(s, uri, index))
        return out

    def on_folding_range(self, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        return convert.folding_ranges(folding_ranges(self.analysis(doc), doc.index))

    def on_selection_range(self, params: lsp.SelectionRangeParams
                           ) -> list[lsp.SelectionRange]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        analysis = self.analysis(doc)
        return [convert.selection_range(
            selection_ranges(analysis, offset_at(doc.index, pos)), doc.index)
            for pos in params.positions]

    def on_semantic_tokens(self, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
        doc = self.docs.get(params.text_document.uri)
        state = self._states.get(params.text_document.uri)
        if doc is None or state is None:
            return lsp.SemanticTokens(data=[])
        data = ide_tokens.encoded_file(self.analysis(doc), doc.index)
        return lsp.SemanticTokens(data=data, result_id=self._tokens_sent(state, doc, data))

    def on_semantic_tokens_delta(self, params: lsp.SemanticTokensDeltaParams
                                 ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
        """The edit from the tokens the client has (`previousResultId`) to the current
        ones; all of them when we no longer know what it has."""
        doc = self.docs.get(params.text_document.uri)
        state = self._states.get(params.text_document.uri)
        if doc is None or state is None:
            return lsp.SemanticTokens(data=[])
        data = ide_tokens.encoded_file(self.analysis(doc), doc.index)
        previous = state.tokens
        result_id = self._tokens_sent(state, doc, data)
        if previous is None or previous[0] != params.previous_result_id:
            return lsp.SemanticTokens(data=data, result_id=result_id)
        start, deleted, inserted = ide_tokens.token_edit(previous[1], data)
        edits = [lsp.SemanticTokensEdit(start=start, delete_count=deleted, data=inserted)] \
            if deleted or inserted else []
        return lsp.SemanticTokensDelta(edits=edits, result_id=result_id)

    def _tokens_sent(self, state: DocState, doc: Document, data: list[int]) -> str:
        """Remember the tokens a client now has; their result id."""
        count = int(state.tokens[0].rsplit(".", 1)[1]) + 1 if state.tokens is not None else 0
        result_id = f"{doc.seq}.{count}"
        state.tokens = (result_id, data)
        return result_id

    def on_semantic_tokens_range(self, params: lsp.SemanticTokensRangeParams
                                 ) -> lsp.SemanticTokens:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return lsp.SemanticTokens(data=[])
        index = doc.index
        start, end = offset_at(index, params.range.start), offset_at(index, params.range.end)
        tokens = ide_tokens.file_tokens(self.analysis(doc), min(start, end), max(start, end))
        return lsp.SemanticTokens(data=ide_tokens.encode(doc.text, tokens, index).data)

    def _doc_for_path(self, path: str) -> Document | None:
        return next((d for d in self.docs.all() if d.path == path), None)

    def on_formatting(self, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
        """Edits that format the document; none when it has syntax errors."""
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        return convert.text_edits(ide_format.document_edits(doc.text), doc.index)

    def on_range_formatting(self, params: lsp.DocumentRangeFormattingParams
                            ) -> list[lsp.TextEdit]:
        """Edits that format the top-level items overlapping the range; none when the
        document has syntax errors."""
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        index = doc.index
        start, end = offset_at(index, params.range.start), offset_at(index, params.range.end)
        return convert.text_edits(ide_format.range_edits(doc.text, start, end), index)

    def on_generated_go(self, params: Any) -> dict[str, Any]:
        uri = _uri_param(params)
        doc = self.docs.get(uri)
        state = self._states.get(uri)
        if doc is None or state is None:
            raise JsonRpcInvalidParams(f"gust/generatedGo: document not open: {uri}")
        state.watched = True
        answer = self.generated(doc, state)
        state.notified = (answer.text, answer.stale)
        return {"uri": uri, "version": answer.version, "text": answer.text,
                "stale": answer.stale, "sourceMap": answer.source_map()}

    def on_document_text(self, params: Any) -> dict[str, Any]:
        """`gust/debug/documentText`: the server's text and version of an open document."""
        uri = _uri_param(params)
        doc = self.docs.get(uri)
        if doc is None:
            raise JsonRpcInvalidParams(f"{DOCUMENT_TEXT}: document not open: {uri}")
        snap = doc.snapshot
        return {"uri": uri, "version": snap.version, "text": snap.text}

    def on_loans(self, params: Any) -> dict[str, Any] | None:
        """`gust/loans`: the loans and moves of the function at the position (null
        outside a function or when its body does not type-check)."""
        uri = _uri_param(params)
        doc = self.docs.get(uri)
        if doc is None:
            raise JsonRpcInvalidParams(f"gust/loans: document not open: {uri}")
        pos = _position_param(params)
        snap = doc.snapshot
        if pos.line >= snap.index.line_count:
            return None
        found = function_loans(self._analysis_of(doc, snap), offset_at(snap.index, pos))
        if found is None:
            return None
        return {"uri": uri, "version": snap.version,
                **convert.function_loans(found, snap.index)}

    def on_text_document_content(self, params: lsp.TextDocumentContentParams
                                 ) -> lsp.TextDocumentContentResult:
        """LSP 3.18: the text of a `gust-go:` document, the Go of an open .gust document
        (the `text` of `gust/generatedGo`, with a first line saying so when it is stale)."""
        uri = source_uri(params.uri)
        doc = self.docs.get(uri) if uri is not None else None
        state = self._states.get(uri) if uri is not None else None
        if doc is None or state is None:
            raise JsonRpcInvalidParams(
                f"workspace/textDocumentContent: not the Go of an open document: {params.uri}")
        state.content_watched = True
        answer = self.generated(doc, state)
        state.notified = (answer.text, answer.stale)
        text = answer.text if not answer.stale or not answer.text.startswith("// Code") \
            else STALE_GO_HEADER + answer.text
        return lsp.TextDocumentContentResult(text=text)


def create_server() -> GustLanguageServer:
    """A new server, not yet connected (tests and embedders can drive it themselves)."""
    return GustLanguageServer()


def main(argv: list[str] | None = None) -> None:
    """The `gust-lsp` console script: serve LSP over stdin/stdout."""
    parser = argparse.ArgumentParser(prog="gust-lsp", description=__doc__.splitlines()[0]
                                     if __doc__ else None)
    parser.add_argument("--stdio", action="store_true",
                        help="use stdin/stdout (the default and only transport; accepted "
                             "because vscode-languageclient passes it)")
    parser.add_argument("--version", action="version",
                        version=f"gust-lsp {gust.__version__}")
    parser.add_argument("--log-level", default="WARNING",
                        help="level of the log written to stderr (default: WARNING)")
    # Unknown arguments are ignored, not fatal: some clients add their own (e.g.
    # --clientProcessId), and a server that refuses to start shows the user nothing useful.
    args, unknown = parser.parse_known_args(argv)
    log_writer = stderr_log.log_to_stderr(str(args.log_level).upper())
    wire.install_filters()
    if unknown:
        logger.warning("ignoring unknown arguments: %s", " ".join(unknown))
    # While the analysis thread computes, a message waits for the interpreter lock up to
    # this long before the event loop can apply it (Python's default is 5 ms).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    server = create_server()
    try:
        server.start_io()
    finally:
        log_writer.stop()
    # 1 after an `exit` without `shutdown` (LSP); 0 when the client closed the pipes.
    protocol = server.protocol
    sys.exit(protocol.exit_code if isinstance(protocol, GustProtocol) else 0)


if __name__ == "__main__":
    main()
