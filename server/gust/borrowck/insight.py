"""Borrow insight: what the borrow checker knows about a body, as plain data for the editor.

For one function body: every loan (the borrowed place, shared or mutable, the borrow
expression, and the source ranges where it is live: NLL liveness, from the borrow to its
last use, along the paths that keep it alive) and every move (the moved place, what it was
moved into, and the later uses that the move makes errors). Spans are item-relative, as
everywhere in the checker. `body_insight` never raises: an internal error gives None.

Live ranges are derived from the loan's scope (the set of MIR points where it is in scope,
as the loan checker computes it for conflicts): the points that have a source span, in
source order, grouped into runs of consecutive points in scope; each run is one range.
Points outside the scope (an `else` branch where the borrow is dead) split the runs, so
the ranges are exact at the granularity of statements and expressions.

Like the checks, insight is bounded by the item's time budget (gust.budget): it is
quadratic too (every loan against every point, every move against the points after it), so
it polls the budget in those loops and raises `OutOfTime` when it runs out.
"""

from __future__ import annotations

from typing import Final

from gust.borrowck import dataflow as df
from gust.borrowck import mir
from gust.borrowck.build import lower_body
from gust.borrowck.describe import describe
from gust.borrowck.loans import LoanChecker, stmt_span
from gust.borrowck.mir import Body, Place
from gust.borrowck.moves import MoveChecker, MoveData, dest_of, operands
from gust.budget import UNLIMITED, Budget
from gust.frozen import dataclass
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults
from gust.text import Span

# Loans written by the user, or kept in a variable: the ones a hover mentions. Others
# (`v.len()`'s auto-ref, a `println!` argument) live within their own expression.
_WRITTEN: Final = frozenset({"explicit", "pattern", "closure"})


@dataclass(frozen=True, slots=True)
class LoanInsight:
    place: str  # the borrowed place as written (`v`, `p.x`, `*r`)
    user: int | None  # the variable borrowed (its id in `BodyResults.locals`)
    mutable: bool
    # How the borrow was written: "explicit" (`&x`), "autoref" (a method receiver),
    # "index", "format", "pattern", "reborrow", "iter", "closure", "call" (mir.Loan.kind).
    origin: str
    span: Span  # the borrow expression
    live: tuple[Span, ...]  # where the loan is live, in source order
    # Whether the editor should mention it by default: written by the user, or held by a
    # variable (`let it = v.iter()`), or live past the line it was made on.
    lasting: bool

    @property
    def live_until(self) -> int:
        """The end of its last use (the end of the last live range)."""
        return max((s.end for s in self.live), default=self.span.end)


@dataclass(frozen=True, slots=True)
class MoveInsight:
    place: str
    user: int | None
    span: Span  # the moved expression
    into: str  # what took it: "into `consume`", "by `.into_bytes()`", "into a closure"
    later_uses: tuple[Span, ...]  # uses reached after the move (each is an error)


@dataclass(frozen=True, slots=True)
class BodyInsight:
    loans: tuple[LoanInsight, ...]
    moves: tuple[MoveInsight, ...]

    def of_variable(self, user: int) -> tuple[list[LoanInsight], list[MoveInsight]]:
        return ([x for x in self.loans if x.user == user],
                [m for m in self.moves if m.user == user])


def body_insight(env: ItemEnv, results: BodyResults, budget: Budget = UNLIMITED
                 ) -> BodyInsight | None:
    """The loans and moves of a type-checked body (None if it has no body, or on a bug).
    Raises `OutOfTime` (not an `Exception`) when `budget` runs out."""
    if results.fn.body is None:
        return None
    try:
        return _insight(env, results, budget)
    except Exception:  # insight is a convenience: a checker bug must not break hover
        return None


def _insight(env: ItemEnv, results: BodyResults, budget: Budget) -> BodyInsight:
    budget.poll()
    builder = lower_body(env, results)
    body = builder.body
    budget.poll()
    moves = MoveChecker(env, body, results.fn, body.point_order, builder.place_ty, budget)
    moves.build()
    budget.poll()
    loans = LoanChecker(env, body, results.fn, body.point_order, moves, builder.place_ty,
                        budget)
    loans.liveness()
    loans.scopes()
    spanned = _spanned_points(body)
    out_loans = [_loan(body, loans, loan, spanned, budget) for loan in body.loans
                 if loan.point >= 0 and body.reachable >> loan.point & 1
                 and describe(body, loan.place) is not None]
    out_moves = [_move(body, moves.data, i, budget) for i in range(len(moves.data.moves))
                 if describe(body, moves.data.places[moves.data.moves[i].path]) is not None]
    out_loans.sort(key=lambda x: (x.span.start, x.span.end))
    out_moves.sort(key=lambda x: (x.span.start, x.span.end))
    return BodyInsight(tuple(out_loans), tuple(out_moves))


def _spanned_points(body: Body) -> list[tuple[Span, int]]:
    """The reachable points that stand for source text, in source order."""
    out: list[tuple[Span, int]] = []
    for p in df.bits(body.reachable):
        stmt = body.points[p]
        if isinstance(stmt, (mir.Goto, mir.Unreachable)):
            continue
        span = stmt_span(stmt)
        if span.end > span.start:
            out.append((span, p))
    out.sort(key=lambda x: (x[0].start, -x[0].end, x[1]))
    return out


