"""gust-lsp under hostile input: none of it kills the server or shows the user a Python
traceback (in a diagnostic, in window/logMessage as an "error", or on stderr, which editors
show in the server's output channel).

Documents (through pytest-lsp, VS Code's capabilities): random bytes, a 5 MB file, 10,000-deep
nesting of parentheses, blocks and generics, positions past the end and at the protocol's
largest numbers, URIs that are not open or not files. The wire (the server's stdio spoken to
directly, as pytest-lsp's client refuses to send such things): requests before `initialize`,
bytes that are not JSON or not UTF-8, fields of the wrong type, negative and huge numbers,
messages without a Content-Length, and a client that vanishes in the middle of a request.
"""

from __future__ import annotations

import contextlib
import json
import random
import subprocess
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from test_lsp import SERVER, GustClient, make_client, no_internal_errors, open_doc, until
from tools.lspfuzz import GENERATED_GO, params_of

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
SERVER_LOOP = pytest.mark.asyncio(loop_scope="module")

INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002
PARSE_ERROR = -32700
# What a request may be answered with besides a result: the document changed or the request
# was cancelled, params that name no open document (custom requests), a refused rename.
ALLOWED = {-32801, -32800, INVALID_PARAMS, -32803}
MAX_UINT = 2**31 - 1  # LSP's uinteger

METHODS = (lsp.TEXT_DOCUMENT_HOVER, lsp.TEXT_DOCUMENT_COMPLETION, lsp.TEXT_DOCUMENT_DEFINITION,
           lsp.TEXT_DOCUMENT_TYPE_DEFINITION, lsp.TEXT_DOCUMENT_REFERENCES,
           lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, lsp.TEXT_DOCUMENT_SIGNATURE_HELP,
           lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE,
           lsp.TEXT_DOCUMENT_INLAY_HINT, lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
           lsp.TEXT_DOCUMENT_FOLDING_RANGE, lsp.TEXT_DOCUMENT_SELECTION_RANGE,
           lsp.TEXT_DOCUMENT_FORMATTING, lsp.TEXT_DOCUMENT_CODE_ACTION, GENERATED_GO)


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]
    config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
    scope="module",
)
async def client(lsp_client: GustClient,
                 tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path_factory.mktemp("hostile-workspace").as_uri(),
    ))
    yield
    await lsp_client.shutdown_session()


async def ask_everything(client: GustClient, uri: str, start: lsp.Position,
                         end: lsp.Position) -> dict[str, Any]:
    """Every feature at (start, end) of `uri`: each answered with a result or an allowed
    error, never an internal error. The results by method."""
    results: dict[str, Any] = {}
    for method in METHODS:
        try:
            results[method] = await client.protocol.send_request_async(
                method, params_of(method, uri, start, end))
        except JsonRpcException as exc:
            assert exc.code in ALLOWED, (method, exc.code, str(exc))
            results[method] = exc
    return results


def rustc_style(diags: list[lsp.Diagnostic]) -> None:
    """Diagnostics a user can read: rustc's messages, no Python in them."""
    for d in diags:
        assert d.message and "Traceback" not in d.message and "Error(" not in d.message, d
        assert d.code is None or str(d.code).startswith(("E", "W")), d


async def published(client: GustClient, uri: str, version: int,
                    timeout: float = 120.0) -> list[lsp.Diagnostic]:
    found = await until(lambda: [p for p in client.published
                                 if p.uri == uri and p.version == version],
                        f"diagnostics for version {version} of {uri}", timeout)
    return list(found[-1].diagnostics)


# -- documents ---------------------------------------------------------------------------------


@SERVER_LOOP
async def test_random_bytes_as_a_document(client: GustClient, tmp_path: Path) -> None:
    rng = random.Random(11)
    for i, decode in enumerate(("utf-8", "latin-1")):
        data = bytes(rng.randrange(256) for _ in range(20_000))
        text = data.decode(decode, errors="replace")
        uri = (tmp_path / f"bytes{i}.gust").as_uri()
        open_doc(client, uri, text)
        diags = await published(client, uri, 1)
        assert diags  # random bytes are not a program: the user is told where
        rustc_style(diags)
        for _ in range(3):
            line = rng.randrange(text.count("\n") + 1)
            await ask_everything(client, uri, lsp.Position(line=line, character=0),
                                 lsp.Position(line=line + 5, character=3))
    no_internal_errors(client)


