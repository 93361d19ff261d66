"""`gust-lsp`: the Gust language server (pygls 2, LSP 3.17 over stdio).

What happens on a keystroke: `didChange` applies the edits to our copy of the text and
schedules one analysis of that document on the event loop (several changes that arrive
before it runs share it). The analysis publishes diagnostics tagged with the document's
version, then, in a later loop turn so diagnostics go out first and only for documents whose
Go a client has asked for, the generated Go is refreshed and `gust/generatedGoChanged` sent
if it changed. Everything runs on the event loop, so a result can only be for the current
text; the `seq` checks keep that true if analysis ever moves to a worker.

Robustness: every handler is wrapped; an exception is logged once to the client
(`window/logMessage`) and answered with an error, never a crash. The text is updated
before any analysis runs, so a failing analysis never loses an edit.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import sys
import time
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import (
    FeatureRequestError,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

import gust
from gust.ide import format as ide_format
from gust.ide import semantic_tokens as ide_tokens
from gust.ide.analysis import AnalysisHost, FileAnalysis
from gust.ide.borrow_insight import function_loans
from gust.ide.code_actions import quick_fixes
from gust.ide.definition import definition, type_definition
from gust.ide.generated import GeneratedGo, generated_go
from gust.ide.hover import hover
from gust.ide.references import document_highlights, references
from gust.ide.rename import RenameError, prepare_rename, rename
from gust.ide.structure import folding_ranges, selection_ranges
from gust.ide.symbols import document_symbols, workspace_symbols
from gust.lsp import assist, convert
from gust.lsp.documents import Document, DocumentStore, lsp_range, offset_at
from gust.lsp.workspace import Workspace
from gust.project.gopackages import GoPackages
from gust.project.provider import go_provider
from gust.text import LineIndex, Span

logger = logging.getLogger("gust.lsp")

GENERATED_GO = "gust/generatedGo"
GENERATED_GO_CHANGED = "gust/generatedGoChanged"
LOANS = "gust/loans"
# Changes closer together than BURST_S (or this soon after the loop was busy analysing)
# are a burst: the analysis waits SETTLE_S for the rest of it. See `_schedule`.
BURST_S = 0.002
SETTLE_S = 0.003
# Work done between other messages while idle (semantic tokens), at most this long at once.
WARM_SLICE_S = 0.005
# Distinct internal errors reported to the client before we stop reporting new ones.
_MAX_REPORTED = 200


class GustProtocol(LanguageServerProtocol):
    """pygls' protocol with three changes.

    - Positions are always UTF-16 (mandatory in LSP, and what `LineIndex` converts), even
      when a client offers UTF-8 or UTF-32, which pygls would otherwise pick.
    - Text sync bypasses pygls' workspace: the server keeps its own documents
      (see gust.lsp.documents for why).
    - A request whose params cannot even be decoded is answered with InvalidParams instead
      of being dropped, which would leave the client waiting forever.
    """

    @lsp_method(lsp.INITIALIZE)
    def lsp_initialize(self, params: lsp.InitializeParams
                       ) -> Generator[Any, Any, lsp.InitializeResult]:
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            utf16_only = attrs.evolve(general,
                                      position_encodings=[lsp.PositionEncodingKind.Utf16])
            params = attrs.evolve(params, capabilities=attrs.evolve(params.capabilities,
                                                                    general=utf16_only))
        result: lsp.InitializeResult = yield from super().lsp_initialize(params)
        return result

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


def _uri_param(params: Any) -> str:
    """`params.textDocument.uri` of a custom request, whatever shape pygls decoded it into."""
    doc = params.get("textDocument") if isinstance(params, dict) else getattr(
        params, "textDocument", None)
    uri = doc.get("uri") if isinstance(doc, dict) else getattr(doc, "uri", None)
    if not isinstance(uri, str):
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
        self.host = AnalysisHost(go_provider())
        self.support = convert.ClientSupport()
        self.project = Workspace(self)
        self._states: dict[str, DocState] = {}
        self._pending: dict[str, asyncio.Handle] = {}
        self._reported: set[tuple[str, str, str]] = set()
        self._last_change = float("-inf")
        self._busy_end = float("-inf")  # loop time when the last analysis or Go refresh ended
        self._register()

    # -- registration and error handling ------------------------------------------------

    def _register(self) -> None:
        """Register every handler, each wrapped so that it cannot crash the server."""
        notifications: dict[str, Callable[[Any], None]] = {
            lsp.INITIALIZED: self.on_initialized,
            lsp.TEXT_DOCUMENT_DID_OPEN: self.on_did_open,
            lsp.TEXT_DOCUMENT_DID_CHANGE: self.on_did_change,
            lsp.TEXT_DOCUMENT_DID_CLOSE: self.on_did_close,
            lsp.TEXT_DOCUMENT_DID_SAVE: self.on_did_save,
            lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES: self.project.did_change_watched_files,
            lsp.WORKSPACE_DID_CHANGE_CONFIGURATION: self.project.did_change_configuration,
            lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS:
                self.project.did_change_workspace_folders,
        }
        for method, fn in notifications.items():
            self.feature(method)(self._guard_notification(method, fn))
        requests: dict[str, Callable[[Any], Any]] = {
            lsp.INITIALIZE: self.on_initialize,
            lsp.TEXT_DOCUMENT_HOVER: self.on_hover,
            lsp.TEXT_DOCUMENT_DEFINITION: self.on_definition,
            GENERATED_GO: self.on_generated_go,
            LOANS: self.on_loans,
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

    def _guard_notification(self, method: str, fn: Callable[[Any], None]
                            ) -> Callable[[Any], None]:
        """A notification handler that logs its exceptions instead of raising them."""
        def handler(params: Any) -> None:
            try:
                fn(params)
            except Exception as exc:
                self.report_internal_error(method, exc)
        return handler

    def _guard_request(self, method: str, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """A request handler whose unexpected exceptions become an InternalError response
        (logged once); deliberate JSON-RPC errors such as InvalidParams pass through."""
        def handler(params: Any) -> Any:
            try:
                return fn(params)
            except JsonRpcException:
                raise
            except Exception as exc:
                self.report_internal_error(method, exc)
                raise JsonRpcInternalError(f"gust-lsp: {method} failed: {exc!r}") from exc
        return handler

    def _guarded(self, what: str, fn: Callable[..., None], *args: Any) -> None:
        """Run work scheduled on the loop (analysis, Go), logging instead of raising."""
        try:
            fn(*args)
        except Exception as exc:
            self.report_internal_error(what, exc)
        finally:
            self._busy_end = asyncio.get_running_loop().time()

    def _idle(self, fn: Callable[..., None], *args: Any) -> None:
        """Run idle-time work (it does not count as the loop being busy for `_schedule`),
        logging instead of raising."""
        try:
            fn(*args)
        except Exception as exc:
            self.report_internal_error("semantic tokens", exc)

    def report_internal_error(self, what: str, exc: BaseException) -> None:
        """Tell the client's log about a bug, once per distinct error, so a failure that
        repeats on every keystroke does not flood it."""
        logger.error("%s failed", what, exc_info=exc)
        key = (what, type(exc).__name__, str(exc))
        if key in self._reported or len(self._reported) >= _MAX_REPORTED:
            return
        self._reported.add(key)
        trace = "".join(traceback.format_exception(exc))
        self.log(lsp.MessageType.Error, f"gust-lsp: {what} failed: {exc!r}\n{trace}")

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Errors outside our handlers: log them, never pop up a message box.

        Request errors were already answered and logged by the guard. A message that does
        not decode is the client's mistake, not ours: a warning (a request among them was
        answered with InvalidParams by `GustProtocol.structure_message`)."""
        if source is FeatureRequestError:
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

    # -- lifecycle -------------------------------------------------------------------

    def on_initialize(self, params: lsp.InitializeParams) -> None:
        self.support = convert.ClientSupport.of(params.capabilities)
        self.project.initialize(params)

    def on_initialized(self, params: lsp.InitializedParams) -> None:
        self.log(lsp.MessageType.Info, f"gust-lsp {gust.__version__} ready")
        self.project.initialized()

    # -- text sync -------------------------------------------------------------------

    def on_did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        doc = self.docs.open(td.uri, _path_of(td.uri), td.text, td.version, td.language_id)
        self._states[td.uri] = DocState()
        self.project.opened(doc.path)
        self._load_package(doc.path)
        self._schedule(doc)

    def on_did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            self.log(lsp.MessageType.Warning,
                     f"gust-lsp: didChange for a document that is not open: "
                     f"{params.text_document.uri}")
            return
        doc.apply_changes(list(params.content_changes), params.text_document.version)
        if self.project.settings.check_on_type:
            self._schedule(doc)

    def on_did_save(self, params: lsp.DidSaveTextDocumentParams) -> None:
        """With `checkOnType` off, a save is when the document is checked."""
        doc = self.docs.get(params.text_document.uri)
        if doc is not None:
            self._schedule(doc)

    def on_did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        doc = self.docs.close(uri)
        self._states.pop(uri, None)
        if doc is not None:
            # The other files of its package still see it: as it is on disk, if it is.
            text = _read_gust(Path(doc.path))
            if text is not None:
                self.host.set_text(doc.path, text)
            else:
                self.host.remove(doc.path)
        # A file of the workspace keeps the diagnostics of its text on disk.
        if doc is None or not self.project.closed(doc.path):
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- the workspace (gust.lsp.workspace) -------------------------------------------

    def is_open(self, path: str) -> bool:
        return self._doc_for_path(path) is not None

    def republish(self, paths: set[str] | None = None) -> None:
        """Check the open documents of `paths` (all of them by default) again, and publish
        them even though their version did not change: a file of their package changed
        on disk, or the settings did."""
        for doc in self.docs.all():
            state = self._states.get(doc.uri)
            if state is not None and (paths is None or doc.path in paths):
                state.republish = True
                self._schedule(doc)

    def use_go(self, go: str | None) -> None:
        """Read the types of Go packages with this `go` command (`goPath`)."""
        self.host.set_go_provider(go_provider(GoPackages(go=go)))

    def _load_package(self, path: str) -> None:
        """Give the host the other `.gust` files of the file's directory (its package)
        that are not open, as they are on disk."""
        directory = Path(path).parent
        if not Path(path).is_absolute() or not directory.is_dir():
            return
        open_paths = {d.path for d in self.docs.all()}
        known = set(self.host.package_of(path))
        try:
            siblings = sorted(directory.glob("*.gust"))
        except OSError:
            return
        for sibling in siblings:
            name = str(sibling)
            if name in open_paths or name in known:
                continue
            text = _read_gust(sibling)
            if text is not None:
                self.host.set_text(name, text)

    # -- analysis, diagnostics, generated Go ----------------------------------------------

    def _schedule(self, doc: Document) -> None:
        """Analyse `doc` soon; changes arriving before then share the analysis.

        A lone keystroke is analysed on the next loop turn (no debounce). But when changes
        come in a burst, or right after the loop was busy analysing (so more of them are
        probably queued in the pipe already), wait SETTLE_S for the rest: otherwise every
        queued version would be analysed in turn and latency would pile up while the user
        types faster than the file can be analysed.
        """
        loop = asyncio.get_running_loop()
        now = loop.time()
        burst = now - self._last_change < BURST_S or now - self._busy_end < BURST_S
        self._last_change = now
        if doc.uri in self._pending:
            return
        run = functools.partial(self._guarded, "analysis", self._refresh, doc.uri)
        self._pending[doc.uri] = loop.call_later(SETTLE_S, run) if burst else loop.call_soon(run)

    def analysis(self, doc: Document) -> FileAnalysis:
        """The analysis of the document's current text (cached by the host)."""
        self.host.set_text(doc.path, doc.text, doc.version)
        return self.host.analyze(doc.path)

    def _refresh(self, uri: str) -> None:
        """Publish fresh diagnostics for `uri`, then (if previewed) refresh its Go."""
        self._pending.pop(uri, None)
        doc = self.docs.get(uri)
        state = self._states.get(uri)
        if doc is None or state is None:
            return
        seq = doc.seq
        if state.published_seq < 0 and not state.syntax_published:
            # A newly opened file with syntax errors: show them first (a parse is a
            # fraction of a full analysis), then the full analysis on the next loop turn,
            # once they are sent. A file without any gets one publish, as usual.
            state.syntax_published = True
            self.host.set_text(doc.path, doc.text, doc.version)
            source = self.host.syntax(doc.path)
            if source.syntax_errors:
                diags = convert.diagnostics(source.syntax_errors, doc.index, doc.uri,
                                            self.support)
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                    uri=doc.uri, version=doc.version, diagnostics=diags))
                self._pending[uri] = asyncio.get_running_loop().call_soon(
                    functools.partial(self._guarded, "analysis", self._refresh, uri))
                return
        started = time.perf_counter()
        analysis = self.analysis(doc)
        self._publish(doc, state, seq, analysis)
        self.project.trace(
            f"gust-lsp: checked {Path(doc.path).name} v{doc.version} in "
            f"{(time.perf_counter() - started) * 1000:.1f} ms",
            f"{self.host.rechecked} items re-checked, {self.host.borrow_checked} bodies "
            "borrow-checked")
        if state.env_seen is not None and analysis.env is not state.env_seen:
            self._refresh_package(doc)
        state.env_seen = analysis.env
        if not analysis.has_errors:
            state.last_clean = analysis
        if state.watched:
            asyncio.get_running_loop().call_soon(self._guarded, "generated Go",
                                                 self._refresh_go, uri, seq)
        asyncio.get_running_loop().call_soon(self._idle, self._warm_tokens, uri, seq)

    def _warm_tokens(self, uri: str, seq: int) -> None:
        """While the server is idle, prepare the semantic tokens (and symbol index) of the
        items analysed but not yet tokenised, a few milliseconds at a time, so that an
        edit never waits long behind this and the editor's next semanticTokens request
        (sent after every change) finds them ready. After a keystroke that is one item."""
        doc = self.docs.get(uri)
        if doc is None or doc.seq != seq:
            return  # closed, or edited again: that edit's analysis warms them
        analysis = self.host.analyze(doc.path)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WARM_SLICE_S
        for item in analysis.items:
            if "encoded" not in item.memo:
                ide_tokens.item_encoded(analysis, item)
                if loop.time() > deadline:
                    loop.call_soon(self._idle, self._warm_tokens, uri, seq)
                    return

    def _refresh_package(self, doc: Document) -> None:
        """A signature of `doc` changed: the other open files of its package may have
        new diagnostics (a function they call is gone, or now exists)."""
        package = set(self.host.package_of(doc.path))
        for other in self.docs.all():
            state = self._states.get(other.uri)
            if other.uri != doc.uri and other.path in package and state is not None:
                state.republish = True
                self._schedule(other)
        self.project.republish_unopened(doc.path)

    def _publish(self, doc: Document, state: DocState, seq: int,
                 analysis: FileAnalysis) -> None:
        """Publish `analysis`'s diagnostics, unless the document has moved on since, or
        something newer was already published."""
        if seq != doc.seq or analysis.text != doc.text or \
                (seq <= state.published_seq and not state.republish):
            return
        state.republish = False
        diags = convert.diagnostics(analysis.diagnostics(), doc.index, doc.uri, self.support)
        state.published_seq = seq
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, version=doc.version, diagnostics=diags))

    def _refresh_go(self, uri: str, seq: int) -> None:
        """Regenerate Go for the version just analysed; announce it if the answer changed."""
        doc = self.docs.get(uri)
        state = self._states.get(uri)
        if doc is None or state is None or doc.seq != seq:
            return  # closed, or edited again: that edit's refresh comes next
        answer = self.generated(doc, state)
        key = (answer.text, answer.stale)
        if key != state.notified:
            state.notified = key
            self.protocol.notify(GENERATED_GO_CHANGED, {"uri": uri, "version": doc.version})

    def generated(self, doc: Document, state: DocState) -> GoAnswer:
        """The `gust/generatedGo` answer for the document's current text: its Go, else the
        Go of the last version without errors (stale), else a comment saying why not."""
        if state.go is not None and state.go_seq == doc.seq:
            return state.go
        analysis = self.analysis(doc)
        if not analysis.has_errors:
            state.last_clean = analysis
        source = state.last_clean if analysis.has_errors else analysis
        try:
            result = generated_go(source or analysis)
        except Exception as exc:
            self.report_internal_error("generating Go", exc)
            result = GeneratedGo(f"// gust-lsp: generating Go failed: {exc!r}\n", ok=False)
        if result.ok and source is not None:
            version = source.version if source.version is not None else doc.version
            answer = GoAnswer(result.text, version, stale=source is not analysis)
        else:
            answer = GoAnswer(result.text, doc.version, stale=True)
        state.go, state.go_seq = answer, doc.seq
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
                "stale": answer.stale}

    def on_loans(self, params: Any) -> dict[str, Any] | None:
        """`gust/loans`: the loans and moves of the function at the position (null
        outside a function or when its body does not type-check)."""
        uri = _uri_param(params)
        doc = self.docs.get(uri)
        if doc is None:
            raise JsonRpcInvalidParams(f"gust/loans: document not open: {uri}")
        pos = _position_param(params)
        if pos.line >= doc.index.line_count:
            return None
        found = function_loans(self.analysis(doc), offset_at(doc.index, pos))
        if found is None:
            return None
        return {"uri": uri, "version": doc.version,
                **convert.function_loans(found, doc.index)}


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
    logging.basicConfig(stream=sys.stderr, level=str(args.log_level).upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if unknown:
        logger.warning("ignoring unknown arguments: %s", " ".join(unknown))
    create_server().start_io()


if __name__ == "__main__":
    main()
