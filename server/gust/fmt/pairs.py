"""Binary expressions and other `lhs op rhs` pairs (rustfmt's `pairs.rs`).

A run of the same operator (`a + b + c`) is flattened and written on one line if it fits,
else one operand per line with the operator in front (rustfmt's `binop_separator =
Front`), except that a short operand stays on the line before it to avoid an orphan.
"""

from __future__ import annotations

from collections.abc import Callable

from gust.fmt import exprs
from gust.fmt.context import Ctx
from gust.fmt.shape import TAB_SPACES, Shape, budget
from gust.fmt.strings import (
    blen,
    first_line_width,
    is_single_line,
    last_line_width,
    trimmed_last_line_width,
    wrap_str,
)
from gust.syntax import ast

FRONT = "front"
BACK = "back"

Rewriter = Callable[[Shape], "str | None"]


def rewrite_pair(lhs: Rewriter, rhs: Rewriter, prefix: str, infix: str, suffix: str,
                 shape: Shape, place: str) -> str | None:
    """`prefix lhs infix rhs suffix`, on one line or broken after/before the infix."""
    if place == BACK:
        lhs_overhead = shape.used_width() + len(prefix) + len(infix.rstrip())
    else:
        lhs_overhead = shape.used_width()
    lhs_shape = Shape(budget(lhs_overhead), shape.indent, shape.offset)
    lhs_str = lhs(lhs_shape)
    if lhs_str is None:
        return None
    lhs_result = prefix + lhs_str
    rhs_shape = shape.offset_left(last_line_width(lhs_result) + len(infix))
    rhs_shape = rhs_shape.sub_width(len(suffix)) if rhs_shape is not None else None
    rhs_orig = rhs(rhs_shape) if rhs_shape is not None else None
    if rhs_orig is not None:
        allow_same_line = blen(lhs_result) <= TAB_SPACES or \
            rhs_orig.split("\n", 1)[0].endswith("{")
        if "\n" not in rhs_orig or allow_same_line:
            width = (last_line_width(lhs_result) + len(infix) + first_line_width(rhs_orig)
                     + len(suffix))
            if width <= shape.width:
                return f"{lhs_result}{infix}{rhs_orig}{suffix}"
    block_shape = Shape.indented(shape.indent.indented()).sub_width(shape.rhs_overhead())
    if block_shape is None:
        return None
    trimmed = infix.rstrip() if place == BACK else infix.lstrip()
    if place == FRONT:
        block_shape = block_shape.offset_left(len(trimmed))
        if block_shape is None:
            return None
    rhs_result = rhs(block_shape)
    if rhs_result is None:
        return None
    indent_str = block_shape.indent.newline()
    joint = trimmed + indent_str if place == BACK else indent_str + trimmed
    return f"{lhs_result}{joint}{rhs_result}{suffix}"


def _flatten(e: ast.Binary) -> tuple[list[ast.Expr], list[str]]:
    """The operands and operators of a run of one binary operator, left to right."""
    operands: list[ast.Expr] = []
    separators: list[str] = []
    stack: list[ast.Binary] = []
    node: ast.Expr = e
    while True:
        if isinstance(node, ast.Binary) and node.op == e.op:
            stack.append(node)
            node = node.lhs
            continue
        operands.append(node)
        if not stack:
            break
        top = stack.pop()
        separators.append(top.op)
        node = top.rhs
    return operands, separators


def rewrite_all_pairs(ctx: Ctx, e: ast.Binary, shape: Shape) -> str | None:
    """A run of one operator (rustfmt's `rewrite_all_pairs`): on one line when it fits,
    else one operand per line."""
    operands, separators = _flatten(e)
    rewrites = [_default_rewrite(ctx, node, separators[i - 1] if i else "", i == 0, shape)
                for i, node in enumerate(operands)]
    one_line = _one_line(ctx, operands, rewrites, separators, shape)
    if one_line is not None:
        return one_line
    return _multi_line(ctx, operands, rewrites, separators, shape)


def _default_rewrite(ctx: Ctx, node: ast.Expr, sep: str, first: bool,
                     shape: Shape) -> str | None:
    """An operand rendered for its own line, after the operator."""
    if first:
        return exprs.rewrite_expr(ctx, node, shape)
    nested = shape.block_indent(TAB_SPACES).with_max_width().sub_width(shape.rhs_overhead())
    if nested is None:
        return None
    default_shape = nested.offset_left(len(sep) + 1)
    return exprs.rewrite_expr(ctx, node, default_shape) if default_shape is not None else None


def _one_line(ctx: Ctx, operands: list[ast.Expr], rewrites: list[str | None],
              separators: list[str], shape: Shape) -> str | None:
    """The whole run on one line, if every operand but the last fits on it (the last may
    continue on the following lines only in the ways rustfmt allows)."""
    result = ""
    for rewrite, sep in zip(rewrites, separators, strict=False):
        if rewrite is None or not is_single_line(rewrite) or blen(result) > shape.width:
            return None
        result += f"{rewrite} {sep} "
    prefix_len = blen(result)
    last_shape = shape.block().offset_left(last_line_width(result))
    if last_shape is None:
        return None
    last = exprs.rewrite_expr(ctx, operands[-1], last_shape)
    if last is None:
        return None
    result += last
    if first_line_width(result) > shape.width:
        return None
    if not (is_single_line(result) or last.startswith("{")) and (
            last.startswith("(") or prefix_len > TAB_SPACES):
        return None
    return wrap_str(result, shape)


def _multi_line(ctx: Ctx, operands: list[ast.Expr], rewrites: list[str | None],
                separators: list[str], shape: Shape) -> str | None:
    """One operand per line with the operator in front; an operand that fits after the
    previous one's line while that line is shorter than the indent stays there."""
    nested = shape.block_indent(TAB_SPACES).with_max_width().sub_width(shape.rhs_overhead())
    if nested is None or rewrites[0] is None:
        return None
    indent_str = nested.indent.newline()
    result = rewrites[0]
    for node, rewrite, sep in zip(operands[1:], rewrites[1:], separators, strict=True):
        offset = 0 if "\n" in result else shape.used_width()
        if last_line_width(result) + offset <= nested.used_width():
            line_shape = shape.offset_left(len(sep) + 2 + trimmed_last_line_width(result))
            if line_shape is not None:
                snuggled = exprs.rewrite_expr(ctx, node, line_shape)
                if snuggled is not None:
                    result += f" {sep} {snuggled}"
                    continue
        if rewrite is None:
            return None
        result += f"{indent_str}{sep} {rewrite}"
    return result
