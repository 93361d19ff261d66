"""Patterns (rustfmt's `patterns.rs`)."""

from __future__ import annotations

from collections.abc import Callable

from gust.fmt import exprs, lists, overflow, pairs, source, types
from gust.fmt.comment import combine_strs_with_missing_comments
from gust.fmt.context import Ctx
from gust.fmt.lists import (
    BAR_LEN,
    HORIZONTAL_VERTICAL,
    MIXED,
    ListFormatting,
    ListItem,
    definitive_tactic,
    itemize_list,
    shape_for_tactic,
    struct_lit_formatting,
    struct_lit_shape,
    struct_lit_tactic,
    write_list,
)
from gust.fmt.shape import MAX_WIDTH, TAB_SPACES, Shape
from gust.fmt.strings import blen, wrap_str
from gust.syntax import ast


def pat_rewriter(ctx: Ctx, pat: ast.Pat) -> Callable[[Shape], str | None]:
    """A rewriter for a pattern, for helpers that try it in several shapes."""
    return lambda shape: rewrite_pat(ctx, pat, shape)


def rewrite_pat(ctx: Ctx, pat: ast.Pat, shape: Shape) -> str | None:
    """Format a pattern, memoised like expressions; unknown pattern kinds keep their
    source text when it fits."""
    key = ("pat", id(pat), ctx.base, shape, ctx.flags())
    if key in ctx.cache:
        return ctx.cache[key]
    handler = _HANDLERS.get(type(pat).__name__)
    snippet = ctx.snippet(pat)
    result = handler(ctx, pat, shape) if handler else wrap_str(snippet, shape)
    ctx.cache[key] = result
    return result


def rewrite_grouped_pat(ctx: Ctx, pat: ast.Pat, shape: Shape) -> str | None:
    """A pattern where an or-pattern needs parentheses (`let (A | B) = ..`, `&(1 | 2)`,
    `n @ (1 | 2)`): the parser keeps no node for them (gust.syntax.build.tuple_pattern),
    so they are written back here, else the text would mean something else or not parse."""
    if not isinstance(pat, ast.OrPat):
        return rewrite_pat(ctx, pat, shape)
    inner_shape = shape.offset_left(1)
    inner_shape = inner_shape.sub_width(1) if inner_shape else None
    inner = rewrite_pat(ctx, pat, inner_shape) if inner_shape else None
    return None if inner is None else f"({inner})"


def _ident(ctx: Ctx, p: ast.IdentPat, shape: Shape) -> str | None:
    """`ref mut name @ sub`, keeping comments between the parts."""
    lo, hi = ctx.lo(p), ctx.hi(p)
    name_lo, name_hi = ctx.base + p.name_span.start, ctx.base + p.name_span.end
    name = source.node_name(ctx, p)
    binding = _binding_mode(ctx, p, shape)
    if binding is None:
        return None
    first_lo, first = binding
    nxt: str | None = name
    if p.sub is not None:
        sub = _ident_sub(ctx, p, p.sub, name, shape)
        if sub is None:
            return None
        nxt = combine_strs_with_missing_comments(
            name, sub, ctx.snip(name_hi, ctx.span_before(lo, hi, "@")), shape, True)
    if nxt is None:
        return None
    return combine_strs_with_missing_comments(first, nxt, ctx.snip(first_lo, name_lo), shape,
                                              True)


def _binding_mode(ctx: Ctx, p: ast.IdentPat, shape: Shape) -> tuple[int, str] | None:
    """`ref`, `mut` or `ref mut` before the name, and where it ends in the source."""
    lo, hi = ctx.lo(p), ctx.hi(p)
    if p.by_ref and p.mutable:
        between = ctx.snip(ctx.span_after(lo, hi, "ref"), ctx.span_before(lo, hi, "mut"))
        first = combine_strs_with_missing_comments("ref", "mut", between, shape, True)
        return None if first is None else (ctx.span_after(lo, hi, "mut"), first)
    if p.by_ref:
        return ctx.span_after(lo, hi, "ref"), "ref"
    if p.mutable:
        return ctx.span_after(lo, hi, "mut"), "mut"
    return lo, ""


def _ident_sub(ctx: Ctx, p: ast.IdentPat, sub: ast.Pat, name: str, shape: Shape) -> str | None:
    """`@ sub` of a binding, with comments between `@` and the sub-pattern."""
    prefix_len = (3 if p.by_ref else 0) + (3 if p.mutable else 0)
    width = shape.width - (prefix_len + blen(name) + 2)
    if width < 0:
        return None
    sub_str = rewrite_grouped_pat(ctx, sub, Shape.legacy(width, shape.indent))
    if sub_str is None:
        return None
    at_after = ctx.span_after(ctx.base + p.name_span.end, ctx.hi(p), "@")
    return combine_strs_with_missing_comments(
        "@", sub_str, ctx.snip(at_after, ctx.lo(sub)), shape, True)


