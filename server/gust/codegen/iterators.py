"""Iterator adapters and consumers.

An iterator value is a Go `iter.Seq[T]` (gust.codegen.gotypes); each adapter is a small
generic function of the runtime (`gustMap(seq, f)`, `gustFilter(seq, f)`, ...), each
consumer one that ranges over the sequence (`gustFold`, `gustAny`, ...). Iterators over a
`Vec` yield references: a Go value for scalars and strings (`&i32` is `int32`), a pointer
for structs (`gustRefs(v)` yields `&v[i]`). `for` loops over a `Vec`, a slice, a range or
`.enumerate()` of them are plain Go `range` loops (gust.codegen.body), and so are the
consumers the emitter can write as one (`v.iter().sum()` over a slice is `gustSum` of
`slices.Values(v)`, which Go inlines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen import values
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def _unsupported(what: str, e: ast.Expr) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, e.span)


def _item(ty: t.Ty) -> t.Ty:
    if isinstance(ty, t.Adt) and ty.args and ty.name in ("Iter", "Range", "RangeInclusive"):
        return ty.args[0]
    return t.ERROR


# Adapters and consumers that are one runtime call with the closure as is.
_CALLS = {"map": "gustMap", "filter": "gustFilter", "filter_map": "gustFilterMap",
          "take_while": "gustTakeWhile", "skip_while": "gustSkipWhile",
          "inspect": "gustInspect", "fold": "gustFold", "any": "gustAny", "all": "gustAll",
          "find": "gustFind", "find_map": "gustFindMap", "position": "gustPosition",
          "last": "gustLast", "nth": "gustNth", "max_by_key": "gustMaxByKey",
          "min_by_key": "gustMinByKey", "flatten": "gustFlatten"}


def as_seq(em: FnEmitter, value: g.GoExpr, ty: t.Ty, e: ast.Expr) -> g.GoExpr:
    """An `IntoIterator` argument (`zip(&v)`, `chain(v)`, `extend(..)`) as an iter.Seq."""
    base = ty
    by_ref = False
    while isinstance(base, t.Ref):
        by_ref = True
        if em.types.ref_is_ptr(base):
            value = g.unary("*", value)
        base = base.inner
    match base:
        case t.Adt(name="Iter" | "Range" | "RangeInclusive"):
            return value
        case t.Adt(name="Vec", args=(elem,)) | t.Slice(elem=elem) | t.Array(elem=elem):
            if isinstance(base, t.Array):
                value = values.array_as_slice(value)
            if by_ref and em.types.is_struct(elem):
                return g.call("gustRefs", value)
            em.ctx.imports.add("slices")
            return g.call("slices.Values", value)
    raise _unsupported(f"iterating a value of type `{ty}`", e)


def iter_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty,
                args: list[g.GoExpr], ret: t.Ty) -> g.GoExpr:
    name = e.name
    item = _item(recv_ty)
    if name in _CALLS:
        if name in ("max_by_key", "min_by_key") and not _ordered(_ret_of(em, e.args[0])):
            raise _unsupported(f"`{name}` with a key that is not a number or string", e)
        return g.call(_CALLS[name], recv, *args)
    match name:
        case "zip" | "chain":
            other = as_seq(em, args[0], em.ty(e.args[0]), e.args[0])
            return g.call("gustZip" if name == "zip" else "gustChain", recv, other)
        case "for_each":
            return _for_each(em, recv, args)
        case "cloned" | "copied":
            if isinstance(item, t.Ref) and em.types.ref_is_ptr(item):
                if not em.types.is_plain(item.inner):
                    raise _unsupported(f"`{name}` of values that need a deep clone", e)
                return g.call("gustDeref", recv)
            if name == "cloned" and not em.types.is_plain(_deref(item)):
                return g.call("gustMap", recv, em.clone_fn(_deref(item)))
            return recv
        case "collect":
            return collect(em, e, recv, item, ret)
        case "sum" | "product":
            if isinstance(item, t.Ref) and em.types.ref_is_ptr(item):
                raise _unsupported(f"`{name}` over references", e)
            fn = "gustSum" if name == "sum" else "gustProduct"
            return g.call(f"{fn}[{em.go(ret)}]", recv) if _needs_type(item, ret) else \
                g.call(fn, recv)
        case "peekable":
            return recv
    raise _unsupported(f"the method `{name}`", e)


def _for_each(em: FnEmitter, recv: g.GoExpr, args: list[g.GoExpr]) -> g.GoExpr:
    """`it.for_each(f)`: a range loop calling f."""
    var = em.temp("x")
    body: list[s.GoStmt] = [s.Line(g.render(g.call(args[0], g.ident(var))), em.gl)]
    em.cur.append(s.For(f"{var} := range {g.render(recv)}", body, gline=em.gl))
    return g.Atom("struct{}{}")


def _needs_type(item: t.Ty, ret: t.Ty) -> bool:
    return _deref(item) != ret


def _deref(ty: t.Ty) -> t.Ty:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty


def _ordered(ty: t.Ty) -> bool:
    ty = _deref(ty)
    return isinstance(ty, t.Int | t.Float | t.Char | t.Str) or (
        isinstance(ty, t.Adt) and ty.name == "String")


def _ret_of(em: FnEmitter, arg: ast.Expr) -> t.Ty:
    sig = em.types.callable(em.ty(arg))
    return sig.ret if sig is not None else t.ERROR


def collect(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, item: t.Ty, ret: t.Ty
            ) -> g.GoExpr:
    match ret:
        case t.Adt(name="Vec"):
            em.ctx.imports.add("slices")
            return g.call("slices.Collect", recv)
        case t.Adt(name="String"):
            if _deref(item) == t.CHAR:
                return g.call("gustCollectString", recv)
            return g.call("gustConcat", recv)
        case t.Adt(name="HashMap"):
            return g.call("gustCollectMap", recv)
        case t.Adt(name="HashSet"):
            return g.call("gustCollectSet", recv)
        case t.Adt(name="Result", args=(t.Adt(name="Vec"), _)):
            return g.call("gustCollectResult", recv)
    raise _unsupported(f"`collect` into `{ret}`", e)
