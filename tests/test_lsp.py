"""gust-lsp end to end: the real server process over stdio, driven by a real LSP client
(pytest-lsp), impersonating VS Code and Neovim (their recorded client capabilities).

Each test checks what a user of an editor notices: diagnostics on the right line and for the
right version, hovers, the generated-Go preview, and a server that survives bad input.
Anything the server sends that the impersonated client did not declare support for
(LspSpecificationWarning) fails the test.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_lsp
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from gust.lsp.documents import Document
from gust.text import LineIndex

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
# One server per client profile for the whole module (starting one takes ~1 s): the tests
# talking to it run in the module's event loop. Every test works on its own documents, and
# later tests show that the server survived the earlier ones.
SERVER_LOOP = pytest.mark.asyncio(loop_scope="module")

SERVER = [sys.executable, "-m", "gust.lsp.server"]
GENERATED_GO = "gust/generatedGo"
GENERATED_GO_CHANGED = "gust/generatedGoChanged"
WAIT_S = 15.0  # generous: a loaded CI machine; a healthy server answers in milliseconds

USE_AFTER_MOVE = """\
fn main() {
    let prompt = String::from("summarise this");
    let queued = prompt;
    println!("queued: {}", queued);
    println!("prompt: {}", prompt);
}
"""

# `5` is at the end of a line whose earlier text has a 2-byte (é) and an astral-plane (🦀)
# character: in UTF-16 the crab is two units, so code-point columns would be off by one.
UNICODE_LINE = '    let greeting = "héllo 🦀"; let count: i32 = 5;'
UNICODE = f"""\
fn main() {{
{UNICODE_LINE}
    println!("{{}} {{}}", greeting, count);
}}
"""

CLEAN = """\
fn main() {
    let x: i32 = 1;
    println!("{}", x);
}
"""

HOVER = """\
fn main() {
    let mut v: Vec<i32> = Vec::new();
    v.push(3);
    let w = vec![1, 2];
    println!("{} {}", v.len(), w.len());
}
"""

HELLO = """\
fn greet(name: &str) -> String {
    format!("hello, {}", name)
}

fn main() {
    let message = greet("before_edit");
    println!("{}", message);
}
"""

THREE_BROKEN = """\
fn one() -> i32 {
    let a = ;
    1
}

fn two() {
    let b: i32 = 2
    let c = 3;
}

fn three() {
    if { }
}

fn main() {
    println!("{}", one());
}
"""


class GustClient(LanguageClient):
    """The pytest-lsp client, also recording every publishDiagnostics (with its version)
    and every gust/generatedGoChanged, in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self.go_changed: list[Any] = []


def _on_diagnostics(client: GustClient, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _on_go_changed(client: GustClient, params: Any) -> None:
    client.go_changed.append(params)


def make_client() -> GustClient:
    client = GustClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_diagnostics
    features[GENERATED_GO_CHANGED] = _on_go_changed
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
    params=["visual-studio-code", "neovim"],
    scope="module",
)
async def client(request: pytest.FixtureRequest, lsp_client: GustClient,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=tmp_path_factory.mktemp("workspace").as_uri(),
    ))
    # Positions are UTF-16 whatever the client offers (Neovim offers UTF-8 first).
    assert result.capabilities.position_encoding in (None, lsp.PositionEncodingKind.Utf16)
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, lsp.TextDocumentSyncOptions)
    assert sync.change == lsp.TextDocumentSyncKind.Incremental
    announced_navigation(result.capabilities)
    yield
    await lsp_client.shutdown_session()


def announced_navigation(caps: lsp.ServerCapabilities) -> None:
    """The navigation capabilities, as both editors need them announced."""
    assert caps.references_provider and caps.document_highlight_provider
    assert caps.type_definition_provider and caps.definition_provider
    assert caps.document_symbol_provider and caps.workspace_symbol_provider
    assert caps.folding_range_provider and caps.selection_range_provider
    # Both profiles support prepareRename, so the rename options say we do too.
    assert isinstance(caps.rename_provider, lsp.RenameOptions)
    assert caps.rename_provider.prepare_provider
    tokens = caps.semantic_tokens_provider
    assert isinstance(tokens, lsp.SemanticTokensOptions) and tokens.full and tokens.range
    assert list(tokens.legend.token_types) == list(LEGEND_TYPES)
    assert list(tokens.legend.token_modifiers) == list(LEGEND_MODIFIERS)


# -- helpers --------------------------------------------------------------------------------


def uri_of(tmp_path: Path, name: str = "main.gust") -> str:
    return (tmp_path / name).as_uri()


def utf16(text: str) -> int:
    """The length of `text` in UTF-16 code units, as LSP counts columns."""
    return len(text.encode("utf-16-le")) // 2


def position(text: str, needle: str, occurrence: int = 0, delta: int = 0) -> lsp.Position:
    """The LSP position of the `occurrence`-th `needle` in `text` (plus `delta` chars)."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    offset += delta
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line=line, character=utf16(text[line_start:offset]))


async def until(cond: Callable[[], Any], what: str, timeout: float = WAIT_S) -> Any:
    """Wait until `cond()` is truthy and return it; fail with `what` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.005)


def open_doc(client: GustClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="gust", version=version,
                                           text=text)))


def change(client: GustClient, uri: str, version: int, rng: lsp.Range, text: str) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=text)]))


def publishes(client: GustClient, uri: str) -> list[lsp.PublishDiagnosticsParams]:
    return [p for p in client.published if p.uri == uri]


async def diagnostics_for(client: GustClient, uri: str, version: int
                          ) -> Sequence[lsp.Diagnostic]:
    """The diagnostics published for exactly `version` of `uri` (waiting for them)."""
    found = await until(
        lambda: [p for p in publishes(client, uri) if p.version == version],
        f"diagnostics for version {version} of {uri}")
    return list(found[-1].diagnostics)


