"""`u128` and `i128`: Go has no 128-bit integer.

A value is the runtime's `gustU128` or `gustI128`, a struct of two `uint64` halves (an
`i128` holds its two's complement bits), so Go's `==` and map keys work on it as on a
number; a constant is a composite literal (`gustU128{0x1, 0x0}`). The operators are runtime
functions that panic as a Rust debug build does (`gustU128Add`, `gustI128Div`, ...), the
comparisons `gustU128Cmp(a, b) < 0`, and `{}`, `{:?}`, `{:x}`, `{:b}`, `{:o}`, `{:e}` print
through the formatter (`integerWide`). Casts: `gustU128Of(x)` from a narrower integer (sign
extended), `x.lo` truncated to a narrower one, `gustU128Float`/`gustFloatToU128` with
floats. A `Duration`'s `as_millis()` (`as_micros`, `as_nanos`) is a `u128` made from its
`uint64`.

Anything else a Go integer allows (integer methods, ranges, `sum`, sorting, patterns with
integer literals, generic code) is not translated: `check_body` reports it before a body is
emitted, so that a clean `gust check` still means Go that builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.sema import types as t
from gust.syntax import ast
from gust.text import Span

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

GO_TYPES: Final = {"u128": "gustU128", "i128": "gustI128"}
_OPS: Final = {"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem", "<<": "Shl", ">>": "Shr"}
_BIT_OPS: Final = ("&", "|", "^")
_CMP: Final = ("<", "<=", ">", ">=")
_SITE: Final = {"+": "o", "-": "o", "*": "o", "/": "d", "%": "d", "<<": "o", ">>": "o"}
# Methods of a `u128`/`i128` receiver that are translated (`value_method`; the others of
# `METHOD_CALLS` are one runtime call).
_ARITH: Final = ("add", "sub", "mul")
_METHOD_FORMS: Final = ("checked", "wrapping", "overflowing", "saturating")
_METHODS: Final = ("to_string", "clone", "max", "min", "cmp", "partial_cmp", "eq", "ne", "pow",
            "abs", "count_ones", "leading_zeros", "trailing_zeros",
            *(f"{form}_{op}" for form in _METHOD_FORMS for op in _ARITH
              if (form, op) != ("saturating", "mul")))


def is_wide(ty: t.Ty) -> bool:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, t.Int) and ty.kind in GO_TYPES


def _contains_wide(ty: t.Ty, depth: int = 0) -> bool:
    """Whether a wide integer is in `ty` (an element, a field of a tuple, an `Option`)."""
    if depth > 6:
        return False
    match ty:
        case t.Int(kind=kind):
            return kind in GO_TYPES
        case t.Ref(inner=inner) | t.Array(elem=inner) | t.Slice(elem=inner):
            return _contains_wide(inner, depth + 1)
        case t.Tuple(elems=elems):
            return any(_contains_wide(e, depth + 1) for e in elems)
        case t.Adt(args=args):
            return any(_contains_wide(a, depth + 1) for a in args)
    return False


def constant(value: int, ty: t.Int) -> g.GoExpr:
    """The composite literal of `value` (wrapped to the type's 128 bits)."""
    bits = value & ((1 << 128) - 1)
    hi, lo = bits >> 64, bits & ((1 << 64) - 1)
    return g.Composite(GO_TYPES[ty.kind], (g.Atom(_hex(hi), "int"), g.Atom(_hex(lo), "int")))


def _hex(n: int) -> str:
    return str(n) if n < 10 else hex(n)


def untyped_value(value: g.GoExpr) -> int | None:
    """The integer an untyped Go constant spells (`5`, `0xff`, `-3`), None for another."""
    text = g.render(value)
    neg = text.startswith("-")
    try:
        n = int(text[1:] if neg else text, 0)
    except ValueError:
        return None
    return -n if neg else n


def binary(em: FnEmitter, op: str, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Int,
           rty: t.Ty, span: Span) -> g.GoExpr | None:
    """`lhs op rhs` on wide integers (None for an operator not handled here)."""
    name = GO_TYPES[ty.kind]
    prefix = "gustU128" if ty.kind == "u128" else "gustI128"
    lhs = _typed(em, lhs, ty)
    # A shift's count is any integer type (a wide one as a `uint64` that keeps its overflow).
    rhs = em.typed(rhs, rty) if op in ("<<", ">>") else _typed(em, rhs, ty)
    if op in ("<<", ">>") and isinstance(rty, t.Int) and is_wide(rty):
        rhs = g.call("gustWideCount", g.conversion("gustU128", rhs)
                     if rty.kind == "i128" else rhs)
    if op in _OPS:
        em.ctx.site_of(span, _SITE[op])
        return g.call(prefix + _OPS[op], lhs, rhs)
    if op in _CMP:
        return g.binary(op, g.call(prefix + "Cmp", lhs, rhs), g.Atom("0", "int"))
    if op in ("==", "!="):
        return g.binary(op, lhs, rhs)
    if op in _BIT_OPS:
        a, b = em.stable(lhs, ty, "a"), em.stable(rhs, ty, "b")
        return g.Composite(name, (g.binary(op, g.selector(a, "hi"), g.selector(b, "hi")),
                                  g.binary(op, g.selector(a, "lo"), g.selector(b, "lo"))))
    return None


def _typed(em: FnEmitter, value: g.GoExpr, ty: t.Int) -> g.GoExpr:
    """An untyped constant as the wide type's literal; other values as they are."""
    if g.is_untyped(value) is not None:
        n = untyped_value(value)
        if n is not None:
            return constant(n, ty)
    return value


def negate(em: FnEmitter, value: g.GoExpr, ty: t.Int, span: Span) -> g.GoExpr:
    em.ctx.site_of(span, "o")
    return g.call("gustI128Neg", value)


def bit_not(em: FnEmitter, value: g.GoExpr, ty: t.Int) -> g.GoExpr:
    v = em.stable(value, ty, "bits")
    return g.Composite(GO_TYPES[ty.kind], (g.unary("^", g.selector(v, "hi")),
                                           g.unary("^", g.selector(v, "lo"))))


def cast(em: FnEmitter, value: g.GoExpr, source: t.Ty, target: t.Ty) -> g.GoExpr | None:
    """`value as target` where either side is wide; None for a cast not translated."""
    src_wide, dst_wide = is_wide(source), is_wide(target)
    if dst_wide:
        assert isinstance(target, t.Int)
        if src_wide:
            assert isinstance(source, t.Int)
            return value if source.kind == target.kind else \
                g.conversion(GO_TYPES[target.kind], value)
        if isinstance(source, t.Int):
            prefix = "gustU128" if target.kind == "u128" else "gustI128"
            return g.call(prefix + "Of", value)
        if isinstance(source, (t.Bool, t.Char)):
            prefix = "gustU128" if target.kind == "u128" else "gustI128"
            return g.call(prefix + "Of", g.conversion("uint32", value)
                          if isinstance(source, t.Char) else
                          g.call("gustBoolToInt[uint8]", value))
        if isinstance(source, t.Float):
            fn = "gustFloatToU128" if target.kind == "u128" else "gustFloatToI128"
            return g.call(fn, g.conversion("float64", value))
        return None
    assert isinstance(source, t.Int)
    if isinstance(target, t.Int):
        go = em.go(target)
        low = g.selector(value, "lo")
        return low if go == "uint64" else g.conversion(go, low)
    if isinstance(target, t.Float):
        fn = "gustU128Float" if source.kind == "u128" else "gustI128Float"
        out = g.call(fn, value)
        return g.conversion("float32", out) if target.kind == "f32" else out
    return None


def value_method(em: FnEmitter, name: str, recv: g.GoExpr, args: list[g.GoExpr],
                 ty: t.Int) -> g.GoExpr | None:
    """A method of a wide integer (`_METHODS`); None for another."""
    prefix = "gustU128" if ty.kind == "u128" else "gustI128"
    match name:
        case "to_string":
            return g.call("gustToString", recv)
        case "clone":
            return recv
        case "cmp" | "partial_cmp":
            order = g.call(prefix + "Cmp", recv, args[0])
            return order if name == "cmp" else g.call("Some", order)
        case "max" | "min":
            a, b = em.stable(recv, ty, "a"), em.stable(args[0], ty, "b")
            op = "<" if name == "max" else ">"
            # Rust's `max` returns the second when they are equal: same value here.
            return g.call("gustPick", g.binary(op, g.call(prefix + "Cmp", a, b),
                                               g.Atom("0", "int")), b, a)
        case "eq" | "ne":
            return g.binary("==" if name == "eq" else "!=", recv, args[0])
        case "pow":
            return g.call(prefix + "Pow", recv, args[0])
        case "abs" if ty.kind == "i128":
            return g.call("gustI128AbsValue", recv)
        case "count_ones" | "leading_zeros" | "trailing_zeros":
            v = em.stable(recv, ty, "bits")
            fn = "gustWide" + "".join(w.title() for w in name.split("_"))
            return g.call(fn, g.selector(v, "hi"), g.selector(v, "lo"))
    form, _, op = name.partition("_")
    if form not in _METHOD_FORMS or op not in _ARITH:
        return None
    over = g.call(f"{prefix}{op.title()}Over", recv, _typed(em, args[0], ty))
    if form == "saturating":
        if ty.kind == "i128":
            return g.call("gustI128Saturating", over)
        # (Go passes a call's two results on only as the whole argument list.)
        return g.call(f"gustU128Saturating{'Up' if op == 'add' else 'Down'}", over)
    return g.call("gustWide" + form.title(), over)


def check_body(em: FnEmitter, root: object) -> None:
    """Report a use of a wide integer that the emitter does not translate (see the module
    docstring): every expression of a wide type must sit where a value of a Go struct
    type works, or be an operand of a translated operator, cast or method."""
    from gust.codegen.body import UnsupportedAt

    if not _mentions_wide(em):
        return
    for node in em.nodes.walk(root):
        if isinstance(node, ast.MethodCall):
            _check_method(em, node)
        elif isinstance(node, ast.Range) and any(
                part is not None and _contains_wide(em.ty(part))
                for part in (node.lo, node.hi)):
            raise UnsupportedAt("a range of `u128`/`i128`", node.span)
        elif isinstance(node, (ast.LitPat, ast.RangePat)):
            ty = em.br.pat_types.get(node)
            if ty is not None and is_wide(ty):
                raise UnsupportedAt("a `u128`/`i128` pattern", node.span)
        elif isinstance(node, ast.Call):
            _check_call(em, node)


def _mentions_wide(em: FnEmitter) -> bool:
    # Each distinct type once: a body's expressions share a few types.
    return any(_contains_wide(ty) for ty in set(em.br.expr_types.values()))


# Methods of a collection or iterator that order, add or multiply its elements through Go's
# own operators on integers.
_ORDERING_METHODS: Final = frozenset({
    "sort", "sort_unstable", "sum", "product", "max", "min", "binary_search", "sort_by_key",
    "sort_unstable_by_key", "max_by_key", "min_by_key", "is_sorted", "dedup_by_key",
    "sort_by_cached_key", "binary_search_by_key", "cmp", "partial_cmp", "lt", "le", "gt",
    "ge", "parse", "from_str_radix", "abs_diff", "checked_add", "pow",
})


def _check_method(em: FnEmitter, node: ast.MethodCall) -> None:
    from gust.codegen.body import UnsupportedAt

    recv = em.ty(node.receiver)
    res = em.br.methods.get(node)
    if is_wide(recv) and not (res is not None and not res.builtin):
        if node.name not in _METHODS:
            raise UnsupportedAt(f"the method `{node.name}` of `u128`/`i128`", node.span)
        return
    if node.name in _ORDERING_METHODS and (
            _contains_wide(recv) or _contains_wide(em.ty(node)) or
            any(_contains_wide(em.ty(a)) for a in node.args)):
        if node.name == "parse" and is_wide(_result_ok(em.ty(node))):
            return  # the runtime's gustParseU128 / gustParseI128
        raise UnsupportedAt(f"`{node.name}` over `u128`/`i128` values", node.span)


def _result_ok(ty: t.Ty) -> t.Ty:
    return ty.args[0] if isinstance(ty, t.Adt) and ty.name == "Result" and ty.args else t.ERROR


def _check_call(em: FnEmitter, node: ast.Call) -> None:
    """A generic function given a wide integer for a type parameter: its Go constraint and
    body treat T as Go treats its own types."""
    from gust.codegen.body import UnsupportedAt
    from gust.sema.results import AssocFnRes, FnRes

    callee = node.callee
    res = em.br.paths.get(callee) if isinstance(callee, ast.PathExpr) else None
    generic = False
    if isinstance(res, FnRes):
        sig = em.env.fns.get(res.name)
        generic = sig is None or bool(sig.generics)
    elif isinstance(res, AssocFnRes) and res.builtin and res.owner not in (
            "Some", "Ok", "Err", "Box", "Vec", "Rc", "Arc", "Cell", "RefCell", "Mutex"):
        generic = res.owner in ("cmp", "mem", "iter")
    if generic and any(_contains_wide(em.ty(a)) for a in node.args):
        raise UnsupportedAt("a generic function given `u128`/`i128` values", node.span)
