"""Semantic tokens: every token of a file classified for highlighting (keywords, comments,
strings, numbers, operators, and names by what they mean: types, functions, fields,
locals...), as plain data the LSP layer encodes.

Fast by construction: an item's tokens are computed once from its own text and its symbol
index (gust.ide.index) and cached with its analysis (item-relative offsets), so a request
after a keystroke only lexes and classifies the item that changed; the rest is shifting
and concatenating. Tokens never span lines (multi-line comments and strings are split), as
clients without `multilineTokenSupport` require.
"""

from __future__ import annotations

from collections.abc import Iterator

from gust.gcpause import paused_gc
from gust.ide.analysis import FileAnalysis, ItemAnalysis
from gust.ide.index import Occurrence, item_index
from gust.syntax.parser import _lexer

# The legend: standard LSP token types and modifiers (plus `mutable`, as rust-analyzer).
TOKEN_TYPES = ("namespace", "type", "struct", "enum", "enumMember", "interface",
               "typeParameter", "parameter", "variable", "property", "function", "method",
               "macro", "keyword", "comment", "string", "number", "operator")
TOKEN_MODIFIERS = ("declaration", "mutable", "readonly", "defaultLibrary", "documentation")
_TYPE = {name: i for i, name in enumerate(TOKEN_TYPES)}
_DECLARATION, _MUTABLE, _READONLY, _LIBRARY, _DOCUMENTATION = (1 << i for i in range(5))

# (start, length, type index, modifier bits); start is item-relative in an item's tokens
# and a file offset in a file's.
Token = tuple[int, int, int, int]

_LITERALS = {"INT": "number", "FLOAT": "number", "STRING": "string", "RAW_STRING": "string",
             "BYTE_STRING": "string", "CHAR": "string", "BYTE": "string",
             "LINE_COMMENT": "comment", "BLOCK_COMMENT": "comment"}
_OPERATOR_CHARS = frozenset("+-*/%=!<>&|^")


def file_tokens(analysis: FileAnalysis, start: int = 0, end: int | None = None
                ) -> list[Token]:
    """The tokens of the file (of [start, end) when given), in order, with file offsets."""
    with paused_gc():
        return _file_tokens(analysis, start, end)


def _file_tokens(analysis: FileAnalysis, start: int, end: int | None) -> list[Token]:
    stop = len(analysis.text) if end is None else end
    out: list[Token] = []
    previous_end = 0
    for item in analysis.items:
        if item.node.end < start:
            previous_end = item.node.end
            continue
        if item.offset > stop:
            break
        if item.offset > previous_end:
            out.extend(_gap_tokens(analysis.text, previous_end, item.offset))
        offset = item.offset
        out.extend((s + offset, n, ty, mods) for s, n, ty, mods in item_tokens(analysis, item))
        previous_end = item.node.end
    if previous_end < stop:
        out.extend(_gap_tokens(analysis.text, previous_end, len(analysis.text)))
    if start > 0 or end is not None:
        out = [tok for tok in out if tok[0] + tok[1] > start and tok[0] < stop]
    return out


def _gap_tokens(text: str, start: int, end: int) -> Iterator[Token]:
    """Comments between items."""
    for s, n, ty, mods in _lex(text[start:end], {}):
        yield s + start, n, ty, mods


def item_tokens(analysis: FileAnalysis, item: ItemAnalysis) -> list[Token]:
    """The tokens of one item (cached with its analysis), item-relative."""
    found = item.memo.get("tokens")
    if found is None:
        names: dict[int, Occurrence] = {}
        for occ in item_index(analysis.env, item):
            names.setdefault(occ.span.start, occ)
        found = list(_lex(item.node.parsed.text, names))
        item.memo["tokens"] = found
    assert isinstance(found, list)
    return found


def _lex(text: str, names: dict[int, Occurrence]) -> Iterator[Token]:
    """Classify the tokens of `text`: the lexer's regular expression run directly (no
    token objects: this loop sees every token of the file on a cold request)."""
    lexer = _lexer()
    keywords = lexer.keywords
    singles = lexer.singles
    keyword = _TYPE["keyword"]
    operator = _TYPE["operator"]
    types = _TYPE
    macro_end = -1
    for m in lexer.pattern.finditer(text):
        kind = m.lastgroup
        if kind == "WS" or kind is None:
            continue
        start = m.start(kind)
        end = m.end()
        if kind == "IDENT":
            if text[start:end] in keywords:
                yield start, end - start, keyword, 0
                continue
            occ = names.get(start)
            if occ is not None:
                if occ.token == "macro":
                    macro_end = end
                yield start, end - start, types[occ.token], _modifiers(occ)
            continue
        if kind == "SINGLE":
            value = text[start:end]
            if value in _OPERATOR_CHARS and not (value == "!" and start == macro_end):
                yield start, 1, operator, 0
            continue
        literal = _LITERALS.get(kind)
        if literal is not None:
            mods = _DOCUMENTATION if literal == "comment" and \
                text.startswith(("///", "//!"), start) else 0
            yield from _split_lines(text, start, end - start, types[literal], mods)
        elif text[start] in _OPERATOR_CHARS and kind not in ("ARROW", "FAT_ARROW"):
            if start == macro_end and end - start == 1:
                continue  # the `!` of `println!` belongs to the macro name
            yield start, end - start, operator, 0
    del singles


def _modifiers(occ: Occurrence) -> int:
    bits = 0
    if occ.role == "def":
        bits |= _DECLARATION
    if occ.mutable:
        bits |= _MUTABLE
    if occ.readonly:
        bits |= _READONLY
    if occ.library:
        bits |= _LIBRARY
    return bits


def _split_lines(text: str, start: int, length: int, ty: int, mods: int) -> Iterator[Token]:
    """One token per line of a token that spans lines (without the line breaks)."""
    value = text[start : start + length]
    if "\n" not in value and "\r" not in value:
        yield start, length, ty, mods
        return
    pos = start
    for line in value.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if content:
            yield pos, len(content), ty, mods
        pos += len(line)
