"""A fuzzer for the real gust-lsp, through a real LSP client (shared by tests/test_lsp_fuzz.py
and bench/lsp_fuzz.py).

One *sequence*: a test program is opened (in a directory of its own, so that it is a package
alone), then random steps follow: incremental edits (insertions and deletions of tokens drawn
from Gust's keywords, punctuation, identifiers of the program, literals, whitespace with CRLF
and lone CR, and unicode: astral-plane characters, combining marks), sometimes several in one
`didChange`, interleaved with requests (hover, completion, definition, semantic tokens, inlay
hints, `gust/generatedGo`, ...) that are left in flight while the edits go on, some of them
cancelled. Every range is valid in UTF-16 (never inside a surrogate pair or a CRLF).

After the sequence: every request was answered, with a result or ContentModified or
RequestCancelled; the server's text equals the client's (`gust/debug/documentText`); the
diagnostics published for the last version equal those of `gust check --format json` of the
same text (codes, lines, severities, messages); the server logged no error.

Everything is drawn from `random.Random(f"{seed}:{index}")` and the client's own text, so a
sequence is replayed exactly from its seed and index (`Sequence.describe` prints its steps).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import BaseLanguageClient

ROOT = Path(__file__).resolve().parents[2]
GENERATED_GO = "gust/generatedGo"
DOCUMENT_TEXT = "gust/debug/documentText"
CONTENT_MODIFIED = -32801
REQUEST_CANCELLED = -32800
WAIT_S = 60.0  # a loaded machine: a healthy server answers in milliseconds

KEYWORDS = ("fn", "let", "mut", "if", "else", "match", "while", "for", "in", "loop", "return",
            "struct", "enum", "impl", "trait", "use", "mod", "pub", "self", "Self", "as",
            "ref", "move", "break", "continue", "const", "static", "type", "where", "dyn",
            "true", "false", "unsafe", "go", "i32", "String", "Vec", "Option", "Some", "None",
            "Ok", "Err", "Box", "println!", "vec!", "format!")
PUNCTUATION = ("{", "}", "(", ")", "[", "]", "<", ">", ";", ":", "::", ",", ".", "..", "..=",
               "->", "=>", "=", "==", "!=", "+", "-", "*", "/", "%", "&", "&&", "|", "||",
               "!", "?", "'", "\"", "#", "@", "_", "&mut ", "<<", ">>", "/*", "*/", "//")
LITERALS = ("0", "1", "42", "2.5", "1e9", "0x1f", "\"s\"", "'c'", "\"é😀\"", "b'a'",
            "999999999999999999999999", "1_000", "r\"raw\"")
WHITESPACE = (" ", " ", "  ", "\n", "\n", "\r\n", "\r\n", "\t", "\r")
UNICODE = ("😀", "🦀", "é", "e\u0301", "\u0301", "\u0308", "中文", "\u200d", "👩\u200d💻",
           "\U0001d54f", "ß", "\ufeff", "ñ", "Ω")


def line_starts(text: str) -> list[int]:
    """Where each line starts, by LSP's rule: \\n, \\r\\n or a lone \\r end a line."""
    starts = [0]
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 1
        if ch in "\r\n":
            starts.append(i + 1)
        i += 1
    return starts


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position_of(text: str, starts: list[int], offset: int) -> lsp.Position:
    """The LSP (UTF-16) position of a code-point offset (computed independently of the
    server's `LineIndex`)."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lsp.Position(line=lo, character=utf16_len(text[starts[lo]:offset]))


def valid_offset(text: str, offset: int) -> bool:
    """Whether a position can be put on the wire at `offset`: not inside a CRLF."""
    return not (0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n")


@dataclass(frozen=True)
class Edit:
    start: int  # code-point offsets into the text before the edit
    end: int
    text: str


@dataclass(frozen=True)
class Whole:
    """A change that sends the whole new text (TextDocumentContentChangeWholeDocument)."""

    text: str


@dataclass(frozen=True)
class Reopen:
    """didClose, then didOpen of the same text with the next version."""


@dataclass(frozen=True)
class Ask:
    method: str
    offset: int
    end: int  # for range requests
    cancel: bool  # send $/cancelRequest right after it
    wait: bool  # await its answer before the next step
    # Point into the middle of the astral-plane character at `offset`, if there is one
    # (a position that is not valid UTF-16, which clients do send).
    mid_surrogate: bool = False
    new_name: str = "renamed"


@dataclass
class Outcome:
    """What one request came to."""

    method: str
    result: str  # "ok", "modified", "cancelled", or the failure


@dataclass
class Sequence:
    """One sequence, as it ran: enough to replay and to explain a failure."""

    seed: str
    program: str
    steps: list[list[Edit] | Whole | Reopen | Ask] = field(default_factory=list)
    final_text: str = ""
    version: int = 1
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def edits(self) -> int:
        return sum(len(s) if isinstance(s, list) else 1 for s in self.steps
                   if isinstance(s, list | Whole))

    @property
    def requests(self) -> int:
        return len(self.outcomes)

    def describe(self) -> str:
        lines = [f"sequence seed={self.seed!r} program={self.program}"]
        for step in self.steps:
            lines.append(f"  {step!r}")
        lines.append(f"  final text: {self.final_text!r}")
        return "\n".join(lines)


class FuzzFailure(AssertionError):
    pass


def programs() -> list[Path]:
    """Every test program: tests/programs/*.gust and tests/ui/**/*.gust, in a stable order."""
    found = sorted((ROOT / "tests" / "programs").glob("*.gust"))
    found += sorted((ROOT / "tests" / "ui").rglob("*.gust"))
    return found


class Generator:
    """Draws the steps of one sequence from its rng and the client's current text."""

    def __init__(self, rng: random.Random, text: str) -> None:
        self.rng = rng
        idents = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)))
        self.idents = tuple(idents) or ("x",)

    def token(self) -> str:
        r = self.rng.random()
        pool: tuple[str, ...]
        if r < 0.2:
            pool = KEYWORDS
        elif r < 0.45:
            pool = PUNCTUATION
        elif r < 0.6:
            pool = self.idents
        elif r < 0.7:
            pool = LITERALS
        elif r < 0.85:
            pool = WHITESPACE
        else:
            pool = UNICODE
        return self.rng.choice(pool)

    def offset(self, text: str) -> int:
        while True:
            offset = self.rng.randint(0, len(text))
            if valid_offset(text, offset):
                return offset

    def edit(self, text: str) -> Edit:
        start = self.offset(text)
        kind = self.rng.random()
        if kind < 0.55 or not text:  # insert
            return Edit(start, start, "".join(self.token() for _ in
                                              range(self.rng.choice((1, 1, 1, 2, 3)))))
        length = self.rng.choice((1, 1, 2, 3, 5, 10, 40))
        end = min(len(text), start + length)
        while not valid_offset(text, end):
            end += 1
        if kind < 0.85:  # delete
            return Edit(start, end, "")
        return Edit(start, end, self.token())  # replace

    def ask(self, text: str) -> Ask:
        method = self.rng.choice(ASKS)
        start, end = sorted((self.offset(text), self.offset(text)))
        return Ask(method, start, end, cancel=self.rng.random() < 0.1,
                   wait=self.rng.random() < 0.3, mid_surrogate=self.rng.random() < 0.1,
                   new_name=self.rng.choice((*self.idents, "9bad", "fn", "😀")))