async def hover_text(client: GustClient, uri: str, pos: lsp.Position) -> lsp.Hover | None:
    return await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos))


def markdown(h: lsp.Hover | None) -> str:
    assert h is not None
    assert isinstance(h.contents, lsp.MarkupContent)
    assert h.contents.kind == lsp.MarkupKind.Markdown
    return h.contents.value


async def request(client: GustClient, method: str, params: Any) -> Any:
    """A request by method name (custom ones too); the result as pygls decodes it."""
    return await client.protocol.send_request_async(method, params)  # type: ignore[no-untyped-call]


async def generated_go(client: GustClient, uri: str) -> Any:
    return await request(client, GENERATED_GO, {"textDocument": {"uri": uri}})


def no_internal_errors(client: GustClient) -> None:
    errors = [m.message for m in [*client.log_messages, *client.messages]
              if m.type == lsp.MessageType.Error]
    assert not errors, errors


# -- diagnostics ----------------------------------------------------------------------------


@SERVER_LOOP
async def test_use_after_move_is_e0382_on_the_right_line(client: GustClient,
                                                         tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, USE_AFTER_MOVE, version=7)
    diags = await diagnostics_for(client, uri, 7)
    e0382 = [d for d in diags if d.code == "E0382"]
    assert len(e0382) == 1, diags
    diag = e0382[0]
    assert diag.range.start.line == 4  # println!("prompt: {}", prompt);
    assert diag.source == "gust"
    assert diag.severity == lsp.DiagnosticSeverity.Error
    assert "moved" in diag.message
    related = diag.related_information or []
    moves = [r for r in related if r.location.range.start.line == 2]  # let queued = prompt;
    assert moves and "move" in moves[0].message, related
    assert all(r.location.uri == uri for r in related)
    no_internal_errors(client)


