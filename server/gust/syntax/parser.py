"""Parse one top-level item with lark, from the grammar in grammar/gust.lark, recovering
from syntax errors.

`parse_item(text)` never raises: it returns the item's AST (or None) and syntax
diagnostics with spans relative to `text`.

Tokens are fed to the LALR parser (gust.syntax.lalr, over lark's table) one by one, so that on an
error we can repair and go on, as rustc does:
- a missing `;` or `,` at the end of a line is inserted (one error, the rest is parsed);
- `>>`, `>=` and `>>=` are split where the parser needs a `>` (`Vec<Vec<i32>>`), and `<<`
  where it needs a `<` (`Vec<<C as Container>::Item>`);
- anything else skips to the end of the enclosing `{ ... }` block (one error per block);
- an item cut short (a missing `}`) is closed.
When nothing helps, a function keeps at least its signature (`FnDecl.body_error`), so calls
to it elsewhere still type-check.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any, Final

from gust import diagnostics as d
from gust.frozen import dataclass
from gust.syntax import ast, build, tables
from gust.syntax.lalr import AST, TREE, NestingError, ParseError, ParseState, Table
from gust.syntax.lexer import CONTEXTUAL, Lexer, LexError
from gust.syntax.split import blank_block_comments
from gust.syntax.token import Token
from gust.syntax.tree import Tree
from gust.text import Span

MAX_ERRORS_PER_ITEM: Final = 8


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """The result of parsing one item's text. Spans are relative to the text."""

    text: str
    item: ast.Item | None
    errors: tuple[d.Diagnostic, ...]
    # Whether the whole item parsed to a tree (with repairs, if any): then `parse_tree(text)`
    # gives lark's tree, from which gust.syntax.cst builds the lossless tree on demand. The
    # tree itself is not kept: only tests and tools need it, and dropping it at once halves
    # what the garbage collector has to scan after a parse.
    has_tree: bool = False
    # Parsed without the insides of its functions' bodies (gust.syntax.skeleton): only
    # its signatures are to be used (ParseCache's `in_full`).
    bodies_left_out: bool = False


@functools.cache
def _tables() -> tuple[Table, Lexer]:
    return tables.load()


def _lexer() -> Lexer:
    return _tables()[1]


def _table() -> Table:
    return _tables()[0]


def parse_item(text: str, unclosed: bool = False, mismatched: bool = False) -> ParsedItem:
    """Parse one item. `mismatched` chunks (see gust.syntax.split) only keep a signature."""
    if mismatched:
        return ParsedItem(text, _recover_signature(text), ())
    blanked, open_comment = blank_block_comments(text)
    tokens, lex_errors = _lex(blanked)
    fatal = next((e for e in lex_errors if e.code is not None), None)
    if open_comment is not None and (fatal is None or open_comment < fatal.span.start):
        fatal = d.error("E0758", "unterminated block comment",
                        Span(open_comment, open_comment + 2))
    if fatal is not None:
        # rustc's lexer stops at a literal or comment that never ends: so do we, and keep
        # what comes before it (a function's signature).
        return ParsedItem(text, _recover_signature(text[: fatal.span.start]), (fatal,))
    parser = _Recovering(blanked, tokens, lex_errors)
    try:
        item, errors = parser.parse()
    except (NestingError, RecursionError):
        return ParsedItem(text, None, (d.error(None, "expression nests too deeply",
                                               Span(0, 0)),))
    if item is None:
        return ParsedItem(text, _recover_signature(text), tuple(errors))
    if parser.state.lower_errors:
        lower_error = parser.state.lower_errors[0][0]
        return ParsedItem(text, _recover_signature(text),
                          (*errors, d.error(None, lower_error.message, lower_error.span)))
    all_errors = sorted([*errors, *parser.state.soft_errors], key=lambda e: e.span.start)
    return ParsedItem(text, item, tuple(all_errors), has_tree=True)


def parse_tree(text: str) -> Tree | None:
    """The parse tree of an item that parsed (`ParsedItem.has_tree`): every token kept,
    with offsets relative to `text`. Parsing builds the AST directly (gust.syntax.build):
    this parses again for the lossless tree (gust.syntax.cst), which only formatting and
    tools need."""
    blanked, _ = blank_block_comments(text)
    tree, _ = _Recovering(blanked, mode=TREE).parse()
    return tree if isinstance(tree, Tree) else None


