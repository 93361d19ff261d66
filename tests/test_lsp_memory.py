"""Memory stays bounded over a long session (issue 11, part 4): a keystroke leaves nothing
behind in the server. bench/lsp_memory.py measures the real server's RSS over thousands of
edits (docs/performance.md); this is the cheap check of the same property, in process: the
server's objects after N more edits of one place (each analysed, with the requests an editor
sends while typing) are the objects after the first N, to the object.
"""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

import pytest

from gust.lsp.server import GustLanguageServer, create_server
from gust.lsp.worker import IDLE

TEXT = ("fn helper(n: i32) -> i32 {\n    let v = vec![n, 2];\n    let r = &v;\n    r[0] + 1\n}"
        "\n\nfn main() {\n    let x = 1;\n    println!(\"{}\", helper(x));\n}\n")
URI = "file:///nonexistent/memory/main.gust"
EDITS = 100


class _Sink:
    """The server's output: the versions of the diagnostics published so far."""

    def __init__(self) -> None:
        self.published: set[int] = set()

    def write(self, data: bytes) -> None:
        message = json.loads(data.split(b"\r\n\r\n", 1)[-1])
        if message.get("method") == "textDocument/publishDiagnostics":
            self.published.add(message["params"]["version"])

    def close(self) -> None:
        pass


class _Session:
    def __init__(self) -> None:
        self.server: GustLanguageServer = create_server()
        self.sink = _Sink()
        self.server.protocol.set_writer(self.sink)
        self.version = 1
        self.ids = 0

    def send(self, method: str, params: dict[str, Any], request: bool = False) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.ids += 1
            message["id"] = self.ids
        protocol = self.server.protocol
        protocol.handle_message(protocol.structure_message(message))

    async def keystroke(self) -> None:
        """One character typed (the value of `x` in `main`), a hover, and every tenth
        keystroke semantic tokens and the generated Go; returns once its diagnostics are out."""
        self.version += 1
        doc = {"uri": URI}
        self.send("textDocument/didChange", {
            "textDocument": {**doc, "version": self.version},
            "contentChanges": [{"range": {"start": {"line": 7, "character": 12},
                                          "end": {"line": 7, "character": 13}},
                                "text": str(self.version % 10)}]})
        self.send("textDocument/hover", {"textDocument": doc,
                                         "position": {"line": 2, "character": 9}}, True)
        if self.version % 10 == 0:
            self.send("textDocument/semanticTokens/full", {"textDocument": doc}, True)
            self.send("gust/generatedGo", {"textDocument": doc}, True)
        while self.version not in self.sink.published:
            await asyncio.sleep(0.002)

    async def objects(self) -> int:
        """The number of live objects once every job ran, counted on the analysis thread
        (whose idle collection freezes them: see gust.lsp.worker)."""
        def count() -> int:
            gc.unfreeze()
            gc.collect()
            n = len(gc.get_objects())
            gc.freeze()
            return n
        return int(await asyncio.wrap_future(self.server.worker.submit(count, priority=IDLE)))


@pytest.mark.asyncio
async def test_keystrokes_leave_no_objects_behind() -> None:
    session = _Session()
    session.send("initialize", {"capabilities": {}}, True)
    session.send("initialized", {})
    session.send("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "gust", "version": 1, "text": TEXT}})
    counts = []
    for _ in range(3):
        for _ in range(EDITS):
            await session.keystroke()
        counts.append(await session.objects())
    # Work still in flight when a round ends (under load, a request or timer of its last
    # keystrokes: about 20 objects) is not kept: it is gone once the server has been idle
    # a moment, where a leak stays.
    for _ in range(3):
        if counts[-1] - counts[1] < EDITS // 10:
            break
        await asyncio.sleep(0.5)
        counts.append(await session.objects())
    # The first round fills what is filled once; after it, a keystroke keeps nothing
    # (pygls once kept two futures per `didChange` forever: 12 objects a keystroke).
    assert counts[-1] - counts[1] < EDITS // 10, counts
    assert session.server.protocol._request_futures == {}
