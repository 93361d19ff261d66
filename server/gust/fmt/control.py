"""`if`/`else`, `while`, `for` and `loop` (rustfmt's `ControlFlow` in `expr.rs`).

The head (`if cond`, `while let pat = e`, `for pat in iter`) is written first; the block
follows on the same line unless the head spans lines. A short `if c { a } else { b }`
used as a value stays on one line (at most 50 columns, rustfmt's
`single_line_if_else_max_width`).
"""

from __future__ import annotations

from gust.fmt import exprs, patterns
from gust.fmt.comment import rewrite_missing_comment
from gust.fmt.context import Ctx, block_view
from gust.fmt.shape import EMPTY_INDENT, SINGLE_LINE_IF_ELSE_MAX_WIDTH, Shape, budget
from gust.fmt.strings import blen, last_line_extendable, last_line_width
from gust.frozen import dataclass
from gust.syntax import ast


@dataclass
class ControlFlow:
    """rustfmt's `ControlFlow`: the parts of an `if`, `while`, `for` or `loop` that the
    head and block layout depend on (`matcher` is `let` for `if let`/`while let`,
    `connector` is ` =` or ` in`)."""

    cond: ast.Expr | None
    block: ast.Block
    else_block: ast.Block | ast.If | None
    label: str | None
    pat: ast.Pat | None
    keyword: str
    matcher: str
    connector: str
    allow_single_line: bool
    nested_if: bool
    is_loop: bool
    lo: int
    hi: int


def _split_cond(cond: ast.Expr | ast.LetCond) -> tuple[ast.Pat | None, ast.Expr]:
    """The pattern and expression of an `if let`/`while let` condition (None and the
    expression otherwise)."""
    if isinstance(cond, ast.LetCond):
        return cond.pat, cond.expr
    return None, cond


def _new_if(ctx: Ctx, e: ast.If, allow_single_line: bool, nested_if: bool,
            lo: int) -> ControlFlow:
    """The ControlFlow of an `if`; `nested_if` for the `if` of an `else if`."""
    pat, cond = _split_cond(e.cond)
    return ControlFlow(cond, e.then, e.else_, None, pat, "if", "let" if pat else "", " =",
                       allow_single_line, nested_if, False, lo, ctx.hi(e))


def to_control_flow(ctx: Ctx, e: object, expr_type: str) -> ControlFlow | None:
    """The ControlFlow of a control-flow expression, or None for any other node; only an
    `if` in a sub-expression may become a one-line if-else."""
    lo, hi = ctx.lo(e), ctx.hi(e)
    if isinstance(e, ast.If):
        return _new_if(ctx, e, expr_type == exprs.SUB, False, lo)
    if isinstance(e, ast.For):
        return ControlFlow(e.iter, e.body, None, e.label, e.pat, "for", "", " in", False,
                           False, True, lo, hi)
    if isinstance(e, ast.Loop):
        return ControlFlow(None, e.body, None, e.label, None, "loop", "", "", False, False,
                           True, lo, hi)
    if isinstance(e, ast.While):
        pat, cond = _split_cond(e.cond)
        return ControlFlow(cond, e.body, None, e.label, pat, "while", "let" if pat else "",
                           " =", False, False, True, lo, hi)
    return None


def rewrite_control_flow(ctx: Ctx, e: ast.Expr, expr_type: str, shape: Shape) -> str | None:
    """Format `if`/`while`/`for`/`loop` expressions."""
    cf = to_control_flow(ctx, e, expr_type)
    return None if cf is None else rewrite(ctx, cf, shape)


def rewrite_cond(ctx: Ctx, e: ast.Expr, shape: Shape) -> str | None:
    """Just the head of a control-flow expression (or the scrutinee of a `match`)."""
    if isinstance(e, ast.Match):
        cond_shape = shape.offset_left(8)
        return exprs.rewrite_expr(ctx, e.scrutinee, cond_shape) if cond_shape else None
    cf = to_control_flow(ctx, e, exprs.SUB)
    if cf is None:
        return None
    result = _rewrite_cond(ctx, cf, shape, shape.indent.block_only().newline())
    return None if result is None else result[0]


def _label_str(label: str | None) -> str:
    """`'label: ` before a loop keyword, as written."""
    return f"'{label}: " if label else ""


def _label_hi(cf: ControlFlow) -> int:
    """Where the label ends (the keyword search starts there)."""
    return cf.lo + 1 + len(cf.label) if cf.label else cf.lo


