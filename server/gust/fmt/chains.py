"""Method chains: `a.b().c?.d` (rustfmt's `chains.rs`, block indent style).

A chain is its root (`a`, plus following elements short enough to stay with it) and its
children; everything goes on one line when it fits in the chain width (60), else each
child starts a line of its own, indented one level. The last child may instead overflow
(`foo.bar(|x| {` ... `})`) when that reads better, as rustfmt decides it.
"""

from __future__ import annotations

from dataclasses import field

from gust.fmt import exprs, source, types
from gust.fmt.comment import rewrite_comment
from gust.fmt.context import Ctx
from gust.fmt.lists import extract_pre_comment
from gust.fmt.shape import CHAIN_WIDTH, TAB_SPACES, Shape
from gust.fmt.strings import (
    blen,
    first_line_width,
    last_line_extendable,
    last_line_width,
    lines,
    trimmed_last_line_width,
    uwidth,
    wrap_str,
)
from gust.frozen import dataclass
from gust.syntax import ast

PARENT = "parent"
METHOD = "method"
FIELD = "field"
TUPLE_FIELD = "tuple_field"
COMMENT_TOP = "comment_top"
COMMENT_BACK = "comment_back"


@dataclass
class ChainItem:
    """One element of a chain: the parent expression, a `.method(..)`, `.field`, `.0`, or
    a comment between elements; `tries` counts the `?`s after it."""

    kind: str
    node: object
    tries: int
    lo: int
    hi: int
    text: str = ""  # the field name, or the comment
    nested: bool = False  # a tuple field of a tuple field: rustfmt writes `t.0 .1`

    def is_comment(self) -> bool:
        """Comments take part in layout decisions: a chain with one never fits on one
        line."""
        return self.kind in (COMMENT_TOP, COMMENT_BACK)


def _child_of(e: object) -> object | None:
    """The expression a chain element is applied to, or None at the chain's root."""
    if isinstance(e, ast.MethodCall):
        return e.receiver
    if isinstance(e, (ast.Field, ast.TupleField)):
        return e.base
    if isinstance(e, ast.Try):
        return e.inner
    return None


def _chain_item(ctx: Ctx, e: object, tries: int) -> ChainItem:
    """The chain element for one sub-expression, spanning from its `.` so that comments
    before the dot belong to the gap between elements."""
    if isinstance(e, ast.MethodCall):
        lo, hi = ctx.hi(e.receiver), ctx.hi(e)
        return ChainItem(METHOD, e, tries, ctx.span_before(lo, hi, "."), hi,
                         source.node_name(ctx, e))
    if isinstance(e, ast.Field):
        lo, hi = ctx.hi(e.base), ctx.base + e.name_span.end
        return ChainItem(FIELD, e, tries, ctx.span_before(lo, hi, "."), hi,
                         source.node_name(ctx, e))
    if isinstance(e, ast.TupleField):
        lo, hi = ctx.hi(e.base), ctx.base + e.index_span.end
        return ChainItem(TUPLE_FIELD, e, tries, ctx.span_before(lo, hi, "."), hi,
                         str(e.index), isinstance(e.base, ast.TupleField))
    return ChainItem(PARENT, e, tries, ctx.lo(e), ctx.hi(e))


def _trim_tries(s: str) -> str:
    """Remove `?`s; drop lines left empty, except the first one."""
    result: list[str] = []
    buf = ""
    for c in s:
        if c == "\n":
            if not result or buf.strip():
                result.append(buf + "\n")
            buf = ""
        elif c != "?":
            buf += c
    if buf.strip():
        result.append(buf)
    return "".join(result)


def _is_tries(s: str) -> bool:
    """Whether a gap between elements holds only `?`s (no comment to keep)."""
    return all(c == "?" for c in s)


def _is_post_comment(s: str) -> bool:
    """Whether a gap starts with a comment on the same line as the previous element."""
    start = s.find("/")
    if start < 0:
        return False
    nl = s.find("\n")
    return nl < 0 or start < nl


@dataclass
class Chain:
    """A chain split into its root and the elements (and comments) that follow it."""

    parent: ChainItem
    children: list[ChainItem] = field(default_factory=list)


def _post_comment(ctx: Ctx, lo: int, hi: int, children: list[ChainItem]) -> int | None:
    """A comment after a chain element on its line; returns the new position."""
    snippet = ctx.snip(lo, hi)
    if snippet.strip(" \t").startswith("\n"):
        return None
    trimmed = _trim_tries(snippet)
    if _is_post_comment(trimmed):
        children.append(ChainItem(COMMENT_BACK, None, 0, lo, hi, trimmed.strip()))
        return hi
    return None


