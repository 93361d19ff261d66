"""gust-lsp's concurrency and the generated-Go views, end to end (the real server over
stdio, pytest-lsp impersonating VS Code and Neovim, LspSpecificationWarning as an error).

What a user notices: while a long analysis runs, edits still land and only the newest
version's diagnostics show; a hover that races an edit never describes the old text; a
request the editor cancels is answered RequestCancelled; a feature that crashes is logged
once and everything else keeps working; a `gust-go:` document (LSP 3.18
`workspace/textDocumentContent`) shows the generated Go and is refreshed after edits.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from test_lsp import (
    CLEAN,
    GENERATED_GO_CHANGED,
    HELLO,
    SERVER,
    GustClient,
    _on_diagnostics,
    _on_go_changed,
    diagnostics_for,
    generated_go,
    hover_text,
    markdown,
    no_internal_errors,
    open_doc,
    position,
    publishes,
    request,
    until,
    uri_of,
)

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
SERVER_LOOP = pytest.mark.asyncio(loop_scope="module")

CONTENT_MODIFIED = -32801
REQUEST_CANCELLED = -32800
TEXT_DOCUMENT_CONTENT = "workspace/textDocumentContent"
CONTENT_REFRESH = "workspace/textDocumentContent/refresh"

# A file whose first analysis takes a while (hundreds of milliseconds on an idle machine):
# long enough for the edits and requests sent right after opening it to arrive while it
# runs.
SLOW = "fn main() {\n    let x = 1;\n    println!(\"{}\", x);\n}\n" + "".join(
    f"\nfn helper_{i}(n: i32) -> i32 {{\n    let mut acc = n;\n"
    f"    for k in 0..{i % 7 + 2} {{\n        acc = acc * 3 + k;\n    }}\n    acc % 1000\n}}\n"
    for i in range(300))


class ContentClient(GustClient):
    """Also records the server's `workspace/textDocumentContent/refresh` requests."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refreshed: list[str] = []


def _on_refresh(client: ContentClient, params: lsp.TextDocumentContentRefreshParams) -> None:
    client.refreshed.append(params.uri)


def make_client() -> ContentClient:
    client = ContentClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_diagnostics
    features[GENERATED_GO_CHANGED] = _on_go_changed
    features[CONTENT_REFRESH] = _on_refresh
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
    params=["visual-studio-code", "neovim"],
    scope="module",
)
async def client(request: pytest.FixtureRequest, lsp_client: ContentClient,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    """The editor's recorded capabilities plus LSP 3.18's text document content."""
    caps = client_capabilities(request.param)
    workspace = caps.workspace or lsp.WorkspaceClientCapabilities()
    workspace.text_document_content = lsp.TextDocumentContentClientCapabilities(
        dynamic_registration=False)
    caps.workspace = workspace
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=caps, root_uri=tmp_path_factory.mktemp("workspace").as_uri()))
    server_workspace = result.capabilities.workspace
    assert server_workspace is not None
    assert isinstance(server_workspace.text_document_content, lsp.TextDocumentContentOptions)
    assert list(server_workspace.text_document_content.schemes) == ["gust-go"]
    yield
    await lsp_client.shutdown_session()


# A server whose hover always fails, and whose diagnostics conversion fails for files named
# explode.gust: a bug in one feature must not take the others down.
FAULTY_SERVER = [sys.executable, "-c", """
import gust.lsp.server as server

def hover(*args, **kwargs):
    raise RuntimeError("injected hover failure")

real_diagnostics = server.convert.diagnostics

def diagnostics(diags, index, uri, support):
    if uri.endswith("explode.gust"):
        raise RuntimeError("injected diagnostics failure")
    return real_diagnostics(diags, index, uri, support)

server.hover = hover
server.convert.diagnostics = diagnostics
server.main()
"""]


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=FAULTY_SERVER, client_factory=make_client),
    params=["visual-studio-code", "neovim"],
    scope="module",
)
async def faulty(request: pytest.FixtureRequest, lsp_client: ContentClient,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=tmp_path_factory.mktemp("workspace").as_uri()))
    # Without the 3.18 capability, no content provider is announced.
    workspace = result.capabilities.workspace
    assert workspace is None or workspace.text_document_content is None
    yield
    await lsp_client.shutdown_session()


def change_text(client: GustClient, uri: str, version: int, old: str, before: str,
                after: str) -> str:
    """Replace the first `before` in the document's text `old` (an incremental edit);
    the new text."""
    start = position(old, before)
    end = position(old, before, delta=len(before))
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=start, end=end), text=after)]))
    return old.replace(before, after, 1)


def hover_params(uri: str, pos: lsp.Position) -> lsp.HoverParams:
    return lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)


# -- concurrency ----------------------------------------------------------------------------


@SERVER_LOOP
async def test_an_edit_during_a_slow_analysis_publishes_only_the_newest_version(
        client: ContentClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, SLOW)
    # At once, while version 1 is being analysed: a type error in main.
    change_text(client, uri, 2, SLOW, "let x = 1;", "let x: i32 = true;")
    diags = await diagnostics_for(client, uri, 2)
    assert [d.code for d in diags] == ["E0308"], diags
    await asyncio.sleep(0.3)  # anything still in flight would arrive now
    assert [p.version for p in publishes(client, uri)] == [2]
    no_internal_errors(client)


