"""Attributes (rustfmt's `attr.rs`): `#[derive(A, B)]` lists are merged when adjacent, and
every attribute is rewritten from its tokens (`#[ allow( x ) ]` is `#[allow(x)]`)."""

from __future__ import annotations

from collections.abc import Callable

from gust.fmt import lists, overflow
from gust.fmt.comment import contains_comment, recover_missing_comment_in_span
from gust.fmt.context import Ctx
from gust.fmt.lists import COMMA_LEN, HORIZONTAL_VERTICAL, ListFormatting, ListItem
from gust.fmt.shape import ATTR_FN_LIKE_WIDTH, TAB_SPACES, Shape
from gust.fmt.strings import blen
from gust.syntax import ast
from gust.syntax.lexer import LexError
from gust.syntax.parser import _lexer


def _tokens(text: str) -> list[tuple[str, str, int, int]] | None:
    """(kind, value, start, end) of the tokens of an attribute, or None if it does not lex."""
    result = []
    for tok in _lexer().tokens(text):
        if isinstance(tok, LexError):
            return None
        result.append((tok.type, str(tok.value), int(tok.start_pos or 0),
                       int(tok.end_pos or 0)))
    return result


def _meta_items(text: str) -> tuple[str, list[tuple[str, str, int, int]], bool] | None:
    """The path of `#[path(args)]` or `#[path = lit]`, its arguments as (kind, text, lo,
    hi) relative to `text`, and whether it has parentheses."""
    toks = _tokens(text)
    if toks is None or len(toks) < 3 or toks[0][1] != "#" or toks[1][1] != "[" \
            or toks[-1][1] != "]":
        return None
    inner = toks[2:-1]
    i = 0
    path = ""
    while i < len(inner) and (inner[i][0] in ("IDENT", "SELF_LOWER", "SUPER", "CRATE",
                                              "SELF_TYPE") or inner[i][1] == "::"):
        path += inner[i][1]
        i += 1
    if not path:
        return None
    rest = inner[i:]
    if not rest:
        return path, [], False
    if rest[0][1] == "=" and len(rest) == 2:
        return path, [("value", rest[1][1], rest[1][2], rest[1][3])], False
    if rest[0][1] != "(" or rest[-1][1] != ")":
        return None
    args: list[tuple[str, str, int, int]] = []
    current: list[tuple[str, str, int, int]] = []
    for tok in [*rest[1:-1], (",", ",", -1, -1)]:
        if tok[1] == ",":
            if current:
                args.append(_meta_arg(current))
            current = []
        else:
            current.append(tok)
    return path, args, True


def _meta_arg(toks: list[tuple[str, str, int, int]]) -> tuple[str, str, int, int]:
    """Classify one argument of a meta list: `name = value`, a literal, or a path/nested
    meta item (written without spaces)."""
    lo, hi = toks[0][2], toks[-1][3]
    if len(toks) == 3 and toks[1][1] == "=":
        return "name_value", f"{toks[0][1]} = {toks[2][1]}", lo, hi
    if len(toks) == 1 and toks[0][0] not in ("IDENT", "SELF_LOWER", "SUPER", "CRATE"):
        return overflow.META_LIT, toks[0][1], lo, hi
    return overflow.META, "".join(t[1] for t in toks), lo, hi


def rewrite_attr(ctx: Ctx, attr: ast.Attribute, shape: Shape) -> str:
    """One attribute, re-spaced from its tokens with its argument list laid out like a
    call; an attribute with a comment or unusual syntax is kept as written."""
    snippet = ctx.snippet(attr)
    if contains_comment(snippet):
        return snippet
    meta = _meta_items(snippet)
    if meta is None:
        return snippet
    path, args, parens = meta
    inner_shape = shape.offset_left(2)
    if inner_shape is None:
        return snippet
    if not parens and not args:
        return f"#[{path}]"
    if not parens:
        return f"#[{path} = {args[0][1]}]"
    lo = ctx.lo(attr)
    items = [overflow.OItem(kind, text, lo + a_lo, lo + a_hi, _constant(text))
             for kind, text, a_lo, a_hi in args]
    list_shape = inner_shape.sub_width(1)
    if list_shape is None:
        return snippet
    trailing = lists.ALWAYS if _ends_with_comma(snippet) else lists.NEVER
    body = overflow.rewrite_with_parens(ctx, path, items, list_shape, lo, ctx.hi(attr),
                                        ATTR_FN_LIKE_WIDTH, trailing)
    return snippet if body is None else f"#[{body}]"


