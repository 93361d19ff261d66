"""The structure of a file for editors: folding ranges (items, blocks, runs of comments,
groups of `use`) and selection ranges (expanding a selection along the syntax tree), as
plain data with file offsets and lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis
from gust.syntax import ast
from gust.text import LineIndex, Span

# Nodes worth a fold when they span lines.
_FOLDABLE = (ast.Block, ast.Match, ast.StructLit, ast.ArrayExpr, ast.MacroCall,
             ast.FnDecl, ast.StructDecl, ast.EnumDecl, ast.ImplDecl, ast.TraitDecl,
             ast.ModDecl, ast.Call, ast.MethodCall, ast.MatchArm, ast.Select)
_Add = Callable[..., None]  # add(start, end, kind=None): record a fold
_Node = Any  # any dataclass of gust.syntax.ast
_NODE_TYPES = frozenset(cls for cls in vars(ast).values()
                        if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__"))


@dataclass(frozen=True, slots=True)
class Fold:
    start_line: int  # 0-based
    end_line: int  # the last line hidden or shown folded (inclusive)
    kind: str | None = None  # "comment", "imports", or None for code


def folding_ranges(analysis: FileAnalysis, index: LineIndex) -> list[Fold]:
    text = analysis.text
    folds: dict[tuple[int, int], Fold] = {}

    def add(start: int, end: int, kind: str | None = None, head: int | None = None) -> None:
        first = index.line_of(start if head is None else head)
        last = index.line_of(max(start, end - 1))
        # A block's closing brace on a line of its own stays visible when folded.
        if text[end - 1 : end] in "})]" and end > start and \
                text[index.starts[last] : end - 1].strip() == "":
            last -= 1
        if last > first and (first, last) not in folds:
            folds[(first, last)] = Fold(first, last, kind)

    for item in analysis.items:
        top = item.node.item
        if top is None:
            continue
        for node in _walk(top):
            if isinstance(node, _FOLDABLE):
                span = node.span.shifted(item.offset)
                # An item folds from its name, so its attributes and docs stay visible.
                name = getattr(node, "name_span", None)
                add(span.start, span.end, None,
                    name.start + item.offset if isinstance(name, Span) else None)
    _use_groups(analysis, add)
    _comment_runs(index, add)
    return sorted(folds.values(), key=lambda f: (f.start_line, -f.end_line))


def _use_groups(analysis: FileAnalysis, add: _Add) -> None:
    """Consecutive `use` items fold as one group of imports."""
    group: list[Span] = []
    for item in [*analysis.items, None]:
        node = item.node.item if item is not None else None
        if item is not None and isinstance(node, (ast.UseDecl, ast.UseGoDecl)):
            group.append(node.span.shifted(item.offset))
            continue
        if group:
            add(group[0].start, group[-1].end, "imports")
            group = []


def _comment_runs(index: LineIndex, add: _Add) -> None:
    """Runs of two or more `//` lines, and block comments over several lines."""
    text = index.text
    run: tuple[int, int] | None = None
    for line in range(index.line_count):
        start, end = index.starts[line], index.line_end(line)
        stripped = text[start:end].lstrip()
        if stripped.startswith("//"):
            run = (run[0] if run is not None else end - len(stripped), end)
            continue
        if run is not None:
            add(*run, "comment")
            run = None
        pos = stripped.find("/*")
        if stripped.startswith("/*"):
            close = text.find("*/", end - len(stripped) + pos + 2)
            if close > end:
                add(end - len(stripped), close + 2, "comment")
    if run is not None:
        add(*run, "comment")


def selection_ranges(analysis: FileAnalysis, offset: int) -> list[Span]:
    """The spans around `offset`, innermost first: the name, then each enclosing node of
    the tree, the item, and the whole file."""
    spans: list[Span] = []
    item = analysis.item_at(offset)
    if item is not None and item.node.item is not None:
        rel = offset - item.offset
        chain: list[Span] = [n.span for n in _enclosing(item.node.item, rel)]
        chain.extend(_names_at(item.node.item, rel))
        chain.sort(key=lambda s: (s.end - s.start, s.start))
        spans.extend(s.shifted(item.offset) for s in chain)
        spans.append(Span(item.offset, item.node.end))
    spans.append(Span(0, len(analysis.text)))
    out: list[Span] = []
    for s in spans:
        if not out or (s != out[-1] and s.start <= out[-1].start and s.end >= out[-1].end):
            out.append(s)
    return out


def _names_at(node: ast.Item, rel: int) -> list[Span]:
    """A name token under the cursor (`name_span`s, path segments) inside the chain."""
    out: list[Span] = []
    for n in _enclosing(node, rel):
        for attr in ("name_span", "index_span"):
            span = getattr(n, attr, None)
            if isinstance(span, Span) and span.contains(rel):
                out.append(span)
        path = getattr(n, "path", None)
        if isinstance(path, ast.Path):
            out.extend(seg.span for seg in path.segments if seg.span.contains(rel))
    return out


def _enclosing(node: object, rel: int) -> list[_Node]:
    """The nodes whose span contains `rel`, outermost first."""
    out: list[_Node] = []
    stack: list[object] = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, tuple):
            stack.extend(cur)
            continue
        if type(cur) not in _NODE_TYPES:
            continue
        span = getattr(cur, "span", None)
        if not isinstance(span, Span) or not (span.start <= rel <= span.end):
            if not isinstance(cur, (ast.Path, ast.Generics)):
                continue
        else:
            out.append(cur)
        stack.extend(_children(cur))
    return out


def _walk(node: object) -> Iterator[_Node]:
    stack: list[object] = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, tuple):
            stack.extend(cur)
        elif type(cur) in _NODE_TYPES:
            yield cur
            stack.extend(_children(cur))


def _children(node: object) -> Iterator[object]:
    for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
        if name in ("span", "name_span"):
            continue
        value = getattr(node, name)
        if isinstance(value, tuple) or type(value) in _NODE_TYPES:
            yield value

