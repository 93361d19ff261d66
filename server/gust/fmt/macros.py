"""Macro calls (rustfmt's `macros.rs`): `println!(..)` like a call, `vec![..]` like an
array literal, `vec![x; n]` as a repeat.

Inside a macro call rustfmt keeps trailing commas as written (some macros reject them),
so the context is marked as inside a macro while the arguments are formatted; `vec!`
is the exception and is formatted as a plain array.
"""

from __future__ import annotations

from gust.fmt import exprs, overflow
from gust.fmt.comment import contains_comment, trim_left_preserve_layout
from gust.fmt.context import Ctx
from gust.fmt.lists import ALWAYS, NEVER, VERTICAL
from gust.fmt.shape import FN_CALL_WIDTH, TAB_SPACES, Shape
from gust.fmt.strings import blen
from gust.syntax import ast


def delimiter(ctx: Ctx, mac: ast.MacroCall) -> str:
    """The opening delimiter of a macro call, as written."""
    pos = ctx.skip_trivia(ctx.base + mac.name_span.end, ctx.hi(mac))
    if ctx.text[pos : pos + 1] == "!":
        pos = ctx.skip_trivia(pos + 1, ctx.hi(mac))
    c = ctx.text[pos : pos + 1]
    return c if c in "([{" and c else "("


def rewrite_macro(ctx: Ctx, mac: ast.MacroCall, shape: Shape) -> str | None:
    """A macro call whose arguments parse as expressions, formatted with the context
    marked as inside a macro (which keeps trailing commas and semicolons as written)."""
    nested = ctx.inside_macro
    with ctx.macro(True):
        return _rewrite_macro_inner(ctx, mac, shape, nested)


def _rewrite_macro_inner(ctx: Ctx, mac: ast.MacroCall, shape: Shape,
                         nested: bool) -> str | None:
    """Pick the layout from the delimiter: `(..)` like a call, `[..]` like an array
    (`vec!` always with brackets unless nested in another macro), `{..}` kept with its
    layout re-indented."""
    original = delimiter(ctx, mac)
    name = mac.name + "!"
    forced_bracket = name == "vec!"
    style = "[" if forced_bracket and not nested else original
    lo, hi = ctx.lo(mac), ctx.hi(mac)
    snippet = ctx.snip(lo, hi)
    if not mac.args and mac.repeat is None and not contains_comment(snippet):
        return {"(": f"{name}()", "[": f"{name}[]"}.get(style, f"{name} {{}}")
    trailing_comma = exprs.span_ends_with_comma(snippet)
    if style == "{":
        body = snippet[snippet.find("{"):]
        layout = trim_left_preserve_layout(body, shape.indent)
        return f"{name} {layout if layout is not None else body}"
    if mac.repeat is not None:
        return _vec_semi(ctx, shape, mac.repeat, name, style)
    force = ALWAYS if trailing_comma else NEVER
    if style == "(":
        items = overflow.expr_items(ctx, mac.args, overflow.MACRO_ARG)
        return overflow.rewrite_with_parens(ctx, name, items, shape, lo, hi, FN_CALL_WIDTH,
                                            force)
    if forced_bracket and not nested:
        with ctx.macro(False):
            return overflow.rewrite_array(ctx, name, mac.args, lo, hi, shape, VERTICAL, original,
                                          overflow.MACRO_ARG)
    return overflow.rewrite_array(ctx, name, mac.args, lo, hi, shape, force, original,
                                  overflow.MACRO_ARG)


def _vec_semi(ctx: Ctx, shape: Shape, repeat: tuple[ast.Expr, ast.Expr], name: str,
              style: str) -> str | None:
    """`vec![value; count]`, broken after `;` onto indented lines when it does not fit."""
    left, right = ("(", ")") if style == "(" else ("[", "]")
    mac_shape = shape.offset_left(len(name))
    if mac_shape is None:
        return None
    nested = mac_shape.block_indent(TAB_SPACES)
    lhs = exprs.rewrite_expr(ctx, repeat[0], nested)
    rhs = exprs.rewrite_expr(ctx, repeat[1], nested)
    if lhs is None or rhs is None:
        return None
    if "\n" not in lhs and "\n" not in rhs and blen(lhs) + blen(rhs) + 8 <= shape.width:
        return f"{name}{left}{lhs}; {rhs}{right}"
    nl = nested.indent.newline()
    return f"{name}{left}{nl}{lhs};{nl}{rhs}{shape.indent.newline()}{right}"