@SERVER_LOOP
async def test_diagnostic_carries_code_link_and_secondary_labels(
        client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    text = CLEAN.replace("let x: i32 = 1;", 'let x: i32 = "one";')
    open_doc(client, uri, text)
    diags = await diagnostics_for(client, uri, 1)
    assert [d.code for d in diags] == ["E0308"], diags
    diag = diags[0]
    assert diag.range.start == position(text, '"one"')
    assert diag.message.startswith("mismatched types\n")  # then the label
    assert [r.message for r in diag.related_information or []] == ["expected due to this"]
    assert diag.related_information is not None
    assert diag.related_information[0].location.range.start == position(text, "i32")
    caps = client.capabilities
    assert caps is not None and caps.text_document is not None
    publish_caps = caps.text_document.publish_diagnostics
    if publish_caps is not None and publish_caps.code_description_support:
        assert diag.code_description is not None
        assert diag.code_description.href.endswith("E0308.md") or \
            diag.code_description.href.endswith("E0308.html")
    else:
        assert diag.code_description is None


@SERVER_LOOP
async def test_incremental_edits_count_utf16_columns(client: GustClient,
                                                     tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, UNICODE)
    assert await diagnostics_for(client, uri, 1) == []

    # Insert `.0` right after the `5`: i32 = 5.0 is a type error, at UTF-16 columns.
    after_five = position(UNICODE, "= 5;", delta=3)
    assert after_five.character == UNICODE_LINE.index("= 5;") + 3 + 1  # 🦀 counts twice
    change(client, uri, 2, lsp.Range(start=after_five, end=after_five), ".0")
    edited = UNICODE.replace("= 5;", "= 5.0;")
    diags = await diagnostics_for(client, uri, 2)
    assert [d.code for d in diags] == ["E0308"], diags
    assert diags[0].range == lsp.Range(start=position(edited, "5.0"),
                                       end=position(edited, "5.0", delta=3))

    # Delete it again with a range edit: clean, and tagged with the new version.
    end = lsp.Position(line=after_five.line, character=after_five.character + 2)
    change(client, uri, 3, lsp.Range(start=after_five, end=end), "")
    assert await diagnostics_for(client, uri, 3) == []
    h = await hover_text(client, uri, position(UNICODE, "count", occurrence=1))
    assert "let count: i32" in markdown(h)
    no_internal_errors(client)


@SERVER_LOOP
async def test_quick_edits_publish_the_last_version_last(client: GustClient,
                                                         tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    # Enough functions after main that an analysis takes longer than an edit takes to arrive.
    filler = "".join(f"\nfn helper_{i}(n: i32) -> i32 {{\n    n * {i} + 1\n}}\n"
                     for i in range(300))
    open_doc(client, uri, CLEAN + filler)
    await diagnostics_for(client, uri, 1)
    # Type a new line character by character, without waiting: most states do not parse.
    typed = "    let y: i32 = true;\n"
    line = 3  # before the closing brace
    for i, ch in enumerate(typed):
        at = lsp.Position(line=line, character=i)
        change(client, uri, 2 + i, lsp.Range(start=at, end=at), ch)
    last = 1 + len(typed)
    diags = await diagnostics_for(client, uri, last)
    assert [d.code for d in diags] == ["E0308"], diags  # bool where i32 was expected
    assert diags[0].range.start.line == line
    await asyncio.sleep(0.2)  # anything still in flight would arrive now
    versions = [p.version if p.version is not None else -1 for p in publishes(client, uri)]
    assert versions == sorted(versions), versions
    assert len(versions) == len(set(versions)), versions
    assert versions[-1] == last, versions
    no_internal_errors(client)


@SERVER_LOOP
async def test_three_broken_functions_get_three_syntax_errors(
        client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, THREE_BROKEN)
    diags = await diagnostics_for(client, uri, 1)
    assert len(diags) == 3, diags
    assert [d.range.start.line for d in diags] == [1, 6, 11]
    assert all(d.severity == lsp.DiagnosticSeverity.Error and d.source == "gust"
               for d in diags)


@SERVER_LOOP
async def test_syntax_errors_of_a_new_file_come_first(client: GustClient,
                                                      tmp_path: Path) -> None:
    """On open, a file with syntax errors gets them at once (a parse is quick), then the
    full analysis, which adds the type errors of the other items, for the same version."""
    uri = uri_of(tmp_path)
    text = ("fn broken() {\n    let x = (1 + ;\n}\n\n"
            "fn main() {\n    let n: i32 = \"seven\";\n}\n")
    open_doc(client, uri, text)
    await until(lambda: len([p for p in publishes(client, uri) if p.version == 1]) >= 2,
                "two publishes for version 1")
    first, last = [p for p in publishes(client, uri) if p.version == 1][:2]
    assert [d.code for d in first.diagnostics] == [None]
    assert [d.code for d in last.diagnostics] == [None, "E0308"]


@SERVER_LOOP
async def test_close_clears_diagnostics(client: GustClient,
                                        tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, THREE_BROKEN)
    assert await diagnostics_for(client, uri, 1)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await until(lambda: len(publishes(client, uri)[-1].diagnostics) == 0,
                "empty diagnostics after didClose")


# -- hover ----------------------------------------------------------------------------------


@SERVER_LOOP
async def test_hover_shows_vec_i32(client: GustClient,
                                   tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, HOVER)
    declared = await hover_text(client, uri, position(HOVER, "v:"))
    assert markdown(declared) == "```gust\nlet mut v: Vec<i32>\n```"
    assert declared is not None and declared.range == lsp.Range(
        start=position(HOVER, "v:"), end=position(HOVER, "v:", delta=1))
    used = await hover_text(client, uri, position(HOVER, "v.push"))
    assert "Vec<i32>" in markdown(used)
    inferred = await hover_text(client, uri, position(HOVER, "w ="))
    assert "let w: Vec<i32>" in markdown(inferred)
    assert await hover_text(client, uri, position(HOVER, "    let mut")) is None


# -- generated Go ---------------------------------------------------------------------------


@SERVER_LOOP
async def test_generated_go_follows_edits(client: GustClient,
                                          tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, HELLO)
    go = await generated_go(client, uri)
    assert (go.uri, go.version, go.stale) == (uri, 1, False)
    assert "package main" in go.text and "func main()" in go.text, go.text
    assert "before_edit" in go.text

    start = position(HELLO, "before_edit")
    end = position(HELLO, "before_edit", delta=len("before_edit"))
    change(client, uri, 2, lsp.Range(start=start, end=end), "after_edit")
    await until(lambda: [p for p in client.go_changed if p.version == 2],
                "gust/generatedGoChanged for version 2")
    go = await generated_go(client, uri)
    assert (go.version, go.stale) == (2, False)
    assert "after_edit" in go.text and "before_edit" not in go.text

    # An error: the last good Go is kept, marked stale.
    quote = position(HELLO, '"before_edit"')
    change(client, uri, 3, lsp.Range(start=quote, end=quote), "1 + ")  # 1 + "after_edit"
    await diagnostics_for(client, uri, 3)
    go = await generated_go(client, uri)
    assert (go.version, go.stale) == (2, True)
    assert "after_edit" in go.text


@SERVER_LOOP
async def test_generated_go_of_an_unknown_document_is_invalid_params(
        client: GustClient, tmp_path: Path) -> None:
    with pytest.raises(JsonRpcInvalidParams):
        await generated_go(client, uri_of(tmp_path, "never_opened.gust"))
    with pytest.raises(JsonRpcInvalidParams):
        await request(client, GENERATED_GO, {"uri": "no textDocument"})


@SERVER_LOOP
async def test_generated_go_while_broken_says_why_then_follows_the_fix(
        client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    broken = CLEAN.replace("= 1;", "= ;")
    open_doc(client, uri, broken)
    go = await generated_go(client, uri)
    assert (go.uri, go.version, go.stale) == (uri, 1, True)
    assert go.text.startswith("//") and "error" in go.text, go.text

    # Fix it: the preview is told (its answer changed) and gets Go for version 2.
    at = position(broken, "= ;", delta=1)
    change(client, uri, 2, lsp.Range(start=at, end=at), " 1")
    await until(lambda: [p for p in client.go_changed if p.uri == uri and p.version == 2],
                "gust/generatedGoChanged for version 2")
    fixed = await generated_go(client, uri)
    assert fixed.version == 2 and fixed.text != go.text


# -- robustness -----------------------------------------------------------------------------


@SERVER_LOOP
async def test_server_survives_bad_input(client: GustClient,
                                         tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, HOVER)
    await diagnostics_for(client, uri, 1)

    # An edit past the end of the document lands at the end (clients clamp the same way).
    past_end = lsp.Position(line=100, character=7)
    change(client, uri, 2, lsp.Range(start=past_end, end=past_end), "\n// tail\n")
    assert await diagnostics_for(client, uri, 2) == []
    # A range past the end of a line, and one whose end comes before its start.
    change(client, uri, 3, lsp.Range(start=lsp.Position(line=0, character=500),
                                         end=lsp.Position(line=0, character=400)), " ")
    assert await diagnostics_for(client, uri, 3) == []

    assert await hover_text(client, uri, lsp.Position(line=1000, character=3)) is None
    await hover_text(client, uri, lsp.Position(line=1, character=999))  # answered
    assert await hover_text(client, uri_of(tmp_path, "unopened.gust"),
                            position(HOVER, "v:")) is None
    with pytest.raises(JsonRpcException):
        await request(client, "gust/noSuchRequest", {})
    # Params that do not even decode (a negative line): an InvalidParams answer, not silence.
    # The client refuses to build such params, so a look-alike object puts them on the wire.
    bad_position = SimpleNamespace(line=-1, character=0)
    with pytest.raises(JsonRpcInvalidParams):
        await request(client, lsp.TEXT_DOCUMENT_HOVER, SimpleNamespace(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=bad_position,
            work_done_token=None))
    # A change for a document that was never opened is ignored (and logged as a warning).
    change(client, uri_of(tmp_path, "unopened.gust"), 1,
           lsp.Range(start=past_end, end=past_end), "x")

    # Still alive, and the text is what the user typed: hover still finds `v`.
    h = await hover_text(client, uri, position(HOVER, "v.push"))
    assert "Vec<i32>" in markdown(h)
    no_internal_errors(client)


# -- the server's own text handling, as plain data -------------------------------------------

_TEXT_PIECES = st.lists(st.sampled_from(["a", " ", "\n", "\r", "\r\n", "é", "🦀", "{"]),
                        max_size=40).map("".join)


def _reference_line_starts(text: str) -> list[int]:
    """Line starts by LSP's rule, one character at a time: \n, \r\n or a lone \r."""
    starts = [0]
    i = 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            i += 1
        if text[i] in "\r\n":
            starts.append(i + 1)
        i += 1
    return starts


@given(_TEXT_PIECES)
def test_line_index_splits_lines_as_lsp_does(text: str) -> None:
    assert LineIndex(text).starts == _reference_line_starts(text)


@given(_TEXT_PIECES, st.integers(0, 6), st.integers(0, 50), st.integers(0, 6),
       st.integers(0, 50), _TEXT_PIECES)
def test_an_edit_replaces_exactly_its_utf16_range(text: str, l1: int, c1: int, l2: int,
                                                   c2: int, new: str) -> None:
    """What the client believes the text is after an edit is what the server has: the
    edit's UTF-16 range, clamped into the text, is replaced by the new text."""
    doc = Document("file:///t.gust", "/t.gust", text, 1)
    index = LineIndex(text)
    a, b = sorted((index.offset_of_utf16(l1, c1), index.offset_of_utf16(l2, c2)))
    doc.apply_changes([lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=lsp.Position(line=l1, character=c1),
                        end=lsp.Position(line=l2, character=c2)), text=new)], 2)
    assert doc.text == text[:a] + new + text[b:]
    assert doc.version == 2 and doc.index.starts == LineIndex(doc.text).starts


# -- code actions ---------------------------------------------------------------------------

NEEDS_MUT = """\
fn main() {
    let total = 5;
    total = 6;
    println!("{}", total);
}
"""


@SERVER_LOOP
async def test_quick_fix_makes_the_binding_mutable(client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path, "fix.gust")
    open_doc(client, uri, NEEDS_MUT, version=1)
    (diag,) = [d for d in await diagnostics_for(client, uri, 1) if d.code == "E0384"]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=lsp.CodeActionContext(diagnostics=[diag])))
    assert actions, "a quick fix for E0384"
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    assert "mutable" in action.title and action.title[0].isupper()
    # The action names the diagnostic exactly as it was published.
    assert action.diagnostics is not None and action.diagnostics[0].code == "E0384"
    assert action.diagnostics[0].range == diag.range
    assert action.edit is not None and action.edit.document_changes is not None
    (doc_edit,) = action.edit.document_changes
    assert isinstance(doc_edit, lsp.TextDocumentEdit)
    assert doc_edit.text_document.uri == uri and doc_edit.text_document.version == 1
    (edit,) = doc_edit.edits
    assert edit.new_text == "mut " and edit.range.start == position(NEEDS_MUT, "total = 5")
    # Applying it (as the editor would) leaves a program that checks clean.
    change(client, uri, 2, edit.range, edit.new_text)
    assert [d for d in await diagnostics_for(client, uri, 2)] == []
    # A request for refactorings only gets no quick fixes.
    change(client, uri, 3, lsp.Range(start=edit.range.start, end=position(
        NEEDS_MUT.replace("let total", "let mut total"), "total = 5")), "")
    (diag,) = await diagnostics_for(client, uri, 3)
    refactorings = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=lsp.CodeActionContext(diagnostics=[diag],
                                      only=[lsp.CodeActionKind.Refactor])))
    assert refactorings is not None and len(refactorings) == 0
    no_internal_errors(client)