@SERVER_LOOP
async def test_a_5_mb_file(client: GustClient, tmp_path: Path) -> None:
    filler = "// " + "filler text é😀 " * 6 + "\n"
    body = filler * (5_000_000 // len(filler.encode()))
    text = body + 'fn main() {\n    let x: i32 = "no";\n    println!("{}", x);\n}\n'
    assert len(text.encode()) >= 4_900_000
    last = text.count("\n")
    uri = (tmp_path / "big.gust").as_uri()
    open_doc(client, uri, text)
    diags = await published(client, uri, 1)
    assert [(d.code, d.range.start.line) for d in diags] == [("E0308", last - 3)]
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=last - 2, character=19)))
    assert hover is not None and "i32" in str(hover.contents)
    # An edit at the end: the mismatch is fixed.
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=last - 3, character=17),
                            end=lsp.Position(line=last - 3, character=21)), text="7")]))
    assert await published(client, uri, 2) == []
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    no_internal_errors(client)


DEPTH = 10_000
NESTED = {
    "parens": "fn main() {\n    let x = " + "(" * DEPTH + "1" + ")" * DEPTH + ";\n}\n",
    "blocks": "fn main() {\n    let x = " + "{" * DEPTH + "1" + "}" * DEPTH + ";\n}\n",
    "generics": "fn main() {\n    let x: " + "Vec<" * DEPTH + "i32" + ">" * DEPTH +
                " = Vec::new();\n}\n",
    "ifs": "fn main() {\n" + "if true { " * DEPTH + "}" * DEPTH + "\n}\n",
    "unclosed": "fn main() {\n" + "([" * DEPTH + "\n",
}


@pytest.mark.parametrize("kind", sorted(NESTED))
@SERVER_LOOP
async def test_10000_deep_nesting(client: GustClient, tmp_path: Path, kind: str) -> None:
    text = NESTED[kind]
    uri = (tmp_path / f"deep_{kind}.gust").as_uri()
    open_doc(client, uri, text)
    diags = await published(client, uri, 1)
    assert diags, "such nesting is an error the user is told about"
    rustc_style(diags)
    middle = lsp.Position(line=1, character=DEPTH // 2)
    await ask_everything(client, uri, middle, lsp.Position(line=2, character=0))
    no_internal_errors(client)


@SERVER_LOOP
async def test_positions_past_the_end_and_huge(client: GustClient, tmp_path: Path) -> None:
    text = "fn main() {\n    let v = vec![1, 2];\n    println!(\"{}\", v.len());\n}\n"
    uri = (tmp_path / "ends.gust").as_uri()
    open_doc(client, uri, text)
    await published(client, uri, 1)
    for start, end in [((4, 0), (4, 0)), ((1, 500), (2, 900)), ((100, 3), (200, 0)),
                       ((MAX_UINT, MAX_UINT), (MAX_UINT, MAX_UINT)), ((0, MAX_UINT), (1, 0)),
                       ((3, 1), (0, 0))]:
        await ask_everything(client, uri, lsp.Position(*start), lsp.Position(*end))
    # Edits there append (or clamp), and the text stays what the client has.
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=MAX_UINT, character=MAX_UINT),
                            end=lsp.Position(line=MAX_UINT, character=MAX_UINT)),
            text="// end\n")]))
    assert await published(client, uri, 2) == []
    answer = await client.protocol.send_request_async(
        "gust/debug/documentText", {"textDocument": {"uri": uri}})
    assert answer.text == text + "// end\n"
    no_internal_errors(client)


@SERVER_LOOP
async def test_unknown_uris(client: GustClient, tmp_path: Path) -> None:
    origin = lsp.Position(line=0, character=0)
    for uri in [(tmp_path / "never_opened.gust").as_uri(), "untitled:Untitled-1",
                "file:///no/such/dir/x.gust", "http://example.com/x.gust", "not a uri",
                "file://%zz/bad%escape.gust", ""]:
        await ask_everything(client, uri, origin, origin)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=origin, end=origin), text="x")]))
        client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
    # Documents whose URI is not a file still work (an unsaved buffer).
    open_doc(client, "untitled:Untitled-2", "fn main() {\n    let x: i32 = true;\n}\n")
    diags = await published(client, "untitled:Untitled-2", 1)
    assert [d.code for d in diags] == ["E0308"]
    no_internal_errors(client)


