"""The lexer: one regular expression built from the grammar's own terminals.

lark's lexers try the terminals one group at a time for every token; the parser is fed
token by token (gust.syntax.parser), so a single compiled alternation with named groups,
plus a table of keywords, is several times faster and keeps grammar/gust.lark the only
place where tokens are defined.

Order of the alternatives (the first that matches wins, as in a hand-written lexer):
terminals with a priority (`CHAR.3`, `FLOAT.2`) first; then literals and the other
regular expressions, longest first, so `..=` beats `..`; identifiers last, so `r"raw"` is
not the identifier `r`. Identifiers that spell a keyword become that keyword.

Python's regular expressions try the alternatives of a union one after the other, so a
token that matches the fortieth one (`=`, `.`) cost forty failed attempts. As a
hand-written lexer switches on the first character, the lexer keeps one small union per
ASCII character: only the alternatives that can start with it, in the same order
(`_first_characters` reads that from each terminal's parsed regular expression), so it
gives the same tokens; one-character tokens (`(`, `;`) need no regular expression at all,
and a character outside ASCII goes to the whole union.

Gust's own keywords are contextual (`CONTEXTUAL`), so that Rust code naming a method
`select` or a variable `go` is Gust: `select` is the keyword only right before a `{`, and
`go` only before a name that is not a keyword (`go work(1)`) or a string (`use go "fmt"`).
So is `matches`, only before `!(` (the macro, whose second argument is a pattern).
Where the parser then finds no place for the keyword (`if select { .. }`, `struct select
{ .. }`), gust.syntax.parser reads it as the identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

from gust.frozen import dataclass
from gust.syntax.token import Token

if TYPE_CHECKING:
    from lark import Lark

IGNORED: Final = ("WS", "LINE_COMMENT", "BLOCK_COMMENT")
_TRIVIA: Final = r"(?:[ \t\r\n\f\ufeff]|//[^\n]*|/\*(?:.|\n)*?\*/)*"
# Gust's keywords that are Rust identifiers elsewhere: the token type, and what must follow
# (whitespace and line comments skipped) for the word to be that keyword. `matches` is
# no keyword in either language: the token MATCHES is the name of `matches!(..)`, whose
# second argument the grammar parses as a pattern.
CONTEXTUAL: Final = {"SELECT": r"\{", "GO": r'"|(?:r#)?(?P<word>[^\W\d]\w*)',
                     "MATCHES": rf"!{_TRIVIA}[(\[{{]"}
# Keywords that start a path, so `go self.run()` is a `go` statement.
_PATH_KEYWORDS: Final = frozenset({"self", "Self", "super", "crate"})


@dataclass(frozen=True)
class Lexer:
    # The whole union, as text (compiled on first use: `pattern`).
    union: str
    # The union of the alternatives that can start with each ASCII character that is
    # neither whitespace nor a `singles` token (each ends with UNKNOWN, as the whole one)...
    starting_with: dict[str, re.Pattern[str]]
    # ...but for the characters that only operators start (`=`: `==`, `=>`, `=`): the
    # operators' texts and terminals, in the union's order; the first found wins.
    operators: dict[str, tuple[tuple[str, str], ...]]
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
        follows = {kind: re.compile(f"{_TRIVIA}(?:{after})") for kind, after in
                   CONTEXTUAL.items()}
        # Whitespace before a token is skipped as part of the token's match: half as many
        # matches (the WS alternative still matches whitespace at the very end).
        starting_with, operators = _by_first_character(alternatives, singles)
        return cls(rf"[ \t\r\n\f\ufeff]*(?:{union})", starting_with, operators, keywords,
                   frozenset(IGNORED), singles, follows)

    def __reduce__(self) -> tuple[type[Lexer], tuple[object, ...]]:
        # Pickled by its constructor, as gust.syntax.lalr.Table (invariant 10).
        return (Lexer, (self.union, self.starting_with, self.operators, self.keywords,
                        self.ignored, self.singles, self.follows))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole union, leading whitespace included: for the loops that classify
        every token of a text themselves (semantic tokens, format strings), and for
        characters outside ASCII. (`re` keeps it compiled after the first use.)"""
        return re.compile(self.union)

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
        starting_with = self.starting_with
        operators = self.operators
        new_str = str.__new__
        pos = 0
        size = len(text)
        while pos < size:
            char = text[pos]
            kind = singles.get(char)
            value = char
            if kind is None:
                for operator, name in operators.get(char, ()):
                    if text.startswith(operator, pos):
                        kind, value = name, operator
                        break
            if kind is not None:  # a one-character token or an operator
                tok = new_str(Token, value)
                tok.type = kind
                tok.value = value
                tok.start_pos = pos
                pos = tok.end_pos = pos + len(value)
                yield tok
                if pos < size and text[pos] in _WHITESPACE:
                    pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]
                continue
            if char in _WHITESPACE:
                pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]
                continue
            pattern = starting_with.get(char)
            m = (pattern if pattern is not None else self.pattern).match(text, pos)
            assert m is not None  # (UNKNOWN matches any character)
            kind = m.lastgroup
            assert kind is not None
            # A union by first character matches the token and the whitespace after it;
            # the whole union, the whitespace before it.
            start = pos if pattern is not None else m.start(kind)
            end = m.end(kind)
            pos = m.end()
            if kind in ignored:
                continue
            value = text[start:end]
            if kind == "IDENT":
                kind = keywords.get(value, "IDENT")
                if kind in follows and not self.is_keyword(value, text, end):
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
            tok.end_pos = end
            yield tok


