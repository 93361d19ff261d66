"""Comma-separated lists with their comments (rustfmt's `lists.rs`).

Every list rustfmt writes (arguments, fields, patterns, match arms, parameters) goes
through `itemize_list`, which cuts the source between items into each item's pre- and
post-comments and notes blank lines, then `definitive_tactic` (all on one line, one per
line, or packed) and `write_list`. These decide where comments inside lists end up, so
they are ported line by line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field, replace
from typing import TypeVar

from gust.fmt.comment import find_comment_end, find_uncommented, rewrite_comment
from gust.fmt.shape import EMPTY_INDENT, MAX_WIDTH, STRUCT_LIT_WIDTH, TAB_SPACES, Shape, budget
from gust.fmt.strings import (
    blen,
    count_newlines,
    first_line_width,
    last_line_width,
    lines,
    starts_with_newline,
    uwidth,
)
from gust.frozen import dataclass

T = TypeVar("T")

# List tactics (rustfmt's `ListTactic`); an int n is `LimitedHorizontalVertical(n)`.
VERTICAL = "vertical"
HORIZONTAL = "horizontal"
HORIZONTAL_VERTICAL = "horizontal_vertical"
MIXED = "mixed"
ListTactic = str | int
# Definitive tactics are VERTICAL, HORIZONTAL, MIXED or an int n: `SpecialMacro(n)`.
DefTactic = str | int

ALWAYS = "always"
NEVER = "never"
# SeparatorTactic::Vertical is spelled VERTICAL too.

BACK = "back"
FRONT = "front"

COMMA_LEN = 2  # ", "
BAR_LEN = 3  # " | "

SAME_LINE = "same_line"
DIFFERENT_LINE = "different_line"


@dataclass
class ListItem:
    """One list element: its rewrite (None when it failed) and its comments."""

    item: str | None
    pre_comment: str | None = None
    pre_comment_style: str | None = None
    post_comment: str | None = None
    new_lines: bool = False

    @property
    def inner(self) -> str:
        """The rewrite, or "" for an item that failed (callers check `item` first)."""
        return self.item or ""

    def is_different_group(self) -> bool:
        """Post-comment alignment stops at an item like this: multi-line, or with
        comments of its own."""
        return "\n" in self.inner or self.pre_comment is not None or (
            self.post_comment is not None and "\n" in self.post_comment)

    def is_multiline(self) -> bool:
        """Whether the item or its comments span lines (then the list cannot be
        horizontal)."""
        return ("\n" in self.inner
                or (self.pre_comment is not None and "\n" in self.pre_comment)
                or (self.post_comment is not None and "\n" in self.post_comment))

    def has_single_line_comment(self) -> bool:
        """A `//` comment forces the list to be vertical: nothing can follow it on its
        line."""
        return ((self.pre_comment is not None and self.pre_comment.lstrip().startswith("//"))
                or (self.post_comment is not None
                    and self.post_comment.lstrip().startswith("//")))

    def has_comment(self) -> bool:
        """Whether the item carries a comment."""
        return self.pre_comment is not None or self.post_comment is not None

    def is_substantial(self) -> bool:
        """Items with nothing to write (an empty rewrite, no comment) are skipped."""
        return bool(self.pre_comment) or bool(self.item) or bool(self.post_comment)


@dataclass
class ListFormatting:
    """How `write_list` lays a list out (rustfmt's `ListFormatting`)."""

    shape: Shape
    tactic: DefTactic = VERTICAL
    separator: str = ","
    trailing_separator: str = NEVER
    separator_place: str = BACK
    ends_with_newline: bool = True
    preserve_newline: bool = False
    nested: bool = False
    align_comments: bool = True
    padding: bool = True
    custom_list_tactic: list[bool] = field(default_factory=list)

    def needs_trailing_separator(self) -> bool:
        """Whether the last item gets a separator: with `VERTICAL`, only when the list is
        laid out vertically."""
        if self.trailing_separator == ALWAYS:
            return True
        if self.trailing_separator == VERTICAL:
            return self.tactic == VERTICAL
        return self.tactic == VERTICAL and self.separator_place == FRONT


def _comment_len(comment: str | None) -> int:
    """What a comment adds to an item's width, counting the spaces and delimiters around
    it as rustfmt does."""
    if comment is None:
        return 0
    n = blen(comment.strip())
    return n + 6 if n > 0 else 0


def total_item_width(item: ListItem) -> int:
    """An item's width with its comments, to decide whether the list fits on one line."""
    return _comment_len(item.pre_comment) + _comment_len(item.post_comment) + uwidth(item.inner)


def definitive_tactic(items: Sequence[ListItem], tactic: ListTactic, sep_len: int,
                      width: int) -> DefTactic:
    """One line when everything fits in `width` (and the tactic allows it)."""
    if any(item.has_single_line_comment() for item in items):
        return VERTICAL
    if tactic in (HORIZONTAL, VERTICAL):
        return tactic
    limit = min(width, tactic) if isinstance(tactic, int) else width
    total = sum(total_item_width(i) for i in items) + sep_len * max(0, len(items) - 1)
    if total <= limit and not any(i.is_multiline() for i in items):
        return HORIZONTAL
    return MIXED if tactic == MIXED else VERTICAL


def _separator_place(default: str, tactic: DefTactic, sep: str) -> str:
    """A front separator (`| pat`) only applies to vertical lists; commas always go at
    the back."""
    if tactic == VERTICAL:
        return default
    return BACK if sep == "," else default


def _max_width_with_post_comment(items: Sequence[ListItem], i: int, overhead: int) -> int:
    """The width of the widest item among the following run of items with post-comments,
    so those comments line up in a column."""
    max_width = 0
    first = True
    for item in items[i:]:
        width = uwidth(item.inner)
        if not first and (item.is_different_group() or item.post_comment is None
                          or width + overhead > MAX_WIDTH):
            return max_width
        max_width = max(max_width, width)
        if item.new_lines:
            return max_width
        first = False
    return max_width


class _ListWriter:
    """The state of `write_list` while it walks the items."""

    def __init__(self, items: Sequence[ListItem], fmt: ListFormatting) -> None:
        """Start writing the list at its shape's indent."""
        self.items = items
        self.fmt = fmt
        self.out: list[str] = []
        self.trailing_separator = fmt.needs_trailing_separator()
        self.item_max_width: int | None = None
        self.sep_place = _separator_place(fmt.separator_place, fmt.tactic, fmt.separator)
        self.prev_had_post_comment = False
        self.prev_is_nested_import = False
        self.line_len = 0
        self.first_on_line = True
        self.indent_str = fmt.shape.indent.to_string()

    @property
    def result(self) -> str:
        """What has been written so far."""
        return "".join(self.out)

    def push(self, s: str) -> None:
        """Append output."""
        self.out.append(s)

    def newline(self) -> None:
        """A line break and the list's indent."""
        self.out.append("\n" + self.indent_str)

    def write(self) -> str | None:
        """Write all items; None when an item's rewrite failed or a comment could not be
        placed."""
        n = len(self.items)
        for i, item in enumerate(self.items):
            if item.item is None:
                return None
            if not self.write_item(i, item, i == 0, i == n - 1):
                return None
        return self.result

    def write_item(self, i: int, item: ListItem, first: bool, last: bool) -> bool:
        """Write one item with what goes around it: the space or line break before it,
        its comments and its separator (the body of rustfmt's `write_list` loop)."""
        fmt = self.fmt
        inner = item.inner
        separate = not first if self.sep_place == FRONT else not last or self.trailing_separator
        item_sep_len = len(fmt.separator) if separate else 0
        item_last_line = (lines(inner) or [""])[-1] if item.is_multiline() else inner
        item_last_line_width = blen(item_last_line) + item_sep_len
        if item_last_line.startswith(self.indent_str):
            item_last_line_width -= len(self.indent_str)
        if not item.is_substantial():
            return True
        separate = self.place_item(i, item, first, last, inner, separate, item_sep_len)
        if item.pre_comment is not None and not self.write_pre_comment(item, inner,
                                                                        item_sep_len):
            return False
        if separate and self.sep_place == FRONT and not first:
            self.write_front_separator()
        self.push(inner)
        if fmt.tactic == HORIZONTAL and item.post_comment is not None:
            formatted = rewrite_comment(item.post_comment, True,
                                        Shape.legacy(fmt.shape.width, EMPTY_INDENT))
            if formatted is None:
                return False
            self.push(" " + formatted)
        if separate and self.sep_place == BACK:
            self.push(fmt.separator)
        if fmt.tactic != HORIZONTAL and item.post_comment is not None:
            if not self.write_post_comment(i, item, inner, last, separate,
                                           item_last_line_width):
                return False
        else:
            self.item_max_width = None
        if fmt.preserve_newline and not last and fmt.tactic == VERTICAL and item.new_lines:
            self.item_max_width = None
            self.push("\n")
        self.first_on_line = False
        self.prev_had_post_comment = item.post_comment is not None
        self.prev_is_nested_import = "::" in inner
        return True

    def write_front_separator(self) -> None:
        """A separator before the item (`| pat` in or-patterns laid out vertically)."""
        fmt = self.fmt
        if fmt.padding:
            self.push(fmt.separator.strip() + " ")
        elif self.first_on_line:
            self.push(fmt.separator.lstrip())
        else:
            self.push(fmt.separator)

    def place_item(self, i: int, item: ListItem, first: bool, last: bool, inner: str,
                   separate: bool, item_sep_len: int) -> bool:
        """Write what goes before an item (a space or a line break); returns whether the
        item is followed by a separator, which the mixed tactic may change."""
        fmt = self.fmt
        tactic = fmt.tactic
        if fmt.custom_list_tactic:
            if fmt.custom_list_tactic[i]:
                self.newline()
                self.first_on_line = True
            elif fmt.padding and not self.first_on_line:
                self.push(" ")
        elif tactic == HORIZONTAL:
            if not first and fmt.padding:
                self.push(" ")
        elif isinstance(tactic, int):
            if i == 0:
                pass
            elif i < tactic or i > tactic + 1:
                self.push(" ")
            else:
                self.newline()
        elif tactic == VERTICAL:
            if not first and inner and self.out:
                self.first_on_line = True
                self.newline()
        elif tactic == MIXED:
            return self.place_mixed(item, first, last, inner, separate, item_sep_len)
        return separate

    def place_mixed(self, item: ListItem, first: bool, last: bool, inner: str, separate: bool,
                    item_sep_len: int) -> bool:
        """The mixed tactic packs items on a line until the next one does not fit (or
        follows a post-comment, or is a nested import) and then starts a new line."""
        fmt = self.fmt
        total = total_item_width(item) + item_sep_len
        if ((self.line_len > 0 and self.line_len + 1 + total > fmt.shape.width)
                or self.prev_had_post_comment
                or (fmt.nested and (self.prev_is_nested_import
                                    or (not first and "::" in inner)))):
            self.newline()
            self.line_len = 0
            self.first_on_line = True
            if fmt.ends_with_newline:
                self.trailing_separator = True
        elif fmt.padding and self.line_len > 0:
            self.push(" ")
            self.line_len += 1
        if last and fmt.ends_with_newline:
            separate = fmt.trailing_separator != NEVER
        self.line_len += total
        return separate

    def write_pre_comment(self, item: ListItem, inner: str, item_sep_len: int) -> bool:
        """A comment before an item: on the item's line when it was there and still fits,
        else on its own line."""
        fmt = self.fmt
        assert item.pre_comment is not None
        comment = rewrite_comment(item.pre_comment, fmt.tactic == HORIZONTAL, fmt.shape)
        if comment is None:
            return False
        self.push(comment)
        if inner:
            if fmt.tactic in (VERTICAL, MIXED) or isinstance(fmt.tactic, int):
                keep = (item.pre_comment_style != DIFFERENT_LINE
                        and total_item_width(item) + item_sep_len + 1 <= fmt.shape.width)
                if keep:
                    self.push(" ")
                else:
                    self.newline()
                    self.line_len = uwidth(inner)
            else:
                self.push(" ")
        self.item_max_width = None
        return True

    def rewrite_post_comment(self, i: int, comment: str, inner: str, last: bool,
                             item_last_line_width: int, overhead: int) -> str | None:
        """A comment after an item, formatted for the column it will start in (aligned
        with the comments of neighbouring items when they have some)."""
        if self.item_max_width is None and not last and "\n" not in inner:
            self.item_max_width = _max_width_with_post_comment(self.items, i, overhead)
        if starts_with_newline(comment):
            extra = 0
        elif self.item_max_width is not None:
            extra = self.item_max_width + 2
        else:
            extra = item_last_line_width + 1
        width = self.fmt.shape.width - extra
        if width < 0:
            width = 1
        comment_shape = Shape.legacy(width, self.fmt.shape.indent.plus(extra))
        trimmed = comment.strip()
        block_style = ((not self.fmt.ends_with_newline and last) or "\n" in trimmed
                       or blen(trimmed) > width)
        return rewrite_comment(comment.lstrip(), block_style, comment_shape)

    def write_post_comment(self, i: int, item: ListItem, inner: str, last: bool,
                           separate: bool, item_last_line_width: int) -> bool:
        """Write the comment after an item, aligned with its neighbours' comments, or on
        the next line when it started there; re-aligned when it would overflow."""
        fmt = self.fmt
        comment = item.post_comment
        assert comment is not None
        overhead = last_line_width(self.result) + first_line_width(comment.strip())
        formatted = self.rewrite_post_comment(i, comment, inner, last, item_last_line_width,
                                              overhead)
        if formatted is None:
            return False
        if not starts_with_newline(comment):
            if fmt.align_comments:
                alignment = max(0, (self.item_max_width or 0) - uwidth(inner))
                if (first_line_width(formatted) + last_line_width(self.result) + alignment + 1
                        > MAX_WIDTH):
                    self.item_max_width = None
                    formatted = self.rewrite_post_comment(i, comment, inner, last,
                                                          item_last_line_width, overhead)
                    if formatted is None:
                        return False
                    alignment = max(0, (self.item_max_width or 0) - uwidth(inner))
                self.push(" " * (alignment + 1))
            if not fmt.align_comments or (last and self.item_max_width is not None
                                          and not separate and fmt.separator):
                self.push(" ")
        else:
            self.newline()
        if "\n" in formatted:
            self.item_max_width = None
        self.push(formatted)
        return True


def write_list(items: Sequence[ListItem], fmt: ListFormatting) -> str | None:
    """The items joined by the formatting's tactic and separator, comments included."""
    return _ListWriter(items, fmt).write()


# ---------------------------------------------------------------- cutting a list from source


def extract_pre_comment(pre: str) -> tuple[str | None, str | None]:
    """The comment before an item, and whether it was on the item's line (SAME_LINE) or
    above it (DIFFERENT_LINE)."""
    trimmed = pre.strip()
    if trimmed.endswith("*/"):
        end = pre.rfind("/")
        style = DIFFERENT_LINE if "\n" in pre[end:] else SAME_LINE
        return trimmed, style
    if trimmed.startswith(("//", "/*")):
        return trimmed, DIFFERENT_LINE
    return None, None


def extract_post_comment(post: str, comment_end: int, separator: str) -> str | None:
    """The comment after an item, without the separator that may precede or follow it."""
    snippet = post[:comment_end].strip()
    if snippet.startswith((",", ":")):
        trimmed = snippet[1:].strip(" \t")
    elif snippet.startswith(separator):
        trimmed = snippet[len(separator):].strip(" \t")
    elif snippet.endswith(",") and (not snippet.strip().startswith("//")
                                    or "\n" in snippet.strip()):
        trimmed = snippet[:-1].strip(" \t")
    else:
        trimmed = snippet
    bare = trimmed.strip()
    if trimmed and bare.startswith(("//", "/*")):
        return trimmed
    return None


def get_comment_end(post: str, separator: str, terminator: str, is_last: bool) -> int:
    """Where the comment after an item ends (the rest belongs to the next item)."""
    if is_last:
        found = find_uncommented(post, terminator)
        return found if found is not None else len(post)
    block_open: int | None = post.find("/*")
    if block_open is not None and block_open < 0:
        block_open = None
    if block_open is not None:
        j = post.find("/")
        if (0 <= j < block_open) or post[:block_open].endswith("/"):
            block_open = None
    newline = post.find("\n")
    sep = find_uncommented(post, separator)
    if sep is not None:
        if block_open is not None:
            end = find_comment_end(post[block_open:])
            comment_end = (end if end is not None else len(post) - block_open) + block_open
            if newline < 0:
                return sep + 1 if block_open > sep else max(comment_end, sep + 1)
            if block_open < newline:
                return max(comment_end, sep + 1)
        if newline >= 0 and newline > sep:
            return newline + 1
        return len(post)
    if newline >= 0:
        return newline + 1
    return 0


def has_extra_newline(post: str, comment_end: int) -> bool:
    """Whether a blank line follows the item's comment: rustfmt keeps one there when
    `preserve_newline` is set."""
    if not post or comment_end == 0:
        return False
    test = post[comment_end - 1 :]
    nl = test.find("\n")
    test = test[nl if nl >= 0 else len(test) :]
    first = next((k for k, c in enumerate(test) if not c.isspace()), len(test))
    return count_newlines(test[:first]) > 1


def itemize_list(
    text: str,
    items: Sequence[T],
    terminator: str,
    separator: str,
    get_lo: Callable[[T], int],
    get_hi: Callable[[T], int],
    get_item_string: Callable[[T], str | None],
    prev_span_end: int,
    next_span_start: int,
    leave_last: bool = False,
) -> list[ListItem]:
    """The list items of `items` with the comments found in `text` around them."""
    result: list[ListItem] = []
    prev = prev_span_end
    n = len(items)
    for idx, item in enumerate(items):
        lo, hi = get_lo(item), get_hi(item)
        pre_comment, pre_style = extract_pre_comment(text[prev:lo] if prev <= lo else "")
        is_last = idx == n - 1
        next_start = get_lo(items[idx + 1]) if not is_last else next_span_start
        post = text[hi:next_start] if hi <= next_start else ""
        comment_end = get_comment_end(post, separator, terminator, is_last)
        new_lines = has_extra_newline(post, comment_end)
        post_comment = extract_post_comment(post, comment_end, separator)
        prev = hi + comment_end
        rewrite = None if is_last and leave_last else get_item_string(item)
        result.append(ListItem(rewrite, pre_comment, pre_style, post_comment, new_lines))
    return result


# ---------------------------------------------------------------- struct-literal-like lists


def struct_lit_shape(shape: Shape, prefix_width: int,
                     suffix_width: int) -> tuple[Shape | None, Shape]:
    """(one-line shape if any, vertical shape) for the inside of `Name { ... }`."""
    v_shape = shape.block_indent(TAB_SPACES)
    v_shape = replace(v_shape, width=budget(v_shape.indent.width()))
    if shape.width >= prefix_width + suffix_width:
        width = min(shape.width - prefix_width - suffix_width, STRUCT_LIT_WIDTH)
        return Shape.legacy(width, shape.indent), v_shape
    return None, v_shape


def struct_lit_tactic(h_shape: Shape | None, items: Sequence[ListItem]) -> DefTactic:
    """Struct literal fields go on one line only when a one-line shape exists and they
    fit it."""
    if h_shape is None:
        return VERTICAL
    return definitive_tactic(items, HORIZONTAL_VERTICAL, COMMA_LEN, h_shape.width)


def shape_for_tactic(tactic: DefTactic, h_shape: Shape | None, v_shape: Shape) -> Shape:
    """The shape matching the chosen tactic: the one-line shape for horizontal lists."""
    if tactic == HORIZONTAL and h_shape is not None:
        return h_shape
    return v_shape


def struct_lit_formatting(shape: Shape, tactic: DefTactic,
                          force_no_trailing_comma: bool) -> ListFormatting:
    """The list formatting of struct literal fields (rustfmt's `struct_lit_formatting`);
    a `..base` forbids the trailing comma."""
    return ListFormatting(
        shape,
        tactic=tactic,
        trailing_separator=NEVER if force_no_trailing_comma else VERTICAL,
        ends_with_newline=tactic == VERTICAL,
        preserve_newline=True,
    )


def ends_with_newline(tactic: DefTactic) -> bool:
    """rustfmt's `DefinitiveListTactic::ends_with_newline` for block indentation."""
    return tactic in (VERTICAL, MIXED)
