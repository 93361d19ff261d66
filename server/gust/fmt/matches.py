"""`match` (rustfmt's `matches.rs`) and Gust's `select`, written like a `match`.

Each arm is `pattern => body,`: a block body loses its comma, a body that is a simple
block (`=> { x }`) loses its braces, and a body that does not fit after `=>` moves to the
next line, wrapped in a block (rustfmt's `match_arm_blocks`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gust.fmt import control, exprs, patterns
from gust.fmt.comment import rewrite_comment
from gust.fmt.context import EXPR, Ctx, block_view
from gust.fmt.lists import ListFormatting, itemize_list, write_list
from gust.fmt.shape import TAB_SPACES, Indent, Shape, budget
from gust.fmt.strings import (
    blen,
    extra_offset,
    first_line_width,
    last_line_extendable,
    trimmed_last_line_width,
    uwidth,
)
from gust.frozen import dataclass
from gust.syntax import ast


def rewrite_match(ctx: Ctx, e: ast.Match, shape: Shape) -> str | None:
    """`match scrutinee { arms }`; the brace moves to its own line only when a multi-line
    scrutinee does not end in something that can carry it (rustfmt's `rewrite_match`)."""
    cond_shape = Shape(budget(shape.used_width()), shape.indent, shape.offset).offset_left(6)
    if cond_shape is None:
        return None
    cond = exprs.rewrite_expr(ctx, e.scrutinee, cond_shape)
    if cond is None:
        return None
    if last_line_extendable(cond):
        block_sep = " "
    elif "\n" in cond or blen(cond) + 2 > cond_shape.width:
        block_sep = shape.indent.newline()
    else:
        block_sep = " "
    arms = list(e.arms)
    hi = ctx.hi(e)
    cond_hi = ctx.hi(e.scrutinee)
    open_brace = ctx.span_after(cond_hi, ctx.lo(arms[0]) if arms else hi, "{")
    if not arms:
        if not ctx.snip(open_brace, hi - 1).strip():
            return f"match {cond} {{}}"
        return ctx.snippet(e)
    arms_str = _rewrite_arms(ctx, arms, shape, open_brace, hi, _match_head)
    if arms_str is None:
        return None
    nested = shape.indent.indented().to_string()
    return f"match {cond}{block_sep}{{\n{nested}{arms_str}\n{shape.indent.to_string()}}}"


def rewrite_select(ctx: Ctx, e: object, shape: Shape) -> str | None:
    """Gust's `select { pat = rx.recv() => .., default => .. }`."""
    arms = list(getattr(e, "arms", ()))
    lo, hi = ctx.lo(e), ctx.hi(e)
    open_brace = ctx.span_after(lo, hi, "{")
    if not arms:
        return "select {}" if not ctx.snip(open_brace, hi - 1).strip() else ctx.snippet(e)
    arms_str = _rewrite_arms(ctx, arms, shape, open_brace, hi, _select_head)
    if arms_str is None:
        return None
    nested = shape.indent.indented().to_string()
    return f"select {{\n{nested}{arms_str}\n{shape.indent.to_string()}}}"


Head = Callable[[Ctx, object, Shape], "tuple[str, bool, int] | None"]


def _arm_lo(ctx: Ctx, arm: object) -> int:
    """Where an arm starts, for the list machinery that finds comments between arms."""
    return ctx.lo(arm)


def _arm_hi(ctx: Ctx, arm: Any) -> int:
    """Where an arm ends: its body (the comma, if any, is a list separator)."""
    return ctx.hi(arm.body)


def _rewrite_arms(ctx: Ctx, arms: Sequence[object], shape: Shape, open_brace: int, hi: int,
                  head: Head) -> str | None:
    """The arms as a vertical list without separators (each arm writes its own comma), so
    comments and blank lines between arms survive like in any list."""
    arm_shape = shape.block_indent(TAB_SPACES).with_max_width()
    last = arms[-1]
    items = itemize_list(
        ctx.text, arms, "}", "|", lambda a: _arm_lo(ctx, a), lambda a: _arm_hi(ctx, a),
        lambda a: _rewrite_arm(ctx, a, arm_shape, a is last, head), open_brace, hi)
    return write_list(items, ListFormatting(arm_shape, separator="", preserve_newline=True))


def _match_head(ctx: Ctx, arm: object, shape: Shape) -> tuple[str, bool, int] | None:
    """The pattern and guard of an arm, whether the guard spans lines, and where the
    search for `=>` starts."""
    assert isinstance(arm, ast.MatchArm)
    body = arm.body
    overhead = 12 if isinstance(body, ast.Block) and body.unsafe else 5
    pat_shape = shape.sub_width(overhead)
    if pat_shape is None:
        return None
    pats = patterns.rewrite_pat(ctx, arm.pat, pat_shape)
    if pats is None:
        return None
    width = trimmed_last_line_width(pats)
    new_line_guard = "\n" in pats and width > TAB_SPACES
    guard = _rewrite_guard(ctx, arm.guard, shape, width, new_line_guard)
    if guard is None:
        return None
    return pats + guard, "\n" in guard, ctx.hi(arm.pat)


def _select_head(ctx: Ctx, arm: object, shape: Shape) -> tuple[str, bool, int] | None:
    """The left-hand side of a Gust `select` arm: `pat = op`, `op` or `default`."""
    kind = getattr(arm, "kind", "")
    pat = getattr(arm, "pat", None)
    op = getattr(arm, "op", None)
    head_shape = shape.sub_width(5)
    if head_shape is None:
        return None
    if kind == "default" or op is None:
        return "default", False, ctx.lo(arm)
    op_str = exprs.rewrite_expr(ctx, op, head_shape)
    if op_str is None:
        return None
    if pat is None:
        return op_str, False, ctx.hi(op)
    pat_str = patterns.rewrite_pat(ctx, pat, head_shape)
    if pat_str is None:
        return None
    return f"{pat_str} = {op_str}", False, ctx.hi(op)


def _rewrite_guard(ctx: Ctx, guard: ast.Expr | None, shape: Shape, pattern_width: int,
                   multiline_pattern: bool) -> str | None:
    """` if cond` after the pattern, or on its own line when the pattern spans lines or
    the condition does not fit after it."""
    if guard is None:
        return ""
    cond_shape = shape.offset_left(pattern_width + 4)
    cond_shape = cond_shape.sub_width(5) if cond_shape is not None else None
    if not multiline_pattern and cond_shape is not None:
        cond = exprs.rewrite_expr(ctx, guard, cond_shape)
        if cond is not None and ("\n" not in cond or pattern_width <= TAB_SPACES):
            return " if " + cond
    next_shape = Shape.indented(shape.indent.indented()).offset_left(3)
    next_shape = next_shape.sub_width(5) if next_shape is not None else None
    if next_shape is None:
        return None
    cond = exprs.rewrite_expr(ctx, guard, next_shape)
    return None if cond is None else f"{next_shape.indent.newline()}if {cond}"


def _rewrite_arm(ctx: Ctx, arm: Any, shape: Shape, is_last: bool, head: Head) -> str | None:
    """One arm: its head (pattern and guard) then its body."""
    lhs = head(ctx, arm, shape)
    if lhs is None:
        return None
    lhs_str, guard_multiline, arrow_lo = lhs
    body = arm.body
    return rewrite_match_body(ctx, body, lhs_str, shape, guard_multiline, arrow_lo,
                              ctx.lo(body), is_last)


def _can_flatten_around(body: object) -> bool:
    """Whether a body may start after `=>` and overflow onto later lines (rustfmt's
    `can_flatten_block_around_this`): delimited expressions can, control flow cannot."""
    if isinstance(body, (ast.If, ast.For, ast.While)):
        return False
    if isinstance(body, (ast.Loop, ast.Match, ast.Block, ast.Closure, ast.ArrayExpr, ast.Call,
                         ast.MethodCall, ast.MacroCall, ast.StructLit, ast.TupleExpr)):
        return True
    if isinstance(body, ast.Index):
        return _can_flatten_around(body.base)
    inner = exprs._unary_inner(body)
    return inner is not None and _can_flatten_around(inner)


def _flatten_arm_body(ctx: Ctx, body: ast.Expr, opt_shape: Shape | None) -> tuple[bool, ast.Expr]:
    """Unwraps `=> { expr }` into `=> expr` when the block holds one plain expression, as
    rustfmt does; also says whether that body may overflow."""
    if (isinstance(body, ast.Block) and not body.unsafe and not ctx.inside_macro):
        block = block_view(ctx, body)
        if exprs.is_simple_block(ctx, block) and not isinstance(block.stmts[0].expr,
                                                                ast.MacroCall):
            expr = block.stmts[0].expr
            if isinstance(expr, ast.Block):
                return _flatten_arm_body(ctx, expr, None)
            cond = control.rewrite_cond(ctx, expr, opt_shape) if opt_shape else None
            if cond is not None and "\n" in cond:
                return False, body
            return _can_flatten_around(expr), expr
    return _can_flatten_around(body), body


def _arm_comma(body: object) -> str:
    """Block bodies take no comma; every other body (and an unsafe block) does."""
    if isinstance(body, ast.Block):
        return "," if body.unsafe else ""
    return ","


def _nop_block_collapse(block_str: str | None, width: int) -> str | None:
    """A block that rendered as only whitespace between braces becomes `{}`."""
    if block_str is None:
        return None
    if block_str.startswith("{") and width >= 2:
        rest = block_str[1:]
        first = next((i for i, c in enumerate(rest) if not c.isspace()), -1)
        if first == len(block_str) - 2:
            return "{}"
    return block_str


@dataclass
class _Arm:
    """What joining an arm's left-hand side to its body needs, in both layouts."""

    pats: str
    comma: str
    shape: Shape
    is_block: bool
    next_line_indent: Indent
    forbid_same_line: bool
    arrow_comment: str
    inside_macro: bool

    def same_line(self, body_str: str) -> str:
        """`pat => body,`."""
        return f"{self.pats} => {body_str}{self.comma}"

    def next_line(self, body_str: str) -> str:
        """`pat =>` and the body on the next line: a block body is moved as it is, any
        other body is wrapped in `{ }` (bare inside macros, where a block could change
        what the macro sees)."""
        nested_indent = self.next_line_indent.newline()
        result = self.pats + " =>"
        if self.is_block:
            if self.arrow_comment:
                result += nested_indent + self.arrow_comment
            return result + nested_indent + body_str + self.comma
        indent_str = self.shape.indent.newline()
        if self.inside_macro:
            block_sep, suffix = "", ","
        elif self.forbid_same_line or self.arrow_comment:
            block_sep, suffix = indent_str + "{", f"{indent_str}}}"
        else:
            block_sep, suffix = " {", f"{indent_str}}}"
        if self.arrow_comment:
            result += indent_str + self.arrow_comment
        return result + block_sep + nested_indent + body_str + suffix


def rewrite_match_body(ctx: Ctx, body: ast.Expr, pats: str, shape: Shape, has_guard: bool,
                       arrow_lo: int, arrow_hi: int, is_last: bool) -> str | None:
    """An arm from its rendered left-hand side: the body stays after `=>` when it fits
    there (or is a block, or may overflow like a call), else it goes to the next line,
    following rustfmt's choice between the two renderings."""
    del is_last  # only matters with `trailing_comma = Never`
    offset_shape = shape.offset_left(extra_offset(pats, shape) + 4)
    extend, body = _flatten_arm_body(ctx, body, offset_shape)
    is_block = isinstance(body, ast.Block)
    is_empty = isinstance(body, ast.Block) and exprs.is_empty_block(ctx, block_view(ctx, body))
    arrow_comment = _arrow_comment(ctx, arrow_lo, arrow_hi, shape)
    if arrow_comment is None:
        return None
    arm = _Arm(pats, _arm_comma(body), shape, is_block,
               shape.indent.indented() if not is_block or is_empty else shape.indent,
               has_guard and "\n" in pats and not is_empty, arrow_comment, ctx.inside_macro)
    orig_shape = offset_shape.sub_width(len(arm.comma)) if offset_shape is not None else None
    orig: str | None = None
    if not arm.forbid_same_line and not arrow_comment and orig_shape is not None:
        orig = _nop_block_collapse(exprs.format_expr(ctx, body, exprs.STATEMENT, orig_shape),
                                   orig_shape.width)
        if orig is not None and (is_block or ("\n" not in orig
                                              and uwidth(orig) <= orig_shape.width)):
            return arm.same_line(orig)
    next_shape = Shape.indented(arm.next_line_indent)
    nxt = _nop_block_collapse(exprs.format_expr(ctx, body, exprs.STATEMENT, next_shape),
                              next_shape.width)
    orig_budget = orig_shape.width if orig_shape is not None else 0
    return _choose_arm_layout(arm, orig, nxt, extend, orig_budget)


def _choose_arm_layout(arm: _Arm, orig: str | None, nxt: str | None, extend: bool,
                       orig_budget: int) -> str | None:
    """rustfmt's preference between a body after `=>` (`orig`) and on the next line
    (`nxt`) once the simple same-line case has failed."""
    if orig is not None and nxt is not None and exprs.prefer_next_line(orig, nxt, exprs.DEFAULT):
        return arm.next_line(nxt)
    if orig is not None and extend and first_line_width(orig) <= orig_budget:
        return arm.same_line(orig)
    if orig is not None and nxt is not None and "\n" in orig:
        return arm.next_line(nxt)
    if orig is None:
        return None if nxt is None else arm.next_line(nxt)
    return arm.same_line(orig)


def _arrow_comment(ctx: Ctx, lo: int, hi: int, shape: Shape) -> str | None:
    """A comment between `=>` and the body, kept on its own line before the body."""
    snippet = ctx.snip(lo, hi).strip()
    idx = snippet.rfind("=>")
    if idx < 0:
        return ""
    comment = snippet[idx + 2:].strip()
    if not comment:
        return ""
    return rewrite_comment(comment, False, shape)


__all__ = ["EXPR", "rewrite_match", "rewrite_match_body", "rewrite_select"]
