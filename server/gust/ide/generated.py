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

from dataclasses import dataclass

from gust.codegen import GoChunk, GoFile, assemble
from gust.ide.analysis import FileAnalysis
from gust.text import LineIndex, Span

# The text when there is no Go to show: a Go comment, so a client can always display `text`
# as a Go file.
NO_GO_ERRORS = "// No Go yet: {name} has errors. Fix them to see the generated Go.\n"


@dataclass(frozen=True, slots=True)
class GeneratedGo:
    """`text` is the Go for the file when `ok`; otherwise a Go comment saying why not."""

    text: str
    ok: bool


def generated_go(analysis: FileAnalysis) -> GeneratedGo:
    """The Go for `analysis`'s file, or why there is none.

    A file with errors gets no Go: codegen assumes a checked program, and half-generated
    Go would only mislead. The caller keeps the last good Go for that case.
    """
    if analysis.has_errors:
        name = analysis.path.replace("\\", "/").rsplit("/", 1)[-1] or "this file"
        return GeneratedGo(NO_GO_ERRORS.format(name=name), ok=False)
    return GeneratedGo(generate_file(analysis).text, ok=True)


def generate_file(analysis: FileAnalysis) -> GoFile:
    """The Go file for a file without errors (`gust build`, and `generated_go`)."""
    items = [item for item in analysis.items if item.go is not None]
    lines = _lines_of(analysis.text, [item.offset for item in items])
    chunks: list[tuple[int, GoChunk]] = []
    for item, line in zip(items, lines, strict=True):
        assert item.go is not None
        chunks.append((line, item.go))
    return assemble(chunks, analysis.path, package="main",
                    offsets=[item.offset for item in items])


def go_ranges_for(analysis: FileAnalysis, offset: int) -> list[Span]:
    """Where the Go for the Gust construct at `offset` (a statement, match arm or item) is
    in `generated_go(analysis).text`: one span per Go line. Empty when the file has errors
    (there is no Go) or nothing at `offset` generates Go (a comment, a blank line)."""
    if analysis.has_errors:
        return []
    return generate_file(analysis).go_ranges(offset)


def gust_range_for(analysis: FileAnalysis, go_offset: int) -> Span | None:
    """The span of the Gust construct that the Go line at `go_offset` (an offset in
    `generated_go(analysis).text`) comes from; None for Go of its own (a `}`, imports)."""
    if analysis.has_errors:
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
