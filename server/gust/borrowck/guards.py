"""Match guards: the fake borrows of a `match` and the restrictions on bindings in guards.

rustc lowers a `match` with guards with *fake* (shallow) borrows of the scrutinee and of
every place its patterns test, live until the last guard has run: a guard may read them and
even move out of them (the moves are checked as moves), but assigning or mutably borrowing
one of them (or a place containing it) would change which arm matched: E0510. The bindings
of the arm are visible in the guard only by reference: moving out of a by-value binding is
E0507 ("in pattern guard"), and a `ref mut` binding cannot be used mutably (E0596).

The builder (gust.borrowck.build) opens a `GuardScope` while it lowers a guard and reports
each write, mutable borrow and move of the guard through it.
"""

from __future__ import annotations

from dataclasses import field

from gust import diagnostics as d
from gust.borrowck.describe import describe
from gust.borrowck.mir import Body, Place
from gust.frozen import dataclass
from gust.text import Span


@dataclass
class GuardScope:
    """The guard being lowered: the fake-borrowed places, the scrutinee's span (for the
    "value is immutable in match guard" label), the guard's by-value bindings (by user
    local: their name), and the locals of its `ref mut` bindings."""

    fake: list[Place]
    scrutinee: Span
    by_value: dict[int, str] = field(default_factory=dict)
    ref_mut: set[int] = field(default_factory=set)


def _is_prefix(short: Place, long: Place) -> bool:
    return short.local == long.local and long.proj[:len(short.proj)] == short.proj


def write_conflict(guard: GuardScope, body: Body, place: Place, span: Span,
                   mutable_borrow: bool) -> d.Diagnostic | None:
    """E0510 when `place` (assigned, or borrowed `&mut`) contains a fake-borrowed place."""
    if not any(_is_prefix(place, fake) for fake in guard.fake):
        return None
    name = describe(body, place)
    if name is None:
        return None
    verb = "mutably borrow" if mutable_borrow else "assign"
    return d.error("E0510", f"cannot {verb} `{name}` in match guard", span,
                   f"cannot {verb}",
                   labels=(d.Label(guard.scrutinee, "value is immutable in match guard"),))


def ref_mut_use(guard: GuardScope, body: Body, place: Place, span: Span
                ) -> d.Diagnostic | None:
    """E0596 for `&mut *x` of a `ref mut x` binding inside its guard."""
    if place.local not in guard.ref_mut or not place.proj or place.proj[0].kind != "deref":
        return None
    name = describe(body, place) or "value"
    return d.error("E0596", f"cannot borrow `{name}` as mutable, as it is immutable for the "
                   "pattern guard", span, "cannot borrow as mutable",
                   notes=("variables bound in patterns are immutable until the end of the "
                          "pattern guard",))


def binding_move(name: str, ty_text: str, span: Span, clone: bool) -> d.Diagnostic:
    """E0507 for moving a by-value binding inside its guard."""
    text = "consider cloning the value if the performance cost is acceptable"
    return d.error("E0507", f"cannot move out of `{name}` in pattern guard", span,
                   f"move occurs because `{name}` has type `{ty_text}`, which does not "
                   "implement the `Copy` trait",
                   notes=("variables bound in patterns cannot be moved from until after the "
                          "end of the pattern guard",),
                   help=(text,) if clone else (),
                   fixes=(d.Fix(text, (d.Edit(Span(span.end, span.end), ".clone()"),)),)
                   if clone else ())
