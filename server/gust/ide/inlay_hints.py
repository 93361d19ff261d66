"""Inlay hints, as plain data: text the editor shows inside the code without it being
there.

Each kind of hint is one provider: a function from an item's analysis to hints. A new kind
(say, where a value is moved, from the borrow checker) is one more function added to
`PROVIDERS`, with a `kind` of its own; the LSP layer turns `kind` into LSP's kind.

Move hints (`kind="move"`, `move_hints`) mark where the borrow checker sees a value moved.

Type hints (`kind="type"`) show, as rust-analyzer does, the inferred type after each name
bound without a written type: `let` bindings, closure parameters and `for` patterns
(`let v: Vec<i32> = ..` shows `: Vec<i32>` after `v`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis, ItemAnalysis
from gust.ide.borrow_insight import insight_of
from gust.ide.cursor import walk
from gust.ide.members import show
from gust.sema import types as t
from gust.sema.results import BodyResults
from gust.syntax import ast


@dataclass(frozen=True, slots=True)
class InlayHint:
    offset: int  # file offset the hint is shown at
    label: str  # e.g. ": Vec<i32>"
    kind: str  # "type"; other providers add their own ("move", ...)
    padding_left: bool = False
    padding_right: bool = False
    tooltip: str | None = None
    # Text that makes the hint part of the code when inserted at `offset` (a written type),
    # or None when the hint cannot be written as it is shown (a closure's type).
    insert: str | None = None


# (file analysis, item, body) -> the body's hints, with item-relative offsets.
Provider = Callable[[FileAnalysis, ItemAnalysis, BodyResults], Iterable[InlayHint]]


def inlay_hints(analysis: FileAnalysis, start: int, end: int) -> list[InlayHint]:
    """The hints of every provider whose offset is within [start, end], in file order."""
    out: list[InlayHint] = []
    for item in analysis.items:
        if item.node.end < start or item.offset > end:
            continue
        for body in _all_bodies(item.bodies):
            for provider in PROVIDERS:
                for hint in provider(analysis, item, body):
                    offset = hint.offset + item.offset
                    if start <= offset <= end:
                        out.append(_shifted(hint, offset))
    out.sort(key=lambda h: h.offset)
    return out


def _shifted(hint: InlayHint, offset: int) -> InlayHint:
    return InlayHint(offset, hint.label, hint.kind, hint.padding_left, hint.padding_right,
                     hint.tooltip, hint.insert)


def _all_bodies(bodies: Iterable[BodyResults]) -> Iterator[BodyResults]:
    for body in bodies:
        yield body
        yield from _all_bodies(body.nested)


def type_hints(analysis: FileAnalysis, item: ItemAnalysis, body: BodyResults
               ) -> Iterator[InlayHint]:
    """`: T` after the names bound without a written type."""
    if body.fn.body is None:
        return
    nested = [inner.fn.span for inner in body.nested]
    # (`Cursor<Shelf>`, not its Go form's `Cursor<Shelf, String>`: sema.items.Hidden)
    hidden = {k: len(h) for k, h in analysis.env.adt_hidden.items()}
    for node in walk(body.fn.body):
        if any(s.start <= getattr(node, "span", s).start < s.end for s in nested):
            continue  # a nested `fn`: its own body gives its hints
        match node:
            case ast.Let(pat=pat, ty=None):
                yield from _pattern_hints(body, hidden, pat)
            case ast.Closure(params=params):
                for p in params:
                    if p.ty is None:
                        yield from _pattern_hints(body, hidden, p.pat)
            case ast.For(pat=pat):
                yield from _pattern_hints(body, hidden, pat)


def _pattern_hints(body: BodyResults, hidden: Mapping[str, int], pat: ast.Pat
                   ) -> Iterator[InlayHint]:
    for node in walk(pat):
        if not isinstance(node, ast.IdentPat):
            continue
        local = body.bindings.get(node)
        if local is None or local >= len(body.locals):
            continue
        ty = body.locals[local].ty
        if _unknown(ty):
            continue
        label = show(t.without_hidden(ty, hidden))
        writable = not _has_closure(ty)
        yield InlayHint(node.name_span.end, f": {label}", "type",
                        insert=f": {label}" if writable else None)


def _unknown(ty: t.Ty) -> bool:
    match ty:
        case t.Error() | t.Infer():
            return True
        case t.Ref(inner, _):
            return _unknown(inner)
        case t.Adt(_, args) | t.Tuple(args):
            return any(_unknown(a) for a in args)
    return False


def _has_closure(ty: t.Ty) -> bool:
    match ty:
        case t.Closure() | t.Dyn():
            return True
        case t.Ref(inner, _):
            return _has_closure(inner)
        case t.Adt(_, args) | t.Tuple(args):
            return any(_has_closure(a) for a in args)
    return False


def move_hints(analysis: FileAnalysis, item: ItemAnalysis, body: BodyResults
               ) -> Iterator[InlayHint]:
    """`moved` after each expression the borrow checker sees move a variable (or a part
    of it) out: `consume(s` moved`)`; where the moved place is not what is written there
    (a `move` closure's captures), the label names it: `moved `owned``."""
    insight = insight_of(analysis, item, body)
    if insight is None:
        return
    text, delta = analysis.text, item.offset
    for m in insight.moves:
        written = text[m.span.start + delta:m.span.end + delta]
        label = "moved" if written == m.place else f"moved `{m.place}`"
        yield InlayHint(m.span.end, label, "move", padding_left=True,
                        tooltip=f"`{m.place}` moved {m.into}")


PROVIDERS: tuple[Provider, ...] = (type_hints, move_hints)
