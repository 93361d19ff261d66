"""The inside of string and character literals, for semantic tokens, split as rust-analyzer
splits Rust's: escapes (`\\n`, `\\u{1F600}`, and `{{` `}}` in format strings) and the
placeholders of a formatting macro's format string (`{}`, `{0}`, `{name:>8.2?}`) apart from
the text around them. Sent as one `string` token, a literal would hide them: an editor
colours the semantic token over the grammar's own scopes.

Plain data: pieces of a literal's source text (offsets into the text given), which
gust.ide.semantic_tokens turns into tokens. Syntax only, so the pieces are right while the
file has type errors, as the TextMate grammar's are.
"""

from __future__ import annotations

import re

from gust.sema.check.util import FORMAT_STRING_ARG
from gust.syntax.parser import _lexer

# What a piece of a literal is: its token type in the legend, or "name" for the argument
# named in a placeholder (`x` in `{x}`: a use of the variable, classified by the index).
STRING, ESCAPE, FORMAT, NUMBER, NAME = ("string", "escapeSequence", "formatSpecifier",
                                        "number", "name")
Piece = tuple[int, int, str]  # start, end, what

_FORMAT_MACRO = re.compile(
    r"(?<![\w])(" + "|".join(sorted(FORMAT_STRING_ARG, key=len, reverse=True)) + r")\s*!\s*[(\[{]")
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
# An escape of a string or character literal. A `\` that ends a line (it continues the
# string on the next) is an escape of one character: tokens never span lines.
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u\{[0-9A-Fa-f_]*\}|[^\r\n]|(?=[\r\n]))")
# The spec after `:` (gust.sema.format.SPEC, in groups that are coloured differently).
_SPEC = re.compile(r"(?P<flags>(?:.?[<^>])?[+-]?#?)(?P<width>0?\d*)(?P<dot>\.?)"
                   r"(?P<precision>\d*)(?P<type>[^}]*)")


def format_string_starts(text: str) -> frozenset[int]:
    """Where the format strings of `text`'s formatting macros start: the string literal
    that is a `println!`'s first argument, a `write!`'s second, an `assert!`'s second."""
    if "!" not in text:
        return frozenset()
    starts: set[int] = set()
    pattern = _lexer().pattern
    for macro in _FORMAT_MACRO.finditer(text):
        wanted = FORMAT_STRING_ARG[macro.group(1)]
        depth, arg, at_start = 0, 0, True
        for m in pattern.finditer(text, macro.end()):
            kind = m.lastgroup
            if kind == "WS" or kind is None:
                continue
            value = m.group(kind)
            if kind == "SINGLE" and value in _CLOSE:
                if depth == 0:
                    break  # the end of the macro's arguments
                depth -= 1
            elif kind == "SINGLE" and value in _OPEN:
                depth += 1
            elif depth == 0 and kind == "SINGLE" and value == ",":
                arg, at_start = arg + 1, True
                continue
            elif depth == 0 and at_start and arg == wanted and kind in ("STRING", "RAW_STRING"):
                starts.add(m.start(kind))
                break
            at_start = False
            if arg > wanted:
                break
    return frozenset(starts)


def literal_pieces(text: str, start: int, end: int, kind: str, is_format: bool
                   ) -> list[Piece] | None:
    """The pieces of the literal text[start:end] (a token of the lexer's `kind`), in order
    and covering it; None when it is all plain string (no escape, no placeholder)."""
    raw = kind == "RAW_STRING"
    if raw:
        if not is_format:
            return None
        open_quote = text.index('"', start)
        body = (open_quote + 1, end - (open_quote - start))  # r#"..."#: as many # after
    else:
        body = (text.index(text[end - 1], start) + 1, end - 1)  # after b/r prefixes
    special = _special_pieces(text, body[0], body[1], escapes=not raw, placeholders=is_format)
    if not special:
        return None
    pieces: list[Piece] = []
    pos = start
    for s, e, what in special:
        if s > pos:
            pieces.append((pos, s, STRING))
        if what == FORMAT and s == pos and pieces and pieces[-1][2] == FORMAT:
            pieces[-1] = (pieces[-1][0], e, FORMAT)  # `{:` as one token, not `{` then `:`
        else:
            pieces.append((s, e, what))
        pos = e
    if pos < end:
        pieces.append((pos, end, STRING))
    return pieces


def _special_pieces(text: str, start: int, end: int, escapes: bool, placeholders: bool
                    ) -> list[Piece]:
    out: list[Piece] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "\\" and escapes:
            m = _ESCAPE.match(text, i, end)
            stop = m.end() if m is not None and m.end() > i else i + 1
            out.append((i, stop, ESCAPE))
            i = stop
        elif ch in "{}" and placeholders:
            if text.startswith(ch * 2, i):
                out.append((i, i + 2, ESCAPE))
                i += 2
            elif ch == "{":
                i = _placeholder(text, i, end, out)
            else:
                i += 1  # an unmatched `}`: the checker reports it
        else:
            i += 1
    return out


def _placeholder(text: str, start: int, end: int, out: list[Piece]) -> int:
    """Pieces of the placeholder at text[start] (`{`); where scanning goes on."""
    close = text.find("}", start, end)
    inner = text[start + 1 : close] if close >= 0 else ""
    if close < 0 or any(c in inner for c in '{\\"\n'):
        return start + 1  # not a placeholder (the checker reports a malformed one)
    out.append((start, start + 1, FORMAT))
    arg, colon, spec = inner.partition(":")
    pos = start + 1
    name = arg.strip()
    if name:
        at = pos + arg.index(name)
        out.append((at, at + len(name), NUMBER if name.isdigit() else NAME))
    pos += len(arg)
    if colon:
        m = _SPEC.fullmatch(spec)
        assert m is not None  # its last group takes any rest
        out.append((pos, pos + 1, FORMAT))
        pos += 1
        for group in ("flags", "width", "dot", "precision", "type"):
            s, e = m.span(group)
            if e > s:
                out.append((pos + s, pos + e, NUMBER if group in ("width", "precision")
                            else FORMAT))
    out.append((close, close + 1, FORMAT))
    return close + 1

