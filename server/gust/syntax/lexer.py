"""The lexer: one regular expression built from the grammar's own terminals.

lark's lexers try the terminals one group at a time for every token; the parser is fed
token by token (gust.syntax.parser), so a single compiled alternation with named groups,
plus a table of keywords, is several times faster and keeps grammar/gust.lark the only
place where tokens are defined.

Order of the alternatives (the first that matches wins, as in a hand-written lexer):
terminals with a priority (`CHAR.3`, `FLOAT.2`) first; then literals and the other
regular expressions, longest first, so `..=` beats `..`; identifiers last, so `r"raw"` is
not the identifier `r`. Identifiers that spell a keyword become that keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lark import Lark, Token
from lark.lexer import PatternStr

IGNORED = ("WS", "LINE_COMMENT", "BLOCK_COMMENT")


@dataclass(frozen=True)
class Lexer:
    pattern: re.Pattern[str]
    keywords: dict[str, str]
    ignored: frozenset[str]

    @classmethod
    def from_lark(cls, lark: Lark) -> Lexer:
        terminals = list(lark.terminals)
        keywords: dict[str, str] = {}
        ident = next(t for t in terminals if t.name == "IDENT")
        ident_re = re.compile(ident.pattern.to_regexp())
        alternatives: list[tuple[int, int, str, str]] = []
        for t in terminals:
            pattern = t.pattern
            if isinstance(pattern, PatternStr) and ident_re.fullmatch(pattern.value):
                keywords[pattern.value] = t.name
                continue
            regexp = pattern.to_regexp()
            width = len(pattern.value) if isinstance(pattern, PatternStr) else \
                pattern.max_width
            alternatives.append((t.priority, min(width, 1000), t.name, regexp))
        # Higher priority first, then longer matches first; identifiers last of all, so
        # `r"raw"`, `b"bytes"` and `b'c'` are not read as the identifiers `r` and `b`.
        alternatives.sort(key=lambda a: (a[2] == "IDENT", -a[0], -a[1]))
        union = "|".join(f"(?P<{name}>{regexp})" for _, _, name, regexp in alternatives)
        return cls(re.compile(union), keywords, frozenset(IGNORED))

    def tokens(self, text: str) -> Iterator[Token | LexError]:
        """The tokens of `text` (trivia skipped); an unknown character is a `LexError`."""
        match = self.pattern.match
        keywords = self.keywords
        ignored = self.ignored
        pos = 0
        line = 1
        line_start = 0
        n = len(text)
        while pos < n:
            m = match(text, pos)
            if m is None:
                yield LexError(pos)
                pos += 1
                continue
            kind = m.lastgroup
            end = m.end()
            assert kind is not None
            if kind in ignored:
                newlines = text.count("\n", pos, end)
                if newlines:
                    line += newlines
                    line_start = text.rfind("\n", pos, end) + 1
                pos = end
                continue
            value = m.group()
            if kind == "IDENT":
                kind = keywords.get(value, "IDENT")
            end_line = line + value.count("\n") if kind in _MULTILINE else line
            yield Token(kind, value, pos, line, pos - line_start + 1, end_line,
                        end - line_start + 1, end)
            if end_line != line:
                line = end_line
                line_start = text.rfind("\n", pos, end) + 1
            pos = end


_MULTILINE = frozenset({"STRING", "RAW_STRING", "BYTE_STRING"})


@dataclass(frozen=True, slots=True)
class LexError:
    """A character no token starts with, at `pos`."""

    pos: int
