"""Source text and positions.

Every layer below `ide` works in byte-free *character offsets* into a Python `str` (code
points). Lines and columns are computed only when something is shown: 1-based code-point
columns for the terminal, 0-based UTF-16 columns for LSP. `LineIndex` does both conversions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import field
from itertools import accumulate
from typing import Final

from gust.frozen import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range [start, end) of character offsets."""

    start: int
    end: int

    def shifted(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta)

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end

    def cover(self, other: Span) -> Span:
        return Span(min(self.start, other.start), max(self.end, other.end))

    @property
    def is_empty(self) -> bool:
        return self.start == self.end

    def __reduce__(self) -> tuple[type[Span], tuple[int, int]]:
        # Pickled from `gust check`'s forked checkers inside diagnostics: a compiled
        # frozen dataclass does not unpickle field by field (docs/architecture.md, 10).
        return (Span, (self.start, self.end))


@dataclass(frozen=True, slots=True)
class Position:
    """A 0-based line and column (the column unit depends on who asked)."""

    line: int
    column: int

    def __reduce__(self) -> tuple[type[Position], tuple[int, int]]:
        return (Position, (self.line, self.column))


# A line break as LSP counts them: \r\n, a lone \r, or \n.
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    """Offsets where lines start, at C speed: the server builds one index per keystroke,
    so this must not loop over characters in Python."""
    if "\r" in text:
        return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


@dataclass(frozen=True)
class LineIndex:
    """Converts between offsets and (line, column) for one text."""

    text: str
    starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", _line_starts(self.text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """0-based line containing `offset` (clamped into the text)."""
        offset = max(0, min(offset, len(self.text)))
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> Position:
        """0-based line and code-point column."""
        line = self.line_of(offset)
        return Position(line, max(0, min(offset, len(self.text))) - self.starts[line])

    def utf16_position(self, offset: int) -> Position:
        """0-based line and UTF-16 column, as LSP counts them."""
        pos = self.position(offset)
        start = self.starts[pos.line]
        prefix = self.text[start : start + pos.column]
        return Position(pos.line, pos.column + _astral_count(prefix))

    def offset_of_utf16(self, line: int, utf16_column: int) -> int:
        """Offset of an LSP position; positions past a line's end clamp to it."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.line_end(line)
        units = 0
        offset = start
        while offset < end and units < utf16_column:
            units += 2 if ord(self.text[offset]) > 0xFFFF else 1
            offset += 1
        return offset

    def line_end(self, line: int) -> int:
        """Offset just past the last character of `line`, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if end > 0 and self.text[end - 1] == "\n":
                end -= 1
            if end > 0 and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line] : self.line_end(line)]


def _astral_count(s: str) -> int:
    """Characters outside the BMP, which take two UTF-16 code units."""
    if s.isascii():
        return 0
    return sum(1 for ch in s if ord(ch) > 0xFFFF)


def starts_word(text: str, at: int) -> bool:
    """Whether a match at `at` starts a word, as a leading `\\b` would check: the character
    before it is not one `\\w` matches. (A pattern that starts with a literal is searched
    for that literal first; a leading `\\b` makes the engine try every offset instead, 40
    times slower over a large file: the patterns that want one check it here.)"""
    if at == 0:
        return True
    before = text[at - 1]
    return not (before.isalnum() or before == "_")