def build_chain(ctx: Ctx, expr: ast.Expr) -> Chain:
    """Flatten nested method calls, field accesses and `?`s into a chain, picking up the
    comments between elements (rustfmt's `Chain::from_ast`)."""
    subexprs: list[object] = [expr]
    while (child := _child_of(subexprs[-1])) is not None:
        subexprs.append(child)
    rev_children: list[ChainItem] = []
    tries = 0
    for sub in subexprs:
        if isinstance(sub, ast.Try):
            tries += 1
        else:
            rev_children.append(_chain_item(ctx, sub, tries))
            tries = 0
    parent = rev_children.pop()
    items = list(reversed(rev_children))
    children: list[ChainItem] = []
    prev_end = parent.hi
    if items:
        snippet = ctx.snip(prev_end, items[0].lo)
        if not _is_tries(snippet.strip()):
            moved = _post_comment(ctx, prev_end, items[0].lo, children)
            prev_end = moved if moved is not None else prev_end
    for i, item in enumerate(items):
        pre = _trim_tries(ctx.snip(prev_end, item.lo))
        comment, _ = extract_pre_comment(pre)
        if comment:
            children.append(ChainItem(COMMENT_TOP, None, 0, prev_end, item.lo, comment))
        prev_end = item.hi
        children.append(item)
        if i + 1 < len(items):
            moved = _post_comment(ctx, prev_end, items[i + 1].lo, children)
            prev_end = moved if moved is not None else prev_end
    return Chain(parent, children)


def rewrite_item(ctx: Ctx, item: ChainItem, shape: Shape) -> str | None:
    """One chain element with its `?`s."""
    inner = shape.sub_width(item.tries)
    if inner is None:
        return None
    if item.kind == PARENT:
        rewrite = exprs.rewrite_expr(ctx, item.node, inner)  # type: ignore[arg-type]
    elif item.kind == METHOD:
        rewrite = _rewrite_method_call(ctx, item, inner)
    elif item.kind == FIELD:
        rewrite = "." + item.text
    elif item.kind == TUPLE_FIELD:
        rewrite = (" ." if item.nested else ".") + item.text
    else:
        rewrite = rewrite_comment(item.text, False, inner)
    return None if rewrite is None else rewrite + "?" * item.tries


def _rewrite_method_call(ctx: Ctx, item: ChainItem, shape: Shape) -> str | None:
    """`.name::<T>(args)`, formatted like a call whose callee is `.name`."""
    call = item.node
    assert isinstance(call, ast.MethodCall)
    type_str = ""
    if call.generics:
        rewritten = [types.rewrite_ty(ctx, t, shape) for t in call.generics]
        if any(r is None for r in rewritten):
            return None
        type_str = "::<" + ", ".join(r for r in rewritten if r is not None) + ">"
    return exprs.rewrite_call(ctx, f".{item.text}{type_str}", call.args, item.lo, item.hi,
                              shape)


def is_block_expr(e: object, repr_: str) -> bool:
    """Whether the last line of `e`'s rewrite is just closing delimiters."""
    if isinstance(e, (ast.MacroCall, ast.Call, ast.MethodCall, ast.ArrayExpr, ast.StructLit,
                      ast.While, ast.If, ast.Block, ast.Loop, ast.For, ast.Match)):
        return "\n" in repr_
    if isinstance(e, ast.Paren):
        return is_block_expr(e.inner, repr_)
    if isinstance(e, ast.Binary):
        return is_block_expr(e.rhs, repr_)
    if isinstance(e, ast.Index):
        return is_block_expr(e.index, repr_)
    if isinstance(e, ast.Unary):
        return is_block_expr(e.operand, repr_)
    if isinstance(e, ast.Try):
        return is_block_expr(e.inner, repr_)
    if isinstance(e, ast.Closure):
        return is_block_expr(e.body, repr_)
    if isinstance(e, ast.Literal):
        return "\n" in repr_ and trimmed_last_line_width(repr_) <= TAB_SPACES
    return False


def rewrite_chain(ctx: Ctx, expr: ast.Expr, shape: Shape) -> str | None:
    """Format `expr` as a chain; a lone root (no children) is formatted as itself."""
    chain = build_chain(ctx, expr)
    if not chain.children:
        return rewrite_item(ctx, chain.parent, shape)
    return _ChainFormatter(ctx, chain).rewrite(shape)


class _ChainFormatter:
    """rustfmt's `ChainFormatterBlock` with its shared part."""

    def __init__(self, ctx: Ctx, chain: Chain) -> None:
        """State shared by the steps: the rendered pieces, and whether they fit on one
        line."""
        self.ctx = ctx
        self.chain = chain
        self.children = list(chain.children)
        self.rewrites: list[str] = []
        self.fits_single_line = False
        self.child_count = len(chain.children)
        self.root_ends_with_block = False

    def rewrite(self, shape: Shape) -> str | None:
        """The whole chain: root, children one per line (or all on one line), last child."""
        if not self.format_root(shape):
            return None
        if not self.children:
            return wrap_str(self.rewrites[0], shape)
        indent = 0 if self.root_ends_with_block else TAB_SPACES
        child_shape = shape.block_indent(indent).with_max_width()
        for item in self.children[:-1]:
            rewrite = rewrite_item(self.ctx, item, child_shape)
            if rewrite is None:
                return None
            self.rewrites.append(rewrite)
        if not self.format_last_child(shape, child_shape):
            return None
        result = self.join(child_shape)
        return None if result is None else wrap_str(result, shape)

    def format_root(self, shape: Shape) -> bool:
        """Render the root and absorb following children while the root is shorter than
        an indent, as rustfmt keeps `a.b` or `self.x` together."""
        parent = self.chain.parent
        root = rewrite_item(self.ctx, parent, shape)
        if root is None:
            return False
        ends_with_block = is_block_expr(parent.node, root)
        tab_width = max(0, TAB_SPACES - shape.offset)
        while blen(root) <= tab_width and "\n" not in root:
            item = self.children[0]
            if item.is_comment():
                break
            item_shape = shape.offset_left(blen(root))
            if item_shape is None:
                return False
            rewrite = rewrite_item(self.ctx, item, item_shape)
            if rewrite is None:
                break
            root += rewrite
            ends_with_block = last_line_extendable(root)
            self.children = self.children[1:]
            if not self.children:
                break
        self.rewrites.append(root)
        self.root_ends_with_block = ends_with_block
        return True

    def format_last_child(self, shape: Shape, child_shape: Shape) -> bool:
        """Render the last child: on the same line as the rest when everything fits, or
        overflowing from the end of the previous line when that is no taller than giving
        it a line of its own (rustfmt's `format_last_child`)."""
        last = self.children[-1]
        extendable = last_line_extendable(self.rewrites[0])
        if extendable:
            almost_total = last_line_width(self.rewrites[0]) + last.tries
        else:
            almost_total = sum(uwidth(r) for r in self.rewrites) + last.tries
        limit = shape.width if self.child_count == 1 else min(shape.width, CHAIN_WIDTH)
        one_line_budget = max(0, limit - almost_total)
        all_in_one_line = (not any(c.is_comment() for c in self.children)
                           and all("\n" not in r for r in self.rewrites)
                           and one_line_budget > 0)
        if all_in_one_line:
            last_shape = shape.sub_width(last.tries)
        elif extendable:
            last_shape = child_shape.sub_width(last.tries)
        else:
            last_shape = child_shape.sub_width(shape.rhs_overhead() + last.tries)
        if last_shape is None:
            return False
        rewrite: str | None = None
        if all_in_one_line or extendable:
            one_line_shape = last_shape.offset_left(almost_total)
            first = rewrite_item(self.ctx, last, one_line_shape) if one_line_shape else None
            if first is not None:
                could_fit = first_line_width(first) <= one_line_budget
                own_shape = child_shape.sub_width(shape.rhs_overhead() + last.tries)
                if own_shape is None and not (could_fit and len(lines(first)) >= 5):
                    return False
                rewrite = self._pick_last(last, first, could_fit, all_in_one_line, own_shape)
        if rewrite is None:
            rewrite = rewrite_item(self.ctx, last, last_shape)
        if rewrite is None:
            return False
        self.rewrites.append(rewrite)
        return True

    def _pick_last(self, last: ChainItem, first: str, could_fit: bool, all_in_one_line: bool,
                   own_shape: Shape | None) -> str:
        """Between the last child continuing the line (`first`) and the same child on a
        line of its own: a long overflow (5+ lines) that starts within budget is kept;
        otherwise the own-line rendering wins unless it is no shorter."""
        line_count = len(lines(first))
        if could_fit and line_count >= 5:
            self.fits_single_line = all_in_one_line
            return first
        assert own_shape is not None
        own = rewrite_item(self.ctx, last, own_shape)
        if own is not None and not could_fit:
            return own
        if own is not None and len(lines(own)) < line_count:
            return own
        self.fits_single_line = could_fit and all_in_one_line
        return first

    def join(self, child_shape: Shape) -> str | None:
        """Glue the rendered pieces, with newlines unless the chain fits on one line; a
        caller that forbids multi-line chains (if-else on one line) gets None."""
        if self.fits_single_line:
            connector = ""
        else:
            if self.ctx.force_one_line_chain:
                return None
            connector = child_shape.newline()
        result = self.rewrites[0]
        for rewrite, item in zip(self.rewrites[1:], self.children, strict=True):
            result += " " if item.kind == COMMENT_BACK else connector
            result += rewrite
        return result
