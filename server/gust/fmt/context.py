"""The state shared by a formatting run (rustfmt's `RewriteContext`) and views of the AST.

Gust's AST keeps spans relative to each top-level item; the formatter works in file
offsets, so the context carries the offset of the item being formatted (`base`) and turns
node spans into file positions. It also carries the few flags rustfmt threads through a
rewrite (inside a macro call, forcing chains onto one line, inside an `if`/`else` block).

rustc's blocks are lists of statements where the value of the block is an expression
statement without `;`, and `mac!(..);` is a statement of its own; `BlockView` presents a
Gust block that way, because rustfmt's decisions depend on that shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import field
from typing import Any

from gust.fmt.comment import char_classes, find_uncommented, is_comment_kind
from gust.frozen import dataclass
from gust.syntax import ast


@dataclass
class Ctx:
    """One formatting run over one file's text."""

    text: str
    base: int = 0
    inside_macro: bool = False
    force_one_line_chain: bool = False
    is_if_else_block: bool = False
    is_loop_block: bool = False
    cache: dict[tuple[object, ...], str | None] = field(default_factory=dict)

    # ---------------------------------------------------------------- positions

    def lo(self, node: Any) -> int:
        """Where a node starts in the file (any node with a `span`)."""
        return self.base + int(node.span.start)

    def hi(self, node: Any) -> int:
        """Where a node ends in the file."""
        return self.base + int(node.span.end)

    def snip(self, lo: int, hi: int) -> str:
        """The source text between two positions (empty when they are reversed, as
        rustfmt's snippets of inverted spans are)."""
        return self.text[lo:hi] if lo <= hi else ""

    def snippet(self, node: Any) -> str:
        """The source text of a node: the fallback when a rewrite fails."""
        return self.snip(self.lo(node), self.hi(node))

    def span_after(self, lo: int, hi: int, needle: str) -> int:
        """The position just past the first `needle` in code between `lo` and `hi`."""
        idx = find_uncommented(self.snip(lo, hi), needle)
        if idx is None:
            return lo
        return lo + idx + len(needle)

    def span_before(self, lo: int, hi: int, needle: str) -> int:
        """The position of the first `needle` in code between `lo` and `hi`."""
        idx = find_uncommented(self.snip(lo, hi), needle)
        return lo + idx if idx is not None else lo

    def opt_span_before(self, lo: int, hi: int, needle: str) -> int | None:
        """The position of the first `needle` in code between `lo` and `hi`, or None when
        there is none."""
        idx = find_uncommented(self.snip(lo, hi), needle)
        return lo + idx if idx is not None else None

    def skip_trivia(self, pos: int, end: int | None = None) -> int:
        """The first position at or after `pos` that is not whitespace or a comment."""
        end = len(self.text) if end is None else end
        snippet = self.text[pos:end]
        if "/" not in snippet:
            stripped = len(snippet) - len(snippet.lstrip())
            return pos + stripped
        kinds = char_classes(snippet)
        for i, c in enumerate(snippet):
            if not c.isspace() and not is_comment_kind(kinds[i]):
                return pos + i
        return end

    # ---------------------------------------------------------------- flags

    @contextmanager
    def macro(self, inside: bool = True) -> Iterator[None]:
        """Format inside a macro call: rustfmt avoids adding blocks or semicolons there."""
        old = self.inside_macro
        self.inside_macro = inside
        try:
            yield
        finally:
            self.inside_macro = old

    @contextmanager
    def one_line_chain(self, force: bool) -> Iterator[None]:
        """Forbid multi-line chains, as rustfmt does for the branches of a one-line if-
        else."""
        old = self.force_one_line_chain
        self.force_one_line_chain = force
        try:
            yield
        finally:
            self.force_one_line_chain = old

    @contextmanager
    def block_flags(self, if_else: bool, loop: bool) -> Iterator[None]:
        """Mark the block being formatted as an if-else or loop body, which changes how
        comments before its closing brace are indented."""
        old = self.is_if_else_block, self.is_loop_block
        self.is_if_else_block, self.is_loop_block = if_else, loop
        try:
            yield
        finally:
            self.is_if_else_block, self.is_loop_block = old

    @contextmanager
    def fresh(self) -> Iterator[None]:
        """The flags of a new rustfmt context, as a visitor gives the statements it
        formats (not inside a macro call, no forced one-line chains)."""
        old = self.flags()
        self.inside_macro = self.force_one_line_chain = False
        self.is_if_else_block = self.is_loop_block = False
        try:
            yield
        finally:
            (self.inside_macro, self.force_one_line_chain, self.is_if_else_block,
             self.is_loop_block) = old

    def flags(self) -> tuple[bool, bool, bool, bool]:
        """The current flags, to restore them later."""
        return (self.inside_macro, self.force_one_line_chain, self.is_if_else_block,
                self.is_loop_block)