_WHITESPACE: Final = frozenset(" \t\r\n\f\ufeff")
_SPACES: Final = re.compile(r"[ \t\r\n\f\ufeff]+")


def _by_first_character(alternatives: list[tuple[int, int, str, str]],
                        singles: dict[str, str]
                        ) -> tuple[dict[str, re.Pattern[str]],
                                   dict[str, tuple[tuple[str, str], ...]]]:
    """For each ASCII character that is neither whitespace nor a one-character token,
    the alternatives (in their order) that can match a text starting with it: when each
    is a choice of fixed texts (the operators), those texts; else their union, then
    UNKNOWN, then the whitespace that follows (compiled once for the characters with the
    same alternatives)."""
    named = [(name, f"(?P<{name}>{_NOT_LITERAL_PREFIX if name == 'IDENT' else ''}"
                    f"{_named_backreference(name, regexp)})", _fixed_texts(regexp))
             for _, _, name, regexp in alternatives if name != "WS"]
    firsts = [_first_characters(text) for _, text, _ in named]
    unions: dict[tuple[str, ...], re.Pattern[str]] = {}
    by_regexp: dict[str, re.Pattern[str]] = {}
    by_text: dict[str, tuple[tuple[str, str], ...]] = {}
    for code in range(128):
        char = chr(code)
        if char in singles or char in _WHITESPACE:
            continue
        chosen = [alternative for alternative, first in zip(named, firsts, strict=True)
                  if first is None or char in first]
        if chosen and all(texts is not None for _, _, texts in chosen):
            by_text[char] = tuple((text, name) for name, _, texts in chosen
                                  for text in texts or () if text.startswith(char))
            continue
        key = tuple(text for _, text, _ in chosen)
        if key not in unions:
            # The whitespace after the token too: one match less for most tokens.
            union = "|".join((*key, r"(?P<UNKNOWN>(?s:.))"))
            unions[key] = re.compile(rf"(?:{union})[ \t\r\n\f\ufeff]*")
        by_regexp[char] = unions[key]
    return by_regexp, by_text


