"""`*m.entry(k).or_insert(0) += n` (and `-=`): a map slot updated in place, checked after.

Go cannot take the address of a map element, so the checked update
`m[k] = gustAdd(m[k], n)` is two map operations (a lookup, then an assignment), where Go's
own `m[k] += n` is one: the compiler looks the slot up once and updates it in place. For `+`
and `-` the overflow check can come after the update, because the wrapped result and `n`
give the old value back (`c - n`): the slot is updated with `m[k] += n` and checked in
`if gustOverflowChecks { gustAdded(m[k], n) }`, which the release profile
(`gust build --release`) removes, leaving the one map operation a Go programmer writes.
The check panics at once, with Rust's message at Rust's location, so nothing sees the
wrapped value first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.sema import types as t

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

# The runtime function that checks `c = a op b` from `c` and `b` (gust_runtime.go).
_CHECK_AFTER: Final = {"+": "gustAdded", "-": "gustSubbed"}


def applies(op: str, ty: t.Ty) -> bool:
    return op in _CHECK_AFTER and isinstance(ty, t.Int)


def update(em: FnEmitter, slot: g.GoExpr, op: str, value: g.GoExpr, ty: t.Int) -> None:
    """`slot op= value` then its check; `slot` is `m[k]` with a pure key."""
    value = em.stable(value, ty, "n")
    em.line(f"{g.render(slot)} {op}= {g.render(value)}")
    check = g.call(_check_fn(op, ty), slot, value)
    em.cur.append(s.If("gustOverflowChecks", [s.Line(g.render(check), em.gl)], None, em.gl))


def _check_fn(op: str, ty: t.Int) -> str:
    """Signed, unsigned, or `usize` (a Go `int` that must not go below 0)."""
    name = _CHECK_AFTER[op]
    if ty.kind == "usize":
        return name + "Usize" if op == "-" else name
    return name if ty.signed else name + "U"
