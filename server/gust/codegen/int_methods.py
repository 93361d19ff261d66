"""Bit and Euclidean methods of integers: `abs_diff`, `div_euclid`, `leading_zeros`,
`trailing_zeros`, `count_zeros`, `is_power_of_two`, `next_power_of_two`, `rotate_left`,
`rotate_right`. The bit counts go through `math/bits` on the unsigned type of the same
width (a signed value is reinterpreted, as Rust counts its two's complement bits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import goast as g
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def _bits(kind: str) -> int:
    rest = kind[1:]
    return 64 if rest == "size" else int(rest)


def emit(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, ty: t.Ty,
         args: list[g.GoExpr]) -> g.GoExpr | None:
    """The Go for one of these methods on an integer `recv`; None for any other."""
    if not isinstance(ty, t.Int):
        return None
    width = _bits(ty.kind)
    unsigned = f"uint{width}"
    match e.name:
        case "abs_diff":
            go, ugo = em.go(ty), em.go(t.Int("u" + ty.kind[1:]))
            return g.call(f"gustAbsDiff[{go}, {ugo}]", recv, args[0])
        case "div_euclid":
            em.ctx.site(e.name_span.start, "d")
            return g.call("gustDivEuclid", recv, args[0])
        case "is_power_of_two":
            return g.call("gustIsPowerOfTwo", recv)
        case "next_power_of_two":
            return g.call("gustNextPowerOfTwo", recv)
        case "leading_zeros" | "trailing_zeros" | "count_zeros":
            em.ctx.imports.add("math/bits")
            fn = {"leading_zeros": "LeadingZeros", "trailing_zeros": "TrailingZeros",
                  "count_zeros": "OnesCount"}[e.name]
            count: g.GoExpr = g.call(f"bits.{fn}{width}", g.conversion(unsigned, recv))
            if e.name == "count_zeros":
                count = g.binary("-", g.Atom(str(width), "int"), count)
            return g.conversion("uint32", count)
        case "rotate_left" | "rotate_right":
            em.ctx.imports.add("math/bits")
            by: g.GoExpr = g.conversion("int", args[0])
            if e.name == "rotate_right":
                by = g.unary("-", by)
            rotated = g.call(f"bits.RotateLeft{width}", g.conversion(unsigned, recv), by)
            return g.conversion(em.go(ty), rotated)
    return None
