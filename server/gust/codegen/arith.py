"""Integer division, remainder and shifts with Rust's panics.

Go's `/` and `%` panic on a zero divisor with Go's message (and `%` would read "attempt to
divide by zero" after translation), wrap `MIN / -1` silently, and shift by the width or more
to zero. A Rust debug build panics in each case ("attempt to calculate the remainder with a
divisor of zero", "attempt to divide with overflow", "attempt to shift left with
overflow"). An operation that cannot panic stays a plain Go operator (`n % 7`, `x >> 4`);
the others call the runtime (`gustDiv`, `gustRem`, `gustShl`, ... in gust_runtime.go).
"""

from __future__ import annotations

from typing import Final

from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.sema import types as t
from gust.text import Span

# The operators this module decides for, with the panic-site kind of each.
OPS: Final = {"/": "d", "%": "d", "<<": "o", ">>": "o"}


def checked(ctx: ItemContext, op: str, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Int, go_ty: str,
            span: Span) -> g.GoExpr:
    """`lhs op rhs` on integers of Gust type `ty` (Go type `go_ty`)."""
    ctx.site_of(span, OPS[op])
    divisor = _constant(rhs)
    if op in ("/", "%"):
        # A constant divisor other than 0 and -1 cannot panic.
        if divisor is not None and divisor != 0 and (divisor != -1 or not ty.signed):
            return g.binary(op, lhs, rhs)
        name = "gustDiv" if op == "/" else "gustRem"
        return g.call(name if _signed_in_go(ty) else name + "U", lhs, rhs)
    if divisor is not None and 0 <= divisor < ty.bits:
        return g.binary(op, lhs, rhs)
    if g.is_untyped(lhs) is not None:
        lhs = g.conversion(go_ty, lhs)  # the shifted type must not be Go's default `int`
    return g.call("gustShl" if op == "<<" else "gustShr", lhs, rhs)


def _signed_in_go(ty: t.Int) -> bool:
    """`usize` is a Go `int`: it divides with the signed functions (it is never MIN)."""
    return ty.signed or ty.kind == "usize"


def _constant(x: g.GoExpr) -> int | None:
    """The value of an untyped integer constant (`7`, `-1`, `0x10`), if `x` is one."""
    if g.is_untyped(x) != "int":
        return None
    text = g.render(x).replace("_", "").replace(" ", "")
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    try:
        return int(text, 0)
    except ValueError:
        return None