ASKS = (lsp.TEXT_DOCUMENT_HOVER, lsp.TEXT_DOCUMENT_HOVER, lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.TEXT_DOCUMENT_DEFINITION,
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE,
        lsp.TEXT_DOCUMENT_INLAY_HINT, GENERATED_GO, lsp.TEXT_DOCUMENT_SIGNATURE_HELP,
        lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, lsp.TEXT_DOCUMENT_REFERENCES,
        lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, lsp.TEXT_DOCUMENT_FOLDING_RANGE,
        lsp.TEXT_DOCUMENT_SELECTION_RANGE, lsp.TEXT_DOCUMENT_FORMATTING,
        lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.TEXT_DOCUMENT_TYPE_DEFINITION,
        lsp.TEXT_DOCUMENT_PREPARE_RENAME, lsp.TEXT_DOCUMENT_RENAME,
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
# Refusals a user sees as a message: a rename of something that cannot be renamed.
REQUEST_FAILED = -32803
MAY_REFUSE = (lsp.TEXT_DOCUMENT_PREPARE_RENAME, lsp.TEXT_DOCUMENT_RENAME)


def params_of(method: str, uri: str, start: lsp.Position, end: lsp.Position,
              new_name: str = "renamed") -> Any:
    doc = lsp.TextDocumentIdentifier(uri=uri)
    rng = lsp.Range(start=start, end=end)
    if method == lsp.TEXT_DOCUMENT_RENAME:
        return lsp.RenameParams(text_document=doc, position=start, new_name=new_name)
    if method == lsp.TEXT_DOCUMENT_PREPARE_RENAME:
        return lsp.PrepareRenameParams(text_document=doc, position=start)
    if method == lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA:
        return lsp.SemanticTokensDeltaParams(text_document=doc, previous_result_id="1")
    if method == lsp.TEXT_DOCUMENT_RANGE_FORMATTING:
        return lsp.DocumentRangeFormattingParams(
            text_document=doc, range=rng,
            options=lsp.FormattingOptions(tab_size=4, insert_spaces=True))
    if method == GENERATED_GO:
        return {"textDocument": {"uri": uri}}
    if method in (lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,):
        return lsp.SemanticTokensParams(text_document=doc)
    if method == lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE:
        return lsp.SemanticTokensRangeParams(text_document=doc, range=rng)
    if method == lsp.TEXT_DOCUMENT_INLAY_HINT:
        return lsp.InlayHintParams(text_document=doc, range=rng)
    if method == lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL:
        return lsp.DocumentSymbolParams(text_document=doc)
    if method == lsp.TEXT_DOCUMENT_FOLDING_RANGE:
        return lsp.FoldingRangeParams(text_document=doc)
    if method == lsp.TEXT_DOCUMENT_SELECTION_RANGE:
        return lsp.SelectionRangeParams(text_document=doc, positions=[start, end])
    if method == lsp.TEXT_DOCUMENT_FORMATTING:
        return lsp.DocumentFormattingParams(
            text_document=doc, options=lsp.FormattingOptions(tab_size=4, insert_spaces=True))
    if method == lsp.TEXT_DOCUMENT_CODE_ACTION:
        return lsp.CodeActionParams(text_document=doc, range=rng,
                                    context=lsp.CodeActionContext(diagnostics=[]))
    if method == lsp.TEXT_DOCUMENT_REFERENCES:
        return lsp.ReferenceParams(text_document=doc, position=start,
                                   context=lsp.ReferenceContext(include_declaration=True))
    if method == lsp.TEXT_DOCUMENT_COMPLETION:
        return lsp.CompletionParams(text_document=doc, position=start)
    if method == lsp.TEXT_DOCUMENT_SIGNATURE_HELP:
        return lsp.SignatureHelpParams(text_document=doc, position=start)
    cls = {lsp.TEXT_DOCUMENT_HOVER: lsp.HoverParams,
           lsp.TEXT_DOCUMENT_DEFINITION: lsp.DefinitionParams,
           lsp.TEXT_DOCUMENT_TYPE_DEFINITION: lsp.TypeDefinitionParams,
           lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT: lsp.DocumentHighlightParams}[method]
    return cls(text_document=doc, position=start)


class Fuzzer:
    """Runs sequences against one server through `client`; `published` and `logs` are the
    client's records of publishDiagnostics and window/logMessage (appended to as they come)."""

    def __init__(self, client: BaseLanguageClient, published: list[lsp.PublishDiagnosticsParams],
                 logs: list[lsp.LogMessageParams], workdir: Path, seed: int) -> None:
        self.client = client
        self.published = published
        self.logs = logs
        self.workdir = workdir
        self.seed = seed
        self.done: list[Sequence] = []

    async def run(self, index: int, program: Path, steps: int) -> Sequence:
        """One sequence over `program`; raises FuzzFailure (with the sequence) if the
        server misbehaved (the diagnostics are compared by `check_diagnostics`)."""
        seq = Sequence(f"{self.seed}:{index}", str(program.relative_to(ROOT)))
        rng = random.Random(seq.seed)
        text = program.read_bytes().decode("utf-8", errors="replace")
        directory = self.workdir / f"s{index}"
        directory.mkdir(parents=True, exist_ok=True)
        uri = (directory / program.name).as_uri()
        gen = Generator(rng, text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="gust", version=1,
                                               text=text)))
        pending: list[asyncio.Task[Outcome]] = []
        version = 1
        try:
            for _ in range(steps):
                roll = rng.random()
                if roll < 0.03:
                    version += 1
                    seq.steps.append(Reopen())
                    self._reopen(uri, text, version)
                elif roll < 0.06:
                    edits = [gen.edit(text) for _ in range(3)]
                    whole = text
                    for e in sorted(edits, key=lambda e: -e.start):
                        if e.end <= len(whole):
                            whole = whole[:e.start] + e.text + whole[e.end:]
                    text = whole
                    version += 1
                    seq.steps.append(Whole(text))
                    self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri,
                                                                          version=version),
                        content_changes=[lsp.TextDocumentContentChangeWholeDocument(
                            text=text)]))
                elif roll < 0.6:
                    # Each edit of a batch applies to the text the previous one left.
                    batch: list[Edit] = []
                    changes = []
                    for _ in range(rng.choice((1, 1, 1, 2, 4))):
                        e = gen.edit(text)
                        starts = line_starts(text)
                        changes.append(lsp.TextDocumentContentChangePartial(
                            range=lsp.Range(start=position_of(text, starts, e.start),
                                            end=position_of(text, starts, e.end)),
                            text=e.text))
                        text = text[:e.start] + e.text + text[e.end:]
                        batch.append(e)
                    version += 1
                    seq.steps.append(batch)
                    self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri,
                                                                          version=version),
                        content_changes=changes))
                else:
                    ask = gen.ask(text)
                    seq.steps.append(ask)
                    starts = line_starts(text)
                    start = position_of(text, starts, ask.offset)
                    if ask.mid_surrogate and ask.offset < len(text) and \
                            ord(text[ask.offset]) > 0xFFFF:
                        start = lsp.Position(line=start.line, character=start.character + 1)
                    task = asyncio.ensure_future(self._request(
                        ask, params_of(ask.method, uri, start,
                                       position_of(text, starts, ask.end), ask.new_name)))
                    pending.append(task)
                    if ask.wait:
                        await task
            seq.outcomes = list(await asyncio.wait_for(asyncio.gather(*pending), WAIT_S))
            seq.final_text, seq.version = text, version
            await self._settle(seq, uri, text, version)
        except FuzzFailure as exc:
            raise FuzzFailure(f"{exc}\n{seq.describe()}") from None
        except TimeoutError:
            raise FuzzFailure(f"timed out (server dead or stuck?)\n{seq.describe()}") from None
        finally:
            for task in pending:
                task.cancel()
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        self.done.append(seq)
        return seq

    def _reopen(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="gust", version=version,
                                               text=text)))

    async def _request(self, ask: Ask, params: Any) -> Outcome:
        msg_id = str(uuid.uuid4())
        future = self.client.protocol.send_request_async(ask.method, params, msg_id=msg_id)
        if ask.cancel:
            self.client.protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id=msg_id))
        try:
            await asyncio.wait_for(future, WAIT_S)
        except JsonRpcException as exc:
            if exc.code == CONTENT_MODIFIED:
                return Outcome(ask.method, "modified")
            if exc.code == REQUEST_CANCELLED:
                return Outcome(ask.method, "cancelled")
            if exc.code == REQUEST_FAILED and ask.method in MAY_REFUSE:
                return Outcome(ask.method, "ok")
            raise FuzzFailure(f"{ask} failed: {exc.code} {exc}") from None
        except Exception as exc:
            raise FuzzFailure(f"{ask} failed: {exc!r}") from None
        return Outcome(ask.method, "ok")

    async def _settle(self, seq: Sequence, uri: str, text: str, version: int) -> None:
        """The checks after a sequence, except the comparison with `gust check`."""
        answer = await asyncio.wait_for(self.client.protocol.send_request_async(
            DOCUMENT_TEXT, {"textDocument": {"uri": uri}}), WAIT_S)
        server_text = answer["text"] if isinstance(answer, dict) else answer.text
        server_version = answer["version"] if isinstance(answer, dict) else answer.version
        if server_text != text or server_version != version:
            raise FuzzFailure(f"the server's text (version {server_version}) differs from "
                              f"the client's (version {version}): {server_text!r}")
        deadline = time.monotonic() + WAIT_S
        while not [p for p in self.published if p.uri == uri and p.version == version]:
            if time.monotonic() > deadline:
                raise FuzzFailure(f"no diagnostics published for version {version}")
            await asyncio.sleep(0.01)
        errors = [m.message for m in self.logs if m.type == lsp.MessageType.Error]
        if errors:
            raise FuzzFailure(f"the server logged errors: {errors}")
        seq.outcomes.append(Outcome(DOCUMENT_TEXT, "ok"))

    def published_for(self, seq: Sequence) -> list[lsp.Diagnostic]:
        uri = (self.workdir / f"s{seq.seed.split(':')[1]}" / Path(seq.program).name).as_uri()
        found = [p for p in self.published if p.uri == uri and p.version == seq.version]
        return list(found[-1].diagnostics)