# -- the wire -------------------------------------------------------------------------------


class RawServer:
    """gust-lsp as a subprocess, spoken to byte by byte."""

    def __init__(self, read_stderr: bool = True) -> None:
        self.proc = subprocess.Popen([*SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.received: list[dict[str, Any]] = []
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        if read_stderr:
            self.read_stderr()

    def read_stderr(self) -> None:
        """Start reading the server's stderr (a client that never does lets the pipe fill)."""
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            self._read_messages(out)
        except (OSError, ValueError):
            return  # the test closed the pipe (a client that vanishes)

    def _read_messages(self, out: Any) -> None:
        while True:
            headers: dict[str, str] = {}
            while (line := out.readline()) not in (b"\r\n", b""):
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            if not line:
                return
            self.received.append(json.loads(out.read(int(headers["content-length"]))))

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        while chunk := self.proc.stderr.read1(65536):
            self.stderr += chunk

    def send_bytes(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        body = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, msg_id: Any, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})

    def answer(self, msg_id: Any, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.received:
                if "method" not in m and m.get("id") == msg_id:
                    return m
            time.sleep(0.01)
        raise AssertionError(f"no answer to {msg_id!r}; received {self.received}")

    def initialize(self) -> None:
        self.request("init", "initialize", {"capabilities": {}, "processId": None})
        assert "result" in self.answer("init")
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def alive(self, msg_id: str) -> None:
        """The server still answers a valid request."""
        self.request(msg_id, "gust/explain", {"code": "E0382"})
        assert self.answer(msg_id)["result"]["code"] == "E0382"

    def finish(self, timeout: float = 60.0) -> int:
        """Close the client's end (as a client that exits does) and wait for the exit."""
        if self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

    def errors_logged(self) -> list[str]:
        return [m["params"]["message"] for m in self.received
                if m.get("method") == "window/logMessage" and m["params"]["type"] == 1]


def no_traceback(server: RawServer) -> None:
    time.sleep(0.2)  # the stderr thread catches up
    err = server.stderr.decode(errors="replace")
    assert "Traceback" not in err and "Exception" not in err, err


def test_requests_before_initialize_are_refused() -> None:
    server = RawServer()
    position = {"line": 0, "character": 0}
    server.request(1, "textDocument/hover", {"textDocument": {"uri": "file:///x.gust"},
                                             "position": position})
    server.request(2, "gust/explain", {"code": "E0382"})
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": "file:///x.gust", "languageId": "gust", "version": 1,
                         "text": "fn main() {}\n"}}})
    assert server.answer(1)["error"]["code"] == SERVER_NOT_INITIALIZED
    assert server.answer(2)["error"]["code"] == SERVER_NOT_INITIALIZED
    server.initialize()
    server.alive("after")
    # The didOpen sent before initialize was dropped: the document is not open.
    server.request(3, GENERATED_GO, {"textDocument": {"uri": "file:///x.gust"}})
    assert server.answer(3)["error"]["code"] == INVALID_PARAMS
    assert server.finish() == 0
    no_traceback(server)


def test_malformed_messages_are_answered_and_the_server_keeps_serving() -> None:
    server = RawServer()
    server.initialize()
    hover = "textDocument/hover"
    uri = {"uri": "file:///x.gust"}
    server.send(b"{not json")
    server.send(b"\xff\xfe{\"id\": 1}")  # not UTF-8
    server.send(b"[1, 2, 3]")
    server.send(b"\"a string\"")
    server.send(b"42")
    server.request(10, hover, {"textDocument": 5, "position": {"line": 0, "character": 0}})
    server.request(11, hover, {"textDocument": uri, "position": {"line": -5, "character": 0}})
    server.request(12, hover, {"textDocument": uri,
                               "position": {"line": 2**64, "character": 1e308}})
    server.request(13, hover, {"textDocument": uri, "position": "here"})
    server.request(14, hover, None)
    server.request({"an": "object"}, hover, {})
    server.request(15, "gust/generatedGo", {"textDocument": {"uri": 7}})
    server.request(16, "gust/loans", {"textDocument": uri, "position": {"line": "x"}})
    server.send({"jsonrpc": "2.0", "id": 17})  # neither request nor response
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": 5, "version": "one", "text": None}}})
    server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                 "params": {"textDocument": uri, "contentChanges": "all"}})
    server.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": []}})
    # Without a Content-Length, a message is skipped up to the next header.
    server.send_bytes(b'{"jsonrpc": "2.0", "id": 18, "method": "shutdown"}\r\n')
    server.send_bytes(b"Content-Length: many\r\n\r\n")
    server.send_bytes(b"Content-Length: 0\r\n\r\n")
    server.alive("after")
    for msg_id in (10, 11, 12, 13, 15, 16, {"an": "object"}):
        assert server.answer(msg_id)["error"]["code"] == INVALID_PARAMS, msg_id
    parse_errors = [m for m in server.received
                    if m.get("error", {}).get("code") == PARSE_ERROR]
    assert len(parse_errors) >= 2 and all(m["id"] is None for m in parse_errors)
    assert server.proc.poll() is None
    assert not server.errors_logged()
    assert server.finish() == 0
    no_traceback(server)