RETURNS_BORROWING_CLOSURE = """\
fn counter() -> impl Fn() -> i32 {
    let start = 1;
    || start + 1
}

fn main() {
    println!("{}", counter()());
}
"""


@SERVER_LOOP
async def test_quick_fix_adds_move_to_a_closure(client: GustClient, tmp_path: Path) -> None:
    """E0373's fix, served as a code action: `move` before the closure, as rustc suggests."""
    uri = uri_of(tmp_path, "closure.gust")
    open_doc(client, uri, RETURNS_BORROWING_CLOSURE, version=1)
    (diag,) = [d for d in await diagnostics_for(client, uri, 1) if d.code == "E0373"]
    assert diag.range.start == position(RETURNS_BORROWING_CLOSURE, "|| start")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=lsp.CodeActionContext(diagnostics=[diag])))
    assert actions, "a quick fix for E0373"
    action = actions[0]
    assert isinstance(action, lsp.CodeAction)
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    assert "`move`" in action.title
    assert action.edit is not None and action.edit.document_changes is not None
    (doc_edit,) = action.edit.document_changes
    assert isinstance(doc_edit, lsp.TextDocumentEdit)
    (edit,) = doc_edit.edits
    assert edit.new_text == "move "
    assert edit.range.start == position(RETURNS_BORROWING_CLOSURE, "|| start")
    # Applying it leaves a program without borrow errors (the Go backend may still say
    # what it cannot build yet).
    change(client, uri, 2, edit.range, edit.new_text)
    assert [d for d in await diagnostics_for(client, uri, 2) if d.code != "unsupported"] == []
    no_internal_errors(client)


