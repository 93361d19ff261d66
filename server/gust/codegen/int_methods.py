"""Bit and Euclidean methods of integers: `abs_diff`, `div_euclid`, `leading_zeros`,
`trailing_zeros`, `count_zeros`, `is_power_of_two`, `next_power_of_two`, `rotate_left`,
`rotate_right`. The bit counts go through `math/bits` on the unsigned type of the same
width (a signed value is reinterpreted, as Rust counts its two's complement bits).

And the bytes and bits of numbers: `to_le_bytes`/`from_le_bytes` (and `be`, `ne`) of integers
and floats, a float's `to_bits`/`from_bits`: the runtime's `gustLeBytesN`/`gustFromLeN`
over the unsigned integer of the same width (`math/bits`' `ReverseBytesN` for big-endian).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

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


def _unsigned_of(em: FnEmitter, value: g.GoExpr, ty: t.Int | t.Float) -> g.GoExpr:
    """The bits of a number as the Go unsigned integer of its width."""
    width = _bits(ty.kind)
    if isinstance(ty, t.Float):
        em.ctx.imports.add("math")
        return g.call(f"math.Float{width}bits", value)
    if ty.kind == f"u{width}":
        return value  # (`em.typed` made it a `uint32` already)
    return g.conversion(f"uint{width}", value)


def _from_unsigned(em: FnEmitter, value: g.GoExpr, ty: t.Int | t.Float) -> g.GoExpr:
    """The number of type `ty` whose bits the Go unsigned integer `value` holds."""
    if isinstance(ty, t.Float):
        em.ctx.imports.add("math")
        return g.call(f"math.Float{_bits(ty.kind)}frombits", value)
    if ty.kind == "usize":  # a Go int that is never negative
        return g.call("gustUsizeOf", value)
    return g.conversion(em.go(ty), value)


def _swapped(em: FnEmitter, value: g.GoExpr, width: int, order: str) -> g.GoExpr:
    """`value` in little-endian order from `order`'s (`ne` is little-endian: Go's targets
    for Gust, amd64 and arm64, are)."""
    if order != "be" or width == 8:
        return value
    em.ctx.imports.add("math/bits")
    return g.call(f"bits.ReverseBytes{width}", value)


def bytes_method(em: FnEmitter, name: str, recv: g.GoExpr, ty: t.Ty) -> g.GoExpr | None:
    """`x.to_le_bytes()` (`be`, `ne`) and `x.to_bits()` of a number; None for another."""
    if not isinstance(ty, (t.Int, t.Float)) or ty.kind in ("u128", "i128"):
        return None
    if name == "to_bits" and isinstance(ty, t.Float):
        return _unsigned_of(em, recv, ty)
    order = name.removeprefix("to_").removesuffix("_bytes")
    if not name.startswith("to_") or not name.endswith("_bytes") or order not in ORDERS:
        return None
    width = _bits(ty.kind)
    return g.call(f"gustLeBytes{width}", _swapped(em, _unsigned_of(em, recv, ty), width, order))


ORDERS: Final = ("le", "be", "ne")


def from_bytes(em: FnEmitter, name: str, arg: g.GoExpr, ty: t.Ty) -> g.GoExpr | None:
    """`u32::from_le_bytes(b)` (`be`, `ne`) and `f32::from_bits(u)`; None for another."""
    if not isinstance(ty, (t.Int, t.Float)) or ty.kind in ("u128", "i128"):
        return None
    if name == "from_bits" and isinstance(ty, t.Float):
        return _from_unsigned(em, arg, ty)
    order = name.removeprefix("from_").removesuffix("_bytes")
    if not name.startswith("from_") or not name.endswith("_bytes") or order not in ORDERS:
        return None
    width = _bits(ty.kind)
    return _from_unsigned(em, _swapped(em, g.call(f"gustFromLe{width}", arg), width, order), ty)
