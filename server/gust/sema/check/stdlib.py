"""The std library's methods and functions where a signature string is not enough: what a
method argument may be (a closure, a string pattern, a borrowed key, anything iterable),
what `collect`, `sum`, `parse`, `cloned`, `flat_map` produce, the trait bounds rustc checks
on `sort`, `min`/`max` and map keys, std free functions (`thread::spawn`,
`mpsc::channel`), and what a `for` loop iterates over.

The signatures themselves are in gust.sema.builtins; the pseudo-types in them
(`FnMut(&Item)->bool`, `Pattern`, `Borrowed<K>`, `IntoIter<T>`) are checked here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import builtins, traits
from gust.sema import types as t
from gust.sema.check.base import CheckerBase, untyped_int
from gust.sema.golang import go_numeric
from gust.sema.items import Bound, ItemEnv
from gust.sema.results import MethodRes
from gust.syntax import ast
from gust.text import Span

# Types that are not `Send` (cannot move to another thread) / not `Sync` (cannot be shared).
# `rc::Weak` shares `Rc`'s counts; a `MutexGuard` must be unlocked by the thread that locked it.
_NOT_SEND: Final = ("Rc", "Weak", "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard")
_NOT_SYNC: Final = ("RefCell", "Cell")


# The methods of std's maps and sets whose key must implement traits: `HashMap`'s impl
# bounds `K: Eq + Hash` (so do `HashSet`'s), `BTreeMap`'s methods are `where K: Ord`
# (`new`, `len`, `iter`, `clear`, ... have no bound).
_HASH_MAP_BOUNDED: Final = frozenset({
    "reserve", "try_reserve", "shrink_to_fit", "shrink_to", "entry", "get", "get_key_value",
    "get_mut", "contains_key", "insert", "remove", "remove_entry"})
_HASH_SET_BOUNDED: Final = frozenset({
    "reserve", "try_reserve", "shrink_to_fit", "shrink_to", "difference",
    "symmetric_difference", "intersection", "union", "contains", "get", "is_disjoint",
    "is_subset", "is_superset", "insert", "replace", "remove", "take"})
_BTREE_MAP_BOUNDED: Final = frozenset({
    "get", "get_key_value", "first_key_value", "first_entry", "pop_first", "last_key_value",
    "last_entry", "pop_last", "contains_key", "get_mut", "insert", "remove", "remove_entry",
    "retain", "append", "range", "range_mut", "entry", "split_off"})
_BTREE_SET_BOUNDED: Final = frozenset({
    "range", "difference", "symmetric_difference", "intersection", "union", "contains", "get",
    "is_disjoint", "is_subset", "is_superset", "first", "last", "pop_first", "pop_last",
    "insert", "replace", "remove", "take", "retain", "append", "split_off"})
_KEY_BOUNDED: Final[dict[str, tuple[frozenset[str], tuple[str, ...]]]] = {
    "HashMap": (_HASH_MAP_BOUNDED, ("Eq", "Hash")),
    "HashSet": (_HASH_SET_BOUNDED, ("Eq", "Hash")),
    "BTreeMap": (_BTREE_MAP_BOUNDED, ("Ord",)),
    "BTreeSet": (_BTREE_SET_BOUNDED, ("Ord",)),
}


def _names_go(ty: t.Ty) -> bool:
    match ty:
        case t.Adt(name, args):
            return name.startswith("go:") or name == "GoError" or any(map(_names_go, args))
        case t.Tuple(elems):
            return any(map(_names_go, elems))
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return _names_go(inner)
    return False


@mypy_extensions.trait
class Std(CheckerBase):
    # ---------------------------------------------------------------- generic methods

    def instantiate_method(self, params: tuple[t.Ty, ...], ret: t.Ty
                           ) -> tuple[tuple[t.Ty, ...], t.Ty]:
        """A builtin method's own type parameters (`map<B>`) become fresh variables."""
        subst: dict[str, t.Ty] = {g: self.u.fresh() for g in builtins.METHOD_GENERICS}
        return tuple(t.substitute(p, subst) for p in params), t.substitute(ret, subst)

    def check_arg(self, arg: ast.Expr, param: t.Ty, what: str) -> None:
        """Check one argument against a parameter type, including the builtin signatures'
        pseudo-types."""
        p = self.u.shallow(param)
        if self.discharge_callable(arg, p, what):
            return
        if isinstance(p, t.Adt) and p.name in builtins.CALLABLE_TRAITS and len(p.args) == 2:
            sig = p.args[0]
            assert isinstance(sig, t.Tuple)
            self.check_callable_arg(arg, sig.elems, p.args[1], p.name, what)
            return
        if isinstance(p, t.Adt) and p.name == builtins.PATTERN:
            self._pattern_arg(arg)
            return
        if isinstance(p, t.Adt) and p.name == builtins.BORROWED:
            self._borrowed_arg(arg, p.args[0])
            return
        if isinstance(p, t.Adt) and p.name == "IntoIter":
            self._iterable_arg(arg, p.args[0])
            return
        # Go's rules (any closure is a Go func, ..) hold for this argument of a Go call, not
        # inside it (a closure's body is Gust code).
        if self.go_call_depth and untyped_int(arg) and go_numeric(self.env.go_packages, p):
            self.go_constant(arg, p)  # `os::MkdirAll(dir, 0o755)`: Go's untyped constant
            return
        go_call, self.go_call_depth = self.go_call_depth, 0
        ty = self.check_expr(arg, param)
        self.go_call_depth = go_call
        self.coerce(ty, param, arg.span)

    def _pattern_arg(self, arg: ast.Expr) -> None:
        """A string pattern: `&str`, `char`, `&String`, or a `char` predicate."""
        if isinstance(arg, ast.Closure):
            self.check_callable_arg(arg, (t.CHAR,), t.BOOL, "FnMut", "pattern")
            return
        ty = self.check_expr(arg, None)
        r = self.u.resolve(ty)
        if r == t.CHAR or self.coerces(ty, t.STR_REF) or isinstance(r, t.Error):
            return
        if isinstance(r, (t.Array, t.Ref)) and "char" in str(r):
            return  # `[' ', ',']`: any of these chars
        if isinstance(r, (t.FnPtr, t.Closure)) and len(r.params) == 1 and \
                self.u.unify(r.params[0], t.CHAR) and self.u.unify(r.ret, t.BOOL):
            return  # `char::is_numeric`, a `fn(char) -> bool`
        shown = self.show(ty)
        self.diags.append(d.error(
            "E0277", f"the trait bound `{shown}: Pattern` is not satisfied", arg.span,
            f"the trait `Pattern` is not implemented for `{shown}`"))

    def _borrowed_arg(self, arg: ast.Expr, key: t.Ty) -> None:
        """A map key passed by reference: `&K`, or `&Q` where `K` borrows as `Q` (`&str`
        for `String` keys, `&T` for `&T` keys)."""
        ty = self.check_expr(arg, t.Ref(key, False))
        if self._borrows_as(ty, key):
            return
        self.mismatch(t.Ref(key, False), ty, arg.span)

    def map_key_fits(self, ty: t.Ty, key: t.Ty) -> bool:
        return self._borrows_as(ty, key)

    def _borrows_as(self, ty: t.Ty, key: t.Ty) -> bool:
        r = self.u.shallow(ty)
        k = self.u.shallow(key)
        if isinstance(r, t.Error):
            return True
        if not isinstance(r, t.Ref):
            return False
        inner = self.u.shallow(r.inner)
        if k == t.STRING and (inner == t.STR or inner == t.STR_REF):
            return True
        if isinstance(k, t.Ref) and self.coerces(r, k):
            return True
        if isinstance(inner, t.Ref) and self.coerces(inner, k):
            return True
        return self.coerces(ty, t.Ref(key, False))

    def _iterable_arg(self, arg: ast.Expr, item: t.Ty) -> None:
        """An argument that is iterated (`zip`, `chain`, `extend`): its item type."""
        ty = self.check_expr(arg, None)
        found = self.into_iter_item(ty)
        if found is None:
            shown = self.show(ty)
            self.diags.append(d.error("E0277", f"`{shown}` is not an iterator", arg.span,
                                      f"`{shown}` is not an iterator"))
            return
        if self.u.unify(item, found):
            return
        # `Extend<&T>` for Copy `T`: `v.extend(other.iter())`.
        f = self.u.shallow(found)
        if isinstance(f, t.Ref) and self.u.unify(item, f.inner):
            return
        self.mismatch(item, found, arg.span)

    def into_iter_item(self, ty: t.Ty) -> t.Ty | None:
        """What iterating over a value of `ty` yields (`IntoIterator::Item`), or None."""
        ty = self.u.shallow(ty)
        match ty:
            case t.Adt("Range" | "RangeInclusive" | "Iter" | "Vec" | "HashSet" | "Receiver"
                       | "Option" | "VecDeque" | "BTreeSet" | "BinaryHeap", (item,)):
                return item
            case t.Adt("HashMap" | "BTreeMap", (k, v)):
                return t.Tuple((k, v))
            case t.Array(elem, _):
                return elem
            case t.Error():
                return t.ERROR
            case t.Adt() if (user := self.user_iter_item(ty)) is not None:
                return user
            case t.Adt() | t.Ref() if (user := self.user_into_iter_item(ty)) is not None:
                return user
            case t.Param():
                # `I: Iterator<Item = T>` / `impl Iterator<Item = T>` in scope.
                for b in self.assumptions:
                    if b.ty == ty and b.trait in ("Iterator", "IntoIterator"):
                        return b.assoc_ty("Item") or t.ERROR
            case t.Ref(inner, mutable):
                inner = self.u.shallow(inner)
                if mutable and (user := self.user_iter_item(inner)) is not None:
                    return user  # `for x in &mut it` / `it.by_ref()`
                match inner:
                    case t.Adt("Vec" | "HashSet" | "Option" | "VecDeque" | "BTreeSet"
                               | "BinaryHeap", (elem,)) | \
                            t.Array(elem, _) | \
                            t.Slice(elem):
                        return t.Ref(elem, mutable)
                    case t.Adt("HashMap" | "BTreeMap", (k, v)):
                        return t.Tuple((t.Ref(k, False), t.Ref(v, mutable)))
                    case t.Adt("Receiver", (item,)):
                        return item
                    case t.Adt("Iter", (item,)) if mutable:
                        return item
        return None

    def user_into_iter_item(self, ty: t.Ty) -> t.Ty | None:
        """The `Item` of a package type's `impl IntoIterator` for it or a reference to it
        (`for x in &coll`), None when it has none."""
        inner = ty.inner if isinstance(ty, t.Ref) else ty
        if not isinstance(inner, t.Adt) or inner.name not in self.env.type_names():
            return None
        found = traits.impl_for(self.u.resolve(ty), "IntoIterator", self.env,
                                self.assumptions)
        if found is None:
            return None
        impl, subst = found
        item = dict(impl.assoc).get("Item")
        return t.substitute(item, subst) if item is not None else t.ERROR

    def user_iter_item(self, ty: t.Ty) -> t.Ty | None:
        """The `Item` of a package type's `impl Iterator` (None when it has none)."""
        if not isinstance(ty, t.Adt) or ty.name not in self.env.type_names():
            return None
        found = traits.impl_for(self.u.resolve(ty), "Iterator", self.env, self.assumptions)
        if found is None:
            return None
        impl, subst = found
        item = dict(impl.assoc).get("Item")
        return t.substitute(item, subst) if item is not None else None

    # ---------------------------------------------------------------- special results

    def std_method_result(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty, ret: t.Ty,
                          expected: t.Ty | None) -> t.Ty:
        """The result of builtin methods whose type depends on more than the signature."""
        owner, name = res.owner, res.name
        base = self._receiver_base(recv)
        if owner == "chan":
            return self.chan_method_result(e, name, base, ret)
        if owner in ("Iter", "Range", "RangeInclusive"):
            item = self.into_iter_item(base) if isinstance(base, t.Adt) else \
                traits.iterator_item(base, self.env, self.assumptions)  # `I: Iterator`
            item = item if item is not None else t.ERROR
            match name:
                case "collect":
                    return self._collect(e, item, expected)
                case "sum" | "product":
                    return self._sum(e, item, expected)
                case "cloned" | "copied":
                    return t.Adt("Iter", (self._deref_item(item),))
                case "flat_map":
                    ret_r = self.u.resolve(ret)
                    closure_ret = self.u.resolve(self._last_callable_ret(e))
                    inner = self.into_iter_item(closure_ret)
                    return t.Adt("Iter", (inner if inner is not None else t.ERROR,)) \
                        if isinstance(ret_r, t.Adt) else ret
                case "try_fold":
                    return self._try_fold(e, ret)
                case "flatten":
                    inner = self.into_iter_item(item)
                    return t.Adt("Iter", (inner if inner is not None else t.ERROR,))
                case "partition":
                    # Into two `Vec`s of the items, or of the values behind `&T` items
                    # (`Extend<&T>` for `Copy` T), as the expected type says.
                    want = self.u.shallow(expected) if expected is not None else None
                    kept = item
                    shallow_item = self.u.shallow(item)
                    if isinstance(want, t.Tuple) and len(want.elems) == 2 and \
                            isinstance(shallow_item, t.Ref):
                        first = self.u.shallow(want.elems[0])
                        if isinstance(first, t.Adt) and first.name == "Vec" and first.args \
                                and self.u.unify(first.args[0], shallow_item.inner):
                            kept = shallow_item.inner
                    return t.Tuple((t.vec_of(kept), t.vec_of(kept)))
                case "unzip":
                    a, b = self.u.fresh(), self.u.fresh()
                    if not self.u.unify(item, t.Tuple((a, b))):
                        return t.ERROR
                    return t.Tuple((t.vec_of(a), t.vec_of(b)))
        elif owner == "Option" and name in ("cloned", "copied") and isinstance(base, t.Adt):
            return t.Adt("Option", (self._deref_item(base.args[0]),))
        elif owner in ("Vec", "slice") and name == "concat":
            elem = self._elem(base)
            if elem is not None and isinstance(self.u.resolve(elem), (t.Adt, t.Ref)):
                inner = self.u.resolve(elem)
                if isinstance(inner, t.Ref):
                    inner = inner.inner
                if isinstance(inner, t.Adt) and inner.name == "Vec":
                    return inner
                if isinstance(inner, t.Slice):
                    return t.vec_of(inner.elem)
        elif owner == "str" and name == "parse":
            return self._parse(e, ret)
        elif owner in ("Option", "Result") and name in ("transpose", "flatten") and \
                isinstance(base, t.Adt) and base.args:
            return self._nested_result(e, base)
        elif owner == "Cell" and name in ("get", "take"):
            self._cell_bound(e, recv, "Copy" if name == "get" else "Default")
        return ret

    def _nested_result(self, e: ast.MethodCall, outer: t.Adt) -> t.Ty:
        """`transpose` (an `Option` of a `Result` and a `Result` of an `Option` swapped) and
        `Option::flatten`."""
        a, err = self.u.fresh(), self.u.fresh()
        if e.name == "flatten":
            inner, ret = t.Adt("Option", (a,)), t.Adt("Option", (a,))
        elif outer.name == "Option":
            inner, ret = t.Adt("Result", (a, err)), t.Adt("Result", (t.Adt("Option", (a,)), err))
        else:
            inner = t.Adt("Option", (a,))
            ret = t.Adt("Option", (t.Adt("Result", (a, outer.args[1] if len(outer.args) > 1
                                                   else err)),))
        if not self.u.unify(outer.args[0], inner):
            self.mismatch(inner, outer.args[0], e.name_span)
            return t.ERROR
        return ret

    def _cell_bound(self, e: ast.MethodCall, recv: t.Ty, trait: str) -> None:
        """`Cell::get` needs `T: Copy`, `Cell::take` `T: Default`: rustc's E0599 otherwise
        (checked once the value's type is known)."""
        def check() -> None:
            cell = self.u.resolve(recv)
            while isinstance(cell, t.Ref) or (isinstance(cell, t.Adt) and cell.args and
                                              cell.name in builtins.DEREF_TYPES):
                cell = cell.inner if isinstance(cell, t.Ref) else cell.args[0]
            if not (isinstance(cell, t.Adt) and cell.name == "Cell" and cell.args) or \
                    self.env.is_package_type("Cell", cell.args):
                return
            inner = cell.args[0]
            if isinstance(inner, (t.Infer, t.Error)) or self.implements(inner, trait):
                return
            shown = self.show(t.Adt("Cell", (inner,)))
            self.diags.append(d.error(
                "E0599", f"the method `{e.name}` exists for struct `{shown}`, but its trait "
                "bounds were not satisfied", e.name_span, None,
                notes=("the following trait bounds were not satisfied:\n"
                       f"          `{self.show(inner)}: {trait}`",)))

        self.deferred.append(check)

    def _try_fold(self, e: ast.MethodCall, ret: t.Ty) -> t.Ty:
        """`it.try_fold(init, f)`: `f` returns `Option<B>` or `Result<B, E>` (Rust's `Try`
        with `Output = B`), which is the result; E0277 for another type."""
        closure_ret = self.u.resolve(ret)
        init = self.u.resolve(self.results.expr_types.get(e.args[0], t.ERROR)) \
            if e.args else t.ERROR
        if isinstance(closure_ret, t.Adt) and closure_ret.name in ("Option", "Result") and \
                closure_ret.args:
            if not self.u.unify(closure_ret.args[0], init):
                self.mismatch(init, closure_ret.args[0], e.args[1].span)
            return closure_ret
        if isinstance(closure_ret, t.Error) or \
                (isinstance(closure_ret, t.Infer) and closure_ret.kind == "any"):
            return closure_ret
        shown = self.show(closure_ret)
        self.diags.append(d.error(
            "E0277", f"the trait bound `{shown}: Try` is not satisfied", e.name_span,
            f"the trait `Try` is not implemented for `{shown}`"))
        return t.ERROR

    def _receiver_base(self, recv: t.Ty) -> t.Ty:
        ty = self.u.shallow(recv)
        while isinstance(ty, t.Ref):
            ty = self.u.shallow(ty.inner)
        return ty

    def _elem(self, ty: t.Ty) -> t.Ty | None:
        match ty:
            case t.Adt("Vec", (elem,)):
                return elem
            case t.Array(elem, _) | t.Slice(elem):
                return elem
        return None

    def _last_callable_ret(self, e: ast.MethodCall) -> t.Ty:
        if not e.args:
            return t.ERROR
        ty = self.u.shallow(self.results.expr_types.get(e.args[-1], t.ERROR))
        if isinstance(ty, (t.Closure, t.FnPtr)):
            return ty.ret
        return t.ERROR

    def _deref_item(self, item: t.Ty) -> t.Ty:
        r = self.u.shallow(item)
        if isinstance(r, t.Ref):
            return r.inner
        if isinstance(r, t.Infer) and r.kind == "any":
            inner = self.u.fresh()
            self.u.unify(r, t.Ref(inner, False))
            return inner
        return t.ERROR if not isinstance(r, t.Error) else r

    def _target(self, e: ast.MethodCall, expected: t.Ty | None) -> t.Ty:
        if e.generics:
            return self.lower(e.generics[0])
        if expected is not None:
            return expected
        return self.u.fresh()

    def _when_known(self, ty: t.Ty, span: Span, check: Callable[[t.Ty], None]) -> None:
        """Run `check` on `ty` now if it is known, else at the end of the body (E0283 if
        it is still unknown then)."""
        if not isinstance(self.u.shallow(ty), t.Infer):
            check(self.u.shallow(ty))
            return

        def later() -> None:
            r = self.u.shallow(ty)
            if isinstance(r, t.Infer):
                self.diags.append(d.error("E0283", "type annotations needed", span,
                                          "cannot infer type", help=(
                                              "consider giving the binding an explicit "
                                              "type",)))
                self.u.force(r, t.ERROR)
                return
            check(r)

        self.deferred.append(later)

    def _collect(self, e: ast.MethodCall, item: t.Ty, expected: t.Ty | None) -> t.Ty:
        target = self._target(e, expected)
        self._when_known(target, e.name_span,
                         lambda ty: self._collect_into(ty, item, e.name_span))
        return target

    def _collect_into(self, target: t.Ty, item: t.Ty, span: Span) -> None:
        if self._collects(target, item):
            return
        self.diags.append(d.error(
            "E0277", f"a value of type `{self.show(target)}` cannot be built from an "
            f"iterator over elements of type `{self.show(item)}`", span,
            f"value of type `{self.show(target)}` cannot be built from "
            f"`std::iter::Iterator<Item={self.show(item)}>`"))

    def _collects(self, target: t.Ty, item: t.Ty) -> bool:
        target = self.u.shallow(target)
        it = self.u.shallow(item)
        if isinstance(target, t.Error) or isinstance(it, t.Error):
            return True
        match target:
            case t.Adt("Vec" | "HashSet" | "VecDeque" | "BTreeSet" | "BinaryHeap", (elem,)):
                return self.u.unify(elem, item)
            case t.Adt("HashMap" | "BTreeMap", (k, v)):
                return self.u.unify(t.Tuple((k, v)), item)
            case t.Adt("String"):
                r = self.u.resolve(item)
                return r in (t.CHAR, t.Ref(t.CHAR, False), t.STR_REF, t.STRING,
                             t.Ref(t.STRING, False))
            case t.Adt("Result", (inner, err)):
                x = self.u.fresh()
                return self.u.unify(item, t.Adt("Result", (x, err))) and \
                    self._collects(inner, x)
            case t.Adt("Option", (inner,)):
                x = self.u.fresh()
                return self.u.unify(item, t.Adt("Option", (x,))) and self._collects(inner, x)
        return False

    def _sum(self, e: ast.MethodCall, item: t.Ty, expected: t.Ty | None) -> t.Ty:
        target = self._target(e, expected)
        verb = "summing" if e.name == "sum" else "multiplying"

        def check(ty: t.Ty) -> None:
            it = self.u.shallow(item)
            value = self.u.shallow(it.inner) if isinstance(it, t.Ref) else it
            if isinstance(value, t.Error) or isinstance(ty, t.Error):
                return
            if t.is_numeric(ty) and self.u.unify(value, ty):
                return
            if ty == builtins.DURATION and e.name == "sum" and self.u.unify(value, ty):
                return  # `Sum<Duration>` and `Sum<&Duration>`
            if self._sums_wrapped(it, ty) or self._sums_by_impl(it, ty, e.name):
                return
            self.diags.append(d.error(
                "E0277", f"a value of type `{self.show(ty)}` cannot be made by {verb} an "
                f"iterator over elements of type `{self.show(item)}`", e.name_span,
                f"value of type `{self.show(ty)}` cannot be made by {verb} a "
                f"`std::iter::Iterator<Item={self.show(item)}>`"))

        if isinstance(self.u.shallow(target), t.Infer):
            # `sum` of integers with nothing else known: rustc needs an annotation too,
            # unless later code fixes the type.
            pass
        self._when_known(target, e.name_span, check)
        return target

    def _sums_by_impl(self, item: t.Ty, ty: t.Ty, method: str) -> bool:
        """A package type summed (or multiplied) by its `impl Sum<A>` (`impl Sum for Money`
        sums `Money` items, `impl<'a> Sum<&'a Money> for Money` references) whose `A` the
        items are."""
        ty = self.u.resolve(ty)
        if not (isinstance(ty, t.Adt) and (ty.name in self.env.structs or
                                           ty.name in self.env.enums)):
            return False
        for impl in self.env.trait_impls("Sum" if method == "sum" else "Product"):
            subst: dict[str, t.Ty] = {}
            if not traits.match_ty(impl.self_ty, ty, frozenset(impl.generics), subst):
                continue
            arg = t.substitute(impl.trait_args[0], subst) if impl.trait_args else ty
            if self.u.could_unify(arg, item):
                return self.u.unify(arg, item)
        return False

    def _sums_wrapped(self, item: t.Ty, ty: t.Ty) -> bool:
        """`Option<N>` summed (or multiplied) from `Option<N>` items, `Result<N, E>` from
        `Result<N, E>` items (std's `Sum` impls that stop at the first `None` / `Err`)."""
        ty = self.u.shallow(ty)
        if not (isinstance(ty, t.Adt) and ty.name in ("Option", "Result") and ty.args):
            return False
        number = self.u.shallow(ty.args[0])
        if not (t.is_numeric(number) or isinstance(number, t.Infer)):
            return False
        return self.u.unify(item, ty)

    def _parse(self, e: ast.MethodCall, ret: t.Ty) -> t.Ty:
        ret_r = self.u.shallow(ret)
        if not (isinstance(ret_r, t.Adt) and ret_r.name == "Result"):
            return ret
        value, err = ret_r.args
        if e.generics:
            self.u.unify(value, self.lower(e.generics[0]))

        def set_error(ty: t.Ty) -> None:
            if isinstance(ty, t.Adt) and (ty.name in self.env.structs or
                                          ty.name in self.env.enums):
                self._user_parse_error(ty, err, e.name_span)
                return
            self.u.unify(err, self.from_str_err(ty))

        self._when_known(value, e.name_span, set_error)
        return ret

    def from_str_err(self, ty: t.Ty) -> t.Ty:
        """`<ty as FromStr>::Err` (`traits.from_str_err`) with the bounds in scope."""
        return traits.from_str_err(ty, self.env, self.assumptions)

    def _user_parse_error(self, ty: t.Ty, err: t.Ty, span: Span) -> None:
        """`s.parse::<Level>()` of a package type: its `impl FromStr`'s `type Err` is the
        error (E0277 without one, as rustc)."""
        found = traits.impl_for(ty, "FromStr", self.env, self.assumptions)
        if found is None:
            self.diags.append(d.error(
                "E0277", f"the trait bound `{self.show(ty)}: FromStr` is not satisfied", span,
                "unsatisfied trait bound",
                help=(f"the trait `FromStr` is not implemented for `{self.show(ty)}`",)))
            var = self.u.shallow(err)
            if isinstance(var, t.Infer):
                self.u.force(var, t.ERROR)  # (one mistake: no E0282 for the error type)
            return
        impl, subst = found
        given = dict(impl.assoc).get("Err", t.ERROR)
        self.u.unify(err, t.substitute(given, subst))

    # ---------------------------------------------------------------- trait bounds

    def key_known(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty) -> bool:
        """Whether the call is one of a map's or set's methods that bound its key
        (`_KEY_BOUNDED`) and the key's type is known before the arguments are checked."""
        key = self._bounded_key(e, res, recv)
        return key is not None and not t.contains_infer(key)

    def check_key_bounds(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty,
                         before_args: bool) -> bool:
        """The key's bounds of a map's or set's method (`K: Eq + Hash`, `K: Ord`), as
        rustc: `HashMap`'s are its impl's, so a key known at the call fails the method
        probe (E0599, one for the call; the result is an error), and one inferred from
        the arguments gets an E0277 per bound; `BTreeMap`'s are its methods' own, E0277.
        True when the method could not be called (E0599)."""
        key = self._bounded_key(e, res, recv)
        if key is None:
            return False
        wanted = _KEY_BOUNDED[res.owner][1]
        if t.contains_infer(key):
            for trait in wanted:
                self.require(Bound(key, trait), e.name_span)
            return False
        missing = [tr for tr in wanted
                   if not traits.implements(key, tr, self.env, self.assumptions)]
        if before_args and res.owner in ("HashMap", "HashSet") and missing:
            notes = []
            for trait in missing:
                part = self._key_culprit(key, trait)
                notes.append(f"`{self.show(part)}: {trait}`" + (
                    f"\nwhich is required by `{self.show(key)}: {trait}`"
                    if part is not key else ""))
            shown = self.show(self._receiver_base(recv))
            self.diags.append(d.error(
                "E0599", f"the method `{e.name}` exists for struct `{shown}`, but its trait "
                "bounds were not satisfied", e.name_span,
                f"method cannot be called on `{shown}` due to unsatisfied trait bounds",
                notes=("the following trait bounds were not satisfied:\n"
                       + "\n".join(notes),)))
            return True
        for trait in missing:
            part = self._key_culprit(key, trait)
            notes_ = (f"required for `{self.show(key)}` to implement `{trait}`",) \
                if part is not key else ()
            shown = self.show(part)
            self.diags.append(d.error(
                "E0277", f"the trait bound `{shown}: {trait}` is not satisfied", e.name_span,
                f"the trait `{trait}` is not implemented for `{shown}`", notes=notes_))
        return False

    def _bounded_key(self, e: ast.MethodCall, res: MethodRes, recv: t.Ty) -> t.Ty | None:
        if not res.builtin or e.name not in _KEY_BOUNDED.get(res.owner, ((), ()))[0]:
            return None
        base = self._receiver_base(recv)
        if not isinstance(base, t.Adt) or base.name != res.owner or not base.args:
            return None
        key = self.u.resolve(base.args[0])
        # A Go type as a key is Go's to compare (`go_ordered`, Go's `comparable`).
        return None if _names_go(key) else key

    def _key_culprit(self, key: t.Ty, trait: str) -> t.Ty:
        """The innermost part of a key that does not implement `trait`, as rustc names it
        (`f64: Eq` for a `Vec<f64>` key, with "required for `Vec<f64>`")."""
        parts: tuple[t.Ty, ...] = ()
        match key:
            case t.Adt("Vec" | "Option" | "Box" | "VecDeque" | "Result" | "Reverse", args):
                parts = args
            case t.Tuple(elems):
                parts = elems
            case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
                parts = (inner,)
        for part in parts:
            if not traits.implements(part, trait, self.env, self.assumptions):
                return self._key_culprit(part, trait)
        return key

    # ---------------------------------------------------------------- std functions

    def std_fn_type(self, module: str, name: str) -> t.FnPtr | None:
        fn = builtins.std_fn(module, name)
        if fn is None:
            return None
        result = t.substitute(fn, {"T": self.u.fresh()})
        assert isinstance(result, t.FnPtr)
        return result

    def check_spawn(self, e: ast.Call) -> None:
        """`thread::spawn(closure)`: the closure may outlive the caller (it must own what it
        captures: E0373) and everything it captures crosses threads (Send: E0277)."""
        if not e.args or not isinstance(e.args[0], ast.Closure):
            return
        closure = e.args[0]
        info = self.results.closures.get(closure)
        if info is None:
            return
        if self._returns_not_send(e, closure):
            return  # rustc reports the result alone, not also the captures
        for cap in info.captures:
            ty = defaulted(self.u.resolve(self.results.locals[cap.local].ty))
            problem = not_send(ty, self.env)
            if problem is not None:
                what, inner = problem
                self.diags.append(self.not_send_error(e, closure, ty, what, inner))
                return
        # Borrowed captures must outlive the thread: the borrow checker reports E0373.
        self.results.static_closures.add(closure)


    def _returns_not_send(self, e: ast.Call, closure: ast.Closure) -> bool:
        """`spawn`'s `T: Send`: the closure's result crosses back to the joining thread.
        rustc reports it on the whole call, naming the culprit inside the result."""
        fn_ty = self.u.resolve(self.results.expr_types.get(closure, t.ERROR))
        if not isinstance(fn_ty, t.Closure):
            return False
        ret = self.u.resolve(fn_ty.ret)
        problem = not_send(defaulted(ret), self.env)
        if problem is None:
            return False
        what, trait = problem[0], "Send" if problem[0] == "sent" else "Sync"
        shown = self.show(_culprit(ret, problem[1]))
        within = "" if ret == problem[1] or problem[1] == defaulted(ret) else \
            f"within `{self.show(ret)}`, "
        self.diags.append(d.error(
            "E0277", f"`{shown}` cannot be {what} between threads safely", e.span,
            f"`{shown}` cannot be {what} between threads safely",
            help=(f"{within}the trait `{trait}` is not implemented for `{shown}`",),
            notes=("required by a bound in `spawn`",)))
        return True

    def not_send_error(self, e: ast.Call, closure: ast.Closure, captured: t.Ty, what: str,
                       inner: t.Ty) -> d.Diagnostic:
        """E0277 in rustc's shape: on the closure, with the call's bound and the chain of
        types that contain the culprit (`Box<Rc<i32>>`) as notes."""
        shown = self.show(inner)
        trait = "Send" if what == "sent" else "Sync"
        notes: list[str] = []
        if captured != inner and not isinstance(captured, t.Ref):
            if isinstance(captured, t.Adt) and captured.name == "Box":
                notes.append(f"required for `std::ptr::Unique<{shown}>` to implement `Send`")
            notes.append("required because it appears within the type "
                         f"`{self.show(captured)}`")
        notes += ["required because it's used within this closure",
                  "required by a bound in `spawn`"]
        return d.error(
            "E0277", f"`{shown}` cannot be {what} between threads safely", closure.span,
            f"`{shown}` cannot be {what} between threads safely",
            labels=(d.Label(e.callee.span, "required by a bound introduced by this call"),),
            help=(f"the trait `{trait}` is not implemented for `{shown}`",),
            notes=tuple(notes))