def _loan(body: Body, checker: LoanChecker, loan: mir.Loan,
          spanned: list[tuple[Span, int]], budget: Budget) -> LoanInsight:
    scope = checker.in_scope[loan.id] | (1 << loan.point)
    ranges: list[Span] = []
    run: Span | None = None
    poll = budget.poll
    for span, p in spanned:
        poll()
        if scope >> p & 1:
            run = span if run is None else Span(run.start, max(run.end, span.end))
        elif run is not None and not (run.start <= span.start and span.end <= run.end):
            # A point outside the scope after the run (not one nested inside it, such as
            # an operand evaluated before the borrow): the run ends.
            ranges.append(run)
            run = None
    if run is not None:
        ranges.append(run)
    ranges = [_from_borrow(r, loan.span) for r in ranges]
    decl = body.locals[loan.place.local]
    place = describe(body, loan.place) or "value"
    live = tuple(r for r in ranges if r.end > r.start)
    return LoanInsight(place, decl.user, loan.mutable, loan.kind, loan.span, live,
                       _lasting(body, checker, loan, live, budget))


def _from_borrow(run: Span, borrow: Span) -> Span:
    """A run that holds the borrow starts at it: an enclosing call or statement is sorted
    before its operands, but the loan only exists from the borrow on."""
    if run.start <= borrow.start < run.end:
        return Span(borrow.start, run.end)
    return run


def _lasting(body: Body, checker: LoanChecker, loan: mir.Loan, live: tuple[Span, ...],
             budget: Budget) -> bool:
    if loan.kind in _WRITTEN:
        return True
    holders = {body.region_owner[r] for r in _reached(checker, loan.region, budget)}
    if any(h >= 0 and body.locals[h].user is not None for h in holders):
        return True
    return any(not (r.start <= loan.span.start and loan.span.end <= r.end) for r in live[1:])


def _reached(checker: LoanChecker, region: int, budget: Budget) -> set[int]:
    seen = {region}
    stack = [region]
    while stack:
        budget.poll()
        r = stack.pop()
        for s in checker.adj[r]:
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return seen


def _move(body: Body, data: MoveData, index: int, budget: Budget) -> MoveInsight:
    site = data.moves[index]
    place = data.places[site.path]
    decl = body.locals[place.local]
    return MoveInsight(describe(body, place) or "value", decl.user, site.op.span,
                       _into(body, site.point, site.op),
                       _later_uses(body, data, site.path, site.point, budget))


def _into(body: Body, point: int, op: mir.Operand) -> str:
    """What a move gives the value to, in a few words."""
    method = op.via_name.rsplit("::", 1)[-1]
    match op.how:
        case "arg" if op.via_name:
            return f"into `{op.via_name}`"
        case "method" if op.via_name == "branch":
            return "by `?`"
        case "method" if method:
            return f"by `.{method}()`"
        case "into_iter":
            return "into a `for` loop"
        case "closure":
            return "into a closure"
        case "pattern" | "pattern_deref" if op.via_name:
            return f"into `{op.via_name}`"
        case "operator":
            return "by an operator"
        case "call":
            return "by calling it"
    dest = dest_of(body.points[point])
    if dest is not None and dest.is_local:
        target = body.locals[dest.local]
        if dest.local == 0:
            return "out (returned)"
        if target.name is not None and target.kind != "temp":
            return f"into `{target.name}`"
    return "here"


def _later_uses(body: Body, data: MoveData, path: int, point: int, budget: Budget
                ) -> tuple[Span, ...]:
    """The uses of the moved place (or of a part of it, or a whole that contains it) that
    a path from the move reaches before the place is assigned again."""
    moved = data.places[path]
    if _assigns(body.points[point], moved):
        return ()  # `s = f(s)`: assigned again by the statement that moves it
    found: dict[Span, None] = {}
    seen: set[int] = set()
    stack = list(body.succ[point])
    poll = budget.poll
    while stack:
        poll()
        q = stack.pop()
        if q in seen or not body.reachable >> q & 1:
            continue
        seen.add(q)
        stmt = body.points[q]
        for place, span in _uses(stmt):
            if _overlap(moved, place):
                found[span] = None
        if isinstance(stmt, mir.StorageDead) and stmt.local == moved.local:
            continue
        if _assigns(stmt, moved):
            continue  # assigned again (the whole, or the moved part)
        if q == point:
            continue  # moved again, in a later iteration of a loop
        stack.extend(body.succ[q])
    return tuple(sorted(found, key=lambda s: (s.start, s.end)))


def _assigns(stmt: mir.Statement | mir.Terminator, moved: Place) -> bool:
    dest = dest_of(stmt)
    return dest is not None and _is_prefix(dest, moved)


def _uses(stmt: mir.Statement | mir.Terminator) -> list[tuple[Place, Span]]:
    out = [(op.place, op.span) for op in operands(stmt) if op.place is not None]
    if isinstance(stmt, mir.Assign) and stmt.rv.place is not None:
        out.append((stmt.rv.place, stmt.span))
    if isinstance(stmt, mir.FakeRead):
        out.append((stmt.place, stmt.span))
    return out


def _is_prefix(prefix: Place, place: Place) -> bool:
    return prefix.local == place.local and place.proj[:len(prefix.proj)] == prefix.proj


def _overlap(a: Place, b: Place) -> bool:
    return _is_prefix(a, b) or _is_prefix(b, a)