def _rewrite_single_line(ctx: Ctx, cf: ControlFlow, pat_expr: str, width: int) -> str | None:
    """`if c { a } else { b }` on one line, when both branches are a single short
    expression (rustfmt's `rewrite_single_line`)."""
    if not isinstance(cf.else_block, ast.Block):
        return None
    fixed_cost = len(cf.keyword) + len("  {  } else {  }")
    then_view, else_view = block_view(ctx, cf.block), block_view(ctx, cf.else_block)
    if (not exprs.is_simple_block(ctx, then_view) or not exprs.is_simple_block(ctx, else_view)
            or "\n" in pat_expr):
        return None
    new_width = width - (blen(pat_expr) + fixed_cost)
    if new_width < 0:
        return None
    if_str = exprs.rewrite_stmt(ctx, then_view.stmts[0], Shape.legacy(new_width, EMPTY_INDENT))
    if if_str is None:
        return None
    new_width -= blen(if_str)
    if new_width < 0:
        return None
    else_str = exprs.rewrite_stmt(ctx, else_view.stmts[0],
                                  Shape.legacy(new_width, EMPTY_INDENT))
    if else_str is None or "\n" in if_str or "\n" in else_str:
        return None
    result = f"{cf.keyword} {pat_expr} {{ {if_str} }} else {{ {else_str} }}"
    return result if blen(result) <= width else None


def _last_line_offsetted(start_column: int, text: str) -> bool:
    """Whether the last line of a condition is indented past where the head starts, in
    which case the block's brace goes on its own line."""
    leading = 0
    for c in reversed(text):
        if c == "\n":
            break
        leading = leading + 1 if c.isspace() else 0
    return leading > start_column


def _rewrite_pat_expr(ctx: Ctx, cf: ControlFlow, expr: ast.Expr, shape: Shape,
                      offset: int) -> str | None:
    """`let pat = expr`, `pat in expr` or just the condition; a `while`/`for` head that
    does not fit may move its expression to the next line."""
    cond_shape = shape.offset_left(offset)
    if cond_shape is None:
        return None
    if cf.pat is not None:
        matcher = cf.matcher + " " if cf.matcher else ""
        pat_shape = cond_shape.offset_left(len(matcher))
        pat_shape = pat_shape.sub_width(len(cf.connector)) if pat_shape else None
        if pat_shape is None:
            return None
        pat = patterns.rewrite_pat(ctx, cf.pat, pat_shape)
        if pat is None:
            return None
        comments_lo = ctx.span_after(ctx.hi(cf.pat), cf.hi, cf.connector.strip())
        between = ctx.snip(comments_lo, ctx.lo(expr))
        return exprs.rewrite_assign_rhs_with_comments(
            ctx, matcher + pat + cf.connector, exprs.expr_rewriter(ctx, expr), cond_shape,
            exprs.DEFAULT, between)
    rewrite = exprs.rewrite_expr(ctx, expr, cond_shape)
    if cf.keyword == "if" or rewrite is not None:
        return rewrite
    nested = shape.block_indent(4).with_max_width()
    rewrite = exprs.rewrite_expr(ctx, expr, nested)
    return None if rewrite is None else nested.indent.newline() + rewrite


def extract_comment(snippet: str, shape: Shape) -> str | None:
    """A comment inside a control-flow head, put on its own line at the head's indent;
    None when there is no comment."""
    comment = rewrite_missing_comment(snippet, shape)
    if not comment:
        return None
    nl = shape.indent.newline()
    return f"{nl}{comment}{nl}"


def _rewrite_cond(ctx: Ctx, cf: ControlFlow, shape: Shape,
                  alt_block_sep: str) -> tuple[str, int] | None:
    """The head up to the block (`'label: while let pat = expr {` without the brace), and
    the width it uses on its last line; or the whole one-line if-else with width 0."""
    fresh = Shape(budget(shape.used_width()), shape.indent, shape.offset)
    constr_shape = fresh.offset_left(7) if cf.nested_if else fresh
    if constr_shape is None:
        return None
    label = _label_str(cf.label)
    offset = len(cf.keyword) + len(label) + 1
    pat_expr = ""
    if cf.cond is not None:
        rewritten = _rewrite_pat_expr(ctx, cf, cf.cond, constr_shape, offset)
        if rewritten is None:
            return None
        pat_expr = rewritten
    one_line_budget = budget(constr_shape.used_width() + offset + 2)
    force_newline_brace = ("\n" in pat_expr or blen(pat_expr) > one_line_budget) and (
        not last_line_extendable(pat_expr) or _last_line_offsetted(shape.used_width(), pat_expr))
    if cf.allow_single_line:
        trial = _rewrite_single_line(ctx, cf, pat_expr, shape.width)
        if trial is not None and blen(trial) <= SINGLE_LINE_IF_ELSE_MAX_WIDTH:
            return trial, 0
    between_comment, after_comment = _cond_comments(ctx, cf, shape)
    if cf.cond is None and between_comment is not None:
        block_sep = ""
    elif force_newline_brace:
        block_sep = alt_block_sep
    else:
        block_sep = " "
    if "\n" in pat_expr:
        used_width = last_line_width(pat_expr)
    else:
        used_width = len(label) + len(cf.keyword) + blen(pat_expr) + 2
    if between_comment is not None:
        space = between_comment
    else:
        space = "" if not pat_expr or pat_expr.startswith("\n") else " "
    tail = after_comment if after_comment is not None else block_sep
    return f"{label}{cf.keyword}{space}{pat_expr}{tail}", used_width