# ---------------------------------------------------------------- the recovering driver

_SPLITS: Final = {"SHR": ("GT", "GT"), "GE": ("GT", "EQUAL"), "COMPOUND_OP": ("GT", "GE"),
           "SHL": ("LT", "LT")}
_INSERTABLE: Final = ("SEMICOLON", "COMMA")
_CONTEXTUAL: Final = frozenset(CONTEXTUAL)
_OPENERS: Final = {"LBRACE", "LPAR", "LSQB"}
_CLOSERS: Final = {"RBRACE": "LBRACE", "RPAR": "LPAR", "RSQB": "LSQB"}


def _lex(text: str) -> tuple[list[Token], list[d.Diagnostic]]:
    """The tokens of `text`, and its lexical errors: unknown characters (skipped, with a
    code of None) and literals that never end (with their rustc code, fatal)."""
    tokens: list[Token] = []
    errors: list[d.Diagnostic] = []
    for tok in _lexer().tokens(text):
        if isinstance(tok, LexError):
            error = _lex_error(text, tok.pos)
            errors.append(error)
            if error.code is not None:
                break
        else:
            tokens.append(tok)
    return tokens, errors


class _Recovering:
    def __init__(self, text: str, tokens: list[Token] | None = None,
                 lex_errors: list[d.Diagnostic] | None = None, mode: int = AST) -> None:
        self.text = text
        if tokens is None:
            tokens, lex_errors = _lex(text)
        self.tokens = tokens
        self.errors: list[d.Diagnostic] = list(lex_errors or [])
        self.state: ParseState = _table().new_state(mode)
        self.last: Token | None = None

    def parse(self) -> tuple[Any, list[d.Diagnostic]]:
        """The item (its AST, or its parse tree in `TREE` mode), or None if it did not
        parse, and the syntax errors."""
        skip_depth = -1  # >= 0 while skipping the rest of a block after an error
        feed = self.state.feed
        for tok in self.tokens:
            if skip_depth >= 0:
                if tok.type in _OPENERS:
                    skip_depth += 1
                    continue
                if tok.type in _CLOSERS and skip_depth > 0:
                    skip_depth -= 1
                    continue
                if tok.type != "RBRACE":
                    continue
                skip_depth = -1  # the `}` that closes the block: feed it
            if tok.type == "SHL" and self._opens_qualified(tok):
                self.last = tok
                continue
            try:
                feed(tok)  # the common case, without the repair machinery
            except ParseError as e:
                if not self._repair(tok, e):
                    if len(self.errors) >= MAX_ERRORS_PER_ITEM:
                        return None, self.errors
                    skip_depth = self._panic(tok)
                    if skip_depth == _DONE:
                        skip_depth = -1
                    elif skip_depth < 0:
                        return None, self.errors
                feed = self.state.feed
            self.last = tok
        return self._finish(), self.errors

    def _repair(self, tok: Token, e: ParseError) -> bool:
        """`tok` was rejected: repair what can be repaired and feed it; False if not."""
        accepts = e.expected
        if tok.type in _CONTEXTUAL and self.state.accepts("IDENT"):
            # Gust's `select` or `go` where only a name fits (`if select { .. }`): Rust's
            # identifier (gust.syntax.lexer).
            self.state.feed(_virtual("IDENT", str(tok.value), tok.start_pos or 0,
                                     tok.end_pos or 0, tok))
            return True
        if tok.type in _SPLITS and "GT" in accepts and self._split(tok):
            return True
        for missing in _INSERTABLE:
            if missing in accepts and self._insert(missing, tok, e):
                return True
        self.errors.append(_syntax_error(self.text, e, self.last, self._hint(e)))
        return False

    def _opens_qualified(self, tok: Token) -> bool:
        """`<<` where only `<` `<` fits (`Vec<<C as Container>::Item>`), split before it
        is fed: a type before a `<<` is reduced as if the shift followed a cast."""
        return not self.state.accepts("SHL") and self._split(tok)

    def _split(self, tok: Token) -> bool:
        first, rest = _SPLITS[tok.type]
        if tok.type == "COMPOUND_OP" and tok.value != ">>=":
            return False
        if not self.state.accepts(first, rest):
            return False
        start = tok.start_pos or 0
        self.state.feed(_virtual(first, tok.value[0], start, start + 1, tok))
        self.state.feed(_virtual(rest, tok.value[1:], start + 1, tok.end_pos or start, tok))
        return True

    def _insert(self, missing: str, tok: Token, e: ParseError) -> bool:
        """Insert a missing `;` or `,` at the end of the previous line, as rustc suggests."""
        if self.last is None or "\n" not in self.text[self.last.end_pos or 0 : tok.start_pos]:
            return False  # only at a line break, where rustc suggests it
        if not self.state.accepts(missing, tok.type):
            return False
        prev_end = self.last.end_pos or 0
        self.state.feed(_virtual(missing, ";" if missing == "SEMICOLON" else ",",
                                 prev_end, prev_end, self.last))
        self.state.feed(tok)
        symbol = "`;`" if missing == "SEMICOLON" else "`,`"
        found = _describe_token(tok)
        self.errors.append(d.error(
            None, f"expected {symbol}, found {found}", Span(prev_end, prev_end),
            f"expected {symbol}", labels=(d.Label(_token_span(tok), "unexpected token"),),
            fixes=(d.Fix(f"add {symbol} here", (d.Edit(Span(prev_end, prev_end),
                                                       symbol.strip("`")),)),)))
        return True

    def _panic(self, tok: Token) -> int:
        """Drop the statement in progress: pop the parser back to the start of a statement
        in the innermost block, and return how deep `tok` is nested in that block
        (-1: cannot recover; _DONE: `tok` was the block's `}` and has been fed)."""
        state = self.state
        while len(state.state_stack) > 1:
            if _at_statement_start(state.value_stack) and self._accepts_close(state):
                break
            state.pop()
        else:
            return -1
        if tok.type == "RBRACE":
            return _DONE if self._feed_quiet(tok) else -1
        return 1 if tok.type in _OPENERS else 0

    def _accepts_close(self, state: ParseState) -> bool:
        """Would `}` close the block here? (LALR tables may reduce on `}` and fail later.)"""
        return state.accepts("RBRACE")

    def _feed_quiet(self, tok: Token) -> bool:
        try:
            self.state.feed(tok)
            return True
        except ParseError:
            return False

    def _finish(self) -> Any:
        """Feed the end of input, closing what a missing `}` left open."""
        end = len(self.text.rstrip())
        for _ in range(64):
            try:
                result = self.state.feed_end(self.last)
                return None if isinstance(result, Token) else result
            except ParseError as e:
                if not any(err.message.startswith("this file contains an unclosed")
                           for err in self.errors):
                    self.errors.append(_unclosed_error(self.text))
                closer = next((c for c in ("RBRACE", "RPAR", "RSQB", "SEMICOLON")
                               if c in e.expected), None)
                if closer is None:
                    return None
                value = {"RBRACE": "}", "RPAR": ")", "RSQB": "]", "SEMICOLON": ";"}[closer]
                try:
                    self.state.feed(_virtual(closer, value, end, end, self.last))
                except ParseError:
                    return None
        return None

    def _hint(self, e: ParseError) -> d.Diagnostic | None:
        """rustc's special messages for common mistakes: Go's `i++`, a `for` without `in`,
        an `if`/`while` whose block was taken as part of the condition (`if x > { .. }`)."""
        last = self.last
        if last is not None and last.type in ("PLUS", "MINUS") and (last.start_pos or 0) > 0 \
                and self.text[(last.start_pos or 0) - 1] == last.value:
            start = (last.start_pos or 0) - 1
            op = "increment" if last.type == "PLUS" else "decrement"
            return d.error(None, f"Rust has no postfix {op} operator", Span(start, start + 2),
                           "not a valid postfix operator",
                           help=(f"use `{last.value}= 1` instead",))
        if "IN" in e.expected:
            return d.error(None, "missing `in` in `for` loop", _token_span(e.token),
                           None, help=("try adding `in` here",))
        if e.token.type == "PIPE" and len(e.values) > 1 and \
                isinstance(e.values[-2], Token) and e.values[-2].type == "LET":
            return _let_or_pattern(e.values[-1], e.token)
        if "LBRACE" not in e.expected:
            return None
        values = e.values
        for i in range(len(values) - 1, -1, -1):
            v = values[i]
            if isinstance(v, Token) and v.type == "LBRACE":
                return None
            if isinstance(v, Token) and v.type in ("IF", "WHILE"):
                rest = values[i + 1 :]
                keyword = "if" if v.type == "IF" else "while"
                if len(rest) == 1 and _is_block(rest[0]):
                    return d.error(None, f"missing condition for `{keyword}` expression",
                                   _token_span(v), "expected condition here")
                return d.error(None, f"this `{keyword}` expression is missing a block after "
                               "the condition", _token_span(v), None)
        return None