# -- packages: every .gust file of a directory is one package --------------------------------

SHAPES = """\
pub struct Square {
    pub side: i32,
}

pub fn area(s: &Square) -> i32 {
    s.side * s.side
}
"""

USES_SHAPES = """\
fn main() {
    let s = Square { side: 3 };
    println!("{}", area(&s));
}
"""


@SERVER_LOOP
async def test_a_file_is_checked_with_the_other_files_of_its_package(
        client: GustClient, tmp_path: Path) -> None:
    # shapes.gust is only on disk: the server reads it as part of main.gust's package.
    (tmp_path / "shapes.gust").write_text(SHAPES, encoding="utf-8")
    uri = uri_of(tmp_path)
    open_doc(client, uri, USES_SHAPES)
    assert await diagnostics_for(client, uri, 1) == []
    # Definition across files: `area` is declared in shapes.gust.
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position(USES_SHAPES, "area", delta=1)))
    assert isinstance(found, lsp.Location)
    assert found.uri == (tmp_path / "shapes.gust").as_uri()
    assert found.range.start == position(SHAPES, "area")
    # Renaming the function in the other file (opened, edited, not saved) publishes the
    # error in main.gust again, for its unchanged version.
    shapes_uri = (tmp_path / "shapes.gust").as_uri()
    open_doc(client, shapes_uri, SHAPES)
    assert await diagnostics_for(client, shapes_uri, 1) == []
    before = len(publishes(client, uri))
    start = position(SHAPES, "area")
    change(client, shapes_uri, 2, lsp.Range(start=start, end=lsp.Position(
        line=start.line, character=start.character + 4)), "surface")
    assert await diagnostics_for(client, shapes_uri, 2) == []
    published = await until(lambda: publishes(client, uri)[before:], "main.gust republished")
    diags = published[-1].diagnostics
    assert [d.code for d in diags] == ["E0425"]
    assert diags[0].range.start == position(USES_SHAPES, "area")
    no_internal_errors(client)


@SERVER_LOOP
async def test_a_module_file_is_checked_with_the_package_that_declares_it(
        client: GustClient, tmp_path: Path) -> None:
    """`net/http.gust` is opened alone: the server finds `main.gust` (with `mod net;`) and
    `net.gust` (with `mod http;`) on disk, checks the file as the module `net::http` of
    that package, and go to definition crosses into the package's other files."""
    from test_module_files import FILES, HTTP, UTIL, write

    write(tmp_path, FILES)
    broken = HTTP.replace("super::port()", "super::nope()")
    uri = (tmp_path / "net" / "http.gust").as_uri()
    open_doc(client, uri, broken)
    diags = await diagnostics_for(client, uri, 1)
    assert [d.code for d in diags] == ["E0425"]
    assert diags[0].range.start == position(broken, "nope")
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position(broken, "double(", delta=1)))
    assert isinstance(found, lsp.Location)
    assert found.uri == (tmp_path / "util.gust").as_uri()
    assert found.range.start == position(UTIL, "double")
    no_internal_errors(client)


@SERVER_LOOP
async def test_an_example_opens_without_e0428_from_the_other_examples(
        client: GustClient) -> None:
    """examples/ is a directory of programs (each file has `fn main`): the server reads
    the other examples beside the one opened, but checks each as a program of its own."""
    example = Path(__file__).parent.parent / "examples" / "shapes.gust"
    uri = example.as_uri()
    open_doc(client, uri, example.read_text(encoding="utf-8"))
    assert await diagnostics_for(client, uri, 1) == []
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    no_internal_errors(client)


# -- navigation: references, highlight, rename, symbols, type definition, structure ---------

NAV_LIB = """\
pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub fn origin() -> Point {
    Point { x: 0, y: 0 }
}
"""

NAV_MAIN = """\
// The entry point.
// It moves a point.
use std::collections::HashMap;
use std::fmt;

fn shift(p: Point, dx: i32) -> Point {
    let mut moved = Point { x: p.x + dx, y: p.y };
    moved.x = moved.x + 1;
    moved
}

fn main() {
    let start = origin();
    let end = shift(start, 2);
    println!("{} {}", end.x, end.y);
}
"""


async def open_nav_package(client: GustClient, tmp_path: Path) -> tuple[str, str]:
    """main.gust open, lib.gust (same package) only on disk; diagnostics published."""
    (tmp_path / "lib.gust").write_text(NAV_LIB, encoding="utf-8")
    uri = uri_of(tmp_path)
    open_doc(client, uri, NAV_MAIN)
    assert await diagnostics_for(client, uri, 1) == []
    return uri, (tmp_path / "lib.gust").as_uri()