def _culprit(ty: t.Ty, found: t.Ty) -> t.Ty:
    """The part of `ty` that `not_send` found in its defaulted form, as inferred so far
    (`Rc<{integer}>`, as rustc names it before integer fallback)."""
    if defaulted(ty) == found:
        return ty
    match ty:
        case t.Adt(_, args) | t.Tuple(args):
            for part in args:
                inner = _culprit(part, found)
                if inner is not found:
                    return inner
        case t.Ref(inner_ty, _):
            return _culprit(inner_ty, found)
    return found


def defaulted(ty: t.Ty) -> t.Ty:
    """`ty` with integer and float variables shown as their defaults (`Rc<i32>`), as rustc
    reports after inference."""
    match ty:
        case t.Infer(kind="int"):
            return t.I32
        case t.Infer(kind="float"):
            return t.F64
        case t.Adt(name, args) if args:
            return t.Adt(name, tuple(defaulted(a) for a in args))
        case t.Tuple(elems):
            return t.Tuple(tuple(defaulted(a) for a in elems))
        case t.Ref(inner, mutable):
            return t.Ref(defaulted(inner), mutable)
    return ty


def not_send(ty: t.Ty, env: ItemEnv, seen: frozenset[str] = frozenset()
              ) -> tuple[str, t.Ty] | None:
    """Why a captured value cannot go to another thread: ("sent", `Rc<..>`) or ("shared",
    `RefCell<..>` behind an `Arc`), looking through `Box`, containers and the fields of the
    user's own types."""
    match ty:
        case t.Adt(name, args) if name in _NOT_SEND:
            return "sent", ty
        case t.Dyn(traits, opaque=False) if "Send" not in traits:
            # A trait object is `Send` only when it says so (`Box<dyn Fn() + Send>`).
            return "sent", ty
        case t.Adt("Arc", (inner,)):
            shared = not_sync(inner, env, seen)
            if shared is not None:
                return "shared", shared
            return not_send(inner, env, seen)
        case t.Adt(name, args):
            for a in (*args, *_field_types(name, args, env, seen)):
                found = not_send(a, env, seen | {name})
                if found is not None:
                    return found
        case t.Tuple(args):
            for a in args:
                found = not_send(a, env, seen)
                if found is not None:
                    return found
        case t.Array(elem, _) | t.Slice(elem):
            return not_send(elem, env, seen)
        case t.Ref(inner, _):
            shared = not_sync(inner, env, seen)
            if shared is not None:
                return "shared", shared
    return None


def not_sync(ty: t.Ty, env: ItemEnv, seen: frozenset[str] = frozenset()) -> t.Ty | None:
    match ty:
        case t.Adt(name, args) if (name in _NOT_SYNC or name in _NOT_SEND) and \
                not env.is_package_type(name, args):  # (a package's own `Cell`)
            return ty
        case t.Adt("Mutex", _):
            return None
        case t.Adt(name, args):
            for a in (*args, *_field_types(name, args, env, seen)):
                found = not_sync(a, env, seen | {name})
                if found is not None:
                    return found
    return None


def _field_types(name: str, args: tuple[t.Ty, ...], env: ItemEnv, seen: frozenset[str]
                 ) -> list[t.Ty]:
    """The field types of a user struct or enum, each type visited once (recursive types
    end)."""
    if name in seen:
        return []
    if name in env.structs:
        info = env.structs[name]
        subst = dict(zip(info.generics, args, strict=False))
        return [t.substitute(f.ty, subst) for f in info.fields]
    if name in env.enums:
        enum = env.enums[name]
        subst = dict(zip(enum.generics, args, strict=False))
        return [t.substitute(f.ty, subst) for v in enum.variants for f in v.fields]
    return []