def _constant(text: str) -> Callable[[Shape], str | None]:
    """A meta item's rewrite: its normalised text, whatever the shape."""
    return lambda shape: text


def _ends_with_comma(snippet: str) -> bool:
    """rustfmt keeps a trailing comma in an attribute's list exactly when it was written."""
    from gust.fmt.exprs import span_ends_with_comma

    return span_ends_with_comma(snippet)


def _is_derive(ctx: Ctx, attr: ast.Attribute) -> bool:
    """A `#[derive(..)]` whose arguments can be read (and so merged with its neighbours)."""
    return attr.name == "derive" and _meta_items(ctx.snippet(attr)) is not None


def _format_derive(ctx: Ctx, derives: list[ast.Attribute], shape: Shape) -> str | None:
    """Adjacent derives merged into one `#[derive(A, B)]`, broken one trait per line when
    too long (rustfmt's `format_derive`)."""
    items: list[ListItem] = []
    for attr in derives:
        lo, hi = ctx.lo(attr), ctx.hi(attr)
        meta = _meta_items(ctx.snippet(attr))
        if meta is None:
            return None
        spans = [(lo + a_lo, lo + a_hi) for _, _, a_lo, a_hi in meta[1]]
        items.extend(lists.itemize_list(
            ctx.text, spans, ")", ",", lambda s: s[0], lambda s: s[1],
            lambda s: ctx.snip(s[0], s[1]), ctx.span_after(lo, hi, "("), hi))
    argument_shape = shape.block_indent(TAB_SPACES).with_max_width()
    one_line = shape.offset_left(len("[derive()]") + 1)
    one_line = one_line.sub_width(len("()]")) if one_line is not None else None
    if one_line is None:
        return None
    tactic = lists.definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN, argument_shape.width)
    fmt = ListFormatting(argument_shape, tactic=tactic, trailing_separator=lists.ALWAYS,
                         ends_with_newline=False)
    item_str = lists.write_list(items, fmt)
    if item_str is None:
        return None
    nested = "\n" in item_str or blen(item_str) > one_line.width
    if nested:
        return (f"#[derive({argument_shape.indent.newline()}{item_str}"
                f"{shape.indent.newline()})]")
    if item_str.endswith(","):
        item_str = item_str[:-1]
    return f"#[derive({item_str})]"


def _derive_run(ctx: Ctx, attrs: list[ast.Attribute]) -> int:
    """How many attributes from the first form one run of derives to merge."""
    n = 0
    for i, attr in enumerate(attrs):
        if not _is_derive(ctx, attr):
            break
        n += 1
        if i + 1 < len(attrs):
            between = ctx.snip(ctx.hi(attr), ctx.lo(attrs[i + 1]))
            if between.count("\n") >= 2 or "/" in between:
                break
    return n


def rewrite_attrs(ctx: Ctx, attrs: list[ast.Attribute], shape: Shape) -> str | None:
    """A list of outer attributes, one per line, with the comments between them."""
    result = ""
    rest = list(attrs)
    while rest:
        n = _derive_run(ctx, rest)
        if n:
            derive = _format_derive(ctx, rest[:n], shape)
            result += derive if derive is not None else ctx.snippet(rest[0])
            if derive is None:
                n = 1
        else:
            n = 1
            result += rewrite_attr(ctx, rest[0], shape)
        if n < len(rest):
            between = ctx.snip(ctx.hi(rest[n - 1]), ctx.lo(rest[n]))
            comment = recover_missing_comment_in_span(between, shape.with_max_width(), 0)
            if comment is None:
                return None
            result += comment + "\n" + shape.indent.to_string()
        rest = rest[n:]
    return result