def _wild(ctx: Ctx, p: ast.WildPat, shape: Shape) -> str | None:
    """`_`."""
    return "_" if shape.width >= 1 else None


def _rest(ctx: Ctx, p: ast.RestPat, shape: Shape) -> str | None:
    """`..` in a tuple or slice pattern."""
    return ".." if shape.width >= 1 else None


def _lit_str(ctx: Ctx, p: ast.LitPat, shape: Shape) -> str | None:
    """A literal pattern as written, with its `-` sign."""
    lit = p.lit

    def rewrite_lit(s: Shape) -> str | None:
        """The literal's source text, when it fits (a path such as `i8 :: MIN` unspaced)."""
        text = ctx.snippet(lit)
        if "::" in lit.text and "/" not in text:
            text = "::".join(part.strip() for part in text.split("::"))
        return wrap_str(text, s)

    # `i8::MIN` as a range's end is lowered to its (negative) value; its text has no sign.
    if p.negative and "::" not in lit.text:
        return exprs.rewrite_unary_prefix("-", rewrite_lit, shape)
    return rewrite_lit(shape)


def _lit(ctx: Ctx, p: ast.LitPat, shape: Shape) -> str | None:
    """A literal pattern."""
    return _lit_str(ctx, p, shape)


def _range(ctx: Ctx, p: ast.RangePat, shape: Shape) -> str | None:
    """`lo..=hi` with the operands never spaced from the operator."""
    infix = "..=" if p.inclusive else ".."
    lo, hi = p.lo, p.hi
    if lo is None or hi is None:  # half-open: `30..`, `..0`, `..=9`
        end = _lit_str(ctx, lo, shape) if lo is not None else \
            _lit_str(ctx, hi, shape) if hi is not None else ""
        if end is None:
            return None
        text = end + infix if lo is not None else infix + end
        return text if len(text) <= shape.width else None
    return pairs.rewrite_pair(lambda s: _lit_str(ctx, lo, s), lambda s: _lit_str(ctx, hi, s),
                              "", infix, "", shape, pairs.FRONT)


def _path(ctx: Ctx, p: ast.PathPat, shape: Shape) -> str | None:
    """A path pattern such as `None` or `Color::Red`."""
    return types.rewrite_path(ctx, p.path, shape, expr_context=True)


def _ref(ctx: Ctx, p: ast.RefPat, shape: Shape) -> str | None:
    """`&pat` or `&mut pat`."""
    return exprs.rewrite_unary_prefix("&mut " if p.mutable else "&",
                                      lambda inner: rewrite_grouped_pat(ctx, p.inner, inner),
                                      shape)


def _slice(ctx: Ctx, p: ast.SlicePat, shape: Shape) -> str | None:
    """`[a, b, rest @ ..]`: rustfmt joins slice patterns on one line without a list
    layout."""
    parts = [rewrite_pat(ctx, e, shape) or ctx.snippet(e) for e in p.elems]
    return "[" + ", ".join(parts) + "]"


def _tuple(ctx: Ctx, p: ast.TuplePat, shape: Shape) -> str | None:
    """`(a, b)`; a single element keeps its comma."""
    return _tuple_pat(ctx, p.elems, None, ctx.lo(p), ctx.hi(p), shape)


def _tuple_struct(ctx: Ctx, p: ast.TupleStructPat, shape: Shape) -> str | None:
    """`Path(a, b)`, laid out like a call."""
    path = types.rewrite_path(ctx, p.path, shape, expr_context=True)
    if path is None:
        return None
    return _tuple_pat(ctx, p.elems, path, ctx.lo(p), ctx.hi(p), shape)


def _tuple_pat(ctx: Ctx, elems: tuple[ast.Pat, ...], path: str | None, lo: int, hi: int,
               shape: Shape) -> str | None:
    """The parenthesised elements of a tuple or tuple-struct pattern, laid out like call
    arguments (which may overflow the last one)."""
    if not elems:
        return f"{path or ''}()"
    add_comma = path is None and len(elems) == 1 and not isinstance(elems[-1], ast.RestPat)
    items = [overflow.OItem(overflow.PAT, e, ctx.lo(e), ctx.hi(e), pat_rewriter(ctx, e))
             for e in elems]
    return overflow.rewrite_with_parens(ctx, path or "", items, shape, lo, hi, MAX_WIDTH,
                                        lists.ALWAYS if add_comma else None)