def text_document(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def span_of(text: str, needle: str, occurrence: int = 0) -> lsp.Range:
    return lsp.Range(start=position(text, needle, occurrence),
                     end=position(text, needle, occurrence, delta=len(needle)))


@SERVER_LOOP
async def test_references_across_the_files_of_a_package(client: GustClient,
                                                        tmp_path: Path) -> None:
    uri, lib_uri = await open_nav_package(client, tmp_path)
    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "Point"),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert found is not None
    assert [(loc.uri, loc.range) for loc in found] == [
        (uri, span_of(NAV_MAIN, "Point", 0)), (uri, span_of(NAV_MAIN, "Point", 1)),
        (uri, span_of(NAV_MAIN, "Point", 2)),
        (lib_uri, span_of(NAV_LIB, "Point", 0)), (lib_uri, span_of(NAV_LIB, "Point", 1)),
        (lib_uri, span_of(NAV_LIB, "Point", 2))]
    without = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "x + dx", delta=0),
        context=lsp.ReferenceContext(include_declaration=False)))
    assert without is not None
    # Not the declaration (in lib.gust), but lib.gust's `Point { x: 0, .. }`; in main.gust
    # `x:`, `p.x`, `moved.x` twice and `end.x`.
    assert [loc.range for loc in without if loc.uri == lib_uri] == [span_of(NAV_LIB, "x", 1)]
    assert len([loc for loc in without if loc.uri == uri]) == 5
    no_internal_errors(client)


@SERVER_LOOP
async def test_document_highlight_marks_writes_and_reads(client: GustClient,
                                                         tmp_path: Path) -> None:
    uri, _ = await open_nav_package(client, tmp_path)
    found = await client.text_document_document_highlight_async(lsp.DocumentHighlightParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "moved", 1)))
    assert found is not None
    assert [(h.range, h.kind) for h in found] == [
        (span_of(NAV_MAIN, "moved", 0), lsp.DocumentHighlightKind.Write),
        (span_of(NAV_MAIN, "moved", 1), lsp.DocumentHighlightKind.Write),
        (span_of(NAV_MAIN, "moved", 2), lsp.DocumentHighlightKind.Read),
        (span_of(NAV_MAIN, "moved", 3), lsp.DocumentHighlightKind.Read)]


@SERVER_LOOP
async def test_rename_with_prepare_edits_every_file_or_says_why_not(
        client: GustClient, tmp_path: Path) -> None:
    uri, lib_uri = await open_nav_package(client, tmp_path)
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "origin", delta=2)))
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder)
    assert prepared.range == span_of(NAV_MAIN, "origin") and prepared.placeholder == "origin"
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "origin"),
        new_name="home"))
    assert edit is not None and edit.changes is not None
    assert list(edit.changes[uri]) == [lsp.TextEdit(range=span_of(NAV_MAIN, "origin"),
                                              new_text="home")]
    assert list(edit.changes[lib_uri]) == [lsp.TextEdit(range=span_of(NAV_LIB, "origin"),
                                                  new_text="home")]
    # A std name, a keyword: refused with a message the editor shows.
    with pytest.raises(JsonRpcException, match="outside this package"):
        await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
            text_document=text_document(uri), position=position(NAV_MAIN, "HashMap")))
    with pytest.raises(JsonRpcException, match="keyword"):
        await client.text_document_rename_async(lsp.RenameParams(
            text_document=text_document(uri), position=position(NAV_MAIN, "moved"),
            new_name="loop"))
    no_internal_errors(client)


@SERVER_LOOP
async def test_document_and_workspace_symbols(client: GustClient, tmp_path: Path) -> None:
    _, lib_uri = await open_nav_package(client, tmp_path)
    open_doc(client, lib_uri, NAV_LIB)
    assert await diagnostics_for(client, lib_uri, 1) == []
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=text_document(lib_uri)))
    assert symbols is not None
    # VS Code and Neovim both ask for the hierarchy.
    assert all(isinstance(s, lsp.DocumentSymbol) for s in symbols)
    point = symbols[0]
    assert isinstance(point, lsp.DocumentSymbol)
    assert (point.name, point.kind) == ("Point", lsp.SymbolKind.Struct)
    assert point.selection_range == span_of(NAV_LIB, "Point")
    assert [(c.name, c.kind) for c in point.children or []] == [
        ("x", lsp.SymbolKind.Field), ("y", lsp.SymbolKind.Field)]
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="orgn"))
    assert found is not None
    # The server's workspace also has the packages of earlier tests: look at this one's.
    assert [(s.name, s.location.uri) for s in found if isinstance(s, lsp.SymbolInformation)
            and s.location.uri.startswith(tmp_path.as_uri())] == [("origin", lib_uri)]
    no_internal_errors(client)


@SERVER_LOOP
async def test_type_definition_goes_to_the_struct(client: GustClient, tmp_path: Path) -> None:
    uri, lib_uri = await open_nav_package(client, tmp_path)
    found = await client.text_document_type_definition_async(lsp.TypeDefinitionParams(
        text_document=text_document(uri), position=position(NAV_MAIN, "end.x")))
    assert isinstance(found, list) and len(found) == 1
    assert isinstance(found[0], lsp.Location)
    assert (found[0].uri, found[0].range) == (lib_uri, span_of(NAV_LIB, "Point"))


@SERVER_LOOP
async def test_folding_and_selection_ranges(client: GustClient, tmp_path: Path) -> None:
    uri, _ = await open_nav_package(client, tmp_path)
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(
        text_document=text_document(uri)))
    assert folds is not None
    lines = {(f.start_line, f.end_line) for f in folds}
    assert {(0, 1), (2, 3), (5, 8), (11, 14)} <= lines  # comments, uses, two functions
    kinds = {(f.start_line, f.kind) for f in folds if f.kind is not None}
    assert kinds == {(0, lsp.FoldingRangeKind.Comment), (2, lsp.FoldingRangeKind.Imports)}
    ranges = await client.text_document_selection_range_async(lsp.SelectionRangeParams(
        text_document=text_document(uri), positions=[position(NAV_MAIN, "dx, y", delta=1)]))
    assert ranges is not None and len(ranges) == 1
    chain: list[lsp.Range] = []
    node: lsp.SelectionRange | None = ranges[0]
    while node is not None:
        chain.append(node.range)
        node = node.parent
    assert chain[0] == span_of(NAV_MAIN, "dx", 1)
    assert chain[1] == span_of(NAV_MAIN, "p.x + dx")
    assert chain[-1].start == lsp.Position(line=0, character=0)


