"""Binary operators that Rust defines on scalars and Go does not.

- `%` on floats: Rust's remainder is C's `fmod` (the result has the dividend's sign), which
  is Go's `math.Mod`; Go has no `%` for floats at all.
- `<`, `<=`, `>`, `>=` on `bool`: Rust orders `false < true`; Go defines no order on bools,
  so both sides become integers first (each evaluated once, in order, as in Rust).
"""

from __future__ import annotations

from typing import Final

from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.sema import types as t

ORDERING: Final = ("<", "<=", ">", ">=")


def applies(op: str, base: t.Ty) -> bool:
    """Whether `lhs op rhs` on operands of type `base` is decided here."""
    return (op == "%" and isinstance(base, t.Float)) or (
        op in ORDERING and isinstance(base, t.Bool))


def binary(ctx: ItemContext, op: str, lhs: g.GoExpr, rhs: g.GoExpr, base: t.Ty) -> g.GoExpr:
    if isinstance(base, t.Float):
        return float_rem(ctx, lhs, rhs, base)
    return g.binary(op, g.call("gustBoolToInt[int]", lhs), g.call("gustBoolToInt[int]", rhs))


def float_rem(ctx: ItemContext, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Float) -> g.GoExpr:
    """`lhs % rhs` as `math.Mod` (converted back to `float32` for `f32`)."""
    ctx.imports.add("math")
    if ty.kind == "f32":
        rem = g.call("math.Mod", g.conversion("float64", lhs), g.conversion("float64", rhs))
        return g.conversion("float32", rem)
    return g.call("math.Mod", lhs, rhs)
