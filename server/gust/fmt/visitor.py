"""The visitor: items and statements in order, with everything between them (rustfmt's
`visitor.rs` and `missed_spans.rs`).

The visitor writes each item or statement's rewrite and copies what lies between them
from the source: comments (re-indented), blank lines (at most one kept), and any code a
rewrite failed on (kept as written). That is how comments outside expressions survive,
and where rustfmt's blank-line rules live.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gust.fmt import attrs, exprs, imports, items, macros, source, types
from gust.fmt.comment import (
    COMMENT,
    comment_code_slices,
    contains_comment,
    find_uncommented,
    is_last_comment_block,
    recover_comment_removed,
    recover_missing_comment_in_span,
    rewrite_comment,
)
from gust.fmt.context import EMPTY, EXPR, ITEM, MAC, BlockView, Ctx, StmtView, block_view
from gust.fmt.shape import EMPTY_INDENT, MAX_WIDTH, Indent, Shape, budget
from gust.fmt.strings import (
    blen,
    count_newlines,
    last_line_contains_single_line_comment,
    last_line_width,
    starts_with_newline,
)
from gust.syntax import ast

Process = Callable[["FmtVisitor", str, str], None]


class _Status:
    """Where copying a gap has got to: the start of the current line and the start of
    trailing whitespace, which is dropped at line ends."""

    def __init__(self) -> None:
        """Start at the beginning of the gap, with no pending whitespace."""
        self.line_start = 0
        self.last_wspace: int | None = None


class FmtVisitor:
    """Writes a sequence of items or statements into `buffer`, copying the gaps between
    them; `last_pos` is how far the source has been consumed (rustfmt's `FmtVisitor`)."""

    def __init__(self, ctx: Ctx, block_indent: Indent = EMPTY_INDENT) -> None:
        """A visitor writing at `block_indent`, starting at the beginning of the text."""
        self.ctx = ctx
        self.text = ctx.text
        self.buffer = ""
        self.last_pos = 0
        self.block_indent = block_indent
        self.is_if_else_block = False
        self.is_loop_block = False

    def shape(self) -> Shape:
        """The room a statement or item has: the whole line from the block indent."""
        return Shape.indented(self.block_indent)

    def push_str(self, s: str) -> None:
        """Append output."""
        self.buffer += s

    # ---------------------------------------------------------------- missed spans

    def format_missing(self, end: int) -> None:
        """Copy the gap up to `end` without indenting what follows (used before a `;` or
        a block's end)."""
        if self.text[self.last_pos:end].strip() == ";":
            self.push_str(";")
            self.last_pos = end
            return
        self._format_missing_inner(end, lambda v, last, snippet: v.push_str(last))

    def format_missing_with_indent(self, end: int) -> None:
        """Copy the gap up to `end` and indent for the item or statement that follows."""

        def process(v: FmtVisitor, last: str, snippet: str) -> None:
            v.push_str(last.rstrip())
            if last == snippet and v.buffer:
                v.push_str("\n")
            v.push_str(v.block_indent.to_string())

        self._format_missing_inner(end, process)

    def _format_missing_inner(self, end: int, process: Process) -> None:
        """Copy the gap from `last_pos` to `end`: comments are re-indented, runs of blank
        lines shrink to one, leftover code is kept; `process` writes the gap's last
        line."""
        start = self.last_pos
        if start >= end:
            if self.buffer:
                process(self, "", "")
            return
        self.last_pos = end
        snippet = self.text[start:end]
        if start == 0 and not snippet.strip():
            return
        if not snippet.strip():
            self.push_vertical_spaces(count_newlines(snippet))
            process(self, "", snippet)
        else:
            self._write_snippet(start, snippet, process)

    def push_vertical_spaces(self, count: int) -> None:
        """Write `count` newlines, clamped so the output has at most one blank line and
        at least a line break between the things the gap separates."""
        offset = len(self.buffer) - len(self.buffer.rstrip("\n"))
        upper, lower = 2, 1
        if count + offset > upper:
            count = 0 if offset >= upper else upper - offset
        elif count + offset < lower:
            count = 0 if offset >= lower else lower - offset
        self.push_str("\n" * count)

    def _write_snippet(self, start: int, snippet: str, process: Process) -> None:
        """Copy a gap that holds comments or code, piece by piece."""
        status = _Status()
        for kind, offset, sub in comment_code_slices(snippet):
            if kind == COMMENT:
                self._process_comment(status, snippet, start + offset, offset, sub)
            elif not sub.strip() and count_newlines(sub) > 0:
                self.push_vertical_spaces(count_newlines(sub))
                status.line_start = offset + len(sub)
            else:
                self._process_missing_code(status, snippet, sub, offset)
        process(self, snippet[status.line_start:], snippet)

    def _process_comment(self, status: _Status, snippet: str, abs_pos: int, offset: int,
                         sub: str) -> None:
        """A comment in a gap: on its own line at the block indent, or after the code
        before it when it was on that code's line."""
        before = self.text[:abs_pos].rstrip(" \t")
        last_char = before[-1] if before else None
        starts_output_line = bool(self.buffer) and self.buffer.endswith("\n")
        # A doc comment is an attribute of the item after it: always on a line of its own.
        doc = _is_doc_comment(sub)
        if starts_output_line or last_char is None or last_char in "{\n" or doc:
            if last_char == "{" or (doc and not starts_output_line and self.buffer):
                self.push_str("\n")
            self.push_str(self.block_indent.to_string())
            indent = self.block_indent
        else:
            self.push_str(" ")
            indent = Indent(last_line_width(self.buffer), 0)
        comment = rewrite_comment(sub, False, Shape.indented(indent).comment())
        self.push_str(comment if comment is not None else sub)
        status.last_wspace = None
        status.line_start = offset + len(sub)
        if status.line_start <= len(snippet):
            rest = snippet[status.line_start:].lstrip(" \t")
            if rest[:1] in ("\n", "\r"):
                if not is_last_comment_block(sub):
                    self.push_str("\n")
            else:
                self.push_str("\n")

    def _process_missing_code(self, status: _Status, snippet: str, sub: str,
                              offset: int) -> None:
        """Code in a gap (what a failed rewrite left): copied line by line without
        trailing whitespace."""
        for j, c in enumerate(sub):
            i = j + offset
            if c == "\n":
                if status.last_wspace is not None:
                    self.push_str(snippet[status.line_start:status.last_wspace] + "\n")
                    status.last_wspace = None
                else:
                    self.push_str(snippet[status.line_start:i + 1])
                status.line_start = i + 1
            elif c.isspace() and status.last_wspace is None:
                status.last_wspace = i
            else:
                status.last_wspace = None
        remaining = snippet[status.line_start:len(sub) + offset].strip()
        status.line_start = len(sub) + offset
        if remaining:
            self.push_str(self.block_indent.to_string())
        self.push_str(remaining)

    def push_rewrite(self, lo: int, hi: int, rewrite: str | None) -> None:
        """Write a rewrite, or the source text when it failed or lost a comment."""
        self.format_missing_with_indent(lo)
        snippet = self.text[lo:hi]
        if rewrite is not None:
            rewrite = recover_comment_removed(rewrite, snippet)
        self.push_str(rewrite if rewrite is not None else snippet.strip())
        self.last_pos = hi

    # ---------------------------------------------------------------- blocks

    def visit_block(self, block: BlockView, has_braces: bool) -> None:
        """A `{ .. }` block: its statements one level deeper, then the closing brace; a
        final expression statement that needs one gets its `;`."""
        compensation = 1 if has_braces else 0
        self.last_pos += compensation
        self.block_indent = self.block_indent.indented()
        self.push_str("{")
        self._trim_spaces_after_opening_brace(block)
        self.walk_stmts(block.stmts)
        if block.stmts:
            last = block.stmts[-1]
            if last.kind == EXPR and exprs.semicolon_for_expr(last.expr):
                self.push_str(";")
        unindent = self.is_if_else_block and bool(block.stmts)
        self.close_block(self.last_pos, block.hi - compensation, unindent)
        self.last_pos = block.hi

    def _trim_spaces_after_opening_brace(self, block: BlockView) -> None:
        """Skip blank lines after `{`: rustfmt never keeps a blank line at the start of a
        block (unless a comment comes first)."""
        if not block.stmts:
            return
        snippet = self.text[self.last_pos:block.stmts[0].lo]
        slices = comment_code_slices(snippet)
        if slices and slices[0][0] != COMMENT:
            idx = slices[0][2].rfind("\n")
            if idx >= 0:
                self.last_pos += idx

    def close_block(self, lo: int, hi: int, unindent_comment: bool) -> None:
        """Write what is left before a closing brace (comments, or code a rewrite skipped)
        and the brace itself. In an `if`/`else` block, comments are written at the
        indentation of the brace unless they were aligned to the right of the code."""
        last_hi = lo
        unindented = False
        prev_ends_with_newline = False
        extra_newline = False
        snippet = self.text[lo:hi]
        align_to_right = False
        if unindent_comment and contains_comment(snippet):
            first = snippet.split("/", 1)[0]
            align_to_right = last_line_width(first) > last_line_width(snippet)
        for kind, offset, sub in comment_code_slices(snippet):
            if kind == COMMENT:
                if not unindented and unindent_comment and not align_to_right:
                    unindented = True
                    self.block_indent = self.block_indent.unindented()
                self._close_block_comment(self.text[last_hi:lo + offset], sub, extra_newline)
            elif not sub.strip() or all(c == ";" for c in sub.strip()):
                extra_newline = prev_ends_with_newline and "\n" in sub
                continue
            else:
                self.push_str(self.block_indent.newline())
                self.push_str(sub.strip())
            prev_ends_with_newline = sub.endswith("\n")
            extra_newline = False
            last_hi = lo + offset + len(sub)
        if unindented:
            self.block_indent = self.block_indent.indented()
        self.block_indent = self.block_indent.unindented()
        self.push_str(self.block_indent.newline())
        self.push_str("}")

    def _close_block_comment(self, between: str, comment: str, extra_newline: bool) -> None:
        """A comment before a closing brace: after the previous code when it was on the
        same line (and still fits there), else on its own line, keeping one blank line."""
        comment_shape = Shape.indented(self.block_indent).comment()
        same_line = "\n" not in between
        if same_line:
            width = 1 + max(0, last_line_width(self.buffer) - self.block_indent.width())
            narrowed = comment_shape.visual_indent(width).sub_width(width)
            if narrowed is not None:
                comment_shape = narrowed
            else:
                same_line = False
        if same_line:
            self.push_str(" ")
        else:
            if count_newlines(between) >= 2 or extra_newline:
                self.push_str("\n")
            self.push_str(self.block_indent.newline())
        rewritten = rewrite_comment(comment, False, comment_shape)
        self.push_str(rewritten if rewritten is not None else comment)

    def walk_stmts(self, stmts: Sequence[StmtView]) -> None:
        """The statements of a block; runs of `use` statements are sorted as a group like
        top-level imports."""
        i = 0
        include_empty_semi = False
        while i < len(stmts):
            uses: list[StmtView] = []
            while i + len(uses) < len(stmts) and _is_use_stmt(stmts[i + len(uses)]):
                uses.append(stmts[i + len(uses)])
            if uses:
                self.visit_items_with_reordering([s.node.item for s in uses])  # type: ignore[attr-defined]
                i += len(uses)
                include_empty_semi = False
                continue
            self.visit_stmt(stmts[i], include_empty_semi)
            include_empty_semi = (i + 1 < len(stmts) and stmts[i].kind == ITEM
                                  and stmts[i + 1].kind == EMPTY)
            i += 1

    def visit_stmt(self, stmt: StmtView, include_empty_semi: bool) -> None:
        """One statement; a macro statement keeps its own `;` handling (rustfmt visits
        `MacCall` statements separately from expressions)."""
        if stmt.kind == EMPTY:
            self._visit_empty_stmt(stmt, include_empty_semi)
        elif stmt.kind == ITEM:
            self.visit_item(stmt.node.item)  # type: ignore[attr-defined]
            self.last_pos = stmt.hi
        elif stmt.kind == MAC:
            mac = stmt.expr
            assert isinstance(mac, ast.MacroCall)
            shape = self.shape().saturating_sub_width(1)
            rewrite = macros.rewrite_macro(self.ctx, mac, shape)
            self.push_rewrite(self.ctx.lo(mac), self.ctx.hi(mac), rewrite)
            self.format_missing(stmt.hi)
        else:
            rewrite = exprs.rewrite_stmt(self.ctx, stmt, self.shape())
            self.push_rewrite(stmt.lo, stmt.hi, rewrite)

    def _visit_empty_stmt(self, stmt: StmtView, include_empty_semi: bool) -> None:
        """A stray `;`: rustfmt drops it, except right after an item, where it keeps it
        (with whatever comment precedes it)."""
        snippet = self.text[self.last_pos:stmt.lo]
        trimmed = snippet.strip()
        if trimmed:
            if include_empty_semi:
                self.format_missing(stmt.hi)
            else:
                first = next((k for k, c in enumerate(snippet) if c != " "), None)
                if first is not None and starts_with_newline(snippet[first:]):
                    self.push_str("\n")
                self.push_str(self.block_indent.to_string())
                self.push_str(trimmed)
        elif include_empty_semi:
            self.push_str(";")
        self.last_pos = stmt.hi

    # ---------------------------------------------------------------- items

    def visit_attrs(self, item_attrs: Sequence[ast.Attribute]) -> None:
        """The outer attributes of an item, each on its own line."""
        if not item_attrs:
            return
        rewrite = attrs.rewrite_attrs(self.ctx, list(item_attrs), self.shape())
        self.push_rewrite(self.ctx.lo(item_attrs[0]), self.ctx.hi(item_attrs[-1]), rewrite)

    def visit_items_with_reordering(self, item_list: Sequence[object]) -> None:
        """Items in order, except that runs of adjacent `use` items (and of `mod x;`
        declarations) are sorted, as rustfmt's `reorder_imports`/`reorder_modules` do."""
        i = 0
        while i < len(item_list):
            kind = _reorder_kind(item_list[i])
            if kind:
                n = self._walk_reorderable(item_list[i:], kind)
                i += n
            else:
                self.visit_item(item_list[i])
                i += 1

    def _line_of(self, pos: int) -> int:
        """The 0-based line of a position, to tell whether reorderable items are
        adjacent."""
        return self.text.count("\n", 0, pos)

    def _walk_reorderable(self, item_list: Sequence[object], kind: str) -> int:
        """Sort and write a group of `use` or `mod` items not separated by a blank line;
        returns how many items it took."""
        ctx = self.ctx
        group = [item_list[0]]
        last_hi = self._line_of(ctx.hi(item_list[0]))
        for item in item_list[1:]:
            if _reorder_kind(item) != kind or not self._line_of(ctx.lo(item)) < last_hi + 2:
                break
            group.append(item)
            last_hi = self._line_of(ctx.hi(item))
        lo, hi = ctx.lo(group[0]), ctx.hi(group[-1])
        if kind == "use":
            rewrite = imports.rewrite_use_group(ctx, group, self.shape())  # type: ignore[arg-type]
        else:
            rewrite = imports.rewrite_mod_group(ctx, group, self.shape())  # type: ignore[arg-type]
        self.push_rewrite(lo, hi, rewrite)
        return len(group)

    def visit_item(self, item: object) -> None:
        """One item with its attributes; any item kind the formatter does not handle is
        copied from the source."""
        ctx = self.ctx
        lo, hi = items.keyword_lo(ctx, item), ctx.hi(item)
        self.visit_attrs(getattr(item, "attrs", ()))
        if isinstance(item, ast.FnDecl) and item.assoc_const:
            self.push_rewrite(lo, hi, _rewrite_assoc_const(ctx, item, self.block_indent, lo, hi))
        elif isinstance(item, ast.FnDecl):
            if item.body is not None:
                self.visit_fn(item, lo, hi)
            else:
                self.push_rewrite(lo, hi, items.rewrite_required_fn(ctx, self.block_indent, item))
        elif isinstance(item, ast.StructDecl):
            self.push_rewrite(lo, hi, items.format_struct(ctx, item, self.block_indent))
        elif isinstance(item, ast.EnumDecl):
            self.visit_enum(item, lo, hi)
        elif isinstance(item, ast.ImplDecl):
            self.push_rewrite(lo, hi, format_impl(ctx, item, self.block_indent, lo, hi))
        elif isinstance(item, ast.TraitDecl):
            self.push_rewrite(lo, hi, format_trait(ctx, item, self.block_indent, lo, hi))
        elif isinstance(item, (ast.ConstDecl, ast.StaticDecl)):
            self.push_rewrite(lo, hi, rewrite_static(ctx, item, self.block_indent, lo, hi))
        elif isinstance(item, ast.TypeAliasDecl):
            self.push_rewrite(lo, hi, rewrite_type_alias(ctx, item, self.block_indent, lo, hi))
        elif isinstance(item, ast.ModDecl) and item.items is not None:
            self.format_missing_with_indent(lo)
            self.format_mod(item, lo, hi)
        elif isinstance(item, ast.ModDecl):
            self.push_rewrite(lo, hi, items.format_header(ctx, "mod ", item) + ";")
        elif type(item).__name__ == "UseGoDecl":
            self.push_rewrite(lo, hi, _rewrite_use_go(ctx, item, lo, hi))
        elif isinstance(item, ast.UseDecl):
            self.push_rewrite(ctx.lo(item), hi,
                              imports.rewrite_use_group(ctx, [item], self.shape()))
        else:
            self.push_rewrite(lo, hi, None)

    def visit_fn(self, fn: ast.FnDecl, lo: int, hi: int) -> None:
        """A function: signature, then its body, with the brace on the next line after a
        where clause or a signature ending in a comment; an empty body on a short
        signature becomes `{}`."""
        ctx = self.ctx
        assert fn.body is not None
        body = block_view(ctx, fn.body)
        brace = items.fn_brace_style(fn)
        base = items.rewrite_fn_base(ctx, self.block_indent, fn, lo, body.lo, brace)
        if base is None:
            self.format_missing(body.lo)
        else:
            fn_str, _, force_newline = base
            if force_newline or last_line_width(fn_str) + 2 > self.shape().width:
                brace = items.NEXT_LINE
            self.format_missing_with_indent(lo)
            if ("\n" not in fn_str and exprs.is_empty_block(ctx, body)
                    and self.block_indent.width() + blen(fn_str) + 3 <= MAX_WIDTH
                    and not last_line_contains_single_line_comment(fn_str)):
                self.push_str(fn_str + " {}")
                self.last_pos = hi
                return
            self.push_str(fn_str)
            self.push_str(" " if brace == items.SAME_LINE else self.block_indent.newline())
            self.last_pos = body.lo
        with ctx.fresh():
            self.visit_block(body, True)

    def visit_enum(self, e: ast.EnumDecl, lo: int, hi: int) -> None:
        """An enum: header and generics, then its variants as a vertical list."""
        ctx = self.ctx
        self.format_missing_with_indent(lo)
        header = items.format_header(ctx, "enum ", e)
        self.push_str(header)
        body_start = items.body_open(ctx, lo, hi) or hi
        brace_pos = "force_same_line" if not e.variants else "auto"
        generics = items.format_generics(ctx, e.generics, brace_pos, self.block_indent,
                                         ctx.base + e.name_span.end, body_start,
                                         last_line_width(header))
        self.push_str(generics if generics is not None else " {")
        self.last_pos = body_start
        if not e.variants:
            self.push_str(items.format_empty_struct_or_tuple(
                ctx, body_start, hi - 1, self.block_indent, "", "", "}"))
            self.last_pos = hi
            return
        self.block_indent = self.block_indent.indented()
        rewrite = items.format_variant_list(ctx, e, body_start, hi, self.block_indent)
        self.push_rewrite(body_start, hi, rewrite)
        self.block_indent = self.block_indent.unindented()

    def format_mod(self, m: ast.ModDecl, lo: int, hi: int) -> None:
        """An inline module: its items one level deeper, or `{}` when empty."""
        self.push_str(items.format_header(self.ctx, "mod ", m) + " {")
        mod_lo = items.body_open(self.ctx, lo, hi) or hi
        if not self.text[mod_lo:hi - 1].strip():
            self.push_str("}")
        else:
            self.last_pos = mod_lo
            self.block_indent = self.block_indent.indented()
            self.visit_items_with_reordering(list(m.items or ()))
            self.close_block(self.last_pos, hi - 1, False)
        self.last_pos = hi

    def visit_members(self, members: Sequence[object]) -> None:
        """The items of an impl or trait body."""
        for member in members:
            self.visit_item(member)


def _is_use_stmt(stmt: StmtView) -> bool:
    """Whether a statement is a `use` item, which is sorted with its neighbours."""
    return stmt.kind == ITEM and isinstance(getattr(stmt.node, "item", None), ast.UseDecl)


def _reorder_kind(item: object) -> str:
    """Which group an item is sorted with: `use` items, `mod x;` declarations, or none."""
    if isinstance(item, ast.UseDecl):
        return "use"
    if isinstance(item, ast.ModDecl) and item.items is None:
        return "mod"
    return ""


def _rewrite_use_go(ctx: Ctx, item: object, lo: int, hi: int) -> str | None:
    """Gust's `use go "path";` is not Rust: its tokens are only re-spaced."""
    snippet = ctx.snip(lo, hi)
    if contains_comment(snippet):
        return None
    return " ".join(snippet.split()).replace(" ;", ";")


# ---------------------------------------------------------------- impls and traits


def _body(ctx: Ctx, members: Sequence[object], offset: Indent, open_pos: int,
          hi: int) -> str:
    """The members of an impl or trait, formatted by a nested visitor."""
    v = FmtVisitor(ctx, offset.block_only().indented())
    v.last_pos = open_pos
    v.visit_members(members)
    v.format_missing(hi - 1)
    inner = v.block_indent.newline()
    outer = offset.block_only().newline()
    return inner + v.buffer.strip() + outer


def format_impl(ctx: Ctx, impl: ast.ImplDecl, offset: Indent, lo: int, hi: int) -> str | None:
    """`impl<..> Trait for Type where .. { members }` (rustfmt's `format_impl`): an
    empty impl collapses to `{}` when the header fits on one line."""
    ref_and_type = items.format_impl_ref_and_type(ctx, impl, offset)
    if ref_and_type is None:
        return None
    open_pos = items.body_open(ctx, lo, hi)
    if open_pos is None:
        return None
    empty_body = not contains_comment(ctx.snip(open_pos, hi)) and not impl.members
    impl_where = _impl_where(ctx, impl, offset, hi, ref_and_type, empty_body)
    if impl_where is None:
        return None
    result, where_str = impl_where
    sep = offset.newline()
    if (empty_body and "\n" not in result
            and blen(result) + blen(where_str) <= MAX_WIDTH):
        result += where_str
        if "\n" in where_str and len(impl.generics.where) == 1:
            result += ","
        if "\n" in where_str or last_line_contains_single_line_comment(result):
            return result + f"{sep}{{{sep}}}"
        return result + " {}"
    result += where_str
    need_newline = last_line_contains_single_line_comment(result) or "\n" in result
    result += sep if need_newline or where_str else " "
    result += "{"
    after = max(ctx.hi(impl.self_ty), items.where_hi(ctx, impl.generics) or 0)
    body_open = items.body_open(ctx, after, hi)
    if body_open is None:
        return None
    if impl.members or contains_comment(ctx.snip(body_open, hi)):
        result += _body(ctx, impl.members, offset, body_open, hi)
    elif need_newline:
        result += sep
    return result + "}"


def _impl_where(ctx: Ctx, impl: ast.ImplDecl, offset: Indent, hi: int, ref_and_type: str,
                empty_body: bool) -> tuple[str, str] | None:
    """The impl's header (with any comment before the body) and its where clause, which
    rustfmt puts on the header's line for an empty impl with a single predicate."""
    result = ref_and_type
    where_budget = MAX_WIDTH if "\n" in result else budget(last_line_width(result))
    option = items.WhereOption.snuggled(ref_and_type)
    if empty_body and len(impl.generics.where) == 1 and "\n" not in result:
        option.suppress_comma = True
        option.snuggle = "space"
        option.allow_single_line = True
    self_hi = ctx.hi(impl.self_ty)
    where_end = ctx.opt_span_before(self_hi, hi, "{")
    where_str = items.rewrite_where_clause(ctx, impl.generics,
                                           Shape.legacy(where_budget, offset.block_only()), "{",
                                           where_end, self_hi, option)
    if where_str is None:
        return None
    if not impl.generics.where and where_end is not None:
        missing = recover_missing_comment_in_span(ctx.snip(self_hi, where_end),
                                                  Shape.indented(offset),
                                                  last_line_width(result))
        if missing:
            result += missing
    return result, where_str


def format_trait(ctx: Ctx, trait: ast.TraitDecl, offset: Indent, lo: int,
                 hi: int) -> str | None:
    """`trait Name<..>: Bounds where .. { members }` (rustfmt's `format_trait`)."""
    result = _trait_header(ctx, trait, offset, lo)
    if result is None:
        return None
    open_pos = items.body_open(ctx, items.where_hi(ctx, trait.generics) or lo, hi)
    if open_pos is None:
        return None
    has_comment = contains_comment(ctx.snip(open_pos, hi))
    if (last_line_contains_single_line_comment(result)
            or last_line_width(result) + 2 > budget(offset.width())):
        result += offset.newline()
    elif not trait.members and "\n" not in result and not has_comment:
        return result + " {}"
    elif "\n" in result or (trait.generics.where and trait.members):
        result += offset.newline()
    else:
        result += " "
    result += "{"
    if trait.members or has_comment:
        result += _body(ctx, trait.members, offset, open_pos, hi)
    elif "\n" in result:
        result += offset.block_only().newline()
    return result + "}"


def _trait_header(ctx: Ctx, trait: ast.TraitDecl, offset: Indent, lo: int) -> str | None:
    """Everything before a trait's body: name, generics, supertraits (moved to the next
    line when too long) and where clause."""
    result = source.visibility(ctx, lo) + "trait "
    shape = Shape.indented(offset).offset_left(len(result))
    if shape is None:
        return None
    generics = items.rewrite_generics(ctx, source.node_name(ctx, trait), trait.generics, shape)
    if generics is None:
        return None
    result += generics
    if trait.supertraits:
        rewritten = exprs.rewrite_assign_rhs(
            ctx, result + ":", lambda s: types.rewrite_bounds(ctx, trait.supertraits, s), shape,
            exprs.FORCE_NEXT_LINE_WITHOUT_INDENT)
        if rewritten is None:
            return None
        result = rewritten
    if not trait.generics.where:
        return result
    before = ctx.hi(trait.supertraits[-1]) if trait.supertraits else \
        ctx.lo(trait.generics.where[0])
    span = items.generics_lo_hi(ctx, trait.generics)
    if not trait.supertraits and span is not None:
        before = span[1]
    option = items.WhereOption.snuggled(generics)
    where = items.rewrite_where_clause(
        ctx, trait.generics, Shape.legacy(budget(last_line_width(result)), offset.block_only()),
        "{", None, before, option)
    if where is None:
        return None
    if "\n" not in where and last_line_width(result) + blen(where) + offset.width() > 80:
        result += Indent(0, offset.block + 3).newline()
    return result + where


# ---------------------------------------------------------------- consts and type aliases


def rewrite_static(ctx: Ctx, item: ast.ConstDecl | ast.StaticDecl, offset: Indent, lo: int,
                   hi: int) -> str | None:
    """`const`/`static` items: `NAME: Type = value;`, the value formatted like the right-
    hand side of an assignment."""
    keyword = "const" if isinstance(item, ast.ConstDecl) else "static"
    mut = "mut " if isinstance(item, ast.StaticDecl) and item.mutable else ""
    prefix = f"{source.visibility(ctx, lo)}{keyword} {mut}{source.node_name(ctx, item)}: "
    ty_shape = Shape.indented(offset.block_only()).offset_left(blen(prefix) + 2)
    ty = types.rewrite_ty(ctx, item.ty, ty_shape) if ty_shape is not None else None
    if ty is None:
        prefix = prefix.rstrip(" ")
        nested = offset.indented()
        inner = types.rewrite_ty(ctx, item.ty, Shape.indented(nested))
        if inner is None:
            return None
        ty = nested.newline() + inner
    # rustfmt searches for the first `=` of the item, which can be in its type
    # (`Iterator<Item = u8>`) and then writes broken code; the `=` after the type is meant.
    eq_after = ctx.span_after(ctx.hi(item.ty), hi, "=")
    between = ctx.snip(eq_after, ctx.lo(item.value))
    lhs = f"{prefix}{ty} ="
    shape = Shape.legacy(budget(offset.block + 1), offset.block_only())
    result = exprs.rewrite_assign_rhs_with_comments(ctx, lhs, exprs.expr_rewriter(ctx, item.value),
                                                    shape, exprs.DEFAULT, between)
    if result is None:
        return None
    result = recover_comment_removed(result, ctx.snip(lo, hi))
    return result if result.endswith(";") else result + ";"


def _rewrite_assoc_const(ctx: Ctx, fn: ast.FnDecl, offset: Indent, lo: int,
                        hi: int) -> str | None:
    """An associated constant (the parser's `FnDecl.assoc_const`): `const NAME: Type = value;`
    as a `const` item, or `const NAME: Type;` in a trait."""
    assert fn.ret is not None
    if fn.body is not None and fn.body.tail is not None:
        decl = ast.ConstDecl(fn.name, fn.name_span, fn.ret, fn.body.tail, fn.is_pub, fn.attrs,
                             fn.span, fn.crate_only)
        return rewrite_static(ctx, decl, offset, lo, hi)
    prefix = f"{source.visibility(ctx, lo)}const {source.node_name(ctx, fn)}: "
    shape = Shape.indented(offset.block_only()).offset_left(blen(prefix) + 1)
    ty = types.rewrite_ty(ctx, fn.ret, shape) if shape is not None else None
    return None if ty is None else f"{prefix}{ty};"


def rewrite_type_alias(ctx: Ctx, item: ast.TypeAliasDecl, indent: Indent, lo: int,
                       hi: int) -> str | None:
    """`type Name<..> where .. = Type;` (rustfmt's `rewrite_type_alias`)."""
    result = f"{source.visibility(ctx, lo)}type "
    name = source.node_name(ctx, item)
    if items.generics_lo_hi(ctx, item.generics) is None:
        result += name
    else:
        g_shape = Shape.indented(indent).offset_left(len(result))
        g_shape = g_shape.sub_width(2) if g_shape is not None else None
        generics = items.rewrite_generics(ctx, name, item.generics, g_shape) \
            if g_shape is not None else None
        if generics is None:
            return None
        result += generics
    option = items.WhereOption.snuggled(result)
    if item.ty is None:
        option.suppress_comma = True
    span = items.generics_lo_hi(ctx, item.generics)
    before = span[1] if span else ctx.base + item.name_span.end
    where = items.rewrite_where_clause(ctx, item.generics,
                                       Shape.legacy(budget(last_line_width(result)), indent),
                                       "=", None, before, option)
    if where is None:
        return None
    result += where
    if item.ty is not None:
        rhs = _type_alias_rhs(ctx, item, item.ty, indent, hi, before, result)
        if rhs is None:
            return None
        result = rhs
    return result + ";"


def _type_alias_rhs(ctx: Ctx, item: ast.TypeAliasDecl, ty: ast.TypeExpr, indent: Indent,
                    hi: int, before: int, result: str) -> str | None:
    """`= Type` after the header, like the right-hand side of an assignment; a comment
    before the `=` makes the alias fall back to its source text."""
    result += indent.newline() if item.generics.where else " "
    eq = ctx.opt_span_before(before, hi, "=")
    between = ctx.snip(items.where_hi(ctx, item.generics) or before, eq) \
        if eq is not None else ""
    if contains_comment(between):
        return None
    shape = Shape.indented(indent).sub_width(1)
    if shape is None:
        return None
    return exprs.rewrite_assign_rhs(ctx, result + "=", types.ty_rewriter(ctx, ty), shape)


def format_file(ctx: Ctx, file_items: Sequence[object]) -> str:
    """The whole file: its items and everything around them."""
    v = FmtVisitor(ctx)
    v.visit_items_with_reordering(file_items)
    v.format_missing_with_indent(len(ctx.text))
    return v.buffer


__all__ = ["find_uncommented", "types"]


def _is_doc_comment(comment: str) -> bool:
    """`/// ..` or `/** .. */` (but not `////` or `/***`, which are plain comments)."""
    return (comment.startswith("///") and not comment.startswith("////")) or (
        comment.startswith("/**") and not comment.startswith("/***")
        and not comment.startswith("/**/"))
