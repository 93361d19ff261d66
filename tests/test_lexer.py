"""The lexer picks its regular expression by the token's first character
(gust.syntax.lexer): it must give exactly the tokens of the one union of every terminal,
tried at each position as a hand-written lexer would. The union itself is what the grammar
says (tests/test_parser.py checks the parses); here the two ways of running it are compared
on every Gust and Rust file of the project and on random texts built from the characters
where the terminals differ (prefixes `r#`, `b'`, comment openers, operators, non-ASCII)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gust.syntax.lexer import Lexer, LexError
from gust.syntax.parser import _lexer
from gust.syntax.token import Token

ROOT = Path(__file__).resolve().parents[1]

Seen = tuple[str, int, int, str] | int


def by_the_whole_union(lexer: Lexer, text: str) -> Iterator[Seen]:
    """The tokens as the single union finds them, one match after the other (each match
    starts with the whitespace before its token)."""
    for m in lexer.pattern.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        if kind in lexer.ignored:
            continue
        value, start = m.group(kind), m.start(kind)
        if kind == "SINGLE":
            kind = lexer.singles[value]
        elif kind == "IDENT":
            kind = lexer.keywords.get(value, "IDENT")
            if kind in lexer.follows and not lexer.is_keyword(value, text, m.end()):
                kind = "IDENT"
            value = value.removeprefix("r#")
        elif kind == "UNKNOWN":
            yield start
            continue
        yield kind, start, m.end(), value


def by_the_lexer(lexer: Lexer, text: str) -> Iterator[Seen]:
    for tok in lexer.tokens(text):
        if isinstance(tok, LexError):
            yield tok.pos
        else:
            assert isinstance(tok, Token) and tok == tok.value
            yield tok.type, tok.start_pos, tok.end_pos, tok.value


def sources() -> list[Path]:
    return sorted(p for pattern in ("**/*.gust", "**/*.rs") for p in ROOT.glob(pattern)
                  if "node_modules" not in p.parts and ".venv" not in p.parts)


def test_every_project_file_lexes_as_with_the_whole_union() -> None:
    lexer = _lexer()
    files = sources()
    assert len(files) > 500  # the UI tests, programs, examples, bench programs
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert list(by_the_lexer(lexer, text)) == list(by_the_whole_union(lexer, text)), path


PIECES = [*"abrxy_019 \t\n\r\f\v'\"#/*=<>!-+.:;,(){}[]&|^%?@$\\`~é\ufeff中",
          "r#", "b'", 'b"', "//", "/*", "*/", "0x", "1.5e", "'a", "..=", ">>=", 'r#"', '"#',
          "u{", "\\u{1F600}", "select {", "go f", "use go ", "fn", "match"]


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_random_texts_lex_as_with_the_whole_union(pieces: list[str]) -> None:
    lexer = _lexer()
    text = "".join(pieces)
    assert list(by_the_lexer(lexer, text)) == list(by_the_whole_union(lexer, text))


def test_a_token_is_looked_up_by_its_first_character_only_where_it_can_start() -> None:
    # What the choice by first character must know: a raw string starts with `r`, a byte
    # with `b`, a number with a digit, identifiers with any letter; `..=` with `.`, and
    # is tried before `..` and `.` (longest first, as in the union).
    lexer = _lexer()
    by_first = lexer.starting_with
    assert "RAW_STRING" in by_first["r"].pattern and "RAW_STRING" not in by_first["x"].pattern
    assert "BYTE" in by_first["b"].pattern
    assert "INT" in by_first["7"].pattern and "STRING" not in by_first["7"].pattern
    assert "IDENT" in by_first["Q"].pattern and "IDENT" in by_first["_"].pattern
    assert "." not in by_first
    assert lexer.operators["."] == (("..=", "DOTDOTEQ"), ("..", "DOTDOT"), (".", "DOT"))
    assert [kind for _, kind in lexer.operators["<"]] == ["COMPOUND_OP", "LE", "SHL", "LT"]
