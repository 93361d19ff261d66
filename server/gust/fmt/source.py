"""What the formatter reads from the source text because the AST does not keep it.

Gust's AST is built for checking: it spells raw identifiers without `r#`, drops lifetimes
(`'a`), desugars `Fn(A) -> B` and records visibility as a flag. The formatter must write
what was written, so names and visibilities come from the source, and the few syntaxes
the AST loses (types and generics with lifetimes or `Fn(..)` sugar) are written from
their tokens with rustfmt's spacing; such types fit on one line in practice.
"""

from __future__ import annotations

import re
from typing import Any

from gust.fmt.context import Ctx
from gust.syntax.lexer import LexError
from gust.syntax.parser import _lexer

_IDENT = re.compile(r"(r#)?[A-Za-z_][A-Za-z0-9_]*")
# Syntax a type's AST does not keep: lifetimes, raw identifiers, `Fn(..)` sugar, `?Sized`.
_LOSSY = re.compile(r"'|r#|[A-Za-z0-9_]\s*\(|\?")


def name_at(ctx: Ctx, pos: int, fallback: str) -> str:
    """The identifier written at `pos` (with its `r#`), or `fallback`."""
    m = _IDENT.match(ctx.text, pos)
    if m is None:
        return fallback
    return m.group()


def node_name(ctx: Ctx, node: Any) -> str:
    """The name of a node that has `name` and `name_span`, as written."""
    name = str(node.name)
    span = getattr(node, "name_span", None)
    if span is None:
        return name
    return name_at(ctx, ctx.base + span.start, name)


def visibility(ctx: Ctx, pos: int) -> str:
    """`pub `, `pub(crate) ` or `` for the item whose keywords start at `pos`."""
    if not ctx.text.startswith("pub", pos) or _IDENT.match(ctx.text, pos) is None:
        return ""
    m = _IDENT.match(ctx.text, pos)
    if m is None or m.group() != "pub":
        return ""
    after = ctx.skip_trivia(m.end())
    if ctx.text.startswith("(", after):
        close = ctx.text.find(")", after)
        if close > 0:
            inner = " ".join(ctx.text[after + 1:close].split())
            return f"pub({inner}) "
    return "pub "


def is_lossy(snippet: str) -> bool:
    """Whether a type or generic snippet holds syntax its AST drops, so it must be
    written from its tokens."""
    return _LOSSY.search(snippet) is not None


_SPACE_AFTER_KEYWORDS = frozenset({"MUT", "DYN", "IMPL", "AS", "WHERE", "FOR", "CONST",
                                   "UNSAFE", "EXTERN", "MOVE", "REF", "IN"})
_SPACED = frozenset({"=", "->", "+", "=>"})


def render_tokens(text: str) -> str | None:
    """Tokens joined with rustfmt's spacing for types, bounds and generics, or None if
    the text holds a comment or something that does not lex."""
    if "//" in text or "/*" in text:
        return None
    out: list[str] = []
    prev_kind = ""
    prev = ""
    for tok in _lexer().tokens(text):
        if isinstance(tok, LexError):
            return None
        kind, value = str(tok.type), str(tok.value)
        if out and _space_between(prev_kind, prev, kind, value):
            out.append(" ")
        out.append(value)
        prev_kind, prev = kind, value
    return "".join(out)


def _is_word(kind: str, value: str) -> bool:
    """Whether a token is word-like, so two in a row need a space between them."""
    return kind == "IDENT" or value[:1].isalnum() or value.startswith("'") or \
        value[:1] == "_"


def _space_between(prev_kind: str, prev: str, kind: str, value: str) -> bool:
    """Whether rustfmt puts a space between two tokens of a type or generics."""
    if value == "?" and prev in (":", "+"):
        return True  # `T: ?Sized`, `Display + ?Sized`
    if value in (",", ";", ")", "]", ">", ":", "::", "?", ".") or prev in ("(", "[", "<", "::",
                                                                           "&", "!", "."):
        return value in _SPACED
    if prev in _SPACED or value in _SPACED:
        return True
    if prev in (",", ";", ":"):
        return True
    if prev_kind in _SPACE_AFTER_KEYWORDS:
        return True
    if prev.startswith("'") and (_is_word(kind, value) or value in ("[", "(")):
        return True  # `&'a str`, `&'a [u32]`, `&'a (u8, u8)`
    if prev == "&" or value in ("(", "[", "<"):
        return False
    return _is_word(prev_kind, prev) and _is_word(kind, value)
