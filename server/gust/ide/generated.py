"""The Go generated for one file, as plain data.

Each item's Go chunk is emitted and cached by the analysis itself (`ItemAnalysis.go`, keyed
like the type-check results: item text and environment key), so typing inside one function
re-emits that function only; here the file is assembled from the chunks
(`gust.codegen.assemble`), which places each chunk at its item's line for the `//line`
directives and its offset for the source map (`go_ranges_for`, `gust_range_for`: the
generated-Go view reveals the Go of the cursor's statement, and the other way round).

No I/O, no LSP types: the server decides when to compute it and what to send.
"""

from __future__ import annotations

from dataclasses import field

from gust.codegen import GoChunk, GoFile, Placed, assemble
from gust.codegen.package_names import go_package_name, is_library
from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis, ItemAnalysis
from gust.text import LineIndex, Span

# The text when there is no Go to show: a Go comment, so a client can always display `text`
# as a Go file.
NO_GO_ERRORS = "// No Go yet: {name} has errors. Fix them to see the generated Go.\n"
# When the analysis of an item ran out of its time budget (gust.budget), while checking
# it or generating its Go: the file's Go without that item would not build, so none.
NO_GO_BUDGET = ("// No Go: the analysis of {names} took longer than its time budget\n"
                "// (the gust.analysis.timeBudget setting; `gust build` has no time limit).\n")


@dataclass(frozen=True, slots=True)
class GeneratedGo:
    """`text` is the Go for the file when `ok`; otherwise a Go comment saying why not.
    `file` is the assembled Go (with what `source_map` needs) when `ok`."""

    text: str
    ok: bool
    file: GoFile | None = field(default=None, compare=False, repr=False)


def generated_go(analysis: FileAnalysis) -> GeneratedGo:
    """The Go for `analysis`'s file, or why there is none.

    A file with errors gets no Go: codegen assumes a checked program, and half-generated
    Go would only mislead. The caller keeps the last good Go for that case.
    """
    if analysis.has_errors:
        name = analysis.path.replace("\\", "/").rsplit("/", 1)[-1] or "this file"
        return GeneratedGo(NO_GO_ERRORS.format(name=name), ok=False)
    slow = _gave_up_names(analysis)
    if slow:
        return GeneratedGo(NO_GO_BUDGET.format(names=", ".join(f"`{n}`" for n in slow)),
                           ok=False)
    go = generate_file(analysis)
    return GeneratedGo(go.text, ok=True, file=go)


def _gave_up_names(analysis: FileAnalysis) -> list[str]:
    """The items whose analysis ran out of time (by name), in file order: they have no
    Go."""
    return [str(getattr(item.node.item, "name", "an item")) for item in analysis.items
            if item.gave_up or item.go_gave_up]


def _has_go(analysis: FileAnalysis) -> bool:
    """Whether the file has Go (`generated_go` is ok)."""
    return not analysis.has_errors and not _gave_up_names(analysis)


def source_map(analysis: FileAnalysis, go: GoFile, index: LineIndex | None = None
               ) -> list[int]:
    """Where each line of `go` (the Go of `analysis`, from `generate_file`) comes from, as
    the editor wants it: flat, 5 integers per Go line that comes from a Gust construct
    (statement, expression-position `if`/`match`/block, match arm or item): the Go line,
    then the construct's range in the Gust text as LSP positions (start line, start
    character, end line, end character; characters in UTF-16 code units), in Go order.

    Each item's entries are worked out relative to its first Go and Gust lines, and cached
    with the item's analysis: after a keystroke only the edited item's are computed again,
    the others are shifted. `index` is the `LineIndex` of `analysis.text`, if the caller
    has it."""
    items = {item.offset: item for item in analysis.items if item.go is not None}
    text_index = index
    out: list[int] = []
    for part in go.parts:
        item = items.get(part.item_offset) if part.item_offset is not None else None
        if item is None:
            continue
        if text_index is None:
            text_index = LineIndex(analysis.text)
        column = text_index.utf16_position(item.offset).column
        go_line, gust_line = part.go_line, part.gust_line
        for rel_go, start_line, start_char, end_line, end_char in \
                _ItemPositions.of(item, column).entries(part):
            out += (go_line + rel_go, gust_line + start_line, start_char,
                    gust_line + end_line, end_char)
    return out