def test_a_client_that_never_reads_stderr_still_gets_answers() -> None:
    # pygls' own client and many scripts leave the server's stderr on a pipe nobody reads:
    # 64 KiB of log later, a server that writes its log from the thread that serves would
    # block on it for good. 3,000 notifications before `initialize` are 3,000 warnings.
    server = RawServer(read_stderr=False)

    def warnings_then_requests() -> None:
        for n in range(3000):
            server.send({"jsonrpc": "2.0", "method": "textDocument/didSave",
                         "params": {"textDocument": {"uri": f"file:///early{n}.gust"}}})
        server.initialize()
        server.alive("after the warnings")
        # A cancel of a request answered already is routine (LSP): answered, not logged.
        for n in range(500):
            server.request(f"explain{n}", "gust/explain", {"code": "E0382"})
            server.answer(f"explain{n}")
            server.send({"jsonrpc": "2.0", "method": "$/cancelRequest",
                         "params": {"id": f"explain{n}"}})
        server.alive("after the cancels")

    # A blocked server stops reading stdin too, so the client's writes would block: the
    # client works in a thread the test stops waiting for.
    client = threading.Thread(target=warnings_then_requests, daemon=True)
    client.start()
    client.join(120)
    server.read_stderr()
    assert not client.is_alive(), "the server stopped answering: blocked on its full stderr"
    assert server.finish() == 0
    time.sleep(0.2)  # the stderr thread catches up
    log = server.stderr.decode()
    assert "ignored textDocument/didSave: the server is not initialized yet" in log
    assert "log records dropped: stderr was not read" in log
    assert "explain" not in log, log[-2000:]


def test_a_client_that_never_reads_stderr_can_still_close_the_server() -> None:
    """The client closes the pipes with the server's stderr full and never read: the server
    exits at once, status 0. It used to hang for good (`logging.shutdown` waited for the
    writer, blocked on the pipe), or, with a full queue of records, to die on `queue.Full`
    with status 1 (seen once in the full suite; one run in six under load)."""
    server = RawServer(read_stderr=False)
    for n in range(3000):
        server.send({"jsonrpc": "2.0", "method": "textDocument/didSave",
                     "params": {"textDocument": {"uri": f"file:///early{n}.gust"}}})
    server.initialize()
    server.alive("after the warnings")
    start = time.monotonic()
    assert server.finish(timeout=30) == 0
    assert time.monotonic() - start < 10


SLOW = "".join(f"fn f{i}(n: i32) -> i32 {{\n    let mut acc = n;\n    for k in 0..{i % 7 + 2} "
               f"{{\n        acc = acc * 3 + k;\n    }}\n    acc % 1000\n}}\n"
               for i in range(400)) + "fn main() {\n    println!(\"{}\", f1(2));\n}\n"


@pytest.mark.parametrize("closes", ["stdin", "both"])
def test_a_client_that_vanishes_mid_request(closes: str) -> None:
    server = RawServer()
    server.initialize()
    uri = "file:///vanish/main.gust"
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "gust", "version": 1, "text": SLOW}}})
    for i in range(5):
        server.request(i, "textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 7 * i, "character": 8}})
        server.request(f"go{i}", GENERATED_GO, {"textDocument": {"uri": uri}})
    if closes == "both" and server.proc.stdout is not None:
        server.proc.stdout.close()  # nobody reads the answers any more
    assert server.finish() == 0
    no_traceback(server)
