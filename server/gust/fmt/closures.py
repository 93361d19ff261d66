"""Closures (rustfmt's `closures.rs`).

rustfmt adds or removes the braces of a closure body: `|x| { x + 1 }` becomes
`|x| x + 1`, and a single-expression body that does not fit on one line gets a block.
A closure passed as the last argument of a call may overflow the call's parentheses.
"""

from __future__ import annotations

from gust.fmt import control, exprs, patterns, types
from gust.fmt.context import EMPTY, EXPR, Ctx, block_view, expr_block_view, non_empty
from gust.fmt.lists import (
    COMMA_LEN,
    HORIZONTAL,
    HORIZONTAL_VERTICAL,
    ListFormatting,
    definitive_tactic,
    itemize_list,
    write_list,
)
from gust.fmt.shape import Shape
from gust.fmt.strings import blen, last_line_width, lines
from gust.syntax import ast


def _param_rewrite(ctx: Ctx, param: ast.ClosureParam, shape: Shape) -> str | None:
    """`pat` or `pat: Type` of a closure parameter."""
    pat = patterns.rewrite_pat(ctx, param.pat, Shape.legacy(shape.width, shape.indent))
    if pat is None:
        return None
    if param.ty is None:
        return pat
    result = pat + ": "
    width = shape.width - last_line_width(result)
    if width < 0:
        return None
    ty = types.rewrite_ty(ctx, param.ty, Shape.legacy(width, shape.indent))
    return None if ty is None else result + ty


def rewrite_fn_decl(ctx: Ctx, closure: ast.Closure, body: ast.Expr,
                    shape: Shape) -> tuple[str, int] | None:
    """`move |params| -> ret` and the width it takes (plus the space after it)."""
    mover = "move " if closure.is_move else ""
    nested = shape.shrink_left(len(mover))
    nested = nested.sub_width(4) if nested is not None else None
    if nested is None:
        return None
    param_shape = nested.offset_left(1)
    if param_shape is None:
        return None
    param_shape = param_shape.visual_indent(0)
    ret_str = ""
    if closure.ret is not None:
        ret_str = types.rewrite_fn_ret(ctx, closure.ret, param_shape) or ""
        if not ret_str:
            return None
    list_str = _closure_params(ctx, closure, body, param_shape,
                               max(0, nested.width - (blen(ret_str) + 1)), blen(ret_str))
    if list_str is None:
        return None
    prefix = f"{mover}|{list_str}|"
    if ret_str:
        prefix += ("\n" + nested.indent.plus(1).to_string()) if "\n" in prefix else " "
        prefix += ret_str
    return prefix, last_line_width(prefix) + 1


def _closure_params(ctx: Ctx, closure: ast.Closure, body: ast.Expr, param_shape: Shape,
                    one_line: int, ret_len: int) -> str | None:
    """The parameters between the bars: on one line within `one_line` columns, else one
    per line aligned after the first bar (rustfmt uses visual indent here)."""
    lo, hi = ctx.lo(closure), ctx.hi(closure)
    items = itemize_list(
        ctx.text, closure.params, "|", ",", ctx.lo, ctx.hi,
        lambda p: _param_rewrite(ctx, p, param_shape),
        ctx.span_after(lo, hi, "|"), ctx.lo(body))
    tactic = definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN, one_line)
    if tactic == HORIZONTAL:
        narrowed = param_shape.sub_width(ret_len + 1)
        if narrowed is None:
            return None
        param_shape = narrowed
    return write_list(items, ListFormatting(param_shape, tactic=tactic, preserve_newline=True))


def rewrite_closure(ctx: Ctx, closure: ast.Closure, shape: Shape) -> str | None:
    """A closure (rustfmt's `rewrite_closure`): an empty block stays `{}`, a block body
    holding one expression loses its braces when the expression fits without them, and
    an expression body that does not fit on one line is wrapped in a block."""
    decl = rewrite_fn_decl(ctx, closure, closure.body, shape)
    if decl is None:
        return None
    prefix, extra = decl
    body_shape = shape.offset_left(extra)
    if body_shape is None:
        return None
    body = closure.body
    if isinstance(body, ast.Block):
        block = block_view(ctx, body)
        if not block.stmts and not exprs.block_contains_comment(ctx, block):
            rewrite = exprs.rewrite_expr(ctx, body, shape)
            return None if rewrite is None else f"{prefix} {rewrite}"
        result = None
        if closure.ret is None and not ctx.inside_macro:
            result = _try_without_block(ctx, body, prefix, shape, body_shape)
        if result is None:
            block_str = exprs.rewrite_block(ctx, block, body_shape)
            result = None if block_str is None else f"{prefix} {block_str}"
        return result
    result = _closure_expr(ctx, body, prefix, body_shape)
    if result is None:
        result = _closure_with_block(ctx, body, prefix, body_shape)
    return result


def _try_without_block(ctx: Ctx, body: ast.Expr, prefix: str, shape: Shape,
                       body_shape: Shape) -> str | None:
    """The body of a block closure without its braces, or with a block when the inner
    expression needs one (`if`, loops)."""
    inner = _inner_expr(ctx, body, prefix)
    if _block_forced(ctx, inner):
        return _closure_with_block(ctx, inner, prefix, shape)
    return _closure_expr(ctx, inner, prefix, body_shape)


