"""`Ord`/`PartialOrd` methods called on a package type or a tuple (`a.cmp(&b)`,
`a.max(b)`, `x.clamp(lo, hi)`, `a.partial_cmp(&b)`): through the runtime's `gustCmp`, which
uses the type's `gustOrder` method (written for a derive or an impl) or compares field by
field; `max`, `min` and `clamp` of `char` and text through Go's `max`, `min` and the
runtime's `gustClamp`. Numbers have their own translations in gust.codegen.std_calls, as do
`cmp` and `partial_cmp` of `char` and `str`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.sema import types as t
from gust.sema.results import MethodRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

NAMES: Final = frozenset({"cmp", "partial_cmp", "max", "min", "clamp"})


def applies(em: FnEmitter, res: MethodRes, recv_ty: t.Ty) -> bool:
    """A method the checker resolved through the type's `Ord`/`PartialOrd`."""
    if res.name not in NAMES:
        return False
    if isinstance(recv_ty, t.Tuple | t.Param | t.Array | t.Slice | t.Bool):
        return True
    if _go_ordered(recv_ty):
        return res.name in ("max", "min", "clamp")
    # `Vec`, `Option`, `Result` compare element by element (gustCmp), as `<` does.
    return isinstance(recv_ty, t.Adt) and (recv_ty.name in em.env.structs or
                                           recv_ty.name in em.env.enums or
                                           recv_ty.name in ("Reverse", "Vec", "VecDeque",
                                                            "Option", "Result"))


def emit(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, args: list[g.GoExpr],
         recv_ty: t.Ty) -> g.GoExpr:
    if _go_ordered(recv_ty):
        # `char` and text: Go's own `min`/`max` (Rust's `a.min(b)` is `a` when equal, and
        # equal values are the same value here).
        values = [em.typed(v, recv_ty) for v in (recv, *args)]  # `'a'` is a `Char`
        return g.call("gustClamp" if e.name == "clamp" else e.name, *values)
    suffix = ""
    if isinstance(recv_ty, t.Adt) and em.types.is_iface_enum(recv_ty.name):
        # A variant literal is its struct in Go: compare as the enum's interface.
        suffix = f"[{em.types.go(recv_ty)}]"
    match e.name:
        case "cmp":
            return g.call("gustCmp" + suffix, recv, _deref(em, args[0], e.args[0]))
        case "partial_cmp":
            return g.call("gustPartialCmpOf" + suffix, recv, _deref(em, args[0], e.args[0]))
        case "max":
            return g.call("gustMaxCmp" + suffix, recv, args[0])
        case "min":
            return g.call("gustMinCmp" + suffix, recv, args[0])
    return g.call("gustClampCmp" + suffix, recv, *args)


def _go_ordered(ty: t.Ty) -> bool:
    """`char`, `String` and `str`: ordered by Go's `<` as by Rust's `Ord`."""
    return isinstance(ty, t.Char) or ty == t.STRING or ty == t.STR


def _deref(em: FnEmitter, value: g.GoExpr, arg: ast.Expr) -> g.GoExpr:
    """The value behind `&other` (a reference to a struct is a Go pointer)."""
    ty = em.ty(arg)
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    return value