@SERVER_LOOP
async def test_semantic_tokens_full_and_range(client: GustClient, tmp_path: Path) -> None:
    uri, _ = await open_nav_package(client, tmp_path)
    full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(
        text_document=text_document(uri)))
    assert full is not None
    decoded = decode_tokens(NAV_MAIN, full.data)
    assert decoded[("shift", 5)] == ("function", {"declaration"})
    assert decoded[("moved", 6)] == ("variable", {"declaration", "mutable"})
    assert decoded[("Point", 6)] == ("struct", set())
    assert decoded[("println", 14)] == ("macro", {"defaultLibrary"})
    assert decoded[("// The entry point.", 0)] == ("comment", set())
    assert decoded[("x", 14)] == ("property", set())
    # The placeholders of the format string are told apart from its text.
    assert decoded[("{}", 14)] == ("formatSpecifier", set())
    assert decoded[('"', 14)] == ("string", set())
    ranged = await client.text_document_semantic_tokens_range_async(
        lsp.SemanticTokensRangeParams(text_document=text_document(uri), range=lsp.Range(
            start=lsp.Position(line=11, character=0), end=lsp.Position(line=13, character=0))))
    assert ranged is not None
    lines = {line for _, line in decode_tokens(NAV_MAIN, ranged.data)}
    assert lines == {11, 12}


# The legend the server announces (gust.ide.semantic_tokens: TOKEN_TYPES, TOKEN_MODIFIERS).
LEGEND_TYPES = ("namespace", "type", "struct", "enum", "enumMember", "interface",
                "typeParameter", "parameter", "variable", "property", "function", "method",
                "macro", "keyword", "comment", "string", "number", "operator",
                "escapeSequence", "formatSpecifier")
LEGEND_MODIFIERS = ("declaration", "mutable", "readonly", "defaultLibrary", "documentation",
                    "controlFlow")


def decode_tokens(text: str, data: Sequence[int]) -> dict[tuple[str, int], tuple[str, set[str]]]:
    """LSP's relative encoding back to (token text, line) -> (type, modifiers)."""
    lines = text.split("\n")
    out: dict[tuple[str, int], tuple[str, set[str]]] = {}
    line = col = 0
    for i in range(0, len(data), 5):
        dl, dc, length, ty, mods = data[i : i + 5]
        line += dl
        col = dc if dl else col + dc
        word = lines[line][col : col + length]
        out.setdefault((word, line), (LEGEND_TYPES[ty], {
            m for b, m in enumerate(LEGEND_MODIFIERS) if mods & (1 << b)}))
    return out


@SERVER_LOOP
async def test_semantic_tokens_delta_after_an_edit(client: GustClient, tmp_path: Path) -> None:
    uri, _ = await open_nav_package(client, tmp_path)
    full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(
        text_document=text_document(uri)))
    assert full is not None and full.result_id is not None
    # Rename a local in one function (version 2): the answer is an edit, not everything.
    edited = NAV_MAIN.replace("let start = origin();\n    let end = shift(start, 2);",
                              "let begin = origin();\n    let end = shift(begin, 2);")
    first = position(NAV_MAIN, "start")
    change(client, uri, 2, lsp.Range(start=first, end=position(NAV_MAIN, "start, 2)",
                                                               delta=5)),
           "begin = origin();\n    let end = shift(begin")
    assert await diagnostics_for(client, uri, 2) == []
    delta = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=text_document(uri),
                                      previous_result_id=full.result_id))
    assert isinstance(delta, lsp.SemanticTokensDelta) and delta.result_id != full.result_id
    data = list(full.data)
    for edit in sorted(delta.edits, key=lambda e: e.start, reverse=True):
        data[edit.start : edit.start + edit.delete_count] = list(edit.data or [])
    fresh = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(
        text_document=text_document(uri)))
    assert fresh is not None and data == list(fresh.data)
    assert sum(len(e.data or []) for e in delta.edits) < len(fresh.data) // 4
    assert decode_tokens(edited, data)[("begin", 12)] == ("variable", {"declaration"})
    # An unknown previous result: all the tokens again.
    again = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=text_document(uri),
                                      previous_result_id="nonsense"))
    assert isinstance(again, lsp.SemanticTokens) and list(again.data) == list(fresh.data)


# -- completion, signature help, inlay hints -------------------------------------------------

ASSIST = """\
/// A point on the plane.
struct Point {
    /// Distance from the left.
    x: i32,
    y: i32,
}

impl Point {
    /// The point at the origin.
    fn origin() -> Point {
        Point { x: 0, y: 0 }
    }

    /// Moves the point right by `dx`.
    fn shift(&mut self, dx: i32, dy: i32) {
        self.x += dx;
        self.y += dy;
    }
}

fn main() {
    let mut p = Point::origin();
    let names = vec![String::from("a")];
    let double = |n| n * 2;
    println!("{} {} {}", p.x, names.len(), double(3));
}
"""


async def complete(client: GustClient, uri: str, pos: lsp.Position,
                   trigger: str | None = None) -> list[lsp.CompletionItem]:
    context = lsp.CompletionContext(
        trigger_kind=lsp.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger) \
        if trigger else lsp.CompletionContext(trigger_kind=lsp.CompletionTriggerKind.Invoked)
    found = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=text_document(uri), position=pos, context=context))
    assert isinstance(found, lsp.CompletionList)
    return list(found.items)


