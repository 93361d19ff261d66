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

from collections.abc import Callable, Iterator

from gust.frozen import dataclass
from gust.gcpause import paused_gc
from gust.ide import string_tokens
from gust.ide.analysis import FileAnalysis, ItemAnalysis
from gust.ide.index import Occurrence, item_index
from gust.syntax.parser import _lexer
from gust.text import LineIndex

# The legend: standard LSP token types and modifiers (plus `mutable` and `controlFlow`, as
# rust-analyzer: themes colour `if` apart from `fn` only if the token says which it is).
TOKEN_TYPES = ("namespace", "type", "struct", "enum", "enumMember", "interface",
               "typeParameter", "parameter", "variable", "property", "function", "method",
               "macro", "keyword", "comment", "string", "number", "operator",
               "escapeSequence", "formatSpecifier")
TOKEN_MODIFIERS = ("declaration", "mutable", "readonly", "defaultLibrary", "documentation",
                   "controlFlow")
_TYPE = {name: i for i, name in enumerate(TOKEN_TYPES)}
_DECLARATION, _MUTABLE, _READONLY, _LIBRARY, _DOCUMENTATION, _CONTROL_FLOW = (
    1 << i for i in range(6))
# Keywords that transfer control (rust-analyzer's list, plus Gust's `go` and `select`).
_CONTROL_FLOW_KEYWORDS = frozenset({"if", "else", "match", "loop", "while", "for", "in",
                                    "break", "continue", "return", "go", "select"})

_CONTEXTUAL_WORDS = frozenset({"go", "select"})  # gust.syntax.lexer.CONTEXTUAL

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
    keyword = _TYPE["keyword"]
    operator = _TYPE["operator"]
    types = _TYPE
    macro_end = -1
    # Between `impl` and the next `{` or `;`, `for` is the `for` of `impl Trait for Type`
    # (or of an `impl Fn(..)` bound), not a loop.
    in_impl_head = False
    format_strings = string_tokens.format_string_starts(text)
    for m in lexer.pattern.finditer(text):
        kind = m.lastgroup
        if kind == "WS" or kind is None:
            continue
        start = m.start(kind)
        end = m.end()
        if kind == "IDENT":
            word = text[start:end]
            if word == "matches":
                # The lexer's MATCHES (`matches!(..)`, which the parser turns into a `match`,
                # so the index has no name there) is the standard macro; else a name.
                if lexer.is_keyword(word, text, end):
                    macro_end = end
                    yield start, end - start, _TYPE["macro"], _LIBRARY
                    continue
            # Gust's contextual keywords are names where the index has one (`x.select(..)`).
            elif word in keywords and not (word in _CONTEXTUAL_WORDS and start in names):
                in_impl_head = in_impl_head or word == "impl"
                control = word in _CONTROL_FLOW_KEYWORDS and not (word == "for" and in_impl_head)
                yield start, end - start, keyword, _CONTROL_FLOW if control else 0
                continue
            occ = names.get(start)
            if occ is not None:
                if occ.token == "macro":
                    macro_end = end
                yield start, end - start, types[occ.token], _modifiers(occ)
            continue
        if kind == "SINGLE":
            value = text[start:end]
            if value in "{;":
                in_impl_head = False
            if value in _OPERATOR_CHARS and not (value == "!" and start == macro_end):
                yield start, 1, operator, 0
            continue
        literal = _LITERALS.get(kind)
        if literal == "string":
            pieces = string_tokens.literal_pieces(text, start, end, kind, start in format_strings)
            if pieces is not None:
                yield from _literal_tokens(text, pieces, names)
                continue
        if literal is not None:
            mods = _DOCUMENTATION if literal == "comment" and \
                text.startswith(("///", "//!"), start) else 0
            yield from _split_lines(text, start, end - start, types[literal], mods)
        elif text[start] in _OPERATOR_CHARS and kind not in ("ARROW", "FAT_ARROW"):
            if start == macro_end and end - start == 1:
                continue  # the `!` of `println!` belongs to the macro name
            yield start, end - start, operator, 0


def _literal_tokens(text: str, pieces: list[string_tokens.Piece],
                    names: dict[int, Occurrence]) -> Iterator[Token]:
    """A literal as its pieces: text, escapes, placeholders; a name in a placeholder as the
    index classifies it (`{count}` is the local `count`, mutable or not)."""
    for s, e, what in pieces:
        if what == string_tokens.NAME:
            occ = names.get(s)
            if occ is not None:
                yield s, e - s, _TYPE[occ.token], _modifiers(occ)
            else:
                yield s, e - s, _TYPE["variable"], 0
        else:
            yield from _split_lines(text, s, e - s, _TYPE[what], 0)


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


# -- LSP's relative encoding, per item ------------------------------------------------------
#
# LSP sends tokens as five integers each: line delta, start column delta (UTF-16; relative
# to the previous token when on the same line), length (UTF-16), type, modifiers. Inside an
# item these numbers do not depend on where the item is, except for the first token's: so
# each item's encoding is cached with it, and a whole file's answer is the items' encodings
# joined, with only the first token of each item fixed up. The 5,000-line benchmark file
# has about 24,000 tokens: re-encoding them all on every request is what this avoids.


