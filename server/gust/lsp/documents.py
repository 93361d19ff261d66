"""Open documents as the client sees them: text, version and line index.

The server keeps its own copy of each open document instead of pygls' workspace: pygls'
incremental-change code mutates the change params when a position is past the end of a line
and raises on some malformed ranges, and a failed edit there would silently desynchronise
our text from the user's. Here every edit is applied with `LineIndex`, whose UTF-16
conversions clamp out-of-range positions, so an edit can never fail.
"""

from __future__ import annotations

from dataclasses import field

from lsprotocol import types as lsp

from gust.frozen import dataclass
from gust.text import LineIndex
from gust.text import Position as TextPosition


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One version of a document's text, as one value: the analysis thread reads a document
    while the event loop applies edits to it, and must never see the text of one version
    with the number of another."""

    text: str
    version: int
    # Counts local updates, so a result can be matched to the exact text it was computed
    # from even if a client reuses or lowers version numbers.
    seq: int
    _index: list[LineIndex] = field(default_factory=list, repr=False)

    @property
    def index(self) -> LineIndex:
        """The line index of this text, built on first use (a race between threads builds
        it twice, harmlessly)."""
        if not self._index:
            self._index.append(LineIndex(self.text))
        return self._index[0]


class Document:
    """One open document: its URI, path and current `Snapshot`.

    Edits replace the snapshot with one assignment, so a reader on another thread that takes
    `doc.snapshot` once gets a consistent text, version, seq and index. (`text`, `version`,
    `seq` and `index` read the current snapshot each time: code that reads several of them
    while edits may arrive takes the snapshot instead.)"""

    def __init__(self, uri: str, path: str, text: str, version: int,
                 language_id: str = "gust") -> None:
        self.uri = uri
        self.path = path
        self.language_id = language_id
        self.snapshot = Snapshot(text, version, 0)

    @property
    def text(self) -> str:
        return self.snapshot.text

    @property
    def version(self) -> int:
        return self.snapshot.version

    @property
    def seq(self) -> int:
        return self.snapshot.seq

    @property
    def index(self) -> LineIndex:
        """The line index of the current text."""
        return self.snapshot.index

    def replace(self, text: str, version: int) -> None:
        """Set the whole text (didOpen, or a full-text change)."""
        self.snapshot = Snapshot(text, version, self.snapshot.seq + 1)

    def apply_changes(self, changes: list[lsp.TextDocumentContentChangeEvent],
                      version: int) -> None:
        """Apply a didChange's edits in order, each against the text left by the previous."""
        old = self.snapshot
        text = old.text
        index: LineIndex | None = old.index if old._index else None
        for change in changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                if index is None or index.text is not text:
                    index = LineIndex(text)
                start = offset_at(index, change.range.start)
                end = offset_at(index, change.range.end)
                if end < start:
                    start, end = end, start
                text = text[:start] + change.text + text[end:]
            else:
                text = change.text
        known = [index] if index is not None and index.text is text else []
        self.snapshot = Snapshot(text, version, old.seq + 1, known)


def offset_at(index: LineIndex, position: lsp.Position) -> int:
    """The text offset of an LSP (UTF-16) position, clamped into the text."""
    return index.offset_of_utf16(position.line, position.character)


def lsp_position(index: LineIndex, offset: int) -> lsp.Position:
    """The LSP (UTF-16) position of a text offset."""
    pos: TextPosition = index.utf16_position(offset)
    return lsp.Position(line=pos.line, character=pos.column)


def lsp_range(index: LineIndex, start: int, end: int) -> lsp.Range:
    """The LSP range of the offsets [start, end)."""
    return lsp.Range(start=lsp_position(index, start), end=lsp_position(index, end))


class DocumentStore:
    """The open documents, by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def open(self, uri: str, path: str, text: str, version: int, language_id: str) -> Document:
        """Open (or re-open, replacing) a document."""
        doc = self._docs.get(uri)
        if doc is None:
            doc = Document(uri, path, text, version, language_id)
            self._docs[uri] = doc
        else:
            doc.replace(text, version)
        return doc

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def close(self, uri: str) -> Document | None:
        return self._docs.pop(uri, None)

    def __len__(self) -> int:
        return len(self._docs)

    def all(self) -> list[Document]:
        return list(self._docs.values())
