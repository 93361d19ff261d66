"""`for (x, y) in a.iter().zip(b.iter())` over two slices: one indexed Go loop.

The general `zip` is an iter.Seq pulling its second side through iter.Pull (a coroutine
per loop, a switch per item: hundreds of times slower than a loop in an inner loop). When
both sides iterate a Vec, array or slice (`v.iter()`, `v.iter_mut()`, `&v`, `&mut v`,
`v.into_iter()`) the loop runs an index over the shorter one instead:

    for i := range min(len(row), len(other)) {
        x := &row[i]
        b := other[i]
        ...
    }
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter, _Loop


def _strip(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.Paren):
        e = e.inner
    return e


def _is_seq(ty: t.Ty) -> bool:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return (isinstance(ty, t.Adt) and ty.name == "Vec") or isinstance(ty, (t.Array, t.Slice))


def _slice_side(em: FnEmitter, e: ast.Expr) -> bool:
    """Whether `e` iterates a Vec, array or slice in a way `_slice_source` knows (checked
    before anything is emitted)."""
    e = _strip(e)
    if isinstance(e, ast.MethodCall) and e.name in ("iter", "iter_mut", "into_iter") and \
            not e.args:
        res = em.br.methods.get(e)
        return res is not None and res.owner in ("Vec", "slice") and \
            _is_seq(em.ty(e.receiver))
    if isinstance(e, ast.Borrow):
        return _is_seq(em.ty(e.operand)) and not isinstance(em.ty(e.operand), t.Ref)
    return False


def zip_for(em: FnEmitter, e: ast.For, it: ast.Expr, lp: _Loop) -> bool:
    """Emit `for (x, y) in A.zip(B)` as an indexed loop; False when it is not one."""
    from gust.codegen.body import DISCARD

    it = _strip(it)
    pat = e.pat
    if not (isinstance(it, ast.MethodCall) and it.name == "zip" and len(it.args) == 1 and
            isinstance(pat, ast.TuplePat) and len(pat.elems) == 2 and
            _slice_side(em, it.receiver) and _slice_side(em, it.args[0])):
        return False
    sides = []
    for src in (it.receiver, it.args[0]):
        found = em._slice_source(src)
        assert found is not None  # _slice_side checked the shape
        base, elem, mode = found
        if not g.is_pure(base) or isinstance(base, g.Composite):  # not built per item
            name = em.temp("items")
            em.line(f"{name} := {g.render(base)}")  # its own type: an array stays one
            base = g.ident(name)
        sides.append((base, elem, mode))
    index = em.temp("i")
    with em.block() as body:
        for p, (base, elem, mode) in zip(pat.elems, sides, strict=True):
            item_ty: t.Ty = elem if mode == "value" else t.Ref(elem, mode == "mut")
            element = g.index(base, g.ident(index))
            value = g.unary("&", element) if em.types.ref_is_ptr(item_ty) else element
            var, _ = em._loop_var(p)
            if var == "":
                em.bind_irrefutable(p, value, item_ty)
            elif var is not None:
                em.line(f"{var} := {g.render(value)}")
        em.block_stmts(e.body, DISCARD)
    bound = g.call("min", g.call("len", sides[0][0]), g.call("len", sides[1][0]))
    em.cur.append(s.For(f"{index} := range {g.render(bound)}", body, lp.go_label, gline=em.gl))
    return True