def _let_or_pattern(first: object, pipe: Token) -> d.Diagnostic:
    """`let A | B = x;`: rustc's message (the grammar's `let` takes no top-level `|`)."""
    span = getattr(first, "span", None)  # the first alternative, if already built
    start = span.start if isinstance(span, Span) else _token_span(pipe).start
    return d.error(None, "`let` bindings require top-level or-patterns in parentheses",
                   Span(start, _token_span(pipe).end), None,
                   help=("wrap the pattern in parentheses: `let (A | B) = ..`",))


_DONE: Final = -2  # `_panic` already fed the closing `}`


_STATEMENT_VALUES: Final = ("let_stmt", "expr_stmt", "block_stmt", "item_stmt", "empty_stmt",
                     "__block_star")


def _at_statement_start(values: list[object]) -> bool:
    """True when the parser is between statements of a block: right after its `{` or
    after a complete statement."""
    if not values:
        return False
    top = values[-1]
    if isinstance(top, Token):
        return top.type == "LBRACE"
    if isinstance(top, Tree):
        return str(top.data).startswith(_STATEMENT_VALUES)
    return build.is_statement(top)


def _is_block(value: object) -> bool:
    """A plain `{ ... }` block, as a parse-tree node or an AST node."""
    if isinstance(value, Tree):
        return value.data == "block"
    return type(value) is ast.Block and not value.unsafe


