"""Delimited lists whose last element may overflow (rustfmt's `overflow.rs`).

Call arguments, tuples, arrays, macro arguments, tuple patterns and generic parameters are
all formatted by one algorithm: try everything on one line, else let the last element
(a closure, a block, a nested call...) continue over several lines after the others
("overflow"), else one element per line. `OItem` is one element: what it is (for
rustfmt's per-kind rules) and how to rewrite it into a shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from gust.fmt import closures, control, exprs, lists
from gust.fmt.context import Ctx
from gust.fmt.lists import (
    COMMA_LEN,
    HORIZONTAL,
    HORIZONTAL_VERTICAL,
    MIXED,
    NEVER,
    VERTICAL,
    DefTactic,
    ListFormatting,
    ListItem,
    definitive_tactic,
    itemize_list,
    total_item_width,
    write_list,
)
from gust.fmt.shape import (
    ARRAY_WIDTH,
    MAX_WIDTH,
    SHORT_ARRAY_ELEMENT_WIDTH_THRESHOLD,
    TAB_SPACES,
    Shape,
)
from gust.fmt.strings import blen, count_newlines, extra_offset, first_line_width, last_line_width
from gust.frozen import dataclass
from gust.syntax import ast

# Macros whose first arguments come before a format string: rustfmt keeps those on the
# first line and the rest after it when the arguments cannot share one line.
SPECIAL_CASE_MACROS = {
    "eprint!": 0, "eprintln!": 0, "format!": 0, "format_args!": 0, "print!": 0,
    "println!": 0, "panic!": 0, "unreachable!": 0, "debug!": 0, "error!": 0, "info!": 0,
    "warn!": 0, "assert!": 1, "debug_assert!": 1, "write!": 1, "writeln!": 1,
    "assert_eq!": 2, "assert_ne!": 2, "debug_assert_eq!": 2, "debug_assert_ne!": 2,
}

EXPR = "expr"
MACRO_ARG = "macro_arg"
PAT = "pat"
TY = "ty"
OTHER = "other"
META = "meta"
META_LIT = "meta_lit"


@dataclass
class OItem:
    """One element of an overflowable list."""

    kind: str
    node: object
    lo: int
    hi: int
    rewrite: Callable[[Shape], str | None]

    def is_expr(self) -> bool:
        """Expressions and macro arguments follow the expression rules."""
        return self.kind in (EXPR, MACRO_ARG)

    def is_simple(self) -> bool:
        """Simple elements allow the packed (mixed) layout of short arrays and format
        arguments."""
        if self.is_expr():
            return exprs.is_simple_expr(self.node)
        return self.kind in (META, META_LIT)

    def is_nested_call(self) -> bool:
        """A lone argument that is itself a call gets the whole line to overflow in."""
        return self.is_expr() and exprs.is_nested_call(self.node)

    def can_be_overflowed(self, n: int) -> bool:
        """Whether this element, last of `n`, may overflow (rustfmt's
        `OverflowableItem::can_be_overflowed`)."""
        if self.is_expr():
            return exprs.can_be_overflowed_expr(self.node, n)
        if self.kind == TY:
            from gust.fmt import types

            return types.can_be_overflowed_type(self.node, n)
        if self.kind == PAT:
            from gust.fmt import patterns

            return patterns.can_be_overflowed_pat(self.node, n)
        return self.kind == META and n == 1


def expr_items(ctx: Ctx, nodes: Sequence[ast.Expr], kind: str = EXPR) -> list[OItem]:
    """Expressions as list elements."""
    return [OItem(kind, e, ctx.lo(e), ctx.hi(e),
                  lambda shape, e=e: exprs.rewrite_expr(ctx, e, shape))  # type: ignore[misc]
            for e in nodes]


def rewrite_with_parens(ctx: Ctx, ident: str, items: Sequence[OItem], shape: Shape, lo: int,
                        hi: int, item_max_width: int,
                        force_separator: str | None) -> str | None:
    """`ident(items)`: calls, tuples, tuple structs and patterns."""
    return _Overflow(ctx, items, ident, shape, lo, hi, "(", ")", item_max_width,
                     force_separator, None).rewrite(shape)


def rewrite_with_angle_brackets(ctx: Ctx, ident: str, items: Sequence[OItem], shape: Shape,
                                lo: int, hi: int) -> str | None:
    """`ident<items>`: generic parameters and arguments."""
    return _Overflow(ctx, items, ident, shape, lo, hi, "<", ">", MAX_WIDTH, None,
                     None).rewrite(shape)


def rewrite_with_square_brackets(ctx: Ctx, name: str, items: Sequence[OItem], shape: Shape,
                                 lo: int, hi: int, force_separator: str | None,
                                 delim: str | None) -> str | None:
    """`name[items]`: arrays, and macro calls written with brackets (or another
    delimiter, kept as written)."""
    prefix, suffix = {"(": ("(", ")"), "{": ("{", "}")}.get(delim or "[", ("[", "]"))
    return _Overflow(ctx, items, name, shape, lo, hi, prefix, suffix, ARRAY_WIDTH,
                     force_separator, ("[", "]")).rewrite(shape)


class _Overflow:
    """rustfmt's `overflow::Context`."""

    def __init__(self, ctx: Ctx, items: Sequence[OItem], ident: str, shape: Shape, lo: int,
                 hi: int, prefix: str, suffix: str, item_max_width: int,
                 force_separator: str | None, custom_delims: tuple[str, str] | None) -> None:
        """Precompute the room on the opening line and the shape of elements laid out one
        per line."""
        self.ctx = ctx
        self.items = list(items)
        self.ident = ident
        self.lo, self.hi = lo, hi
        self.prefix, self.suffix = prefix, suffix
        self.item_max_width = item_max_width
        self.force_separator = force_separator
        self.custom_delims = custom_delims
        used_width = extra_offset(ident, shape)
        self.one_line_width = max(0, shape.width - (used_width + 2))
        one_line = shape.offset_left(last_line_width(ident) + 1)
        one_line = one_line.sub_width(1) if one_line is not None else None
        self.one_line_shape = one_line if one_line is not None else replace(shape, width=0)
        nested = shape.block().block_indent(TAB_SPACES).with_max_width()
        self.nested_shape = replace(nested, width=max(0, nested.width - 1))

    def rewrite(self, shape: Shape) -> str | None:
        """The whole delimited list."""
        result = self.rewrite_items()
        if result is None:
            return None
        extendable, items_str = result
        return self.wrap_items(items_str, shape, extendable)

    def rewrite_items(self) -> tuple[bool, str] | None:
        """The elements joined by the chosen tactic; also whether they stayed on one
        line, so the delimiters can hug them."""
        span_lo = self.ctx.span_after(self.lo, self.hi, self.prefix)
        list_items = itemize_list(
            self.ctx.text, self.items, self.suffix, ",", lambda i: i.lo, lambda i: i.hi,
            lambda i: i.rewrite(self.nested_shape), span_lo, self.hi, leave_last=True)
        tactic = self.try_overflow_last_item(list_items)
        trailing = self.force_separator if self.force_separator is not None else VERTICAL
        fmt = ListFormatting(self.nested_shape, tactic=tactic, trailing_separator=trailing,
                             ends_with_newline=tactic in (VERTICAL, MIXED))
        items_str = write_list(list_items, fmt)
        if items_str is None:
            return None
        return tactic == HORIZONTAL, items_str

    def wrap_items(self, items_str: str, shape: Shape, extendable: bool) -> str:
        """Put the delimiters around the elements: hugging them on one line, or on lines
        of their own around an indented block."""
        shape = replace(shape, width=max(0, shape.width - last_line_width(self.ident)))
        prefix, suffix = self.custom_delims or (self.prefix, self.suffix)
        extend_width = 2 if not items_str else first_line_width(items_str) + 1
        fits_one_line = blen(items_str) + 2 <= shape.width
        force_single_line = ((self.ctx.inside_macro and "\n" not in items_str and fits_one_line)
                             or (extendable and extend_width <= shape.width))
        if force_single_line:
            return f"{self.ident}{prefix}{items_str}{suffix}"
        inner = self.nested_shape.indent.newline() + items_str if items_str else ""
        return f"{self.ident}{prefix}{inner}{shape.block().indent.newline()}{suffix}"

    def default_tactic(self, list_items: list[ListItem]) -> DefTactic:
        """One line within the list's width, else vertical."""
        return definitive_tactic(list_items, self.item_max_width, COMMA_LEN, self.one_line_width)

    def try_overflow_last_item(self, list_items: list[ListItem]) -> DefTactic:
        """Try the overflowing layout: the last element rendered where it would start on
        the opening line; kept when the whole list is then horizontal, else the
        fallback tactic decides."""
        items = self.items
        combine_arg_with_callee = (len(items) == 1 and items[0].is_expr()
                                   and len(self.ident) < TAB_SPACES)
        overflow_last = combine_arg_with_callee or (
            bool(items) and items[-1].can_be_overflowed(len(items)))
        placeholder = None
        if overflow_last:
            last = items[-1]
            force = (not combine_arg_with_callee and last.kind == EXPR
                     and exprs.is_method_call(last.node))
            with self.ctx.one_line_chain(force or self.ctx.force_one_line_chain):
                arg_shape = self.last_item_shape(list_items)
                if arg_shape is not None:
                    placeholder = self.rewrite_last_item_with_overflow(list_items[-1],
                                                                       arg_shape)
        tactic = definitive_tactic(list_items, self.item_max_width, COMMA_LEN,
                                   self.one_line_width)
        if overflow_last and tactic == HORIZONTAL and placeholder is not None:
            if len(items) == 1 and count_newlines(placeholder) == 1:
                rw = items[-1].rewrite(self.nested_shape)
                list_items[-1].item = rw if rw is not None and "\n" not in rw else placeholder
            else:
                list_items[-1].item = placeholder
        elif items:
            list_items[-1].item = items[-1].rewrite(self.nested_shape)
            tactic = self.fallback_tactic(list_items)
        return tactic

    def fallback_tactic(self, list_items: list[ListItem]) -> DefTactic:
        """The tactic when the last element does not overflow: one line if a single
        argument fits, else rustfmt's heuristics (format strings, short elements)."""
        items = self.items
        first = list_items[0]
        if (len(items) == 1 and self.one_line_width != 0 and not first.has_comment()
                and "\n" not in first.inner
                and total_item_width(first) <= self.one_line_width):
            return HORIZONTAL
        tactic = self.default_tactic(list_items)
        if tactic != VERTICAL:
            return tactic
        special = self.special_case()
        if special is not None:
            all_simple, before = special
            width = self.nested_shape.width
            one_line = (all_simple
                        and definitive_tactic(list_items[:before], HORIZONTAL_VERTICAL,
                                              COMMA_LEN, width) == HORIZONTAL
                        and definitive_tactic(list_items[before + 1:], HORIZONTAL_VERTICAL,
                                              COMMA_LEN, width) == HORIZONTAL)
            return before if one_line else tactic
        if all(i.is_simple() for i in items) and all(
                blen(li.inner) <= SHORT_ARRAY_ELEMENT_WIDTH_THRESHOLD for li in list_items):
            return MIXED
        return tactic

    def special_case(self) -> tuple[bool, int] | None:
        """rustfmt's `maybe_get_args_offset` for format-like macros."""
        if not self.items or self.items[0].kind != MACRO_ARG:
            return None
        before = SPECIAL_CASE_MACROS.get(self.ident)
        if before is None:
            return None
        items = self.items
        all_simple = (len(items) > before and all(i.is_simple() for i in items[:before])
                      and all(i.is_simple() for i in items[before + 1:]))
        return all_simple, before

    def last_item_shape(self, list_items: list[ListItem]) -> Shape | None:
        """The room the last element has if everything stays on the opening line."""
        shape = self.one_line_shape
        if len(list_items) == 1 and not self.items[0].is_nested_call():
            return shape
        offset = sum(2 + blen(i.inner) for i in list_items[:-1])
        return replace(shape, width=min(self.item_max_width, shape.width)).offset_left(offset)

    def rewrite_last_item_with_overflow(self, last_list_item: ListItem,
                                        shape: Shape) -> str | None:
        """The overflowing rendering of the last element (closures and control flow have
        their own rules); the list item gets its first line, which is what must fit."""
        last = self.items[-1]
        rewrite: str | None
        node = last.node
        if last.kind == EXPR and isinstance(node, ast.Closure):
            closures_count = sum(1 for i in self.items
                                 if i.is_expr() and isinstance(i.node, ast.Closure))
            rewrite = None if closures_count > 1 else closures.rewrite_last_closure(
                self.ctx, node, shape)
        elif last.kind == EXPR and isinstance(node, (ast.If, ast.For, ast.Loop, ast.While,
                                                     ast.Match)):
            cond = control.rewrite_cond(self.ctx, node, shape)
            rewrite = None if cond is not None and "\n" in cond else last.rewrite(shape)
        else:
            rewrite = last.rewrite(shape)
        if rewrite is not None:
            last_list_item.item = rewrite.split("\n", 1)[0]
        return rewrite


def rewrite_array(ctx: Ctx, name: str, items: Sequence[ast.Expr], lo: int, hi: int,
                  shape: Shape, force_separator: str | None, delim: str | None,
                  kind: str = EXPR) -> str | None:
    """An array or `vec![..]`, with rustfmt's array width (60)."""
    return rewrite_with_square_brackets(ctx, name, expr_items(ctx, items, kind), shape, lo,
                                        hi, force_separator, delim)


def separator_for_macro(ctx: Ctx, lo: int, hi: int) -> str | None:
    """rustfmt's `choose_separator_tactic`: inside a macro call a trailing comma is kept
    exactly as written."""
    if not ctx.inside_macro:
        return None
    return lists.ALWAYS if exprs.span_ends_with_comma(ctx.snip(lo, hi)) else NEVER
