"""The parser's token: a `str` (its text) that also knows its terminal and offsets.

It keeps lark's shape (`type`, `value`, `start_pos`, `end_pos`), which the parser, the
AST builders and the lossless tree read. Not compiled (gust.native): a compiled class
cannot derive from `str`; the lexer makes tokens with `str.__new__` and four
assignments, twice as fast as calling the class.
"""

from __future__ import annotations

from typing import Any


class Token(str):
    """A token: its text (the string itself, also `value`), its terminal's name (`type`)
    and its offsets in the parsed text."""

    __slots__ = ("end_pos", "start_pos", "type", "value")
    type: str
    value: str
    start_pos: int
    end_pos: int

    def __new__(cls, type: str, value: str, start_pos: int = 0,
                end_pos: int | None = None) -> Token:
        tok = str.__new__(cls, value)
        tok.type = type
        tok.value = value
        tok.start_pos = start_pos
        tok.end_pos = start_pos + len(value) if end_pos is None else end_pos
        return tok

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Token, (self.type, self.value, self.start_pos, self.end_pos))
