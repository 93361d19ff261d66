"""The lexer: one regular expression built from the grammar's own terminals.

lark's lexers try the terminals one group at a time for every token; the parser is fed
token by token (gust.syntax.parser), so a single compiled alternation with named groups,
plus a table of keywords, is several times faster and keeps grammar/gust.lark the only
place where tokens are defined.

Order of the alternatives (the first that matches wins, as in a hand-written lexer):
terminals with a priority (`CHAR.3`, `FLOAT.2`) first; then literals and the other
regular expressions, longest first, so `..=` beats `..`; identifiers last, so `r"raw"` is
not the identifier `r`. Identifiers that spell a keyword become that keyword.

Gust's own keywords are contextual (`CONTEXTUAL`), so that Rust code naming a method
`select` or a variable `go` is Gust: `select` is the keyword only right before a `{`, and
`go` only before a name that is not a keyword (`go work(1)`) or a string (`use go "fmt"`).
Where the parser then finds no place for the keyword (`if select { .. }`, `struct select
{ .. }`), gust.syntax.parser reads it as the identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gust.frozen import dataclass
from gust.syntax.tree import Token

if TYPE_CHECKING:
    from lark import Lark

IGNORED = ("WS", "LINE_COMMENT", "BLOCK_COMMENT")
# Gust's keywords that are Rust identifiers elsewhere: the token type, and what must follow
# (whitespace and line comments skipped) for the word to be that keyword.
CONTEXTUAL = {"SELECT": r"\{", "GO": r'"|(?:r#)?(?P<word>[^\W\d]\w*)'}
_TRIVIA = r"(?:[ \t\r\n\f\ufeff]|//[^\n]*|/\*(?:.|\n)*?\*/)*"
# Keywords that start a path, so `go self.run()` is a `go` statement.
_PATH_KEYWORDS = frozenset({"self", "Self", "super", "crate"})


@dataclass(frozen=True)
class Lexer:
    pattern: re.Pattern[str]
    keywords: dict[str, str]
    ignored: frozenset[str]
    # Characters that are a token by themselves, whatever follows (`(`, `;`, ...): looked
    # up in a dict, without the regular expression.
    singles: dict[str, str]
    # CONTEXTUAL's follow patterns, compiled (trivia first).
    follows: dict[str, re.Pattern[str]]

    @classmethod
    def from_lark(cls, lark: Lark) -> Lexer:
        from lark.lexer import PatternStr

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
        singles = _singles(terminals, [re.compile(r) for *_, r in alternatives])
        # Higher priority first, then longer matches first. The most frequent tokens,
        # whitespace and identifiers, are tried first (each alternative costs time at
        # every position); identifiers exclude what starts a raw or byte literal.
        alternatives.sort(key=lambda a: (a[2] not in ("WS", "IDENT"), a[2] != "WS",
                                         -a[0], -a[1]))
        alternatives = [a for a in alternatives if a[2] not in singles.values()]
        union = "|".join(
            f"(?P<{name}>{_NOT_LITERAL_PREFIX if name == 'IDENT' else ''}"
            f"{_named_backreference(name, regexp)})"
            for _, _, name, regexp in alternatives
        )
        # One-character tokens as one character class (their name comes from `singles`),
        # right after whitespace and identifiers; anything else is one unknown character,
        # so matches cover the whole text.
        single_class = "".join(re.escape(c) for c in singles)
        union = union.replace("|(?P<CHAR>", f"|(?P<SINGLE>[{single_class}])|(?P<CHAR>", 1)
        union += r"|(?P<UNKNOWN>(?s:.))"
        # Whitespace before a token is skipped as part of the token's match: half as many
        # matches (the WS alternative still matches whitespace at the very end).
        union = rf"[ \t\r\n\f\ufeff]*(?:{union})"
        follows = {kind: re.compile(f"{_TRIVIA}(?:{after})") for kind, after in
                   CONTEXTUAL.items()}
        return cls(re.compile(union), keywords, frozenset(IGNORED), singles, follows)

    def __reduce__(self) -> tuple[type[Lexer], tuple[object, ...]]:
        # Pickled by its constructor, as gust.syntax.lalr.Table (invariant 10).
        return (Lexer, (self.pattern, self.keywords, self.ignored, self.singles,
                        self.follows))

    def is_keyword(self, word: str, text: str, end: int) -> bool:
        """Whether `word`, ending at `end` in `text`, is a keyword there."""
        kind = self.keywords.get(word)
        if kind is None:
            return False
        follow = self.follows.get(kind)
        if follow is None:
            return True
        m = follow.match(text, end)
        if m is None:
            return False
        name = m.groupdict().get("word")
        if name is None or text.startswith("r#", m.start("word") - 2):
            return True  # `select {`, `use go "fmt"`, `go r#match(..)`
        return name in _PATH_KEYWORDS or name not in self.keywords

    def tokens(self, text: str) -> Iterator[Token | LexError]:
        """The tokens of `text` (trivia skipped); an unknown character is a `LexError`.

        Tokens carry offsets (`start_pos`, `end_pos`), not lines: nothing downstream needs
        lines from the lexer, and not counting them keeps this loop short."""
        keywords = self.keywords
        ignored = self.ignored
        singles = self.singles
        follows = self.follows
        new_str = str.__new__
        for m in self.pattern.finditer(text):
            kind = m.lastgroup
            if kind in ignored:
                continue
            assert kind is not None
            value = m.group(kind)  # the match itself starts with the whitespace before it
            start = m.start(kind)
            if kind == "SINGLE":
                kind = singles[value]
            elif kind == "IDENT":
                kind = keywords.get(value, "IDENT")
                if kind in follows and not self.is_keyword(value, text, m.end()):
                    kind = "IDENT"
                if value.startswith("r#"):
                    value = value[2:]  # a raw identifier `r#match` is the name `match`
            elif kind == "UNKNOWN":
                yield LexError(start)
                continue
            tok = new_str(Token, value)  # Token() costs twice as much
            tok.type = kind
            tok.value = value
            tok.start_pos = start
            tok.end_pos = m.end()
            yield tok


# `r"..."`, `r#"..."#`, `b"..."` and `b'.'` are literals, not the identifiers `r` and `b`.
_NOT_LITERAL_PREFIX = r"""(?!r#*"|b["'])"""
_PROBES = ("", "x", "1", "=", "'", '"', "/", "*", " ", ".", ":", "&", "|", "<", ">", "-")


def _named_backreference(name: str, regexp: str) -> str:
    """In one big alternation, `\\1` would refer to the union's first group: a terminal
    that uses a backreference (`RAW_STRING`: `r#"..."#`) gets a named one instead."""
    if "\\1" not in regexp:
        return regexp
    group = f"{name}_1"
    first = regexp.index("(")
    return (regexp[:first] + f"(?P<{group}>" + regexp[first + 1 :]).replace(
        "\\1", f"(?P={group})")


def _singles(terminals: list[Any], regexps: list[re.Pattern[str]]) -> dict[str, str]:
    """One-character tokens that no other token can start with."""
    from lark.lexer import PatternStr

    literals = {t.pattern.value: t.name for t in terminals if isinstance(t.pattern, PatternStr)}
    singles: dict[str, str] = {}
    for value, name in literals.items():
        if len(value) != 1:
            continue
        if any(other != value and other.startswith(value) for other in literals):
            continue
        if any(r.match(value + probe) and r.pattern != re.escape(value) for r in regexps
               for probe in _PROBES):
            continue
        singles[value] = name
    return singles


@dataclass(frozen=True, slots=True)
class LexError:
    """A character no token starts with, at `pos`."""

    pos: int
