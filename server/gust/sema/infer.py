"""Type inference variables and unification for one body."""

from __future__ import annotations

from gust.budget import UNLIMITED, Budget
from gust.sema import types as t


class Unifier:
    """A substitution from inference variables to types, grown by `unify`."""

    def __init__(self, budget: Budget = UNLIMITED) -> None:
        self._subst: dict[int, t.Ty] = {}
        self._next = 0
        # Polled by the recursive walks, which a pathological body makes exponential.
        self._budget = budget

    def fresh(self, kind: str = "any") -> t.Infer:
        self._next += 1
        return t.Infer(self._next, kind)

    def shallow(self, ty: t.Ty) -> t.Ty:
        """Follow variable bindings until a non-variable or an unbound variable."""
        while isinstance(ty, t.Infer) and ty.id in self._subst:
            ty = self._subst[ty.id]
        return ty

    def resolve(self, ty: t.Ty) -> t.Ty:
        """Replace every bound variable in `ty`, deeply."""
        self._budget.poll()
        ty = self.shallow(ty)
        match ty:
            case t.Tuple(elems):
                return t.Tuple(tuple(self.resolve(e) for e in elems))
            case t.Array(elem, n):
                return t.Array(self.resolve(elem), n)
            case t.Slice(elem):
                return t.Slice(self.resolve(elem))
            case t.Ref(inner, m):
                return t.Ref(self.resolve(inner), m)
            case t.Adt(name, args) if args:
                return t.Adt(name, tuple(self.resolve(a) for a in args))
            case t.FnPtr(params, ret):
                return t.FnPtr(tuple(self.resolve(p) for p in params), self.resolve(ret))
            case t.Closure():
                return t.map_closure(ty, self.resolve)
        return ty

    def default(self, ty: t.Ty) -> t.Ty:
        """Resolve, defaulting integer variables to i32 and float variables to f64."""
        self._budget.poll()
        ty = self.resolve(ty)
        match ty:
            case t.Infer(kind="int") as v:
                self._subst[v.id] = t.I32
                return t.I32
            case t.Infer(kind="float") as v:
                self._subst[v.id] = t.F64
                return t.F64
            case t.Tuple(elems):
                return t.Tuple(tuple(self.default(e) for e in elems))
            case t.Array(elem, n):
                return t.Array(self.default(elem), n)
            case t.Slice(elem):
                return t.Slice(self.default(elem))
            case t.Ref(inner, m):
                return t.Ref(self.default(inner), m)
            case t.Adt(name, args) if args:
                return t.Adt(name, tuple(self.default(a) for a in args))
            case t.FnPtr(params, ret):
                return t.FnPtr(tuple(self.default(p) for p in params), self.default(ret))
            case t.Closure():
                return t.map_closure(ty, self.default)
        return ty

    def unify(self, a: t.Ty, b: t.Ty) -> bool:
        """Make `a` and `b` equal if possible; False (and no change to `a`/`b`'s variables
        beyond what already matched) when they cannot be."""
        self._budget.poll()
        a = self.shallow(a)
        b = self.shallow(b)
        if a == b:
            return True
        if isinstance(a, t.Error) or isinstance(b, t.Error):
            return True
        if isinstance(a, t.Infer):
            return self._bind(a, b)
        if isinstance(b, t.Infer):
            return self._bind(b, a)
        match a, b:
            case t.Tuple(xs), t.Tuple(ys) if len(xs) == len(ys):
                return all(self.unify(x, y) for x, y in zip(xs, ys, strict=True))
            case t.Array(x, n), t.Array(y, m) if n == m:
                return self.unify(x, y)
            case t.Slice(x), t.Slice(y):
                return self.unify(x, y)
            case t.Ref(x, m1), t.Ref(y, m2) if m1 == m2:
                return self.unify(x, y)
            case t.Adt(n1, xs), t.Adt(n2, ys) if n1 == n2 and len(xs) == len(ys):
                return all(self.unify(x, y) for x, y in zip(xs, ys, strict=True))
            case t.FnPtr(p1, r1), t.FnPtr(p2, r2) if len(p1) == len(p2):
                return all(self.unify(x, y) for x, y in zip(p1, p2, strict=True)) and \
                    self.unify(r1, r2)
            case t.Closure(i1, p1, r1), t.Closure(i2, p2, r2) if i1 == i2 and \
                    len(p1) == len(p2):
                # The same closure seen twice (its parameters may still be variables).
                return all(self.unify(x, y) for x, y in zip(p1, p2, strict=True)) and \
                    self.unify(r1, r2)
        return False

    def force(self, var: t.Infer, ty: t.Ty) -> None:
        """Bind an unresolved variable to `ty` unconditionally (to `Error` after an E0282/
        E0283, so nothing reports it again)."""
        self._subst[var.id] = ty

    def _bind(self, var: t.Infer, ty: t.Ty) -> bool:
        if isinstance(ty, t.Infer):
            # Keep the more specific kind: {integer} wins over `_`.
            if var.kind == "any":
                self._subst[var.id] = ty
                return True
            if ty.kind == "any":
                self._subst[ty.id] = var
                return True
            if var.kind == ty.kind:
                self._subst[var.id] = ty
                return True
            return False
        if var.kind == "int" and not isinstance(ty, t.Int):
            return False
        if var.kind == "float" and not isinstance(ty, t.Float):
            return False
        if self._occurs(var, ty):
            return False
        self._subst[var.id] = ty
        return True

    def _occurs(self, var: t.Infer, ty: t.Ty) -> bool:
        ty = self.resolve(ty)
        return t.contains_infer(ty) and var in _vars(ty)


def _vars(ty: t.Ty) -> set[t.Infer]:
    match ty:
        case t.Infer():
            return {ty}
        case t.Tuple(elems):
            return set().union(*(_vars(e) for e in elems)) if elems else set()
        case t.Array(elem, _) | t.Slice(elem) | t.Ref(elem, _):
            return _vars(elem)
        case t.Adt(_, args):
            return set().union(*(_vars(a) for a in args)) if args else set()
        case t.FnPtr(params, ret) | t.Closure(_, params, ret):
            return set().union(_vars(ret), *(_vars(p) for p in params))
    return set()