def _field(ctx: Ctx, f: ast.FieldPat, shape: Shape) -> str | None:
    """`name: pat` of a struct pattern (or a shorthand name); a pattern that does not fit
    moves to the next line."""
    pat = rewrite_pat(ctx, f.pat, shape)
    if pat is None:
        return None
    if f.shorthand:
        return pat
    nested = shape.block_indent(TAB_SPACES)
    name = source.node_name(ctx, f)
    if blen(name) + 2 + blen(pat) <= shape.width:
        return f"{name}: {pat}"
    inner = rewrite_pat(ctx, f.pat, nested)
    if inner is None:
        return None
    return f"{name}:\n{nested.indent.to_string()}{inner}"


def _struct(ctx: Ctx, p: ast.StructPat, shape: Shape) -> str | None:
    """`Path { field: pat, .. }`, laid out like a struct literal."""
    path_shape = shape.sub_width(2)
    if path_shape is None:
        return None
    path = types.rewrite_path(ctx, p.path, path_shape, expr_context=True)
    if path is None:
        return None
    if not p.fields and not p.has_rest:
        return path + " {}"
    ellipsis, terminator = (", ..", "..") if p.has_rest else ("", "}")
    h_shape, v_shape = struct_lit_shape(shape, blen(path) + 3, len(ellipsis) + 2)
    lo, hi = ctx.lo(p), ctx.hi(p)
    items = itemize_list(ctx.text, p.fields, terminator, ",", ctx.lo, ctx.hi,
                         lambda f: _field(ctx, f, v_shape), ctx.span_after(lo, hi, "{"), hi)
    tactic = struct_lit_tactic(h_shape, items)
    nested_shape = shape_for_tactic(tactic, h_shape, v_shape)
    fmt = struct_lit_formatting(nested_shape, tactic, False)
    fields = write_list(items, fmt)
    if fields is None:
        return None
    one_line_width = h_shape.width if h_shape is not None else 0
    if p.has_rest:
        fields = _with_rest(fields, fmt, nested_shape, one_line_width)
    return f"{path} {{{exprs.wrap_struct_field(fields, shape, v_shape, one_line_width)}}}"


def _with_rest(fields: str, fmt: ListFormatting, nested_shape: Shape,
               one_line_width: int) -> str:
    """Append `..` to the fields: on its own line after a comma in a vertical layout."""
    has_trailing_comma = fmt.needs_trailing_separator()
    if "\n" in fields or blen(fields) > one_line_width:
        if not has_trailing_comma:
            fields += ","
        fields += "\n" + nested_shape.indent.to_string()
    elif fields:
        fields += " " if has_trailing_comma else ", "
    return fields + ".."


def _is_short_inner(p: object) -> bool:
    """rustfmt's `is_short_pattern_inner`: or-patterns of short simple alternatives are
    packed several per line."""
    if isinstance(p, (ast.RestPat, ast.WildPat, ast.LitPat)):
        return True
    if isinstance(p, ast.IdentPat):
        return p.sub is None
    if isinstance(p, ast.TuplePat):
        return len(p.elems) <= 1
    if isinstance(p, ast.TupleStructPat):
        return len(p.path.segments) <= 1 and len(p.elems) <= 1
    if isinstance(p, ast.RefPat):
        return _is_short_inner(p.inner)
    if isinstance(p, ast.OrPat):
        return all(_is_short_inner(a) for a in p.alts)
    return False


def _or(ctx: Ctx, p: ast.OrPat, shape: Shape) -> str | None:
    """`a | b | c`: on one line, packed, or one alternative per line with `|` in front."""
    strs = [rewrite_pat(ctx, a, shape) for a in p.alts]
    if any(s is None for s in strs):
        return None
    texts = [s for s in strs if s is not None]
    mixed = all(blen(s) <= 20 and "\n" not in s and _is_short_inner(a)
                for a, s in zip(p.alts, texts, strict=True))
    items = [ListItem(s) for s in texts]
    tactic = MIXED if mixed else definitive_tactic(items, HORIZONTAL_VERTICAL, BAR_LEN,
                                                    shape.width)
    fmt = ListFormatting(shape, tactic=tactic, separator=" |", separator_place=lists.FRONT,
                         ends_with_newline=False)
    return write_list(items, fmt)


def can_be_overflowed_pat(p: object, n: int) -> bool:
    """Whether a last pattern argument may overflow (`Some(Foo {` ... `})`)."""
    if isinstance(p, (ast.PathPat, ast.TuplePat, ast.StructPat, ast.TupleStructPat)):
        return n == 1
    if isinstance(p, ast.RefPat):
        return can_be_overflowed_pat(p.inner, n)
    return False


_HANDLERS: dict[str, Callable[..., str | None]] = {
    "IdentPat": _ident,
    "WildPat": _wild,
    "RestPat": _rest,
    "LitPat": _lit,
    "RangePat": _range,
    "PathPat": _path,
    "TupleStructPat": _tuple_struct,
    "StructPat": _struct,
    "TuplePat": _tuple,
    "SlicePat": _slice,
    "RefPat": _ref,
    "OrPat": _or,
}