def _virtual(kind: str, value: str, start: int, end: int, near: Token | None) -> Token:
    return Token(kind, value, start, end)


# ---------------------------------------------------------------- error messages

_NAMED: Final = {
    "SEMICOLON": "`;`", "COMMA": "`,`", "COLON": "`:`", "LPAR": "`(`", "RPAR": "`)`",
    "LBRACE": "`{`", "RBRACE": "`}`", "LSQB": "`[`", "RSQB": "`]`", "EQUAL": "`=`",
    "IDENT": "identifier", "GT": "`>`", "LT": "`<`", "DOT": "`.`", "AT": "`@`", "PIPE": "`|`",
}
_EXPRESSION_START: Final = {"INT", "FLOAT", "STRING", "IDENT", "LPAR", "TRUE", "FALSE", "MINUS", "BANG"}
_TYPE_START: Final = {"IDENT", "AMP", "LPAR", "LSQB", "SELF_TYPE", "DYN", "IMPL"}
_KEYWORDS: Final = frozenset(
    ["as", "break", "const", "continue", "crate", "dyn", "else", "enum", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while"]
)


def _token_span(tok: Token) -> Span:
    start = tok.start_pos if tok.start_pos is not None else 0
    end = tok.end_pos if tok.end_pos is not None else start + len(tok.value)
    return Span(start, end)


def _describe_token(tok: Token) -> str:
    if tok.type == "$END":
        return "end of item"
    value = str(tok.value)
    if value in _KEYWORDS:
        return f"keyword `{value}`"
    if tok.type in ("STRING", "RAW_STRING"):
        return "string literal"
    return f"`{value}`"


def _describe_expected(expected: set[str]) -> str:
    if expected >= _TYPE_START and "INT" not in expected:
        return "type"
    if expected & _EXPRESSION_START == _EXPRESSION_START and len(expected) > 6:
        return "expression"
    if "SEMICOLON" in expected and len(expected) > 3:
        return "`;`"
    shown = sorted({_NAMED[t] for t in expected if t in _NAMED})
    if not shown:
        return "item" if "FN" in expected else "expression"
    if len(shown) == 1:
        return shown[0]
    return "one of " + ", ".join(shown[:-1]) + " or " + shown[-1]


def _syntax_error(text: str, e: ParseError, last: Token | None,
                  hint: d.Diagnostic | None = None) -> d.Diagnostic:
    if hint is not None:
        return hint
    tok = e.token
    if tok.type == "$END":
        return _unclosed_error(text)
    expected = set(e.expected)
    what = _describe_expected(expected)
    found = _describe_token(tok)
    found_span = _token_span(tok)
    if what == "`;`" and last is not None:
        # rustc points just after the previous token: that is where the `;` belongs.
        prev = last.end_pos or 0
        return d.error(
            None, f"expected `;`, found {found}", Span(prev, prev), "expected `;`",
            labels=(d.Label(found_span, "unexpected token"),),
            fixes=(d.Fix("add `;` here", (d.Edit(Span(prev, prev), ";"),)),),
        )
    return d.error(None, f"expected {what}, found {found}", found_span, f"expected {what}")


def _lex_error(text: str, pos: int) -> d.Diagnostic:
    """What rustc says where no token starts. Literals that never end have a code."""
    ch = text[pos] if pos < len(text) else ""
    if ch == '"' or text.startswith(('r"', 'r#', 'b"'), pos):
        return d.error("E0765", "unterminated double quote string",
                       Span(pos, len(text.rstrip())))
    if ch == "'" or text.startswith("b'", pos):
        return d.error("E0762", "unterminated character literal", Span(pos, pos + 1))
    shown = ch if ch.isprintable() else repr(ch)
    return d.error(None, f"unknown start of token: {shown}", Span(pos, pos + 1))


def _unclosed_error(text: str) -> d.Diagnostic:
    opener = _first_unclosed(text)
    end = len(text.rstrip())
    labels = (d.Label(Span(opener, opener + 1), "unclosed delimiter"),) if opener >= 0 else ()
    return d.error(None, "this file contains an unclosed delimiter", Span(end, end),
                   labels=labels)


def _first_unclosed(text: str) -> int:
    stack: list[int] = []
    closing = {")": "(", "]": "[", "}": "{"}
    in_string = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
        elif ch in "([{":
            stack.append(i)
        elif ch in closing and stack and text[stack[-1]] == closing[ch]:
            stack.pop()
        i += 1
    return stack[-1] if stack else -1


# ---------------------------------------------------------------- signature recovery

_FN_HEAD: Final = re.compile(
    r"\s*(//[^\n]*\n\s*)*(#\[[^\]]*\]\s*)*(pub(\([a-z]+\))?\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)"
)


def _recover_signature(text: str) -> ast.Item | None:
    """Keep what can be kept of a broken `fn`: its signature with an empty body, or at
    least its name (then `sig_error`: calls to it are not checked)."""
    m = _FN_HEAD.match(text)
    if not m:
        return None
    brace = first_top_level_brace(text)
    if brace >= 0:
        item = _try_parse(text[:brace] + "{}")
        if isinstance(item, ast.FnDecl):
            return replace(item, body=None, body_error=True, span=Span(0, len(text)))
    item = _try_parse(text[: m.end()] + "() {}")
    if isinstance(item, ast.FnDecl):
        return replace(item, body=None, body_error=True, sig_error=True,
                       span=Span(0, len(text)))
    return None


def _try_parse(text: str) -> ast.Item | None:
    try:
        parser = _Recovering(text)
        item, errors = parser.parse()
        if item is None or errors or parser.state.lower_errors:
            return None
        result: ast.Item = item
        return result
    except (NestingError, RecursionError):
        return None


def first_top_level_brace(text: str) -> int:
    """Where a function's body starts (-1: nowhere), by brackets alone."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "{" and depth == 0:
            return i
    return -1