# ---------------------------------------------------------------- rustc-shaped blocks

LOCAL = "local"
EXPR = "expr"  # an expression statement without `;` (rustc's StmtKind::Expr)
SEMI = "semi"  # an expression statement with `;`
MAC = "mac"  # `mac!(..);`, rustc's StmtKind::MacCall
ITEM = "item"
EMPTY = "empty"  # a lone `;`


@dataclass
class StmtView:
    """A statement as rustc classifies it (`kind` is LOCAL, EXPR, SEMI, MAC, ITEM or
    EMPTY) with its span; rustfmt's rules depend on that classification."""

    kind: str
    node: object
    lo: int
    hi: int

    @property
    def expr(self) -> ast.Expr:
        """The expression of an expression or macro statement."""
        if isinstance(self.node, ast.ExprStmt):
            return self.node.expr
        return self.node  # type: ignore[return-value]


@dataclass
class BlockView:
    """A block as rustc sees it; `has_braces` is False for a block rustfmt makes up around
    a closure body."""

    stmts: list[StmtView]
    lo: int
    hi: int
    unsafe: bool = False
    has_braces: bool = True


def stmt_view(ctx: Ctx, stmt: ast.Stmt) -> StmtView:
    """Classify one statement of Gust's AST the way rustc would."""
    lo, hi = ctx.lo(stmt), ctx.hi(stmt)
    if isinstance(stmt, ast.Let):
        return StmtView(LOCAL, stmt, lo, hi)
    if isinstance(stmt, ast.ExprStmt):
        if not stmt.has_semi:
            return StmtView(EXPR, stmt, lo, hi)
        if isinstance(stmt.expr, ast.MacroCall):
            return StmtView(MAC, stmt, lo, hi)
        return StmtView(SEMI, stmt, lo, hi)
    return StmtView(ITEM, stmt, lo, hi)


def _empty_stmts(ctx: Ctx, lo: int, hi: int) -> list[StmtView]:
    """The lone `;` statements between two statements (the AST drops them)."""
    gap = ctx.snip(lo, hi)
    if ";" not in gap:
        return []
    kinds = char_classes(gap)
    return [StmtView(EMPTY, None, lo + i, lo + i + 1) for i, c in enumerate(gap)
            if c == ";" and not is_comment_kind(kinds[i])]


def block_view(ctx: Ctx, block: ast.Block) -> BlockView:
    """A block's statements as rustc sees them, lone `;`s included (the AST drops them
    but rustfmt's output depends on them)."""
    lo, hi = ctx.lo(block), ctx.hi(block)
    open_brace = ctx.span_before(lo, hi, "{")
    views: list[StmtView] = []
    pos = open_brace + 1
    for stmt in block.stmts:
        view = stmt_view(ctx, stmt)
        views.extend(_empty_stmts(ctx, pos, view.lo))
        views.append(view)
        pos = view.hi
    if block.tail is not None:
        views.extend(_empty_stmts(ctx, pos, ctx.lo(block.tail)))
        views.append(StmtView(EXPR, block.tail, ctx.lo(block.tail), ctx.hi(block.tail)))
        pos = ctx.hi(block.tail)
    views.extend(_empty_stmts(ctx, pos, hi - 1))
    return BlockView(_attach_semicolons(views), lo, hi, block.unsafe)


def _attach_semicolons(views: list[StmtView]) -> list[StmtView]:
    """`match x { .. };`: rustc reads the `;` as part of the statement (the AST has a
    block-like statement and a lone `;`), and rustfmt keeps it there."""
    result: list[StmtView] = []
    for view in views:
        prev = result[-1] if result else None
        if view.kind == EMPTY and prev is not None and prev.kind == EXPR:
            result[-1] = StmtView(SEMI, prev.node, prev.lo, view.hi)
            continue
        result.append(view)
    return result


def expr_block_view(ctx: Ctx, expr: ast.Expr) -> BlockView:
    """The block rustfmt wraps around a closure body that does not fit on one line."""
    lo, hi = ctx.lo(expr), ctx.hi(expr)
    return BlockView([StmtView(EXPR, expr, lo, hi)], lo, hi, False, has_braces=False)


def non_empty(stmts: list[StmtView]) -> list[StmtView]:
    """The statements that are not lone `;`s."""
    return [s for s in stmts if s.kind != EMPTY]
