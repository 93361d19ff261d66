"""Expressions, blocks and statements (rustfmt's `expr.rs`, `stmt.rs` and `Local`).

`format_expr` rewrites one expression into a shape or fails (None), in which case the
caller tries another shape or keeps the source text. Every rewrite is checked for lost
comments (`recover_comment_removed`): if a comment inside the expression was not carried
over, the original text is kept, which is how rustfmt guarantees it never drops a comment.
Results are cached per (node, shape, flags): rustfmt re-formats subexpressions with many
shapes and the cache keeps that linear in practice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from gust.fmt import chains, closures, control, macros, matches, overflow, pairs, patterns, types
from gust.fmt.comment import (
    char_classes,
    combine_strs_with_missing_comments,
    contains_comment,
    find_last_uncommented,
    is_comment_kind,
    recover_comment_removed,
    rewrite_comment,
    rewrite_missing_comment,
)
from gust.fmt.context import EMPTY, EXPR, LOCAL, MAC, SEMI, BlockView, Ctx, StmtView, block_view
from gust.fmt.lists import (
    ALWAYS,
    NEVER,
    ListItem,
    itemize_list,
    shape_for_tactic,
    struct_lit_formatting,
    struct_lit_shape,
    struct_lit_tactic,
    write_list,
)
from gust.fmt.shape import FN_CALL_WIDTH, SINGLE_LINE_LET_ELSE_MAX_WIDTH, Shape
from gust.fmt.strings import (
    blen,
    count_newlines,
    filtered_str_fits,
    first_line_ends_with,
    last_line_width,
    lines,
    uwidth,
    wrap_str,
)
from gust.syntax import ast
from gust.syntax.walk import walk

STATEMENT = "statement"
SUB = "sub"

DEFAULT = "default"
FORCE_NEXT_LINE_WITHOUT_INDENT = "force_next_line_without_indent"
ALLOW_OVERFLOW = "allow_overflow"

Rewriter = Callable[[Shape], "str | None"]


def rewrite_expr(ctx: Ctx, expr: ast.Expr, shape: Shape) -> str | None:
    """An expression used inside another one (rustfmt's `ExprType::SubExpression`)."""
    return format_expr(ctx, expr, SUB, shape)


def format_expr(ctx: Ctx, expr: ast.Expr, expr_type: str, shape: Shape) -> str | None:
    """Format an expression, memoised: rustfmt's layout search re-formats the same sub-
    expression into the same shapes many times."""
    key = ("expr", id(expr), ctx.base, expr_type, shape, ctx.flags())
    if key in ctx.cache:
        return ctx.cache[key]
    result = _format_expr(ctx, expr, expr_type, shape)
    ctx.cache[key] = result
    return result


def _format_expr(ctx: Ctx, expr: ast.Expr, expr_type: str, shape: Shape) -> str | None:
    """Dispatch on the node type; the result is discarded in favour of the source text if
    a comment inside the expression was lost."""
    if expr_type == STATEMENT and semicolon_for_expr(expr):
        narrowed = shape.sub_width(1)
        if narrowed is None:
            return None
        shape = narrowed
    handler = _HANDLERS.get(type(expr).__name__)
    if handler is None:
        rewrite = _unknown(ctx, expr, shape)
    else:
        rewrite = handler(ctx, expr, expr_type, shape)
    if rewrite is None:
        return None
    return recover_comment_removed(rewrite, ctx.snippet(expr))


def _unknown(ctx: Ctx, expr: object, shape: Shape) -> str | None:
    """Syntax the formatter does not know (yet): its source text, when it fits."""
    return wrap_str(ctx.snippet(expr), shape)


# ---------------------------------------------------------------- predicates


def semicolon_for_expr(expr: object) -> bool:
    """`return`, `break` and `continue` get a `;` when they end a block (rustfmt's
    `semicolon_for_expr`)."""
    return isinstance(expr, (ast.Return, ast.Continue, ast.Break))


def is_simple_expr(expr: object) -> bool:
    """Literals, short paths and simple combinations of them: rustfmt keeps lists of such
    elements denser (e.g. arrays of short numbers)."""
    if isinstance(expr, ast.Literal):
        return True
    if isinstance(expr, ast.PathExpr):
        return len(expr.path.segments) <= 1
    if isinstance(expr, (ast.Borrow, ast.Unary)):
        return is_simple_expr(expr.operand)
    if isinstance(expr, ast.Cast):
        return is_simple_expr(expr.expr)
    if isinstance(expr, (ast.Field, ast.TupleField)):
        return is_simple_expr(expr.base)
    if isinstance(expr, ast.Try):
        return is_simple_expr(expr.inner)
    if isinstance(expr, ast.Index):
        return is_simple_expr(expr.base) and is_simple_expr(expr.index)
    if isinstance(expr, ast.ArrayRepeat):
        return is_simple_expr(expr.value) and is_simple_expr(expr.count)
    return False


def _unary_inner(expr: object) -> object | None:
    """The operand of a prefix/suffix operator or cast, which many rules look through."""
    if isinstance(expr, (ast.Borrow, ast.Unary)):
        return expr.operand
    if isinstance(expr, ast.Try):
        return expr.inner
    if isinstance(expr, ast.Cast):
        return expr.expr
    return None


def can_be_overflowed_expr(expr: object, n: int) -> bool:
    """Whether a last argument of this kind may start on the call's line and continue
    below (rustfmt's `can_be_overflowed_expr`); delimited expressions only when they
    are the only argument."""
    if isinstance(expr, (ast.Match, ast.If, ast.For, ast.Loop, ast.While, ast.ArrayExpr,
                         ast.StructLit, ast.MacroCall, ast.Call, ast.MethodCall,
                         ast.TupleExpr)):
        return n == 1
    if isinstance(expr, (ast.Block, ast.Closure)):
        return True
    inner = _unary_inner(expr)
    return inner is not None and can_be_overflowed_expr(inner, n)


def is_nested_call(expr: object) -> bool:
    """A call (possibly under `&`, `!`, `?` or `as`): rustfmt treats a call whose only
    argument is such a call specially."""
    if isinstance(expr, (ast.Call, ast.MacroCall)):
        return True
    inner = _unary_inner(expr)
    return inner is not None and is_nested_call(inner)


def is_method_call(expr: object) -> bool:
    """A method call (possibly under a prefix operator, `?` or `as`)."""
    if isinstance(expr, ast.MethodCall):
        return True
    inner = _unary_inner(expr)
    return inner is not None and is_method_call(inner)


def span_ends_with_comma(snippet: str) -> bool:
    """Whether a call or list ends with a trailing comma (comments ignored)."""
    kinds = char_classes(snippet)
    result = False
    prev = ""
    for i, c in enumerate(snippet):
        if is_comment_kind(kinds[i]) or c.isspace():
            continue
        if c in ")}]":
            result = result and prev not in (")", "}", "]")
        elif c == ",":
            result = True
        else:
            result = False
        prev = c
    return result


# ---------------------------------------------------------------- small expressions


def _literal(ctx: Ctx, e: ast.Literal, et: str, shape: Shape) -> str | None:
    """A literal as written; a raw string that is too long is still kept, as it cannot be
    broken."""
    snippet = ctx.snippet(e)
    rewrite = wrap_str(snippet, shape)
    if rewrite is None and e.text.startswith("r"):
        return snippet.strip()
    return rewrite


def _path(ctx: Ctx, e: ast.PathExpr, et: str, shape: Shape) -> str | None:
    """A path expression such as `a::b::<T>`."""
    return types.rewrite_path(ctx, e.path, shape, expr_context=True)


def rewrite_unary_prefix(prefix: str, rewrite: Rewriter, shape: Shape) -> str | None:
    """`prefix` followed by what `rewrite` produces in the rest of the shape."""
    inner_shape = shape.offset_left(blen(prefix))
    if inner_shape is None:
        return None
    inner = rewrite(inner_shape)
    return None if inner is None else prefix + inner


def rewrite_unary_suffix(suffix: str, rewrite: Rewriter, shape: Shape) -> str | None:
    """What `rewrite` produces followed by `suffix`, leaving room for it."""
    inner_shape = shape.sub_width(blen(suffix))
    if inner_shape is None:
        return None
    inner = rewrite(inner_shape)
    return None if inner is None else inner + suffix


def expr_rewriter(ctx: Ctx, expr: ast.Expr) -> Rewriter:
    """A rewriter for an expression, for the helpers that try it in several shapes."""
    return lambda shape: rewrite_expr(ctx, expr, shape)


def _unary(ctx: Ctx, e: ast.Unary, et: str, shape: Shape) -> str | None:
    """`-x`, `!x`, `*x`."""
    return rewrite_unary_prefix(e.op, expr_rewriter(ctx, e.operand), shape)


def _borrow(ctx: Ctx, e: ast.Borrow, et: str, shape: Shape) -> str | None:
    """`&x` or `&mut x`."""
    return rewrite_unary_prefix("&mut " if e.mutable else "&", expr_rewriter(ctx, e.operand),
                                shape)


def _go(ctx: Ctx, e: object, et: str, shape: Shape) -> str | None:
    """Gust's `go call()` statement expression."""
    inner = getattr(e, "call", None)
    if inner is None:
        return _unknown(ctx, e, shape)
    return rewrite_unary_prefix("go ", expr_rewriter(ctx, inner), shape)


def _underscore(ctx: Ctx, e: object, et: str, shape: Shape) -> str | None:
    """`_` as an expression (the left-hand side of a destructuring assignment)."""
    return "_"


def _label(label: str | None) -> str:
    """` 'label` after `break`/`continue`, as written."""
    return f" '{label}" if label else ""


def _continue(ctx: Ctx, e: ast.Continue, et: str, shape: Shape) -> str | None:
    """`continue` with its label."""
    return "continue" + _label(e.label)


def _break(ctx: Ctx, e: ast.Break, et: str, shape: Shape) -> str | None:
    """`break` with its label and value."""
    keyword = "break" + _label(e.label)
    if e.value is None:
        return keyword
    return rewrite_unary_prefix(keyword + " ", expr_rewriter(ctx, e.value), shape)


def _return(ctx: Ctx, e: ast.Return, et: str, shape: Shape) -> str | None:
    """`return` with its value."""
    if e.value is None:
        return "return"
    return rewrite_unary_prefix("return ", expr_rewriter(ctx, e.value), shape)


def _cast(ctx: Ctx, e: ast.Cast, et: str, shape: Shape) -> str | None:
    """`x as T`, breaking before `as` when it does not fit."""
    return pairs.rewrite_pair(expr_rewriter(ctx, e.expr), types.ty_rewriter(ctx, e.ty),
                              "", " as ", "", shape, pairs.FRONT)


def _repeat(ctx: Ctx, e: ast.ArrayRepeat, et: str, shape: Shape) -> str | None:
    """`[value; count]`, breaking after `;` when it does not fit."""
    return pairs.rewrite_pair(expr_rewriter(ctx, e.value), expr_rewriter(ctx, e.count),
                              "[", "; ", "]", shape, pairs.BACK)


def _binary(ctx: Ctx, e: ast.Binary, et: str, shape: Shape) -> str | None:
    """A binary expression; runs of the same operator are laid out together, one
    operand per line when they do not fit."""
    result = pairs.rewrite_all_pairs(ctx, e, shape)
    if result is not None:
        return result
    return pairs.rewrite_pair(expr_rewriter(ctx, e.lhs), expr_rewriter(ctx, e.rhs), "",
                              f" {e.op} ", "", shape, pairs.FRONT)


def _needs_space_before_range(e: object) -> bool:
    """`1. ..2` needs a space: `1...2` would not lex."""
    if isinstance(e, ast.Literal):
        return e.kind == "float" and e.text.endswith(".")
    if isinstance(e, ast.Unary):
        return _needs_space_before_range(e.operand)
    if isinstance(e, ast.Binary):
        return _needs_space_before_range(e.rhs)
    return False


def _range(ctx: Ctx, e: ast.Range, et: str, shape: Shape) -> str | None:
    """`a..b`, `a..=b`, `..b`, `a..` and `..`; the operands are never spaced from the
    operator."""
    delim = "..=" if e.inclusive else ".."
    before = " " if e.lo is not None and _needs_space_before_range(e.lo) else ""
    after = " " if isinstance(e.hi, ast.Range) and e.hi.lo is None else ""
    sp_delim = before + delim + after
    if e.lo is not None and e.hi is not None:
        return pairs.rewrite_pair(expr_rewriter(ctx, e.lo), expr_rewriter(ctx, e.hi), "",
                                  sp_delim, "", shape, pairs.FRONT)
    if e.hi is not None:
        return rewrite_unary_prefix(sp_delim, expr_rewriter(ctx, e.hi), shape)
    if e.lo is not None:
        return rewrite_unary_suffix(sp_delim, expr_rewriter(ctx, e.lo), shape)
    return delim


def _paren(ctx: Ctx, e: ast.Paren, et: str, shape: Shape) -> str | None:
    """`(expr)`, with nested parentheses removed when no comment is in the way; a line
    comment inside the parentheses puts their content on lines of its own."""
    stripped = _strip_nested_parens(ctx, e, shape)
    if stripped is None:
        return None
    sub, pre, post = stripped
    if "//" not in pre and "//" not in post:
        sub_shape = shape.offset_left(1)
        sub_shape = sub_shape.sub_width(1) if sub_shape is not None else None
        if sub_shape is None:
            return None
        inner = rewrite_expr(ctx, sub, sub_shape)
        return None if inner is None else f"({pre}{inner}{post})"
    nested_indent = shape.indent.indented()
    inner = rewrite_expr(ctx, sub, Shape.indented(nested_indent))
    if inner is None:
        return None
    parts = ["("]
    if pre:
        parts += [nested_indent.newline(), pre]
    parts += [nested_indent.newline(), inner]
    if post:
        parts += [nested_indent.newline(), post]
    parts += [shape.indent.newline(), ")"]
    return "".join(parts)


def _strip_nested_parens(ctx: Ctx, e: ast.Paren, shape: Shape) -> tuple[ast.Expr, str, str] | None:
    """`((x))` → the innermost expression that cannot lose a pair of parentheses, with
    the comments just inside the outermost pair kept."""
    lo, hi = ctx.lo(e), ctx.hi(e)
    sub: ast.Expr = e.inner
    while True:
        pre = rewrite_missing_comment(ctx.snip(lo + 1, ctx.lo(sub)), shape)
        post = rewrite_missing_comment(ctx.snip(ctx.hi(sub), hi - 1), shape)
        if pre is None or post is None:
            return None
        if not isinstance(sub, ast.Paren) or pre or post:
            return sub, pre, post
        lo, hi = ctx.lo(sub), ctx.hi(sub)
        sub = sub.inner


def rewrite_call(ctx: Ctx, callee: str, args: tuple[ast.Expr, ...], lo: int, hi: int,
                 shape: Shape) -> str | None:
    """`callee(args)` with rustfmt's call layout (one line, overflowing last argument, or
    one argument per line)."""
    return overflow.rewrite_with_parens(ctx, callee, overflow.expr_items(ctx, args), shape, lo,
                                        hi, FN_CALL_WIDTH,
                                        overflow.separator_for_macro(ctx, lo, hi))


def _call(ctx: Ctx, e: ast.Call, et: str, shape: Shape) -> str | None:
    """A function call; the callee is formatted first since it decides where `(` is."""
    callee = rewrite_expr(ctx, e.callee, shape)
    if callee is None:
        return None
    return rewrite_call(ctx, callee, e.args, ctx.hi(e.callee), ctx.hi(e), shape)


def _tuple(ctx: Ctx, e: ast.TupleExpr, et: str, shape: Shape) -> str | None:
    """A tuple expression; a single element keeps its comma."""
    return rewrite_tuple(ctx, overflow.expr_items(ctx, e.elems), ctx.lo(e), ctx.hi(e), shape,
                         len(e.elems) == 1)


def rewrite_tuple(ctx: Ctx, items: list[overflow.OItem], lo: int, hi: int, shape: Shape,
                  singleton: bool) -> str | None:
    """`(a, b)` laid out like call arguments; inside a macro, a trailing comma is kept
    only when written, since a macro may depend on it."""
    if ctx.inside_macro:
        force: str | None = ALWAYS if span_ends_with_comma(ctx.snip(lo, hi)) else NEVER
    else:
        force = ALWAYS if singleton else None
    return overflow.rewrite_with_parens(ctx, "", items, shape, lo, hi, FN_CALL_WIDTH, force)


def _array(ctx: Ctx, e: ast.ArrayExpr, et: str, shape: Shape) -> str | None:
    """`[a, b, c]`, with rustfmt's array layout (mixed layout for short simple elements)."""
    lo, hi = ctx.lo(e), ctx.hi(e)
    return overflow.rewrite_array(ctx, "", e.elems, lo, hi, shape,
                                  overflow.separator_for_macro(ctx, lo, hi), None)


def _index(ctx: Ctx, e: ast.Index, et: str, shape: Shape) -> str | None:
    """`base[index]`; the index moves to the next line only when that makes it fit on one
    line."""
    expr_str = rewrite_expr(ctx, e.base, shape)
    if expr_str is None:
        return None
    offset = last_line_width(expr_str) + 1
    rhs_overhead = shape.rhs_overhead()
    index_shape: Shape | None
    if "\n" in expr_str:
        index_shape = Shape.legacy(100, shape.indent).offset_left(offset)
        index_shape = index_shape.sub_width(1 + rhs_overhead) if index_shape else None
    else:
        index_shape = shape.offset_left(offset)
        index_shape = index_shape.sub_width(1) if index_shape else None
    orig = rewrite_expr(ctx, e.index, index_shape) if index_shape is not None else None
    if orig is not None and "\n" not in orig:
        return f"{expr_str}[{orig}]"
    indent = shape.indent.indented()
    new_shape = Shape.indented(indent).offset_left(1)
    new_shape = new_shape.sub_width(1 + rhs_overhead) if new_shape else None
    if new_shape is None:
        return None
    new = rewrite_expr(ctx, e.index, new_shape)
    if new is not None and ("\n" not in new or orig is None):
        return f"{expr_str}{indent.newline()}[{new}]"
    if orig is not None:
        return f"{expr_str}[{orig}]"
    return None


# ---------------------------------------------------------------- struct literals


def _struct_lit(ctx: Ctx, e: ast.StructLit, et: str, shape: Shape) -> str | None:
    """`Path { field: value, ..base }`: on one line within the struct literal width
    (18), else one field per line (rustfmt's `rewrite_struct_lit`)."""
    path_shape = shape.sub_width(2)
    if path_shape is None:
        return None
    path_str = types.rewrite_path(ctx, e.path, path_shape, expr_context=True)
    if path_str is None:
        return None
    if not e.fields and e.base is None and e.rest is None:
        return path_str + " {}"
    h_shape, v_shape = struct_lit_shape(shape, blen(path_str) + 3, 2)
    items = _struct_lit_items(ctx, e, v_shape)
    tactic = struct_lit_tactic(h_shape, items)
    nested_shape = shape_for_tactic(tactic, h_shape, v_shape)
    lo, hi = ctx.lo(e), ctx.hi(e)
    force_no_comma = ctx.inside_macro and not span_ends_with_comma(ctx.snip(lo, hi))
    fmt = struct_lit_formatting(nested_shape, tactic,
                                force_no_comma or e.base is not None or e.rest is not None)
    fields_str = write_list(items, fmt)
    if fields_str is None:
        return None
    one_line_width = h_shape.width if h_shape is not None else 0
    return f"{path_str} {{{wrap_struct_field(fields_str, shape, v_shape, one_line_width)}}}"


def _struct_lit_items(ctx: Ctx, e: ast.StructLit, v_shape: Shape) -> list[ListItem]:
    """The fields of a struct literal and its `..base`, as list items with comments."""
    lo, hi = ctx.lo(e), ctx.hi(e)
    members: list[object] = [*e.fields]
    if e.base is not None:
        members.append(e.base)
    if e.rest is not None:  # `Variant { x, .. }` of a `matches!` pattern
        members.append(ast.RestPat(e.rest))

    def span_lo(m: object) -> int:
        """A field starts at its name, the base at its `..`."""
        if isinstance(m, (ast.StructLitField, ast.RestPat)):
            return ctx.lo(m)
        last_hi = ctx.hi(e.fields[-1]) if e.fields else lo
        return ctx.span_before(last_hi, ctx.lo(m), "..")

    def field_rewrite(m: object) -> str | None:
        """`name: value` (or a shorthand name), or `..base`."""
        if isinstance(m, ast.StructLitField):
            field_shape = v_shape.sub_width(1)
            return rewrite_field(ctx, m, field_shape, 0) if field_shape else None
        if isinstance(m, ast.RestPat):
            return ".."
        base_shape = v_shape.offset_left(2)
        base = rewrite_expr(ctx, m, base_shape) if base_shape else None  # type: ignore[arg-type]
        return None if base is None else ".." + base

    return itemize_list(ctx.text, members, "}", ",", span_lo, ctx.hi, field_rewrite,
                        ctx.span_after(lo, hi, "{"), hi)


def wrap_struct_field(fields_str: str, shape: Shape, v_shape: Shape, one_line_width: int) -> str:
    """The fields between the braces: spaced on one line, or indented on their own lines."""
    if "\n" in fields_str or blen(fields_str) > one_line_width:
        return f"{v_shape.indent.newline()}{fields_str}{shape.indent.newline()}"
    return f" {fields_str} "


def rewrite_field(ctx: Ctx, field: ast.StructLitField, shape: Shape,
                  prefix_max_width: int) -> str | None:
    """`name: value` of a struct literal (or a shorthand `name`); a value that does not
    fit moves to the next line."""
    name = ctx.snip(ctx.base + field.name_span.start, ctx.base + field.name_span.end)
    if field.shorthand:
        return name
    separator = ": " + " " * max(0, prefix_max_width - blen(name))
    expr_shape = shape.offset_left(blen(name) + len(separator))
    if expr_shape is None:
        return None
    expr = rewrite_expr(ctx, field.value, expr_shape)
    if expr is not None:
        return f"{name}{separator}{expr}"
    expr_offset = shape.indent.indented()
    expr = rewrite_expr(ctx, field.value, Shape.indented(expr_offset))
    return None if expr is None else f"{name}:\n{expr_offset.to_string()}{expr}"


# ---------------------------------------------------------------- assignments


def _assign(ctx: Ctx, e: ast.Assign | ast.CompoundAssign, et: str, shape: Shape) -> str | None:
    """`lhs = rhs` and `lhs op= rhs`, the right-hand side laid out like a `let`
    initialiser."""
    op = f"{e.op}=" if isinstance(e, ast.CompoundAssign) else "="
    lhs_shape = shape.sub_width(len(op) + 1)
    if lhs_shape is None:
        return None
    lhs = rewrite_expr(ctx, e.target, lhs_shape)
    if lhs is None:
        return None
    return rewrite_assign_rhs(ctx, f"{lhs} {op}", expr_rewriter(ctx, e.value), shape)


def rewrite_assign_rhs(ctx: Ctx, lhs: str, rhs: Rewriter, shape: Shape,
                       tactic: str = DEFAULT) -> str | None:
    """`lhs` (ending with `=` or `:`) followed by the right-hand side, on the same line
    or, when that is better, on the next line."""
    rhs_str = rewrite_assign_rhs_expr(lhs, rhs, shape, tactic)
    return None if rhs_str is None else lhs + rhs_str


def rewrite_assign_rhs_expr(lhs: str, rhs: Rewriter, shape: Shape, tactic: str) -> str | None:
    """The right-hand side after `lhs`, with its leading space or line break."""
    last = last_line_width(lhs) - (shape.indent.width() if "\n" in lhs else 0)
    last = max(0, last)
    orig_shape = shape.offset_left(last + 1)
    if orig_shape is None:
        orig_shape = replace(shape, width=0, offset=shape.offset + last + 1)
    eq = find_last_uncommented(lhs, "=")
    has_rhs_comment = eq is not None and blen(lhs.rstrip()) > eq + 1
    return choose_rhs(rhs, orig_shape, rhs(orig_shape), tactic, has_rhs_comment)


def rewrite_assign_rhs_with_comments(ctx: Ctx, lhs: str, rhs: Rewriter, shape: Shape,
                                     tactic: str, between: str) -> str | None:
    """Like `rewrite_assign_rhs`, keeping comments found between `=` and the value."""
    has_comment = contains_comment(between)
    if has_comment:
        block_shape = shape.block_left(4)
        if block_shape is None:
            return None
        shape = block_shape
    rhs_str = rewrite_assign_rhs_expr(lhs, rhs, shape, tactic)
    if rhs_str is None:
        return None
    if has_comment:
        return combine_strs_with_missing_comments(lhs, rhs_str.lstrip(), between, shape, True)
    return lhs + rhs_str


def _shape_from_rhs_tactic(shape: Shape, tactic: str) -> Shape | None:
    """The shape of a right-hand side moved to the next line: one level deeper, or at the
    same indent for bounds (`FORCE_NEXT_LINE_WITHOUT_INDENT`)."""
    if tactic == FORCE_NEXT_LINE_WITHOUT_INDENT:
        return shape.with_max_width().sub_width(shape.indent.width())
    return Shape.indented(shape.indent.indented()).sub_width(shape.rhs_overhead())


def choose_rhs(rhs: Rewriter, shape: Shape, orig: str | None, tactic: str,
               has_rhs_comment: bool) -> str | None:
    """Between the right-hand side on the `=` line (`orig`) and on the next line, the
    choice rustfmt makes (`choose_rhs`): the same line unless the next line is clearly
    better."""
    if orig is not None and not orig:
        return ""
    if orig is not None and "\n" not in orig and uwidth(orig) <= shape.width:
        return " " + orig
    new_shape = _shape_from_rhs_tactic(shape, tactic)
    if new_shape is None:
        return None
    new = rhs(new_shape)
    new_indent = shape.indent.indented().newline()
    space = "" if has_rhs_comment else " "
    if orig is not None and new is not None:
        if not filtered_str_fits(new, new_shape):
            return space + orig
        if prefer_next_line(orig, new, tactic):
            return new_indent + new
        return space + orig
    if new is not None:
        return new_indent + new
    if orig is not None:
        return space + orig
    if tactic == ALLOW_OVERFLOW:
        wide = rhs(shape.infinite_width())
        return None if wide is None else space + wide
    return None


def prefer_next_line(orig: str, nxt: str, tactic: str) -> bool:
    """rustfmt's `prefer_next_line`: the next line wins when it fits on one line, saves
    two or more lines, or avoids a dangling opening delimiter."""
    return (tactic == FORCE_NEXT_LINE_WITHOUT_INDENT or "\n" not in nxt
            or count_newlines(orig) > count_newlines(nxt) + 1
            or any(first_line_ends_with(orig, c) and not first_line_ends_with(nxt, c)
                   for c in "({["))


# ---------------------------------------------------------------- blocks


def block_contains_comment(ctx: Ctx, block: BlockView) -> bool:
    """Comments make a block ineligible for one-line and empty layouts."""
    return contains_comment(ctx.snip(block.lo, block.hi))


def block_has_statements(block: BlockView) -> bool:
    """Whether a block holds anything but lone `;`s."""
    return any(s.kind != EMPTY for s in block.stmts)


def is_simple_block(ctx: Ctx, block: BlockView) -> bool:
    """A block with one expression and no comment: it may go on one line."""
    return (len(block.stmts) == 1 and block.stmts[0].kind == EXPR
            and not block_contains_comment(ctx, block))


def is_empty_block(ctx: Ctx, block: BlockView) -> bool:
    """A block with no statements and no comment: it becomes `{}`."""
    return not block_has_statements(block) and not block_contains_comment(ctx, block)


def rewrite_empty_block(ctx: Ctx, block: BlockView, prefix: str, shape: Shape,
                        label: str = "") -> str | None:
    """`{}` for an empty block, or `{ /* comment */ }` when only a short block comment is
    inside; None when the block has statements."""
    if block_has_statements(block):
        return None
    if not block_contains_comment(ctx, block) and shape.width >= 2:
        return f"{prefix}{label}{{}}"
    user = ctx.snip(block.lo, block.hi).strip()
    if user.startswith("{") and user.endswith("}"):
        comment = user[1:-1].strip()
        if (not block.stmts and "\n" not in comment and not comment.startswith("//")
                and blen(comment) + 4 <= shape.width):
            return f"{prefix}{label}{{ {comment} }}"
    return None


def block_prefix(ctx: Ctx, block: BlockView, shape: Shape) -> str | None:
    """`unsafe ` before an unsafe block, with any comment between `unsafe` and `{`."""
    if not block.unsafe:
        return ""
    snippet = ctx.snip(block.lo, block.hi)
    open_pos = snippet.find("{")
    between = snippet[6:open_pos].strip()
    if not between:
        return "unsafe "
    width = shape.width - 9
    if width < 0:
        return None
    comment = rewrite_comment(between, True, Shape.legacy(width, shape.indent.plus(7)))
    return None if comment is None else f"unsafe {comment} "


def rewrite_single_line_block(ctx: Ctx, prefix: str, block: BlockView, shape: Shape,
                              label: str = "") -> str | None:
    """`{ expr }` on one line, for a simple block that fits."""
    if not is_simple_block(ctx, block):
        return None
    expr_shape = shape.offset_left(last_line_width(prefix))
    if expr_shape is None:
        return None
    expr = rewrite_stmt(ctx, block.stmts[0], expr_shape)
    if expr is None:
        return None
    result = f"{prefix}{label}{{ {expr} }}"
    if blen(result) <= shape.width and "\n" not in result:
        return result
    return None


def rewrite_block_with_visitor(ctx: Ctx, prefix: str, block: BlockView, shape: Shape,
                               has_braces: bool, label: str = "") -> str | None:
    """A block written by a nested visitor, statement by statement, so comments and blank
    lines between statements are kept."""
    empty = rewrite_empty_block(ctx, block, prefix, shape, label)
    if empty is not None:
        return empty
    from gust.fmt.visitor import FmtVisitor

    v = FmtVisitor(ctx, shape.indent)
    v.is_if_else_block = ctx.is_if_else_block
    v.is_loop_block = ctx.is_loop_block
    if block.unsafe or label:
        v.last_pos = ctx.span_before(block.lo, block.hi, "{")
    else:
        v.last_pos = block.lo
    with ctx.fresh():
        v.visit_block(block, has_braces)
    return prefix + label + v.buffer


def rewrite_block(ctx: Ctx, block: BlockView, shape: Shape, label: str = "",
                  allow_single_line: bool = True) -> str | None:
    """A block as an expression: on one line when it is simple and short, else written by
    a visitor."""
    prefix = block_prefix(ctx, block, shape)
    if prefix is None:
        return None
    empty = rewrite_empty_block(ctx, block, prefix, shape, label)
    if empty is not None:
        return empty
    result = rewrite_block_with_visitor(ctx, prefix, block, shape, True, label)
    if result is None:
        return None
    if allow_single_line and len(lines(result)) <= 3:
        single = rewrite_single_line_block(ctx, prefix, block, shape, label)
        if single is not None:
            return single
    return result


def _block(ctx: Ctx, e: ast.Block, et: str, shape: Shape) -> str | None:
    """A block expression; in statement position it is never put on one line."""
    block = block_view(ctx, e)
    if et == SUB or block.unsafe:
        return rewrite_block(ctx, block, shape)
    empty = rewrite_empty_block(ctx, block, "", shape)
    if empty is not None:
        return empty
    prefix = block_prefix(ctx, block, shape)
    if prefix is None:
        return None
    return rewrite_block_with_visitor(ctx, prefix, block, shape, True)


# ---------------------------------------------------------------- statements


def semicolon_for_stmt(stmt: StmtView) -> bool:
    """Whether a statement ends with `;`: loops used as statements lose theirs, as in
    rustfmt."""
    if stmt.kind == SEMI:
        return not isinstance(stmt.expr, (ast.While, ast.Loop, ast.For))
    return stmt.kind != EXPR


def rewrite_stmt(ctx: Ctx, stmt: StmtView, shape: Shape) -> str | None:
    """A statement of a block (rustfmt's `format_stmt`)."""
    if stmt.kind == LOCAL:
        assert isinstance(stmt.node, ast.Let)
        result = rewrite_local(ctx, stmt.node, shape)
    elif stmt.kind in (EXPR, SEMI):
        suffix = ";" if semicolon_for_stmt(stmt) else ""
        inner_shape = shape.sub_width(len(suffix))
        if inner_shape is None:
            return None
        expr = format_expr(ctx, stmt.expr, STATEMENT, inner_shape)
        result = None if expr is None else expr + suffix
    elif stmt.kind == MAC:
        return None
    else:
        return None
    if result is None:
        return None
    return recover_comment_removed(result, ctx.snip(stmt.lo, stmt.hi))


def rewrite_local(ctx: Ctx, local: ast.Let, shape: Shape) -> str | None:
    """`let pat: ty = init else { .. };` (rustfmt's `Local::rewrite`)."""
    pat_shape = shape.offset_left(4)
    pat_shape = pat_shape.sub_width(1) if pat_shape else None
    if pat_shape is None:
        return None
    pat = patterns.rewrite_grouped_pat(ctx, local.pat, pat_shape)
    if pat is None:
        return None
    result = "let " + pat
    if local.ty is not None:
        ty = _local_ty(ctx, local.ty, shape, result)
        if ty is None:
            return None
        result += ": " + ty
    if local.init is not None:
        result += " ="
        nested = shape.sub_width(1)
        if nested is None:
            return None
        assigned = rewrite_assign_rhs(ctx, result, expr_rewriter(ctx, local.init), nested)
        if assigned is None:
            return None
        result = assigned
        if local.else_block is not None:
            with_else = _let_else(ctx, local, result, pat, nested, shape)
            if with_else is None:
                return None
            result = with_else
    return result + ";"


def _local_ty(ctx: Ctx, ty: ast.TypeExpr, shape: Shape, result: str) -> str | None:
    """The type of a `let`, after `let pat: ` (the whole line is available after a
    multi-line pattern)."""
    base = shape.with_max_width() if "\n" in result else shape
    ty_shape = base.offset_left(last_line_width(result) + 2)
    ty_shape = ty_shape.sub_width(2) if ty_shape else None
    return types.rewrite_ty(ctx, ty, ty_shape) if ty_shape is not None else None


def _let_else(ctx: Ctx, local: ast.Let, result: str, pat: str, nested: Shape,
              shape: Shape) -> str | None:
    """`else { .. }` of a let-else, on the `let` line when it fits and the block on one
    line only within `single_line_let_else_max_width` (50)."""
    assert local.else_block is not None and local.init is not None
    block = block_view(ctx, local.else_block)
    kw_lo, kw_hi = ctx.hi(local.init), block.lo
    force_newline = "\n" in pat or not _same_line_else(ctx, result, kw_lo, kw_hi, nested)
    result += control.rewrite_else_kw(ctx, force_newline, True, kw_lo, kw_hi, shape)
    max_width = min(shape.width, SINGLE_LINE_LET_ELSE_MAX_WIDTH)
    available = max(0, max_width - blen(result))
    allow_single = (not force_newline and available > 0 and "\n" not in result
                    and len(block.stmts) <= 1)
    else_str = rewrite_block(ctx, block, shape, allow_single_line=allow_single)
    if else_str is None:
        return None
    if allow_single and "\n" not in else_str and blen(else_str) + 1 > available:
        else_str = rewrite_block(ctx, block, shape, allow_single_line=False)
        if else_str is None:
            return None
    return result + else_str


def _same_line_else(ctx: Ctx, init: str, kw_lo: int, kw_hi: int, shape: Shape) -> bool:
    """Whether `else` can follow the initialiser on its last line (rustfmt's
    `same_line_else_kw_and_brace`)."""
    if "\n" not in init:
        return max(0, shape.width - blen(init)) >= 7
    if not init.endswith((")", "]", "}")):
        return False
    if ctx.snip(kw_lo, kw_hi).strip() != "else":
        return False
    last = lines(init)[-1]
    indent = shape.indent.to_string()
    return last.startswith(indent) and not last[len(indent):][:1].isspace()


# ---------------------------------------------------------------- dispatch


def _closure(ctx: Ctx, e: ast.Closure, et: str, shape: Shape) -> str | None:
    """A closure expression."""
    return closures.rewrite_closure(ctx, e, shape)


def _chain(ctx: Ctx, e: ast.Expr, et: str, shape: Shape) -> str | None:
    """Method calls, field accesses and `?` are chains."""
    return chains.rewrite_chain(ctx, e, shape)


def _macro(ctx: Ctx, e: ast.MacroCall, et: str, shape: Shape) -> str | None:
    """A macro call; one whose arguments cannot be formatted is kept as written."""
    result = macros.rewrite_macro(ctx, e, shape)
    if result is not None:
        return result
    return wrap_str(ctx.snippet(e), shape)


def _control(ctx: Ctx, e: ast.Expr, et: str, shape: Shape) -> str | None:
    """`if`, `while`, `for` and `loop`."""
    return control.rewrite_control_flow(ctx, e, et, shape)


def _match(ctx: Ctx, e: ast.Match, et: str, shape: Shape) -> str | None:
    """A `match` expression; a `matches!` (which the parser turns into a `match`) is kept
    as written, as rustfmt keeps a macro whose arguments are not expressions."""
    snippet = ctx.snippet(e)
    if not snippet.startswith("match ") and snippet.startswith("matches"):
        return _matches_macro(ctx, e, shape) or wrap_str(snippet, shape)
    return matches.rewrite_match(ctx, e, shape)


def _matches_macro(ctx: Ctx, e: ast.Match, shape: Shape) -> str | None:
    """`matches!(x, Pat)` on one line, its parts formatted as rustfmt formats a macro's
    arguments when they parse as expressions (a pattern of paths, literals, ranges and `|`
    does; one with a guard, `@`, `ref`, `mut` or two ranges in one or-pattern does not,
    and rustfmt keeps it as written: None); None too when it does not fit on one line, or
    for `matches![..]` and `matches! {..}` (kept as written, as rustfmt does)."""
    arm = e.arms[0]
    if arm.guard is not None or not _spells_an_expression(arm.pat) or \
            not re.match(r"matches\s*!\s*\(", ctx.snippet(e)):
        return None
    scrutinee = rewrite_expr(ctx, e.scrutinee, shape)
    pat = patterns.rewrite_pat(ctx, arm.pat, shape)
    if scrutinee is None or pat is None or "@" in pat or re.search(r"\b(ref|mut)\b", pat):
        return None
    text = f"matches!({scrutinee}, {pat})"
    return None if "\n" in text else wrap_str(text, shape)


def _spells_an_expression(pat: ast.Pat) -> bool:
    """Whether a pattern's text also parses as an expression, for rustfmt: not when an
    or-pattern has two ranges (`1..=5 | 9..=12`), as `|` binds tighter than `..=`."""
    return not any(isinstance(p, ast.OrPat) and
                   sum(isinstance(a, ast.RangePat) for a in p.alts) > 1 for p in walk(pat))


def _select(ctx: Ctx, e: object, et: str, shape: Shape) -> str | None:
    """Gust's `select` expression."""
    return matches.rewrite_select(ctx, e, shape)


_HANDLERS: dict[str, Callable[..., str | None]] = {
    "Literal": _literal,
    "PathExpr": _path,
    "MacroCall": _macro,
    "TupleExpr": _tuple,
    "ArrayExpr": _array,
    "ArrayRepeat": _repeat,
    "Paren": _paren,
    "Return": _return,
    "Break": _break,
    "Continue": _continue,
    "Call": _call,
    "MethodCall": _chain,
    "Field": _chain,
    "TupleField": _chain,
    "Try": _chain,
    "Index": _index,
    "Unary": _unary,
    "Borrow": _borrow,
    "Binary": _binary,
    "Cast": _cast,
    "Assign": _assign,
    "CompoundAssign": _assign,
    "Range": _range,
    "Closure": _closure,
    "Block": _block,
    "If": _control,
    "Match": _match,
    "Loop": _control,
    "While": _control,
    "For": _control,
    "StructLit": _struct_lit,
    "GoExpr": _go,
    "Underscore": _underscore,
    "Select": _select,
}