@SERVER_LOOP
async def test_a_hover_racing_an_edit_never_describes_the_old_text(
        client: ContentClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, SLOW)
    at = position(SLOW, "x = 1")
    pending = client.text_document_hover_async(hover_params(uri, at))  # for version 1
    edited = change_text(client, uri, 2, SLOW, "let x = 1;", "let x = 1.5;")
    try:
        answer = await pending
    except JsonRpcException as exc:
        assert exc.code == CONTENT_MODIFIED, exc
    else:  # answered for the new text
        assert "f64" in markdown(answer), answer
    await diagnostics_for(client, uri, 2)
    assert "let x: f64" in markdown(await hover_text(client, uri, position(edited, "x = 1")))
    no_internal_errors(client)


@SERVER_LOOP
async def test_a_cancelled_request_is_answered_request_cancelled(
        client: ContentClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, SLOW)  # the hover waits behind this analysis
    msg_id = f"hover-to-cancel-{tmp_path.name}"
    answer = client.protocol.send_request(
        lsp.TEXT_DOCUMENT_HOVER, hover_params(uri, position(SLOW, "x = 1")), msg_id=msg_id)
    client.protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcException) as raised:
        await asyncio.wrap_future(answer)
    assert raised.value.code == REQUEST_CANCELLED
    # The server goes on: the file's diagnostics come, and a new hover is answered.
    assert await diagnostics_for(client, uri, 1) == []
    assert "let x: i32" in markdown(await hover_text(client, uri, position(SLOW, "x = 1")))
    no_internal_errors(client)


@SERVER_LOOP
async def test_a_failing_feature_is_logged_once_and_the_rest_keeps_working(
        faulty: ContentClient, tmp_path: Path) -> None:
    client = faulty
    uri = uri_of(tmp_path)
    open_doc(client, uri, CLEAN)
    for _ in range(2):
        with pytest.raises(JsonRpcException) as raised:
            await hover_text(client, uri, position(CLEAN, "x:"))
        assert raised.value.code == -32603  # InternalError
    # The analysis of one file fails, twice: logged once; other files are unaffected.
    (tmp_path / "other").mkdir()
    bad = uri_of(tmp_path / "other", "explode.gust")  # its own package: its own `main`
    open_doc(client, bad, CLEAN)
    await until(lambda: errors_with(client, "injected diagnostics failure"),
                "the analysis failure logged")
    change_text(client, bad, 2, CLEAN, "= 1;", "= 2;")
    change_text(client, uri, 2, CLEAN, "= 1;", "= true;")
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["E0308"]
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert symbols and symbols[0].name == "main"
    assert len(errors_with(client, "injected hover failure")) == 1
    assert len(errors_with(client, "injected diagnostics failure")) == 1


def errors_with(client: GustClient, text: str) -> list[str]:
    return [m.message for m in client.log_messages
            if m.type == lsp.MessageType.Error and text in m.message]


# -- generated Go ---------------------------------------------------------------------------


def go_uri(uri: str) -> str:
    """The `gust-go:` URI of a document, as the VS Code extension builds it."""
    from urllib.parse import quote, urlsplit
    return f"gust-go:{urlsplit(uri).path}.go?{quote(uri, safe='')}"


@SERVER_LOOP
async def test_generated_go_comes_with_a_source_map(client: ContentClient,
                                                    tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, HELLO)
    go = await generated_go(client, uri)
    lines = go.text.split("\n")
    data = list(go.sourceMap)
    assert data and len(data) % 5 == 0
    entries = [data[i:i + 5] for i in range(0, len(data), 5)]
    # The Go line that passes "before_edit" comes from `let message = greet(..);`.
    [call] = [n for n, line in enumerate(lines) if "before_edit" in line]
    origins = [e[1:] for e in entries if e[0] == call]
    statement = position(HELLO, 'let message = greet("before_edit");')
    assert origins == [[statement.line, statement.character, statement.line,
                        statement.character + len('let message = greet("before_edit");')]]


async def content(client: GustClient, uri: str) -> lsp.TextDocumentContentResult:
    result = await request(client, TEXT_DOCUMENT_CONTENT, lsp.TextDocumentContentParams(uri=uri))
    assert isinstance(result, lsp.TextDocumentContentResult)
    return result


@SERVER_LOOP
async def test_gust_go_documents_are_served_and_refreshed(client: ContentClient,
                                                          tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, HELLO)
    await diagnostics_for(client, uri, 1)
    shown = go_uri(uri)
    first = await content(client, shown)
    assert "func main()" in first.text and "before_edit" in first.text
    edited = change_text(client, uri, 2, HELLO, "before_edit", "after_edit")
    await until(lambda: shown in client.refreshed, "workspace/textDocumentContent/refresh")
    second = await content(client, shown)
    assert "after_edit" in second.text and "before_edit" not in second.text
    # Broken: the last good Go, saying it is out of date.
    change_text(client, uri, 3, edited, '"after_edit"', '1 + "after_edit"')
    await diagnostics_for(client, uri, 3)
    stale = await content(client, shown)
    assert stale.text.startswith("// Gust: out of date") and "after_edit" in stale.text
    with pytest.raises(JsonRpcException):
        await content(client, go_uri(uri_of(tmp_path, "never_opened.gust")))
    no_internal_errors(client)