@SERVER_LOOP
async def test_completion_after_a_dot_while_typing(client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, ASSIST)
    assert await diagnostics_for(client, uri, 1) == []
    # The user types `p.` on a new line: the text no longer parses.
    at = position(ASSIST, "    println!")
    change(client, uri, 2, lsp.Range(start=at, end=at), "    p.\n")
    typed = lsp.Position(line=at.line, character=6)
    items = {i.label: i for i in await complete(client, uri, typed, ".")}
    assert items["x"].kind == lsp.CompletionItemKind.Field and items["x"].detail == "i32"
    shift = items["shift"]
    assert shift.kind == lsp.CompletionItemKind.Method
    assert shift.detail == "fn(&mut self, dx: i32, dy: i32)"
    # Both clients take snippets: the call's parentheses come with the name.
    assert shift.insert_text == "shift($0)"
    assert shift.insert_text_format == lsp.InsertTextFormat.Snippet
    assert "origin" not in items  # an associated function, not a method
    assert [i for i in items if i in ("x", "y")] == ["x", "y"]
    # The docs: lazily where the client resolves them (VS Code), else with the item.
    if shift.documentation is None:
        assert shift.data is not None
        shift = await client.completion_item_resolve_async(shift)
    assert isinstance(shift.documentation, lsp.MarkupContent)
    assert shift.documentation.value == "Moves the point right by `dx`."
    # A std type through a method chain: `names.iter().` has the iterator adapters.
    change(client, uri, 3, lsp.Range(start=at, end=lsp.Position(line=at.line, character=6)),
           "    names.iter().")
    chain = {i.label: i for i in await complete(client, uri, lsp.Position(
        line=at.line, character=17), ".")}
    assert {"map", "filter", "enumerate", "collect"} <= set(chain)
    assert chain["count"].detail == "fn(self) -> usize"
    no_internal_errors(client)


@SERVER_LOOP
async def test_completion_of_paths_and_names(client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    text = ASSIST.replace("    println!", "    Point::\n    \n    println!")
    open_doc(client, uri, text)
    await diagnostics_for(client, uri, 1)
    items = {i.label: i for i in await complete(client, uri, position(text, "Point::\n",
                                                                      delta=7), ":")}
    assert items["origin"].kind == lsp.CompletionItemKind.Function
    assert items["origin"].detail == "fn() -> Point"
    assert items["origin"].insert_text == "origin()$0"
    # A name: locals in scope first, then the file's items, std's prelude and keywords.
    names = await complete(client, uri, position(text, "    \n", delta=4))
    labels = [i.label for i in sorted(names, key=lambda i: i.sort_text or i.label)]
    assert labels.index("double") < labels.index("Point") < labels.index("Vec") \
        < labels.index("while")
    by_label = {i.label: i for i in names}
    assert by_label["names"].detail == "Vec<String>"
    assert by_label["p"].kind == lsp.CompletionItemKind.Variable
    assert by_label["Point"].kind == lsp.CompletionItemKind.Struct
    assert by_label["while"].kind == lsp.CompletionItemKind.Keyword
    assert by_label["println"].insert_text == "println!($0)"
    no_internal_errors(client)


@SERVER_LOOP
async def test_signature_help_tracks_the_argument(client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    text = ASSIST.replace("    println!", "    p.shift(1, \n    println!")
    open_doc(client, uri, text)
    await diagnostics_for(client, uri, 1)
    found = await client.text_document_signature_help_async(lsp.SignatureHelpParams(
        text_document=text_document(uri), position=position(text, "p.shift(1, ", delta=11)))
    assert found is not None and len(found.signatures) == 1
    sig = found.signatures[0]
    assert sig.label == "fn shift(&mut self, dx: i32, dy: i32)"
    params = [p.label for p in sig.parameters or []]
    # Both clients take offsets into the label.
    assert [sig.label[a:b] for a, b in params] == ["dx: i32", "dy: i32"]  # type: ignore[misc]
    assert sig.active_parameter == 1 and found.active_parameter == 1
    assert isinstance(sig.documentation, lsp.MarkupContent)
    assert sig.documentation.value == "Moves the point right by `dx`."
    # Outside any call: nothing.
    assert await client.text_document_signature_help_async(lsp.SignatureHelpParams(
        text_document=text_document(uri), position=position(text, "let mut p"))) is None
    no_internal_errors(client)


@SERVER_LOOP
async def test_inlay_hints_show_inferred_types(client: GustClient, tmp_path: Path) -> None:
    uri = uri_of(tmp_path)
    open_doc(client, uri, ASSIST)
    assert await diagnostics_for(client, uri, 1) == []
    main = position(ASSIST, "fn main")
    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=text_document(uri), range=lsp.Range(
            start=main, end=position(ASSIST, "    println!"))))
    assert hints is not None
    shown = [(h.position, h.label, h.kind) for h in hints]
    assert shown == [
        (position(ASSIST, "p = Point", delta=1), ": Point", lsp.InlayHintKind.Type),
        (position(ASSIST, "names =", delta=5), ": Vec<String>", lsp.InlayHintKind.Type),
        (position(ASSIST, "double =", delta=6), ": impl Fn(i32) -> i32",
         lsp.InlayHintKind.Type),
        (position(ASSIST, "|n|", delta=2), ": i32", lsp.InlayHintKind.Type)]
    # A written type can be inserted by the editor (double-click); a closure's cannot.
    assert [bool(h.text_edits) for h in hints] == [True, True, False, True]
    # Only the requested range: the line of `names`.
    line = position(ASSIST, "    let names")
    one = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=text_document(uri), range=lsp.Range(
            start=line, end=lsp.Position(line=line.line + 1, character=0))))
    assert one is not None and [h.label for h in one] == [": Vec<String>"]
    no_internal_errors(client)
