"""The formatter's plain-data API: `format_source`, `format_range` and `text_edits`.

Formatting refuses a file with syntax errors (reformatting a half-parsed file would lose
code). Every result is checked before it is returned: the output must parse, mean the
same (its AST equal to the input's, up to the changes rustfmt makes on purpose: blocks
added or removed around match-arm and closure bodies, `use` order, nested parentheses)
and keep every comment. A result that fails the check, or any internal error, gives the
input back unchanged with a diagnostic, so formatting can never corrupt a file.
"""

from __future__ import annotations

import dataclasses
import difflib
import sys
from collections import Counter
from typing import Any

from gust import diagnostics as d
from gust.fmt.comment import _comment_payload, ungrouped_comments
from gust.fmt.context import Ctx
from gust.fmt.visitor import format_file
from gust.frozen import dataclass
from gust.syntax import ast
from gust.syntax.parser import _lexer
from gust.syntax.source import SourceFile, parse_source
from gust.text import Span

# The formatter recurses over the tree (as rustfmt does); long operator chains are deep.
_RECURSION_LIMIT = 20_000


@dataclass(frozen=True)
class FormatResult:
    """The formatted text, or why the text was left as it is.

    `errors` are the syntax errors that made the formatter refuse the file, or one
    diagnostic for an internal error; in both cases `text` is the input unchanged.
    """

    text: str
    errors: tuple[d.Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the text was formatted (no syntax or internal error)."""
        return not self.errors


@dataclass(frozen=True)
class TextEdit:
    """Replace the characters [start, end) of the original text with `text`."""

    start: int
    end: int
    text: str


def format_source(text: str) -> FormatResult:
    """`text` formatted as rustfmt formats it (rustfmt 1.9, edition 2021, defaults)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        return _format(text)
    except RecursionError:
        return _internal(text, "the file nests too deeply to format")
    except Exception as e:  # never raise: the text stays as it is
        return _internal(text, f"internal formatter error: {type(e).__name__}: {e}")
    finally:
        sys.setrecursionlimit(limit)


def format_range(text: str, start: int, end: int) -> FormatResult:
    """`text` with the top-level items that overlap [start, end) formatted (and nothing
    else changed)."""
    result = format_source(text)
    if not result.ok:
        return result
    try:
        return FormatResult(_splice_items(text, result.text, start, end))
    except Exception as e:  # never raise: the text stays as it is
        return _internal(text, f"internal formatter error: {type(e).__name__}: {e}")


def _extent(node: Any) -> tuple[int, int]:
    """The span of a top-level item in the file."""
    return node.offset + node.item.span.start, node.offset + node.item.span.end


def _overlaps(lo: int, hi: int, start: int, end: int) -> bool:
    """Whether an item [lo, hi) is touched by a range; an empty range (a cursor) touches
    the item it is in or next to."""
    if start == end:
        return lo <= start <= hi
    return lo < end and start < hi


def _splice_items(text: str, formatted: str, start: int, end: int) -> str:
    """`text` with each item overlapping the range replaced by its formatted version.

    The items of the input and of the output are paired in order; an item whose partner
    differs (`use` items that formatting reordered) is left alone."""
    before = parse_source(text).items
    after = parse_source(formatted).items
    if len(before) != len(after):
        edits = [e for e in text_edits(text, formatted) if _touches(e, start, end)]
        return apply_edits(text, edits)
    edits = []
    for old, new in zip(before, after, strict=True):
        lo, hi = _extent(old)
        if not _overlaps(lo, hi, start, end) or _norm(old.item) != _norm(new.item):
            continue
        new_lo, new_hi = _extent(new)
        edits.append(TextEdit(lo, hi, formatted[new_lo:new_hi]))
    return apply_edits(text, edits)


def text_edits(old: str, new: str) -> list[TextEdit]:
    """Minimal line-based edits turning `old` into `new`."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(TextEdit(starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return edits


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """`text` with non-overlapping edits applied (from the end, so offsets stay valid)."""
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: e.start] + e.text + text[e.end :]
    return text


def _touches(edit: TextEdit, start: int, end: int) -> bool:
    """Whether an edit falls in the range being formatted."""
    if edit.start == edit.end:
        return start <= edit.start <= end
    return (edit.start < end and start < edit.end) or start == end == edit.start


def _internal(text: str, message: str) -> FormatResult:
    """The input unchanged, with a diagnostic saying why."""
    return FormatResult(text, (d.error(None, message, Span(0, 0)),))


def _format(text: str) -> FormatResult:
    """Parse, refuse syntax errors, format, and verify the result."""
    source = parse_source(text)
    errors = source.syntax_errors
    if errors:
        return FormatResult(text, tuple(errors))
    if any(node.item is None for node in source.items):
        return _internal(text, "a part of the file could not be parsed")
    items = [shift(node.item, node.offset) for node in source.items]
    # rustfmt ends a file with exactly one line break.
    formatted = format_file(Ctx(text), items).rstrip("\n") + "\n"
    if not formatted.strip():
        return FormatResult("")  # rustfmt writes nothing for a blank file
    problem = verify(source, formatted)
    if problem is not None:
        return _internal(text, f"internal formatter error: {problem}")
    return FormatResult(formatted)


# ---------------------------------------------------------------- absolute positions


def shift(node: Any, delta: int) -> Any:
    """A copy of an item-relative tree with file positions (spans moved by `delta`)."""
    if isinstance(node, Span):
        return node.shifted(delta)
    if isinstance(node, tuple):
        return tuple(shift(x, delta) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: shift(getattr(node, f.name), delta)
                   for f in dataclasses.fields(node)}
        return type(node)(**changes)
    return node


# ---------------------------------------------------------------- checking a result


def verify(source: SourceFile, formatted: str) -> str | None:
    """Why `formatted` is not a faithful formatting of `source`, or None."""
    result = parse_source(formatted)
    if result.syntax_errors:
        return f"the output does not parse: {result.syntax_errors[0].message}"
    before = _norm_items([n.item for n in source.items])
    after = _norm_items([n.item for n in result.items])
    if before != after:
        return "the output does not mean the same as the input"
    if _comments(source.text) != _comments(formatted):
        return "a comment was lost"
    if _tokens(source.text) != _tokens(formatted):
        return "the output does not have the same tokens as the input"
    return None


# Punctuation rustfmt adds or removes: trailing commas, `;` after items and blocks, braces
# around match-arm and closure bodies, `vec!()` written `vec![]`, a leading `|` in arms.
_FLEXIBLE = frozenset({",", ";", "{", "}", "(", ")", "[", "]", "|"})


def _tokens(text: str) -> Counter[str]:
    """The tokens of `text` that formatting must keep, with their counts (`>>` closing
    two generic lists counts as two `>`, since formatting may put them on two lines)."""
    counts: Counter[str] = Counter()
    for t in _lexer().tokens(text):
        value = str(getattr(t, "value", ""))
        if not hasattr(t, "type") or value in _FLEXIBLE:
            continue
        if value and set(value) <= {"<", ">", "="}:
            counts.update(value)
        else:
            counts[value] += 1
    return counts


def _comments(text: str) -> list[str]:
    """The comments of a text by content (whitespace and the leading `*` of block comment
    lines ignored), since formatting re-indents comments but must keep every one."""
    return sorted(_comment_payload(c) for c in ungrouped_comments(text))


def _norm_items(items: list[Any]) -> Any:
    """Items with `use` and `mod x;` declarations as a sorted set (rustfmt sorts them)."""
    reordered = sorted(repr(_norm(i)) for i in items if _reorderable(i))
    others = [_norm(i) for i in items if not _reorderable(i)]
    return reordered, others


def _reorderable(item: Any) -> bool:
    """`use` items and `mod x;` declarations, which formatting sorts."""
    return isinstance(item, ast.UseDecl) or (isinstance(item, ast.ModDecl) and item.items is None)


def _use_paths(tree: ast.UseTree, prefix: tuple[str, ...] = ()) -> list[str]:
    """The full paths a use tree imports: formatting may regroup `a::{b, c}` but must
    import the same paths."""
    path = prefix + tree.path.names
    if tree.glob:
        return ["::".join((*path, "*"))]
    if tree.children is not None:
        return [p for c in tree.children for p in _use_paths(c, path)] or ["::".join(path)]
    if path and path[-1] == "self":
        path = path[:-1]
    return ["::".join(path) + (f" as {tree.alias}" if tree.alias else "")]


def _unblock(e: Any) -> Any:
    """The expression a block-wrapped body stands for (rustfmt adds or removes these)."""
    while isinstance(e, ast.Block) and not e.unsafe and not e.stmts and e.tail is not None:
        e = e.tail
    return e


_SEMI_ALWAYS = (ast.Return, ast.Break, ast.Continue)
_SEMI_IGNORED = (ast.While, ast.Loop, ast.For)


def _norm_block(b: ast.Block) -> Any:
    """A block for comparison: semicolons that rustfmt adds or drops (after `return`,
    after loops) are ignored, and `use` statements compared as sets."""
    stmts: list[Any] = []
    for s in b.stmts:
        if isinstance(s, ast.ExprStmt):
            semi = None if isinstance(s.expr, _SEMI_IGNORED) else (
                True if isinstance(s.expr, _SEMI_ALWAYS) else s.has_semi)
            stmts.append(("stmt", _norm(s.expr), semi))
        elif isinstance(s, ast.ItemStmt) and _reorderable(s.item):
            stmts.append(("use", sorted(_use_paths(s.item.tree))
                          if isinstance(s.item, ast.UseDecl) else _norm(s.item)))
        else:
            stmts.append(_norm(s))
    if b.tail is not None:
        semi = None if isinstance(b.tail, _SEMI_IGNORED) else isinstance(b.tail, _SEMI_ALWAYS)
        stmts.append(("stmt", _norm(b.tail), semi))
    return ("Block", b.unsafe, tuple(stmts))


def _norm(node: Any) -> Any:
    """A tree for comparison, without spans and with the differences formatting may
    introduce removed."""
    if isinstance(node, tuple):
        return tuple(_norm(x) for x in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    if isinstance(node, Span):
        return "Span"  # a span that is there or not (`StructLit.rest`), wherever it is
    if isinstance(node, ast.Paren):
        inner = node.inner
        while isinstance(inner, ast.Paren):
            inner = inner.inner
        return ("Paren", _norm(inner))
    if isinstance(node, ast.OrPat) and len(node.alts) == 1:
        return _norm(node.alts[0])
    if isinstance(node, ast.Block):
        return _norm_block(node)
    if isinstance(node, ast.MatchArm):
        return ("Arm", _norm(node.pat), _norm(node.guard), _norm(_unblock(node.body)))
    if isinstance(node, ast.Closure) and node.ret is None:
        return ("Closure", node.is_move, _norm(node.params), _norm(_unblock(node.body)))
    if isinstance(node, ast.UseDecl):
        return ("Use", node.is_pub, _norm(node.attrs), sorted(_use_paths(node.tree)))
    if isinstance(node, ast.ModDecl) and node.items is not None:
        return ("Mod", node.name, node.is_pub, _norm(node.attrs), _norm_items(list(node.items)))
    fields = tuple((f.name, _norm(getattr(node, f.name))) for f in dataclasses.fields(node)
                   if f.name != "span" and not f.name.endswith("_span"))
    return (type(node).__name__, fields)
