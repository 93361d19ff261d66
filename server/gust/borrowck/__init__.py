"""Borrow checking: moves, initialisation and loans at NLL precision (no I/O, never raises).

`check_body(env, body)` returns diagnostics with spans relative to the body's item, like
the `BodyResults` it reads. The pipeline, modelled on rustc's MIR borrow checker:

- gust.borrowck.build lowers the body to a control-flow graph over places
  (gust.borrowck.mir), recording region constraints on the way; closures are values made
  of their captures (gust.borrowck.captures), and each closure body is lowered and checked
  as a body of its own (gust.borrowck.closure_body);
- gust.borrowck.moves checks moves and initialisation (E0382, E0381, E0384, E0507, E0508);
- gust.borrowck.loans computes NLL loan scopes and checks every access against them
  (E0499, E0502, E0503, E0505, E0506, E0597, E0515) and mutability (E0596, E0594);
- gust.borrowck.lifetimes checks a returned `&'a T` against the parameters' lifetimes
  (E0621).
"""

from __future__ import annotations

from typing import Final

from gust import diagnostics as d
from gust.borrowck.build import Builder, lower_body
from gust.borrowck.closure_body import lower_closures
from gust.borrowck.lifetimes import named_return_errors
from gust.borrowck.loans import LoanChecker
from gust.borrowck.moves import MoveChecker
from gust.budget import UNLIMITED, Budget
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults

#: The error codes this checker reports.
CODES: Final = frozenset({"E0373", "E0381", "E0501", "E0382", "E0384", "E0499", "E0502", "E0503", "E0505",
                   "E0506", "E0507", "E0508", "E0509", "E0510", "E0515", "E0594", "E0596",
                   "E0597", "E0621", "E0716"})


def check_body(env: ItemEnv, body: BodyResults, budget: Budget = UNLIMITED
               ) -> list[d.Diagnostic]:
    """The borrow errors of a body that type-checked. Raises `OutOfTime` (not an
    Exception) when the budget runs out (gust.budget: polled between phases and in the
    loops over points, loans and blocks of the move and loan checks)."""
    try:
        return _check(env, body, budget)
    except Exception:  # never let a checker bug break the editor
        return []


def _check(env: ItemEnv, results: BodyResults, budget: Budget = UNLIMITED
           ) -> list[d.Diagnostic]:
    if results.fn.body is None:
        return []
    budget.poll()
    lowered = lower_body(env, results)
    diags = _check_lowered(env, results, lowered, budget) + named_return_errors(lowered)
    for closure in lower_closures(env, results):
        diags += _check_lowered(env, results, closure, budget)
    # A guard's write that also conflicts with a real loan is reported as that conflict
    # (rustc reports one error per access, the real borrow's first).
    taken = [x.span for x in diags if x.code != "E0510"]
    diags = [x for x in diags if not (x.code == "E0510" and any(
        s.start < x.span.end and x.span.start < s.end for s in taken))]
    diags.sort(key=lambda x: (x.span.start, x.span.end))
    return diags


def _check_lowered(env: ItemEnv, results: BodyResults, builder: Builder, budget: Budget
                   ) -> list[d.Diagnostic]:
    body = builder.body
    order = body.point_order
    budget.poll()
    moves = MoveChecker(env, body, results.fn, order, builder.place_ty, budget)
    moves.build()
    budget.poll()
    moves.check()
    budget.poll()
    loans = LoanChecker(env, body, results.fn, order, moves, builder.place_ty, budget)
    loans.run()
    return builder.diags + moves.diags + loans.diags
