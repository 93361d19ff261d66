"""gust-lsp when one of its own features fails (issue 11), through a real client (pytest-lsp,
VS Code's capabilities) and the real server, made to fail by `GUST_LSP_FAULTS`
(gust.lsp.faults: the named handlers raise before doing any work; `NAME:1` only once).

What a user notices: a request whose handler fails is answered InternalError at once (not
left waiting); the failure is in the server's log once, with where it happened and the
traceback, and one message pops up; the next requests work, the same feature included; an
edit whose analysis failed is not lost. And the lifecycle: a request after `shutdown` is
refused, and `exit` without `shutdown` exits with status 1 (LSP).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from gust.lsp.faults import ENV, Faults, InjectedFault, handler_name
from gust.lsp.server import create_server, go_uri
from test_lsp import (
    HELLO,
    SERVER,
    WAIT_S,
    GustClient,
    change,
    diagnostics_for,
    open_doc,
    position,
    request,
    until,
)
from test_lsp_concurrency import make_client
from test_lsp_hostile import RawServer
from tools.lspfuzz import GENERATED_GO, params_of

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

INTERNAL_ERROR = -32603
INVALID_REQUEST = -32600
DOCUMENT_TEXT = "gust/debug/documentText"

AT = position(HELLO, "greet(\"before")
END = position(HELLO, "println")


def _standard(method: str) -> Callable[[str], Any]:
    return lambda uri: params_of(method, uri, AT, END)


# Every request the server answers, with params that name the open document: a test
# below checks that the list is complete.
REQUESTS: dict[str, Callable[[str], Any]] = {
    **{m: _standard(m) for m in (
        lsp.TEXT_DOCUMENT_HOVER, lsp.TEXT_DOCUMENT_COMPLETION, lsp.TEXT_DOCUMENT_DEFINITION,
        lsp.TEXT_DOCUMENT_TYPE_DEFINITION, lsp.TEXT_DOCUMENT_REFERENCES,
        lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, lsp.TEXT_DOCUMENT_SIGNATURE_HELP,
        lsp.TEXT_DOCUMENT_PREPARE_RENAME, lsp.TEXT_DOCUMENT_RENAME,
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA,
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, lsp.TEXT_DOCUMENT_INLAY_HINT,
        lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, lsp.TEXT_DOCUMENT_FOLDING_RANGE,
        lsp.TEXT_DOCUMENT_SELECTION_RANGE, lsp.TEXT_DOCUMENT_FORMATTING,
        lsp.TEXT_DOCUMENT_RANGE_FORMATTING, lsp.TEXT_DOCUMENT_CODE_ACTION, GENERATED_GO)},
    lsp.COMPLETION_ITEM_RESOLVE: lambda uri: lsp.CompletionItem(label="greet"),
    lsp.WORKSPACE_SYMBOL: lambda uri: lsp.WorkspaceSymbolParams(query="greet"),
    lsp.WORKSPACE_TEXT_DOCUMENT_CONTENT: lambda uri: lsp.TextDocumentContentParams(
        uri=go_uri(uri)),
    "gust/loans": lambda uri: {"textDocument": {"uri": uri},
                               "position": {"line": 5, "character": 8}},
    "gust/explain": lambda uri: {"code": "E0382"},
    DOCUMENT_TEXT: lambda uri: {"textDocument": {"uri": uri}},
}
# Handled by pygls itself (no feature of ours to fail).
PYGLS_REQUESTS = {lsp.INITIALIZE, lsp.SHUTDOWN}


def test_every_request_the_server_answers_is_in_the_fault_table() -> None:
    features = set(create_server().protocol.fm.features)
    requests = {m for m in features if m not in lsp.METHOD_TO_TYPES
                or lsp.METHOD_TO_TYPES[m][1] is not None} - PYGLS_REQUESTS
    # Custom requests are not in lsprotocol's table: all of ours are requests.
    assert requests - set(REQUESTS) == set()


def test_a_fault_spec_fails_the_named_handlers_the_given_number_of_times() -> None:
    faults = Faults("hover:2, gust, semanticTokens/full:1, semanticTokens/full/delta:1")
    for _ in range(2):
        with pytest.raises(InjectedFault, match="textDocument/hover"):
            faults.check(lsp.TEXT_DOCUMENT_HOVER)
    faults.check(lsp.TEXT_DOCUMENT_HOVER)  # works again
    faults.check(lsp.TEXT_DOCUMENT_COMPLETION)  # never armed
    for _ in range(3):  # no count: always
        with pytest.raises(InjectedFault):
            faults.check("gust/loans")
    # The most specific entry applies: each of the two fails once.
    with pytest.raises(InjectedFault):
        faults.check(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    with pytest.raises(InjectedFault):
        faults.check(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL)
    faults.check(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA)
    assert not Faults.from_env({}) and handler_name("workspace/symbol") == "symbol"


@contextlib.asynccontextmanager
async def faulty_server(tmp_path: Path, spec: str) -> AsyncIterator[GustClient]:
    """A server started with GUST_LSP_FAULTS=spec, initialized like VS Code."""
    config = ClientServerConfig(server_command=SERVER, client_factory=make_client,
                                server_env={**os.environ, ENV: spec})
    client = await config.start()
    caps = client_capabilities("visual-studio-code")
    workspace = caps.workspace or lsp.WorkspaceClientCapabilities()
    workspace.text_document_content = lsp.TextDocumentContentClientCapabilities()
    caps.workspace = workspace
    done = False
    try:
        await client.initialize_session(lsp.InitializeParams(
            capabilities=caps, root_uri=tmp_path.as_uri()))
        yield client
        await client.shutdown_session()
        done = True
    finally:
        process = client._server  # (a failed test: `stop` would wait for it forever)
        if not done and process is not None and process.returncode is None:
            process.kill()
        await client.stop()


def errors_about(client: GustClient, what: str) -> list[str]:
    """The Error log messages of failures of `what` (a method or job)."""
    return [m.message for m in client.log_messages
            if m.type == lsp.MessageType.Error and f"gust-lsp: {what} failed" in m.message]


def popups(client: GustClient) -> list[str]:
    return [m.message for m in client.messages if m.type == lsp.MessageType.Error]


@pytest.mark.asyncio
async def test_a_fault_in_any_request_is_answered_internal_error_and_survived(
        tmp_path: Path) -> None:
    spec = ",".join(f"{handler_name(m)}:1" for m in REQUESTS)
    async with faulty_server(tmp_path, spec) as client:
        uri = (tmp_path / "main.gust").as_uri()
        open_doc(client, uri, HELLO)
        assert await diagnostics_for(client, uri, 1) == []
        answers = {}
        for method, params in REQUESTS.items():
            with pytest.raises(JsonRpcException) as raised:
                await asyncio.wait_for(request(client, method, params(uri)), WAIT_S)
            assert raised.value.code == INTERNAL_ERROR, (method, raised.value)
            # The next request to the same feature is answered.
            answers[method] = await asyncio.wait_for(request(client, method, params(uri)),
                                                     WAIT_S)
        hover = answers[lsp.TEXT_DOCUMENT_HOVER]
        assert "fn greet(name: &str) -> String" in hover.contents.value
        assert answers[lsp.TEXT_DOCUMENT_DEFINITION] is not None
        assert answers[DOCUMENT_TEXT].text == HELLO
        for method in REQUESTS:
            [logged] = errors_about(client, method)  # once each
            assert f"injected fault in {method} ({ENV})" in logged
            assert "Traceback (most recent call last)" in logged
        # Where: the document, the position (1-based line:column) and the version.
        [logged] = errors_about(client, lsp.TEXT_DOCUMENT_HOVER)
        assert f"{uri}:{AT.line + 1}:{AT.character + 1} (version 1)" in logged
        # One pop-up for all these failures (rate-limited), naming the first.
        [popup] = popups(client)
        assert lsp.TEXT_DOCUMENT_HOVER in popup and "keeps running" in popup
        # Editing still works: the server's text and diagnostics follow.
        change(client, uri, 2, lsp.Range(start=AT, end=AT), "1 + ")
        assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["E0277"]
        text = await request(client, DOCUMENT_TEXT, {"textDocument": {"uri": uri}})
        assert text.version == 2 and "message = 1 + greet(" in text.text


@pytest.mark.asyncio
async def test_a_failed_analysis_or_text_sync_handler_loses_no_edit(tmp_path: Path) -> None:
    """didOpen, then the analysis, then didChange fail once each (after the text is
    stored): the document's text and diagnostics are those of the last edit."""
    spec = "didOpen:1,analysis:1,didChange:1,didSave:1,didClose:1,didChangeConfiguration:1"
    async with faulty_server(tmp_path, spec) as client:
        uri = (tmp_path / "main.gust").as_uri()
        open_doc(client, uri, HELLO)
        await until(lambda: errors_about(client, "analysis"), "the failed analysis")
        [logged] = errors_about(client, "analysis")
        assert f"{uri} (version 1)" in logged and "injected fault in analysis" in logged
        [logged] = errors_about(client, lsp.TEXT_DOCUMENT_DID_OPEN)
        assert f"injected fault in {lsp.TEXT_DOCUMENT_DID_OPEN}" in logged
        # The first edit's handler fails after applying it: analysed and published anyway.
        change(client, uri, 2, lsp.Range(start=AT, end=AT), "1 + ")
        assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["E0277"]
        assert errors_about(client, lsp.TEXT_DOCUMENT_DID_CHANGE)
        inserted = lsp.Position(line=AT.line, character=AT.character + len("1 + "))
        change(client, uri, 3, lsp.Range(start=AT, end=inserted), "")
        text = await request(client, DOCUMENT_TEXT, {"textDocument": {"uri": uri}})
        assert (text.uri, text.version, text.text) == (uri, 3, HELLO)
        assert await diagnostics_for(client, uri, 3) == []
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings=None))
        client.text_document_did_save(lsp.DidSaveTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        # A failed didClose still clears the document's diagnostics.
        await until(lambda: client.published[-1].uri == uri and
                    not client.published[-1].diagnostics and
                    client.published[-1].version is None, "the diagnostics cleared")
        for what in (lsp.WORKSPACE_DID_CHANGE_CONFIGURATION, lsp.TEXT_DOCUMENT_DID_SAVE,
                     lsp.TEXT_DOCUMENT_DID_CLOSE):
            await until(lambda w=what: errors_about(client, w), f"{what} reported")
        assert len(popups(client)) == 1
        # Still serving.
        assert (await request(client, "gust/explain", {"code": "E0382"})).code == "E0382"


# -- lifecycle ------------------------------------------------------------------------------


def test_a_request_after_shutdown_is_refused_and_exit_then_ends_with_0() -> None:
    server = RawServer()
    server.initialize()
    server.request(1, "shutdown", None)
    assert server.answer(1) == {"jsonrpc": "2.0", "id": 1, "result": None}
    server.request(2, "textDocument/hover", {"textDocument": {"uri": "file:///x.gust"},
                                             "position": {"line": 0, "character": 0}})
    server.request(3, "gust/explain", {"code": "E0382"})
    for msg_id in (2, 3):
        assert server.answer(msg_id)["error"]["code"] == INVALID_REQUEST
    server.send({"jsonrpc": "2.0", "method": "exit"})
    assert server.proc.wait(30) == 0


@pytest.mark.parametrize("initialized", [True, False])
def test_exit_without_shutdown_ends_with_1(initialized: bool) -> None:
    server = RawServer()
    if initialized:
        server.initialize()
        server.alive("before")
    server.send({"jsonrpc": "2.0", "method": "exit"})
    assert server.proc.wait(30) == 1