@dataclass(frozen=True, slots=True)
class Encoded:
    """One item's tokens in LSP's encoding, the first token's `line delta` and `column`
    relative to the item's start (column relative to the item's start column only on its
    first line), and where its last token starts (the same way)."""

    data: list[int]
    first: tuple[int, int]
    last: tuple[int, int]


def encode(text: str, tokens: list[Token], index: LineIndex | None = None) -> Encoded:
    """Encode `tokens` (offsets into `text`, in order, one line each); `index` is the
    line index of `text`, if the caller has it. For a whole file (offsets from 0) the
    data is LSP's encoding as is."""
    if index is None:
        index = LineIndex(text)
    starts = index.starts
    ascii_text = text.isascii()
    data: list[int] = []
    line = prev_line = prev_col = 0
    last_line_index = len(starts) - 1
    next_start = starts[1] if len(starts) > 1 else len(text) + 1
    first: tuple[int, int] | None = None
    for start, length, ty, mods in tokens:
        if start >= next_start:
            line = index.line_of(start)
            next_start = starts[line + 1] if line < last_line_index else len(text) + 1
        col = start - starts[line]
        if not ascii_text:
            col += _astral(text[starts[line] : start])
            length += _astral(text[start : start + length])
        if first is None:
            first = (line, col)
            data.extend((line, col, length, ty, mods))
        elif line != prev_line:
            data.extend((line - prev_line, col, length, ty, mods))
        else:
            data.extend((0, col - prev_col, length, ty, mods))
        prev_line, prev_col = line, col
    return Encoded(data, first or (0, 0), (prev_line, prev_col))


def _astral(s: str) -> int:
    """Characters that take two UTF-16 code units."""
    return 0 if s.isascii() else sum(1 for ch in s if ord(ch) > 0xFFFF)


def item_encoded(analysis: FileAnalysis, item: ItemAnalysis) -> Encoded:
    found = item.memo.get("encoded")
    if found is None:
        found = encode(item.node.parsed.text, item_tokens(analysis, item))
        item.memo["encoded"] = found
    assert isinstance(found, Encoded)
    return found


def encoded_file(analysis: FileAnalysis, index: LineIndex) -> list[int]:
    """The whole file's tokens in LSP's encoding (`index` is the file's line index)."""
    with paused_gc():
        out: list[int] = []
        prev = (0, 0)
        previous_end = 0
        text = analysis.text
        for item in analysis.items:
            if item.offset > previous_end:
                prev = _join(out, prev, _gap(text, previous_end, item.offset), previous_end,
                             index)
            prev = _join(out, prev, item_encoded(analysis, item), item.offset, index)
            previous_end = item.node.end
        if previous_end < len(text):
            _join(out, prev, _gap(text, previous_end, len(text)), previous_end, index)
        return out


def _gap(text: str, start: int, end: int) -> Encoded:
    return encode(text[start:end], list(_lex(text[start:end], {})))


def _join(out: list[int], prev: tuple[int, int], part: Encoded, offset: int,
          index: LineIndex) -> tuple[int, int]:
    """Append an item's encoding that starts at `offset`; returns where its last token is."""
    if not part.data:
        return prev
    pos = index.utf16_position(offset)
    line = pos.line + part.first[0]
    col = part.first[1] + (pos.column if part.first[0] == 0 else 0)
    delta = line - prev[0]
    out.append(delta)
    out.append(col - prev[1] if delta == 0 else col)
    out.extend(part.data[2:])
    return (pos.line + part.last[0], part.last[1] + (pos.column if part.last[0] == 0 else 0))


def token_edit(old: list[int], new: list[int]) -> tuple[int, int, list[int]]:
    """The one edit that turns `old` into `new` (LSP's `semanticTokens/full/delta`):
    (start, how many to delete, what to insert there), from their common prefix and
    suffix. A keystroke changes one item's tokens, so this is a few integers instead of
    the whole file's."""
    limit = min(len(old), len(new))
    prefix = _common(limit, lambda i, n: old[i : i + n] == new[i : i + n])
    limit -= prefix
    n_old, n_new = len(old), len(new)
    suffix = _common(limit, lambda i, n: old[n_old - i - n : n_old - i]
                     == new[n_new - i - n : n_new - i])
    return prefix, n_old - prefix - suffix, new[prefix : n_new - suffix]


def _common(limit: int, same: Callable[[int, int], bool]) -> int:
    """How long the common run is: `same(i, n)` says whether the n elements after the
    first i agree. Compared in blocks that shrink (slices compare at C speed), so the cost
    is about one pass over the common part."""
    i = 0
    step = 4096
    while step:
        while i + step <= limit and same(i, step):
            i += step
        step //= 8
    return i
