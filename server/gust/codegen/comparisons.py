"""`<`, `<=`, `>`, `>=` on values Go cannot compare with its own operators: tuples, arrays,
slices, `Vec`, `Option`, `Result`, `Reverse`, package structs and enums, type parameters.

They go through the runtime (`gustLt`, `gustLe`, `gustGt`, `gustGe`), which orders values
as Rust's `PartialOrd` does: field by field or element by element (a derived or
hand-written order of a package type through its `gustOrder` method), and *partially*: a
NaN met before the values differ makes them unordered, so every operator gives `false`
(Rust's `partial_cmp` is `None`), where a total order would call them equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen.gotypes import Unsupported
from gust.sema import types as t

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

ORDER_OPS: Final = {"<": "gustLt", "<=": "gustLe", ">": "gustGt", ">=": "gustGe"}
# std types whose order the runtime computes from their Go shape.
_STD_ORDERED: Final = frozenset({"Option", "Result", "Vec", "Reverse", "VecDeque", "Box"})


def applies(em: FnEmitter, op: str, ty: t.Ty) -> bool:
    """Whether `a op b` on values of type `ty` (references stripped) needs the runtime."""
    if op not in ORDER_OPS:
        return False
    match ty:
        case t.Tuple() | t.Array() | t.Slice() | t.Param():
            return True
        case t.Adt(name):
            return name in _STD_ORDERED or name in em.env.structs or name in em.env.enums
    return False


def emit(em: FnEmitter, op: str, lhs: g.GoExpr, rhs: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    fn = ORDER_OPS[op]
    if isinstance(ty, t.Adt) and em.types.is_iface_enum(ty.name):
        from gust.codegen.traits import has_impl

        if "PartialOrd" not in em.env.enums[ty.name].derives and \
                not has_impl(em.env, "PartialOrd", ty):
            raise Unsupported(f"comparing enums with payloads with `{op}` through an impl")
        # A variant literal is its struct in Go: compare as the enum's interface.
        fn += f"[{em.types.go(ty)}]"
    return g.call(fn, lhs, rhs)