@dataclass
class _ItemPositions:
    """An item's spans as LSP positions relative to its first line (characters on that
    line counted from the start of the file's line, which starts `column` UTF-16 units
    before the item); cached in the item's memo."""

    column: int
    index: LineIndex
    spans: dict[Span, tuple[int, int, int, int]]
    # The source map entries of the item's part of the Go file (`Placed.piece`), relative.
    _entries: tuple[object, list[tuple[int, int, int, int, int]]] | None = None

    @staticmethod
    def of(item: ItemAnalysis, column: int) -> _ItemPositions:
        found = item.memo.get("go_positions")
        if not isinstance(found, _ItemPositions) or found.column != column:
            found = _ItemPositions(column, LineIndex(item.node.parsed.text), {})
            item.memo["go_positions"] = found
        return found

    def entries(self, part: Placed) -> list[tuple[int, int, int, int, int]]:
        """The entries of the item's part: (Go line in the part, then the positions)."""
        if self._entries is None or self._entries[0] is not part.piece:
            self._entries = (part.piece, [
                (i, *self.of_span(span)) for i, span in enumerate(part.spans()) if span])
        return self._entries[1]

    def of_span(self, span: Span) -> tuple[int, int, int, int]:
        found = self.spans.get(span)
        if found is None:
            start, end = self.index.utf16_position(span.start), \
                self.index.utf16_position(span.end)
            found = self.spans[span] = (
                start.line, start.column + (self.column if start.line == 0 else 0),
                end.line, end.column + (self.column if end.line == 0 else 0))
        return found


def go_package_of(analysis: FileAnalysis) -> str:
    """The Go package a file's package becomes: `main` for a program (it has `fn main`),
    else a library named after the file's directory (gust.codegen.package_names)."""
    if not is_library(analysis.env):
        return "main"
    path = analysis.path.replace("\\", "/")
    parts = [p for p in path.split("/")[:-1] if p not in ("", ".")]
    if not parts or parts[-1] == "..":  # no directory named: the file's own name
        return go_package_name(path.rsplit("/", 1)[-1].removesuffix(".gust"))
    return go_package_name(parts[-1])


def generate_file(analysis: FileAnalysis, package: str | None = None,
                  line_path: str | None = None) -> GoFile:
    """The Go file for a file without errors (`gust build`, and `generated_go`), in Go
    package `package` (default: `go_package_of(analysis)`); `line_path` names the .gust
    file in `//line` directives (gust.codegen.assemble)."""
    items = [item for item in analysis.items if item.go is not None]
    lines = _lines_of(analysis.text, [item.offset for item in items])
    chunks: list[tuple[int, GoChunk]] = []
    for item, line in zip(items, lines, strict=True):
        assert item.go is not None
        chunks.append((line, item.go))
    if package is None:
        package = go_package_of(analysis)
    # Each item's part of the file is cached with its analysis (its memo).
    return assemble(chunks, analysis.path, package=package,
                    offsets=[item.offset for item in items],
                    memos=[item.memo for item in items], line_path=line_path)


def go_ranges_for(analysis: FileAnalysis, offset: int) -> list[Span]:
    """Where the Go for the Gust construct at `offset` (a statement, match arm or item) is
    in `generated_go(analysis).text`: one span per Go line. Empty when the file has no Go
    (errors, or an item's Go ran out of time) or nothing at `offset` generates Go (a comment, a blank line)."""
    if not _has_go(analysis):
        return []
    return generate_file(analysis).go_ranges(offset)


def gust_range_for(analysis: FileAnalysis, go_offset: int) -> Span | None:
    """The span of the Gust construct that the Go line at `go_offset` (an offset in
    `generated_go(analysis).text`) comes from; None for Go of its own (a `}`, imports)."""
    if not _has_go(analysis):
        return None
    return generate_file(analysis).gust_range(go_offset)


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    """The 0-based lines of ascending offsets, as `LineIndex.line_of` counts them.

    Counting \\n between consecutive items runs at C speed, where building a `LineIndex`
    scans every character in Python (~13 ms for 5,000 lines, on every keystroke of a
    previewed file). Text with \\r line breaks takes the `LineIndex` path.
    """
    if "\r" in text or offsets != sorted(offsets):
        index = LineIndex(text)
        return [index.line_of(offset) for offset in offsets]
    lines: list[int] = []
    line = previous = 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines
