"""`use` declarations (rustfmt's `imports.rs` and `reorder.rs`).

Consecutive `use` items (not separated by a blank line) are sorted the way rustfmt sorts
them (`self`, `super`, `crate`, then names with snake_case before CamelCase before
UPPER_CASE, globs, then lists), `a::{b}` becomes `a::b`, and lists inside braces are
sorted and packed.
"""

from __future__ import annotations

from dataclasses import field, replace
from functools import cmp_to_key

from gust.fmt import attrs as attrs_mod
from gust.fmt import source
from gust.fmt.comment import combine_strs_with_missing_comments
from gust.fmt.context import Ctx
from gust.fmt.items import keyword_lo
from gust.fmt.lists import (
    COMMA_LEN,
    HORIZONTAL,
    MIXED,
    NEVER,
    VERTICAL,
    ListFormatting,
    ListItem,
    definitive_tactic,
    itemize_list,
    write_list,
)
from gust.fmt.shape import TAB_SPACES, Shape
from gust.fmt.strings import blen
from gust.frozen import dataclass
from gust.syntax import ast

IDENT, SELF, SUPER, CRATE, GLOB, LIST = range(6)
_ORDER = {SELF: 0, SUPER: 1, CRATE: 2, IDENT: 3, GLOB: 4, LIST: 5}


@dataclass
class Segment:
    """One segment of a use path (rustfmt's `UseSegment`): a name with its alias,
    `self`/`super`/`crate`, `*`, or a `{..}` list of trees."""

    kind: int
    name: str = ""
    alias: str | None = None
    items: list[UseTreeM] = field(default_factory=list)

    def without_alias(self) -> Segment:
        """The segment with its alias dropped, for comparisons that ignore aliases."""
        return replace(self, alias=None) if self.kind in (IDENT, SELF, SUPER, CRATE) else self

    def __str__(self) -> str:
        """The segment as written in the output (lists on one line)."""
        if self.kind == GLOB:
            return "*"
        if self.kind == LIST:
            return "{" + ", ".join(str(t) for t in self.items) + "}"
        name = {SELF: "self", SUPER: "super", CRATE: "crate"}.get(self.kind, self.name)
        return f"{name} as {self.alias}" if self.alias else name


@dataclass
class UseTreeM:
    """A use tree as a flat path of segments (rustfmt's `UseTree`), which is easier to
    normalise and sort than the AST's nested form."""

    path: list[Segment]
    # The comments around this tree inside `{ .. }` (rustfmt keeps them with the tree).
    list_item: ListItem | None = None

    def has_comment(self) -> bool:
        """A tree with a comment is never merged into its parent path (`a::{/* c */ b}`)."""
        return self.list_item is not None and self.list_item.has_comment()

    def __str__(self) -> str:
        """The tree as a path on one line; used to compare and detect `self`."""
        return "::".join(str(s) for s in self.path)


def _segment(name: str, alias: str | None = None) -> Segment:
    """A name segment, recognising the path keywords."""
    kind = {"self": SELF, "super": SUPER, "crate": CRATE}.get(name, IDENT)
    return Segment(kind, name if kind == IDENT else "", alias)


def from_ast(ctx: Ctx, tree: ast.UseTree, list_item: ListItem | None = None) -> UseTreeM:
    """Convert an AST use tree, names spelt as written (`r#`), picking up the comments
    between the children of a `{..}` list."""
    names = [source.name_at(ctx, ctx.base + s.span.start, s.name) for s in tree.path.segments]
    path = [_segment(n) for n in names]
    if tree.glob:
        path.append(Segment(GLOB))
    elif tree.children is not None:
        lo, hi = ctx.lo(tree), ctx.hi(tree)
        comments = itemize_list(ctx.text, tree.children, "}", ",", ctx.lo, ctx.hi,
                                lambda c: "", ctx.span_after(lo, hi, "{"), hi)
        path.append(Segment(LIST, items=[from_ast(ctx, c, li)
                                         for c, li in zip(tree.children, comments, strict=True)]))
    else:
        last = names[-1]
        alias = tree.alias if tree.alias != last else None
        path[-1] = _segment(last, alias)
    return UseTreeM(path, list_item)


def normalize(tree: UseTreeM) -> UseTreeM:
    """rustfmt's `UseTree::normalize`: `a::{b}` → `a::b`, `a::{self}` → `a`, `a::{}`
    dropped, and lists sorted recursively."""
    path = list(tree.path)
    if not path:
        return tree
    last = path.pop()
    if last.kind == LIST and not last.items:
        return UseTreeM([], tree.list_item)
    if last.kind == SELF and last.alias is None and path and path[-1].kind != SELF:
        return UseTreeM(path, tree.list_item)
    if last.kind == SELF and path and path[-1].kind == IDENT and path[-1].alias is None \
            and last.alias is not None:
        path[-1] = replace(path[-1], alias=last.alias)
        return UseTreeM(path, tree.list_item)
    if (last.kind == LIST and len(last.items) == 1 and str(last.items[0]) != "self"
            and not last.items[0].has_comment()):
        return normalize(UseTreeM(path + last.items[0].path, tree.list_item))
    if last.kind == LIST:
        items = sorted((normalize(t) for t in last.items), key=cmp_to_key(compare_trees))
        last = Segment(LIST, items=items)
    return UseTreeM([*path, last], tree.list_item)


def _is_upper_snake(s: str) -> bool:
    """UPPER_SNAKE names (constants) sort after CamelCase ones in rustfmt's 2021 order."""
    return all(c.isupper() or c == "_" or c.isnumeric() for c in s)


def _cmp(a: bytes | int, b: bytes | int) -> int:
    """Three-way comparison (-1, 0, 1)."""
    return int(a > b) - int(a < b)  # type: ignore[operator]


def _cmp_opt(a: str | None, b: str | None) -> int:
    """Three-way comparison of optional strings, None first, bytes order otherwise."""
    if a is None or b is None:
        return _cmp(a is not None, b is not None)
    return _cmp(a.encode(), b.encode())


def compare_segments(a: Segment, b: Segment) -> int:
    """rustfmt's order of segments: `self`, `super`, `crate`, names, `*`, lists."""
    if a.kind == b.kind:
        if a.kind in (SELF, SUPER, CRATE):
            return _cmp_opt(a.alias, b.alias)
        if a.kind == GLOB:
            return 0
        if a.kind == IDENT:
            return _compare_idents(a, b)
        for x, y in zip(a.items, b.items, strict=False):
            c = compare_trees(x, y)
            if c:
                return c
        return _cmp(len(a.items), len(b.items))
    return _cmp(_ORDER[a.kind], _ORDER[b.kind])


def _compare_idents(a: Segment, b: Segment) -> int:
    """snake_case before CamelCase before UPPER_CASE, then by bytes, then by alias."""
    ia, ib = a.name, b.name
    ua, ub = ia[:1].isupper(), ib[:1].isupper()
    if ua != ub:
        return 1 if ua else -1
    sa, sb = _is_upper_snake(ia), _is_upper_snake(ib)
    if sa != sb:
        return 1 if sa else -1
    c = _cmp(ia.encode(), ib.encode())
    return c if c else _cmp_opt(a.alias, b.alias)


def compare_trees(a: UseTreeM, b: UseTreeM) -> int:
    """Order of whole trees: segment by segment, aliases only breaking ties, shorter
    paths first."""
    for x, y in zip(a.path, b.path, strict=False):
        c = compare_segments(x, y)
        if c and compare_segments(x.without_alias(), y.without_alias()):
            return c
    return _cmp(len(a.path), len(b.path))


def rewrite_tree(tree: UseTreeM, shape: Shape) -> str | None:
    """A tree with `::` between segments, nested lists laid out in the remaining room."""
    result = ""
    for i, seg in enumerate(tree.path):
        seg_str = _rewrite_segment(seg, shape)
        if seg_str is None:
            return None
        result += seg_str
        if i + 1 < len(tree.path):
            result += "::"
            next_shape = shape.offset_left(2 + blen(seg_str))
            if next_shape is None:
                return None
            shape = next_shape
    return result


def _rewrite_segment(seg: Segment, shape: Shape) -> str | None:
    """A segment; a list is formatted with the room left inside its braces."""
    if seg.kind != LIST:
        return str(seg)
    inner = shape.offset_left(1)
    inner = inner.sub_width(1) if inner is not None else None
    return _rewrite_nested(seg.items, inner) if inner is not None else None


def _rewrite_nested(trees: list[UseTreeM], shape: Shape) -> str | None:
    """`{a, b, c}`: packed on one line, or mixed (several per line) inside an indented
    block when it does not fit; nested lists force one item per line."""
    nested = shape.block_indent(TAB_SPACES).with_max_width().sub_width(1)
    if nested is None:
        return None
    items = []
    for tree in trees:
        rewrite = rewrite_tree(tree, nested)
        if tree.list_item is not None:
            items.append(replace(tree.list_item, item=rewrite))
        elif rewrite is None:
            return None
        else:
            items.append(ListItem(rewrite))
    has_nested_list = any(t.path and t.path[-1].kind == LIST for t in trees)
    remaining = 0 if has_nested_list else max(0, shape.width - 2)
    tactic = definitive_tactic(items, MIXED, COMMA_LEN, remaining)
    ends_with_newline = tactic != HORIZONTAL
    fmt = ListFormatting(nested, tactic=tactic,
                         trailing_separator=VERTICAL if ends_with_newline else NEVER,
                         ends_with_newline=ends_with_newline, preserve_newline=True,
                         nested=has_nested_list)
    list_str = write_list(items, fmt)
    if list_str is None:
        return None
    if "\n" in list_str or blen(list_str) > remaining or tactic == VERTICAL:
        return f"{{\n{nested.indent.to_string()}{list_str}\n{shape.indent.to_string()}}}"
    return f"{{{list_str}}}"


@dataclass
class UseItem:
    """A `use` declaration with its normalised tree and span, for sorting."""

    decl: ast.UseDecl
    tree: UseTreeM
    lo: int
    hi: int


def rewrite_top_level(ctx: Ctx, item: UseItem, shape: Shape) -> str | None:
    """`pub use tree;` with the item's attributes; a tree that normalised to nothing
    (`use a::{};`) is dropped."""
    if not item.tree.path:
        return ""
    vis = source.visibility(ctx, keyword_lo(ctx, item.decl))
    tree_shape = shape.offset_left(len(vis))
    body = rewrite_tree(item.tree, tree_shape) if tree_shape is not None else None
    if body is None:
        return None
    use_str = f"{vis}use {body};"
    decl_attrs = list(item.decl.attrs)
    if not decl_attrs:
        return use_str
    attr_str = attrs_mod.rewrite_attrs(ctx, decl_attrs, shape)
    if attr_str is None:
        return None
    between = ctx.snip(ctx.hi(decl_attrs[-1]), keyword_lo(ctx, item.decl))
    return combine_strs_with_missing_comments(attr_str, use_str, between, shape, False)


def _compare_paired(a: tuple[UseItem, ListItem], b: tuple[UseItem, ListItem]) -> int:
    """Sort key of a use item paired with its comments."""
    return compare_trees(a[0].tree, b[0].tree)


def rewrite_use_group(ctx: Ctx, decls: list[ast.UseDecl], shape: Shape) -> str | None:
    """A run of `use` items, sorted, with their comments (rustfmt's
    `rewrite_reorderable_or_regroupable_items`)."""
    items = [UseItem(d, normalize(from_ast(ctx, d.tree)), ctx.lo(d), ctx.hi(d.tree)) for d in decls]
    list_items = itemize_list(ctx.text, items, "", ";", lambda i: i.lo, lambda i: i.hi,
                              lambda i: "", items[0].lo, ctx.hi(decls[-1]))
    paired: list[tuple[UseItem, ListItem]] = list(zip(items, list_items, strict=True))
    paired.sort(key=cmp_to_key(_compare_paired))
    nested_shape = shape.offset_left(4)
    nested_shape = nested_shape.sub_width(1) if nested_shape is not None else None
    if nested_shape is None:
        return None
    final: list[ListItem] = []
    for item, list_item in paired:
        rewrite = rewrite_top_level(ctx, item, nested_shape)
        final.append(replace(list_item, item=rewrite))
    return write_list(final, ListFormatting(nested_shape, separator="", align_comments=False))


def rewrite_mod_group(ctx: Ctx, decls: list[ast.ModDecl], shape: Shape) -> str | None:
    """A run of `mod name;` declarations, sorted by name."""
    list_items = itemize_list(ctx.text, decls, "", ";", ctx.lo, ctx.hi,
                              lambda d: _rewrite_mod_decl(ctx, d, shape), ctx.lo(decls[0]),
                              ctx.hi(decls[-1]))
    paired = sorted(zip(decls, list_items, strict=True), key=lambda p: p[0].name.encode())
    return write_list([p[1] for p in paired],
                      ListFormatting(shape, separator="", align_comments=False))


def _rewrite_mod_decl(ctx: Ctx, decl: ast.ModDecl, shape: Shape) -> str | None:
    """`mod name;` with its visibility and attributes."""
    text = f"{source.visibility(ctx, keyword_lo(ctx, decl))}mod {source.node_name(ctx, decl)};"
    if not decl.attrs:
        return text
    attr_str = attrs_mod.rewrite_attrs(ctx, list(decl.attrs), shape)
    if attr_str is None:
        return None
    between = ctx.snip(ctx.hi(decl.attrs[-1]), keyword_lo(ctx, decl))
    return combine_strs_with_missing_comments(attr_str, text, between, shape, False)


__all__ = ["IDENT", "ListItem", "rewrite_mod_group", "rewrite_use_group"]