SEVERITY = {lsp.DiagnosticSeverity.Error: "error", lsp.DiagnosticSeverity.Warning: "warning",
            lsp.DiagnosticSeverity.Information: "note", lsp.DiagnosticSeverity.Hint: "help"}

Key = tuple[int, str, str, str]


def lsp_keys(diags: list[lsp.Diagnostic]) -> list[Key]:
    return sorted((d.range.start.line, "" if d.code is None else str(d.code),
                   SEVERITY.get(d.severity or lsp.DiagnosticSeverity.Error, "?"),
                   d.message.split("\n")[0]) for d in diags)


def check_keys(objects: list[dict[str, Any]]) -> list[Key]:
    return sorted((int(o["line"]) - 1, o["code"] or "", str(o["severity"]), str(o["message"]))
                  for o in objects)


def gust_check(texts: list[tuple[str, str]]) -> dict[int, list[Key]]:
    """`gust check --format json` of each (file name, text), each file in its own directory
    (so that it is checked alone), in one run; the keys by position in `texts`."""
    with tempfile.TemporaryDirectory(prefix="gust-lspfuzz-check-") as tmp:
        paths = []
        for i, (name, text) in enumerate(texts):
            path = Path(tmp) / f"c{i}" / name
            path.parent.mkdir()
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
            paths.append(str(path))
        run = subprocess.run([sys.executable, "-m", "gust", "check", "--format", "json",
                              "--no-cache", "--jobs", "1", *paths],
                             capture_output=True, text=True, check=False)
        if run.returncode not in (0, 1):
            raise FuzzFailure(f"gust check failed: {run.returncode}\n{run.stderr}")
        objects = json.loads(run.stdout)
        by_file: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(texts))}
        for o in objects:
            by_file[paths.index(o["file"])].append(o)
        return {i: check_keys(objs) for i, objs in by_file.items()}


def compare_with_check(fuzzer: Fuzzer, seqs: list[Sequence]) -> None:
    """The diagnostics the server published for each sequence's last version against a
    fresh `gust check` of the same text."""
    expected = gust_check([(Path(s.program).name, s.final_text) for s in seqs])
    for i, seq in enumerate(seqs):
        got = lsp_keys(fuzzer.published_for(seq))
        if got != expected[i]:
            raise FuzzFailure(f"diagnostics differ from gust check's:\n  server: {got}\n"
                              f"  check:  {expected[i]}\n{seq.describe()}")


def pick(rng: random.Random, count: int) -> list[Path]:
    found = programs()
    return [rng.choice(found) for _ in range(count)]


def counts(seqs: list[Sequence]) -> dict[str, int]:
    outcomes = [o.result for s in seqs for o in s.outcomes]
    return {"sequences": len(seqs), "edits": sum(s.edits for s in seqs),
            "requests": len(outcomes), "ok": outcomes.count("ok"),
            "content_modified": outcomes.count("modified"),
            "cancelled": outcomes.count("cancelled")}

