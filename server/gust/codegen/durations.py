"""`std::time::Duration` in Go: the runtime's `Duration` (gust_types.go), nanoseconds in an
int64, so that Go's `==`, `<`, `max`, `slices.Sort` and map keys work on it as on a number.
Its constructors, methods and operators call the runtime's `gustDuration*` functions,
which panic as Rust does (a negative `a - b`, a division by zero) and where Go's int64
cannot hold a value Rust's `u64` seconds can (beyond about 292 years); its Debug output is
the runtime formatter's `fmtDuration` (`1.5s`, `250ms`, `1µs`, `0ns`).

`std::time::Instant` likewise: the runtime's `gustInstant`, nanoseconds on Go's monotonic
clock since the program started, with its methods and operators as runtime functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.sema import builtins
from gust.sema import types as t
from gust.syntax import ast
from gust.text import Span

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

# `Duration::from_secs(n)`, ...: nanoseconds per unit.
_UNITS: Final = {"from_secs": 1_000_000_000, "from_millis": 1_000_000, "from_micros": 1_000,
          "from_nanos": 1}
# Methods that are one runtime call on the receiver and the arguments.
_CALLS: Final = {
    "checked_add": "gustDurationCheckedAdd", "checked_sub": "gustDurationCheckedSub",
    "checked_mul": "gustDurationCheckedMul", "checked_div": "gustDurationCheckedDiv",
    "saturating_add": "gustDurationSaturatingAdd",
    "saturating_sub": "gustDurationSaturatingSub",
    "saturating_mul": "gustDurationSaturatingMul", "abs_diff": "gustDurationAbsDiff",
    "mul_f64": "gustDurationMulF64", "div_f64": "gustDurationDivF64",
    "div_duration_f64": "gustDurationDivDuration", "as_secs_f64": "gustDurationSecsF64",
    "as_secs_f32": "gustDurationSecsF32",
}
# Whole units (`as_secs`) and what is left below a second (`subsec_millis`): (divisor,
# Go type of the value). The `u128` results are the runtime's gustU128 of that `uint64` (a
# Duration's nanoseconds fit one).
_WHOLE: Final = {"as_secs": (1_000_000_000, "uint64"), "as_millis": (1_000_000, "uint64"),
          "as_micros": (1_000, "uint64"), "as_nanos": (1, "uint64")}
_SUBSEC: Final = {"subsec_millis": 1_000_000, "subsec_micros": 1_000, "subsec_nanos": 1}
# Binary operators: the runtime function, and whether the Duration is the right operand.
_OPERATORS: Final = {"+": "gustDurationAdd", "-": "gustDurationSub", "*": "gustDurationMul",
              "/": "gustDurationDiv"}


def is_duration(em: FnEmitter, ty: t.Ty) -> bool:
    return ty == builtins.DURATION and "Duration" not in em.env.structs and \
        "Duration" not in em.env.enums


def is_instant(em: FnEmitter, ty: t.Ty) -> bool:
    return ty == builtins.INSTANT and "Instant" not in em.env.structs and \
        "Instant" not in em.env.enums


# `Instant`'s methods that are one runtime call on the receiver and the argument.
_INSTANT_CALLS: Final = {
    "duration_since": "gustInstantSince", "saturating_duration_since": "gustInstantSince",
    "checked_duration_since": "gustInstantCheckedSince",
    "checked_add": "gustInstantCheckedAdd", "checked_sub": "gustInstantCheckedSub",
}


def instant_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, args: list[g.GoExpr]
                   ) -> g.GoExpr | None:
    """A method of an Instant (the runtime's `gustInstant`, nanoseconds on Go's monotonic
    clock); None for one not translated."""
    if e.name == "elapsed":
        return g.call("gustInstantSince", g.call("gustInstantNow"), recv)
    if e.name in _INSTANT_CALLS:
        return g.call(_INSTANT_CALLS[e.name], recv, *args)
    return None


def const(name: str) -> g.GoExpr:
    """`Duration::ZERO`, `Duration::MAX` (the largest the runtime's Duration holds)."""
    return g.conversion("Duration", g.Atom("0" if name == "ZERO" else "1<<63 - 1", "int"))


def assoc(em: FnEmitter, name: str, e: ast.Call, args: list[g.GoExpr]) -> g.GoExpr | None:
    """`Duration::from_millis(n)`, `Duration::new(s, n)`, ...; None for another name."""
    if name in _UNITS:
        em.ctx.site_of(e.span, "p")  # beyond 292 years
        return g.call("gustDurationOf", args[0], g.Atom(str(_UNITS[name]), "int"),
                      g.Atom(g.go_string(name), "string"))
    match name:
        case "new":
            em.ctx.site_of(e.span, "p")
            return g.call("gustDurationNew", *args)
        case "from_secs_f64" | "from_secs_f32":
            em.ctx.site_of(e.span, "p")
            return g.call("gustDurationFromSecsF64", g.conversion("float64", args[0]))
        case "default":
            return const("ZERO")
    return None


def method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, args: list[g.GoExpr]
           ) -> g.GoExpr | None:
    """A method of a Duration (`recv`, the value); None for one not translated."""
    name = e.name
    if name in _WHOLE:
        divisor, go = _WHOLE[name]
        whole = recv if divisor == 1 else g.binary("/", recv, g.Atom(str(divisor), "int"))
        if name != "as_secs":
            # A `u128` in Rust: the runtime's gustU128 (gust.codegen.wide_ints) of the
            # `uint64`, which `as u64` takes back.
            return g.call("gustU128Of", g.conversion(go, whole))
        return g.conversion(go, whole)
    if name in _SUBSEC:
        below = g.binary("%", recv, g.Atom("1_000_000_000", "int"))
        if _SUBSEC[name] != 1:
            below = g.binary("/", below, g.Atom(str(_SUBSEC[name]), "int"))
        return g.conversion("uint32", below)
    if name in ("max", "min"):
        return g.call(name, recv, args[0])  # Go's own, on the int64 nanoseconds
    if name in ("cmp", "partial_cmp"):
        em.ctx.imports.add("cmp")
        other = args[0]
        ty = em.ty(e.args[0])
        while isinstance(ty, t.Ref):  # `a.cmp(&b)`: a reference to a Duration is its value
            if em.types.ref_is_ptr(ty):
                other = g.unary("*", other)
            ty = ty.inner
        order = g.call("cmp.Compare", recv, other)
        return order if name == "cmp" else g.call("Some", order)
    if name == "is_zero":
        return g.binary("==", recv, g.Atom("0", "int"))
    if name in _CALLS:
        if name in ("mul_f64", "div_f64"):
            em.ctx.site_of(e.span, "p")
        return g.call(_CALLS[name], recv, *args)
    return None


def binary(em: FnEmitter, op: str, lhs: g.GoExpr, rhs: g.GoExpr, lty: t.Ty, rty: t.Ty,
           span: Span) -> g.GoExpr | None:
    """`a + b`, `a - b`, `d * n`, `n * d`, `d / n` with a Duration operand; None otherwise
    (comparisons are Go's own)."""
    if op not in _OPERATORS:
        return None
    if is_instant(em, lty) and op in ("+", "-"):
        em.ctx.site_of(span, "p")
        if op == "-" and is_instant(em, rty):
            return g.call("gustInstantSince", lhs, rhs)  # `later - earlier`, saturating
        return g.call("gustInstantAdd" if op == "+" else "gustInstantSub", lhs, rhs)
    if is_duration(em, lty):
        em.ctx.site_of(span, "p")
        return g.call(_OPERATORS[op], lhs, rhs)
    if op == "*" and is_duration(em, rty):
        em.ctx.site_of(span, "p")
        return g.call(_OPERATORS[op], rhs, lhs)  # `2 * d`
    return None
