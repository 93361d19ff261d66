"""Type inference variables and unification for one body."""

from __future__ import annotations

from collections.abc import Callable

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
        """Replace every bound variable in `ty`, deeply. Shared components are resolved
        once and stay shared (types built from each other, `let b = (a, a);`, are DAGs
        whose trees are exponentially large), and a type without bound variables is
        returned as it is."""
        self._budget.poll()
        ty = self.shallow(ty)
        if not t.has_components(ty):
            return ty
        return t.map_shared(ty, self._bound, self._budget.poll)

    def _bound(self, ty: t.Ty, resolve: Callable[[t.Ty], t.Ty]) -> t.Ty | None:
        """`map_shared`'s replacement for `resolve`: what a bound variable stands for."""
        if isinstance(ty, t.Infer):
            bound = self.shallow(ty)
            if bound is ty:
                return ty
            found = resolve(bound)
            # The variable now stands for its resolved type directly (the same type): the
            # next `resolve` of a type it is in finds nothing to replace there and returns
            # the very same object, so the types of values built from each other stay
            # shared, and compare by identity, across calls.
            self._subst[ty.id] = found
            return found
        return None

    def default(self, ty: t.Ty) -> t.Ty:
        """Resolve, defaulting integer variables to i32 and float variables to f64."""
        ty = self.resolve(ty)
        if not t.has_components(ty):  # most types: no walk to set up
            self._budget.poll()
            fallback = self._defaulted(ty, self.default)
            return ty if fallback is None else fallback
        return t.map_shared(ty, self._defaulted, self._budget.poll)

    def _defaulted(self, ty: t.Ty, _: Callable[[t.Ty], t.Ty]) -> t.Ty | None:
        """`map_shared`'s replacement for `default`: i32 and f64 for literals' variables
        (bound to them from now on)."""
        if isinstance(ty, t.Infer) and ty.kind in ("int", "float"):
            fallback = t.I32 if ty.kind == "int" else t.F64
            self._subst[ty.id] = fallback
            return fallback
        return None

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
            case t.Dyn(tr1, o1, t.FnPtr() as c1), t.Dyn(tr2, o2, t.FnPtr() as c2) \
                    if tr1 == tr2 and o1 == o2:
                # `impl Fn(?A) -> ?C` of a generic call (or `dyn Fn` of a generic type).
                return self.unify(c1, c2)
            case t.Dyn(tr1, o1, None, a1), t.Dyn(tr2, o2, None, a2) \
                    if tr1 == tr2 and o1 == o2 and [n for n, _ in a1] == [n for n, _ in a2]:
                # `dyn Source<Item = ?T>` of a generic call or type.
                return all(self.unify(x, y) for (_, x), (_, y) in zip(a1, a2, strict=True))
        return False

    def could_unify(self, a: t.Ty, b: t.Ty) -> bool:
        """Whether `unify(a, b)` would succeed, binding nothing (it copies the
        substitution: for choosing between a few candidates)."""
        saved = dict(self._subst)
        try:
            return self.unify(a, b)
        finally:
            self._subst = saved

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
        """Whether `var` occurs in `ty` (each shared component looked at once)."""
        seen: set[int] = set()
        pending = [ty]
        while pending:
            self._budget.poll()
            node = self.shallow(pending.pop())
            if isinstance(node, t.Infer) and node.id == var.id:
                return True
            if t.has_components(node) and id(node) not in seen:
                seen.add(id(node))
                pending.extend(t.components(node))
        return False
