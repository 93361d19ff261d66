"""Indentation and the space left on a line: rustfmt's `Indent` and `Shape`, ported as is.

rustfmt formats every node into a `Shape` (the indentation of its first line, where on that
line it starts and how many columns it may use) and retries with other shapes when a
rewrite does not fit. Reproducing rustfmt's output means reproducing its arithmetic too,
quirks included (`used_width` adds the block indent to the offset), so these are direct
ports of rustfmt's `shape.rs` with rustfmt's default configuration baked in.
"""

from __future__ import annotations

from dataclasses import replace

from gust.frozen import dataclass

MAX_WIDTH = 100
TAB_SPACES = 4
COMMENT_WIDTH = 80
INFINITE_WIDTH = 8096

# rustfmt's `use_small_heuristics = "Default"` widths (width_heuristics.rs).
FN_CALL_WIDTH = 60
ATTR_FN_LIKE_WIDTH = 70
STRUCT_LIT_WIDTH = 18
STRUCT_VARIANT_WIDTH = 35
ARRAY_WIDTH = 60
CHAIN_WIDTH = 60
SINGLE_LINE_IF_ELSE_MAX_WIDTH = 50
SINGLE_LINE_LET_ELSE_MAX_WIDTH = 50
SHORT_ARRAY_ELEMENT_WIDTH_THRESHOLD = 10


def budget(used: int) -> int:
    """What is left of the maximum width after `used` columns (rustfmt's `context.budget`)."""
    return max(0, MAX_WIDTH - used)


@dataclass(frozen=True, slots=True)
class Indent:
    """A block indent (a multiple of the tab width) plus a visual alignment."""

    block: int
    align: int = 0

    def block_only(self) -> Indent:
        """The block part alone: where a new block-indented line starts."""
        return Indent(self.block, 0)

    def indented(self) -> Indent:
        """One more level of block indentation (rustfmt's `block_indent(config)`)."""
        return Indent(self.block + TAB_SPACES, self.align)

    def unindented(self) -> Indent:
        """One level less, back to the enclosing block (never below zero)."""
        if self.block < TAB_SPACES:
            return Indent(self.block, 0)
        return Indent(self.block - TAB_SPACES, self.align)

    def width(self) -> int:
        """Columns of indentation in total."""
        return self.block + self.align

    def plus(self, n: int) -> Indent:
        """`Indent + usize`: more alignment."""
        return Indent(self.block, self.align + n)

    def to_string(self) -> str:
        """The indentation as spaces (rustfmt never uses tabs by default)."""
        return " " * self.width()

    def newline(self) -> str:
        """The indentation preceded by a line break (rustfmt's `to_string_with_newline`)."""
        return "\n" + " " * self.width()


EMPTY_INDENT = Indent(0, 0)


@dataclass(frozen=True, slots=True)
class Shape:
    """`width` columns are available on the last line; `offset` is where the first line
    starts (past the indentation); `indent` is where continuation lines start."""

    width: int
    indent: Indent
    offset: int

    @staticmethod
    def legacy(width: int, indent: Indent) -> Shape:
        """rustfmt's `Shape::legacy`: `width` columns starting at the alignment."""
        return Shape(width, indent, indent.align)

    @staticmethod
    def indented(indent: Indent) -> Shape:
        """A whole line at `indent`: the usual shape of a statement or item."""
        return Shape(max(0, MAX_WIDTH - indent.width()), indent, indent.align)

    def with_max_width(self) -> Shape:
        """The same start with the rest of the line available."""
        return replace(self, width=max(0, MAX_WIDTH - self.indent.width()))

    def visual_indent(self, delta: int) -> Shape:
        """Continuation lines aligned `delta` columns past the offset."""
        alignment = self.offset + delta
        return Shape(self.width, Indent(self.indent.block, alignment), alignment)

    def block_indent(self, delta: int) -> Shape:
        """Continuation lines indented `delta` deeper (block style), or further aligned
        when the shape is already visually indented."""
        if self.indent.align == 0:
            return Shape(self.width, Indent(self.indent.block + delta, 0), 0)
        return Shape(self.width, self.indent.plus(delta), self.indent.align + delta)

    def block_left(self, delta: int) -> Shape | None:
        """`block_indent` that also gives up the columns it indents by."""
        return self.block_indent(delta).sub_width(delta)

    def add_offset(self, delta: int) -> Shape:
        """Start `delta` columns later on the first line, keeping the width."""
        return replace(self, offset=self.offset + delta)

    def block(self) -> Shape:
        """Drop the visual alignment: continuation lines use block indentation."""
        return replace(self, indent=self.indent.block_only())

    def saturating_sub_width(self, delta: int) -> Shape:
        """`sub_width` that bottoms out at zero instead of failing."""
        return self.sub_width(delta) or replace(self, width=0)

    def sub_width(self, n: int) -> Shape | None:
        """Reserve `n` columns at the end (for a `,` or `;`), or None if there is no
        room."""
        if self.width < n:
            return None
        return replace(self, width=self.width - n)

    def shrink_left(self, delta: int) -> Shape | None:
        """Start `delta` columns later and align continuation lines there too."""
        if self.width < delta:
            return None
        return Shape(self.width - delta, self.indent.plus(delta), self.offset + delta)

    def offset_left(self, delta: int) -> Shape | None:
        """Start `delta` columns later on the first line, losing those columns."""
        return self.add_offset(delta).sub_width(delta)

    def used_width(self) -> int:
        """Columns before the shape's start (rustfmt adds the block indent to the offset,
        which its arithmetic depends on)."""
        return self.indent.block + self.offset

    def rhs_overhead(self) -> int:
        """Columns reserved after the shape on its last line."""
        return max(0, MAX_WIDTH - (self.used_width() + self.width))

    def comment(self) -> Shape:
        """The shape comments are written into, capped at the comment width (80)."""
        return replace(self, width=min(self.width, max(0, COMMENT_WIDTH - self.indent.width())))

    def newline(self) -> str:
        """A line break and the indentation of this shape's offset."""
        return "\n" + " " * (self.indent.block + self.offset)

    def infinite_width(self) -> Shape:
        """A width large enough for anything: used to render something on one line
        whatever its length."""
        return replace(self, width=INFINITE_WIDTH)
