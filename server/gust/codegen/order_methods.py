"""`Ord`/`PartialOrd` methods called on a package type or a tuple (`a.cmp(&b)`,
`a.max(b)`, `x.clamp(lo, hi)`, `a.partial_cmp(&b)`): through the runtime's `gustCmp`, which
uses the type's `gustOrder` method (written for a derive or an impl) or compares field by
field. Numbers, `char` and `str` have their own translations in gust.codegen.std_calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import goast as g
from gust.sema import types as t
from gust.sema.results import MethodRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

NAMES = frozenset({"cmp", "partial_cmp", "max", "min", "clamp"})


def applies(em: FnEmitter, res: MethodRes, recv_ty: t.Ty) -> bool:
    """A method the checker resolved through the type's `Ord`/`PartialOrd`."""
    if res.name not in NAMES:
        return False
    if isinstance(recv_ty, t.Tuple | t.Param | t.Array | t.Slice):
        return True
    # `Vec`, `Option`, `Result` compare element by element (gustCmp), as `<` does.
    return isinstance(recv_ty, t.Adt) and (recv_ty.name in em.env.structs or
                                           recv_ty.name in em.env.enums or
                                           recv_ty.name in ("Reverse", "Vec", "VecDeque",
                                                            "Option", "Result"))


def emit(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, args: list[g.GoExpr],
         recv_ty: t.Ty) -> g.GoExpr:
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


def _deref(em: FnEmitter, value: g.GoExpr, arg: ast.Expr) -> g.GoExpr:
    """The value behind `&other` (a reference to a struct is a Go pointer)."""
    ty = em.ty(arg)
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    return value