def _inner_expr(ctx: Ctx, expr: ast.Expr, prefix: str) -> ast.Expr:
    """The expression of a block body that needs no block (`|| { x }` is `|| x`)."""
    if isinstance(expr, ast.Block):
        block = block_view(ctx, expr)
        stmts = non_empty(block.stmts)
        needs_block = (block.unsafe or len(stmts) > 1 or exprs.block_contains_comment(ctx, block)
                       or "\n" in prefix)
        if not needs_block and stmts and stmts[0].kind == EXPR:
            return _inner_expr(ctx, stmts[0].expr, prefix)
    return expr


def _veto_block(e: object) -> bool:
    """Expressions rustfmt does not wrap in a block, unless the block is needed to parse
    (see `_requires_semi`)."""
    return isinstance(e, (ast.Call, ast.Binary, ast.Cast, ast.Assign, ast.CompoundAssign,
                          ast.Field, ast.TupleField, ast.Index, ast.Range, ast.Try))


def _left_most(e: object) -> object:
    """The left-most sub-expression, which decides whether the expression could be
    misread as a statement inside a block."""
    while True:
        if isinstance(e, ast.Call):
            e = e.callee
        elif isinstance(e, ast.Binary):
            e = e.lhs
        elif isinstance(e, ast.Cast):
            e = e.expr
        elif isinstance(e, (ast.Assign, ast.CompoundAssign)):
            e = e.target
        elif isinstance(e, (ast.Field, ast.TupleField, ast.Index)):
            e = e.base
        elif isinstance(e, ast.Range) and e.lo is not None:
            e = e.lo
        elif isinstance(e, ast.Try):
            e = e.inner
        else:
            return e


def _requires_semi(e: object) -> bool:
    """Whether an expression at the start of a statement would need a `;` (block-like
    expressions do not)."""
    return not isinstance(e, (ast.If, ast.Match, ast.Block, ast.While, ast.Loop, ast.For))


def _closure_with_block(ctx: Ctx, body: ast.Expr, prefix: str, shape: Shape) -> str | None:
    """`prefix { body }` with the body on its own lines."""
    if _veto_block(body) and not _requires_semi(_left_most(body)):
        return None
    block = exprs.rewrite_block_with_visitor(ctx, "", expr_block_view(ctx, body), shape, False)
    return None if block is None else f"{prefix} {block}"


def _allow_multi_line(e: object) -> bool:
    """Bodies that may span lines without a block around them (matches, blocks, loops,
    struct literals)."""
    if isinstance(e, (ast.Match, ast.Block, ast.Loop, ast.StructLit)):
        return True
    inner = exprs._unary_inner(e)
    return inner is not None and _allow_multi_line(inner)


def _closure_expr(ctx: Ctx, expr: ast.Expr, prefix: str, shape: Shape) -> str | None:
    """`prefix body` with an expression body; multi-line only for the bodies rustfmt
    allows."""
    veto_multiline = not _allow_multi_line(expr) and not ctx.inside_macro
    rewrite = exprs.rewrite_expr(ctx, expr, shape)
    if rewrite is None or (veto_multiline and "\n" in rewrite):
        return None
    return f"{prefix} {rewrite}"


def _block_forced(ctx: Ctx, e: object) -> bool:
    """`if`, `while` and `for` bodies always get a block (outside macros)."""
    if ctx.inside_macro:
        return False
    if isinstance(e, (ast.If, ast.While, ast.For)):
        return True
    inner = exprs._unary_inner(e)
    return inner is not None and _block_forced(ctx, inner)


def rewrite_last_closure(ctx: Ctx, closure: ast.Closure, shape: Shape) -> str | None:
    """A closure that is the last argument of a call, if it overflows nicely."""
    body = closure.body
    if isinstance(body, ast.Block) and not body.unsafe and not ctx.inside_macro:
        block = block_view(ctx, body)
        if exprs.is_simple_block(ctx, block):
            body = block.stmts[0].expr
    decl = rewrite_fn_decl(ctx, closure, body, shape)
    if decl is None:
        return None
    prefix, extra = decl
    if "\n" in prefix:
        return None
    body_shape = shape.offset_left(extra)
    if body_shape is None:
        return None
    if _block_forced(ctx, body):
        result = _closure_with_block(ctx, body, prefix, body_shape)
        if result is None:
            return None
        if closure.ret is None and len(lines(result)) <= 7:
            single = _closure_expr(ctx, body, prefix, shape)
            if single is not None and "\n" not in single:
                return single
        return result
    cond = control.rewrite_cond(ctx, body, body_shape)
    if cond is not None and ("\n" in cond or blen(cond) > body_shape.width):
        return _closure_with_block(ctx, body, prefix, body_shape)
    return exprs.rewrite_expr(ctx, closure, shape)


__all__ = ["EMPTY", "rewrite_closure", "rewrite_last_closure"]
