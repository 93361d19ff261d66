"""Borrow insight for the editor: the loans and moves of the function under the cursor
(for `gust/loans`, which paints them) and a few lines about a variable (for hover).

Plain data with file offsets; the borrow checker's own answer (gust.borrowck.insight) is
computed on first use per function and memoised with the item's analysis, so hovering
around a function lowers it once, and a keystroke elsewhere keeps it. It has the item's time
budget (gust.budget): when that runs out, nothing is painted, and a hover on a variable says
that its borrows were not worked out (remembered too: the next hover does not try again).
"""

from __future__ import annotations

from dataclasses import replace

from gust.borrowck.insight import BodyInsight, LoanInsight, MoveInsight, body_insight
from gust.budget import Budget, OutOfTime
from gust.frozen import dataclass
from gust.ide.analysis import FileAnalysis, ItemAnalysis
from gust.sema.results import BodyResults, LocalRes
from gust.text import Span

# At most this many loans and moves are listed in a hover (then "and N more").
_HOVER_LINES = 5


@dataclass(frozen=True, slots=True)
class FunctionLoans:
    """The borrow checker's view of one function, with file offsets."""

    name: str
    span: Span  # the whole function
    loans: tuple[LoanInsight, ...]
    moves: tuple[MoveInsight, ...]


@dataclass(frozen=True, slots=True)
class _GaveUp:
    """The insight of a body ran out of its time budget after `seconds`."""

    seconds: float


def function_loans(analysis: FileAnalysis, offset: int) -> FunctionLoans | None:
    """The loans and moves of the (innermost) function at `offset`; None outside a
    function, or for one whose body does not type-check (it is not borrow-checked)."""
    found = _body_at(analysis, offset)
    if found is None:
        return None
    item, index, body = found
    insight = _insight(analysis, item, index, body)
    if not isinstance(insight, BodyInsight):
        return None
    delta = item.offset
    return FunctionLoans(
        body.fn.name, body.fn.span.shifted(delta),
        tuple(replace(x, span=x.span.shifted(delta),
                      live=tuple(s.shifted(delta) for s in x.live)) for x in insight.loans),
        tuple(replace(m, span=m.span.shifted(delta),
                      later_uses=tuple(s.shifted(delta) for s in m.later_uses))
              for m in insight.moves))


def variable_notes(analysis: FileAnalysis, offset: int) -> tuple[str, ...]:
    """For the variable at `offset`: where it is moved and where it is borrowed (and until
    where the borrow lives), one short line each, e.g. "moved into `consume` at line 12",
    "borrowed mutably at 8:13, borrow live until 10:5"."""
    found = _body_at(analysis, offset)
    if found is None:
        return ()
    item, index, body = found
    local = _local_at(body, offset - item.offset)
    if local is None:
        return ()
    insight = _insight(analysis, item, index, body)
    if isinstance(insight, _GaveUp):
        return (f"borrows and moves not shown: working them out gave up after "
                f"{insight.seconds:.1f} s",)
    if insight is None:
        return ()
    loans, moves = insight.of_variable(local)
    name = body.locals[local].name
    text = analysis.text
    delta = item.offset
    events: list[tuple[int, str]] = []
    for m in moves:
        line = _line_col(text, m.span.start + delta)[0]
        what = "moved" if m.place == name else f"`{m.place}` moved"
        note = f"{what} {m.into} at line {line}"
        if m.later_uses:
            uses = ", ".join(str(_line_col(text, s.start + delta)[0]) for s in m.later_uses)
            note += f" (used after the move at line{'s' if len(m.later_uses) > 1 else ''} " \
                    f"{uses})"
        events.append((m.span.start, note))
    for x in loans:
        if not x.lasting:
            continue
        what = "borrowed" if x.place == name else f"`{x.place}` borrowed"
        how = " mutably" if x.mutable else ""
        at = _at(text, x.span.start + delta)
        until = _at(text, x.live_until + delta)
        events.append((x.span.start, f"{what}{how} at {at}, borrow live until {until}"))
    events.sort()
    lines = [note for _, note in events[:_HOVER_LINES]]
    if len(events) > _HOVER_LINES:
        lines.append(f"and {len(events) - _HOVER_LINES} more")
    return tuple(lines)


def insight_of(analysis: FileAnalysis, item: ItemAnalysis, body: BodyResults
               ) -> BodyInsight | None:
    """The insight of one of the item's bodies (item-relative spans), memoised."""
    for index, candidate in enumerate(_all_bodies(item.bodies)):
        if candidate is body:
            found = _insight(analysis, item, index, body)
            return found if isinstance(found, BodyInsight) else None
    return None


def _insight(analysis: FileAnalysis, item: ItemAnalysis, index: int, body: BodyResults
             ) -> BodyInsight | _GaveUp | None:
    if any(x.is_error for x in body.diagnostics) or item.node.parsed.errors or \
            body.item is not None:  # a constant's initialiser is not borrow-checked
        return None
    key = f"borrow insight {index}"
    if key not in item.memo:
        try:
            item.memo[key] = body_insight(analysis.env, body, Budget(analysis.time_budget))
        except OutOfTime as exc:
            item.memo[key] = _GaveUp(exc.seconds)
    cached = item.memo[key]
    return cached if isinstance(cached, (BodyInsight, _GaveUp)) else None


def _body_at(analysis: FileAnalysis, offset: int
             ) -> tuple[ItemAnalysis, int, BodyResults] | None:
    """The item at `offset` and its innermost function body there (with its index among
    the item's bodies and their nested `fn`s)."""
    item = analysis.item_at(offset)
    if item is None or item.node.item is None:
        return None
    rel = offset - item.offset
    best: tuple[int, BodyResults] | None = None
    for index, body in enumerate(_all_bodies(item.bodies)):
        span = body.fn.span
        if body.fn.body is not None and span.contains(rel) and (
                best is None or span.end - span.start <
                best[1].fn.span.end - best[1].fn.span.start):
            best = (index, body)
    return (item, best[0], best[1]) if best is not None else None


def _all_bodies(bodies: tuple[BodyResults, ...] | list[BodyResults]) -> list[BodyResults]:
    out: list[BodyResults] = []
    for body in bodies:
        out.append(body)
        out.extend(_all_bodies(body.nested))
    return out


def _local_at(body: BodyResults, rel: int) -> int | None:
    """The variable declared or named at `rel`."""
    for local in body.locals:
        if local.span.contains(rel):
            return local.id
    for expr, res in body.paths.items():
        if isinstance(res, LocalRes) and expr.path.last.span.contains(rel):
            return res.local
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters), as editors and rustc show them."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _at(text: str, offset: int) -> str:
    line, col = _line_col(text, offset)
    return f"{line}:{col}"