def _fixed_texts(regexp: str) -> tuple[str, ...] | None:
    """The texts `regexp` matches, in the order it tries them, when it is a choice of
    fixed texts (`"+=" | "-=" | ...`, or one text); else None."""
    import importlib

    sre: Any = importlib.import_module("re._parser")
    items = sre.parse(regexp).data
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN and items[0][1][0] is None \
            and not items[0][1][1] and not items[0][1][2]:
        items = items[0][1][3]  # a group that neither captures nor sets flags
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [items]
    texts = []
    for branch in branches:
        if not branch or any(op is not sre.LITERAL for op, _ in branch):
            return None
        texts.append("".join(chr(code) for _, code in branch))
    return tuple(texts)


def _first_characters(regexp: str) -> frozenset[str] | None:
    """The ASCII characters a match of `regexp` can start with; None when it could be
    any (or the pattern can match the empty text). Read from Python's own parse of the
    expression (`re._parser`): a superset, never fewer than can start a match."""
    import importlib

    sre: Any = importlib.import_module("re._parser")
    parsed = sre.parse(regexp)
    if parsed.state.flags & sre.SRE_FLAG_IGNORECASE:
        return None
    first, nullable = _first_of(parsed.data, sre)
    return None if nullable else first


def _first_of(items: Any, sre: Any) -> tuple[frozenset[str] | None, bool]:
    """The first characters of a sequence of parsed items, and whether it can match
    the empty text."""
    c = sre  # its opcodes (re._constants, re-exported by re._parser)
    found: set[str] = set()
    for op, arg in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: the characters come from what follows
        if op is c.SUBPATTERN:
            _, add_flags, _, inner = arg
            if add_flags & c.SRE_FLAG_IGNORECASE:
                return None, False
            first, nullable = _first_of(inner, sre)
        elif op is c.ATOMIC_GROUP:
            first, nullable = _first_of(arg, sre)
        elif op is c.BRANCH:
            branches = [_first_of(branch, sre) for branch in arg[1]]
            if any(f is None for f, _ in branches):
                return None, False
            first = frozenset().union(*(f for f, _ in branches if f is not None))
            nullable = any(n for _, n in branches)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, inner = arg
            first, nullable = _first_of(inner, sre)
            nullable = nullable or low == 0
        elif op is c.LITERAL:
            first, nullable = frozenset({chr(arg)}), False
        elif op is c.IN:
            first, nullable = frozenset(ch for ch in _ASCII if _in_class(ch, arg, sre)), False
        else:  # ANY, NOT_LITERAL, group references, ...: anything
            return None, False
        if first is None:
            return None, False
        found |= first
        if not nullable:
            return frozenset(found), False
    return frozenset(found), True


_ASCII: Final = tuple(chr(code) for code in range(128))


def _in_class(char: str, items: Any, sre: Any) -> bool:
    """Whether an ASCII character is in a parsed character class (`[^\\W\\d]`)."""
    c = sre
    negated = False
    inside = False
    for op, arg in items:
        if op is c.NEGATE:
            negated = True
        elif op is c.LITERAL:
            inside = inside or char == chr(arg)
        elif op is c.RANGE:
            inside = inside or arg[0] <= ord(char) <= arg[1]
        elif op is c.CATEGORY:
            inside = inside or _in_category(char, arg, sre)
        else:
            return True  # not known here: counted in (a superset)
    return inside != negated


def _in_category(char: str, category: Any, sre: Any) -> bool:
    c = sre
    tests = {c.CATEGORY_DIGIT: char.isdigit(), c.CATEGORY_NOT_DIGIT: not char.isdigit(),
             c.CATEGORY_SPACE: char.isspace(), c.CATEGORY_NOT_SPACE: not char.isspace(),
             c.CATEGORY_WORD: char.isalnum() or char == "_",
             c.CATEGORY_NOT_WORD: not (char.isalnum() or char == "_")}
    return tests.get(category, True)


# `r"..."`, `r#"..."#`, `b"..."` and `b'.'` are literals, not the identifiers `r` and `b`.
_NOT_LITERAL_PREFIX: Final = r"""(?!r#*"|b["'])"""
_PROBES: Final = ("", "x", "1", "=", "'", '"', "/", "*", " ", ".", ":", "&", "|", "<", ">", "-")


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