def _cond_comments(ctx: Ctx, cf: ControlFlow, shape: Shape) -> tuple[str | None, str | None]:
    """The comments between the keyword and the condition, and between the condition and
    the block, each on lines of their own."""
    block_lo = ctx.lo(cf.block)
    cond_lo = ctx.lo(cf.cond) if cf.cond is not None else block_lo
    cond_hi = ctx.hi(cf.cond) if cf.cond is not None else block_lo
    kw_after = ctx.span_after(_label_hi(cf), cf.hi, cf.keyword)
    if cf.pat is None:
        between_hi = cond_lo
    elif not cf.matcher:
        between_hi = ctx.lo(cf.pat)
    else:
        between_hi = ctx.span_before(cf.lo, cf.hi, cf.matcher)
    return (extract_comment(ctx.snip(kw_after, between_hi), shape),
            extract_comment(ctx.snip(cond_hi, block_lo), shape))


def rewrite(ctx: Ctx, cf: ControlFlow, shape: Shape) -> str | None:
    """A whole control-flow expression: head, block, and the `else` chain (rustfmt's
    `ControlFlow::rewrite`)."""
    alt_block_sep = shape.indent.newline()
    cond = _rewrite_cond(ctx, cf, shape, alt_block_sep)
    if cond is None:
        return None
    cond_str, used_width = cond
    if used_width == 0:
        return cond_str
    block_width = max(0, shape.width - used_width)
    if cf.else_block is not None or cf.nested_if:
        block_width = min(1, block_width)
    block_shape = Shape(block_width, shape.indent, shape.offset)
    with ctx.block_flags(cf.else_block is not None, cf.is_loop):
        block_str = exprs.rewrite_block_with_visitor(ctx, "", block_view(ctx, cf.block),
                                                     block_shape, True)
    if block_str is None:
        return None
    if cf.else_block is None:
        return cond_str + block_str
    else_str = _rewrite_else(ctx, cf, cf.else_block, shape)
    return None if else_str is None else cond_str + block_str + else_str


def _rewrite_else(ctx: Ctx, cf: ControlFlow, else_block: ast.Block | ast.If,
                  shape: Shape) -> str | None:
    """` else { .. }` or ` else if ..` (formatted recursively as a nested if, whose
    blocks rustfmt never puts on one line)."""
    else_shape = Shape.indented(shape.indent)
    if isinstance(else_block, ast.If):
        nested = _new_if(ctx, else_block, False, True, ctx.lo(else_block))
        nested.hi = cf.hi
        else_str = rewrite(ctx, nested, else_shape)
    else:
        narrow = Shape(min(1, else_shape.width), else_shape.indent, else_shape.offset)
        else_str = exprs.format_expr(ctx, else_block, exprs.STATEMENT, narrow)
    else_kw = rewrite_else_kw(ctx, False, not isinstance(else_block, ast.If), ctx.hi(cf.block),
                              ctx.lo(else_block), else_shape)
    return None if else_str is None else else_kw + else_str


def rewrite_else_kw(ctx: Ctx, force_newline_else: bool, is_last: bool, lo: int, hi: int,
                    shape: Shape) -> str:
    """`else` between a block and what follows, with the comments around it."""
    del is_last  # only matters for `control_brace_style = AlwaysNextLine`
    kw_lo = ctx.span_before(lo, hi, "else")
    before = extract_comment(ctx.snip(lo, kw_lo), shape)
    kw_hi = ctx.span_after(lo, hi, "else")
    after = extract_comment(ctx.snip(kw_hi, hi), shape)
    before_sep = shape.indent.newline() if force_newline_else else " "
    return f"{before if before is not None else before_sep}else{after or ' '}"
