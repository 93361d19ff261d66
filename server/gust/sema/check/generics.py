"""Generics and traits in bodies: instantiating generic signatures with fresh inference
variables, trait-bound obligations (proved once the types are known, E0277), methods that
come from traits (impls, bounds of type parameters, `dyn Trait`), and unsizing to
`dyn Trait`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import traits
from gust.sema import types as t
from gust.sema.check.base import CheckerBase, unsized_pair
from gust.sema.items import Bound, FnSig, ImplInfo, TraitInfo, projection_name
from gust.sema.results import MethodRes
from gust.syntax import ast
from gust.text import Span

AUTOREF: Final = {"ref": "&", "ref_mut": "&mut", "value": ""}


def _any_literal(ty: t.Ty, _go: object) -> t.Ty | None:
    """`{integer}`/`{float}` as a variable of any type (`implements` takes those as met)."""
    return t.Infer(ty.id) if isinstance(ty, t.Infer) and ty.kind != "any" else None

# Rust's implicit bound of every type parameter (relaxed by `?Sized`).
SIZED: Final = "Sized"


def unsized_params(generics: ast.Generics) -> frozenset[str]:
    """The parameters declared `?Sized`, inline (`T: ?Sized`) or in `where T: ?Sized`."""
    inline = {p.name for p in generics.params if p.unsized}
    where = {w.ty.path.names[0] for w in generics.where
             if w.unsized and isinstance(w.ty, ast.TypePath) and len(w.ty.path.names) == 1}
    return frozenset(inline | where)


# What a method probe found: the resolution, the parameter types and the return type.
Found = tuple[MethodRes, tuple[t.Ty, ...], t.Ty]


@mypy_extensions.trait
class Generics(CheckerBase):
    # ---------------------------------------------------------------- trait queries

    def implements(self, ty: t.Ty, trait: str) -> bool:
        return traits.implements(self.u.resolve(ty), trait, self.env, self.assumptions)

    def require(self, bound: Bound, span: Span) -> None:
        """Record that `bound` must hold; proved now if the type is known, else later."""
        self.obligations.append((bound, span))
        self.settle_obligations()

    def settle_obligations(self, final: bool = False) -> None:
        pending: list[tuple[Bound, Span]] = []
        for bound, span in self.obligations:
            if bound.trait == "Into" and len(bound.args) == 1:
                # `T: Into<U>` holds by std's blanket impl where `U: From<T>` does.
                bound = Bound(bound.args[0], "From", (bound.ty,))
            if bound.trait == "From" and bound.args:
                if self.settle_conversion(bound, span, final):
                    pending.append((bound, span))
                continue
            if bound.trait == "TryFrom" and bound.args:
                if self.settle_try_conversion(bound, span, final):
                    pending.append((bound, span))
                continue
            if bound.trait == "AsRef" and len(bound.args) == 1 and \
                    self.u.resolve(bound.args[0]) == t.STR:
                if self._settle_as_ref_str(bound, span, final):
                    pending.append((bound, span))
                continue
            if bound.trait == "AsRef" and len(bound.args) == 1 and \
                    isinstance(self.u.resolve(bound.args[0]), t.Slice):
                if self._settle_as_ref_slice(bound, span, final):
                    pending.append((bound, span))
                continue
            if bound.trait == SIZED:
                if self._settle_sized(bound, span, final):
                    pending.append((bound, span))
                continue
            ty = self.u.resolve(bound.ty)
            if not self._bind_assoc(bound, ty, span):
                continue  # E0271, reported
            if t.contains_infer(ty) and not final:
                pending.append((bound, span))
                continue
            shown = self.show(ty)
            if final and t.contains_infer(ty):
                ty = self._from_one_impl(ty, bound.trait)
            if final:
                ty = self.u.default(ty)
                if t.contains_infer(ty):
                    continue  # not inferred: E0282 is reported for the binding
            if not traits.implements(ty, bound.trait, self.env, self.assumptions):
                self.diags.append(self.unsatisfied(shown, ty, bound.trait, span))
                for _, assoc in bound.assoc:
                    # The associated types it would have given (`Counted<Vec<i32>, _>`'s
                    # hidden `I::Item`): no E0282 for them.
                    var = self.u.shallow(assoc)
                    if isinstance(var, t.Infer):
                        self.u.force(var, t.ERROR)
        self.obligations = pending

    def _settle_sized(self, bound: Bound, span: Span, final: bool) -> bool:
        """Prove a type argument `Sized` (True while it is not known): rustc's E0277 for
        `str`, a slice, a `dyn Trait` or a `?Sized` parameter given to a parameter
        without `?Sized` (`fn show<T: Display>(x: &T)` called with a `&str`)."""
        ty = self.u.resolve(bound.ty)
        if isinstance(ty, t.Infer) and not final:
            return True
        unsized = isinstance(ty, (t.Str, t.Slice, t.Dyn)) or (
            isinstance(ty, t.Param) and ty.name in self.unsized_here())
        if unsized:
            shown = self.show(ty)
            self.diags.append(d.error(
                "E0277", f"the size for values of type `{shown}` cannot be known at "
                "compilation time", span, "doesn't have a size known at compile-time",
                help=(f"the trait `Sized` is not implemented for `{shown}`",)))
        return False

    def unsized_here(self) -> frozenset[str]:
        """The `?Sized` parameters of the body's function."""
        return unsized_params(self.fn.generics)

    def _settle_as_ref_str(self, bound: Bound, span: Span, final: bool) -> bool:
        """Prove `ty: AsRef<str>` (True while `ty` is not known): `str`, `String`, a
        reference to one, a package type's `impl AsRef<str>`, a parameter so bounded."""
        ty = self.u.resolve(bound.ty)
        if t.contains_infer(ty) and not final:
            return True
        shown = self.show(ty)
        base = ty
        while isinstance(base, t.Ref):
            base = base.inner
        unknown = isinstance(base, t.Error) or (isinstance(base, t.Infer) and
                                                base.kind == "any")
        own_impl = isinstance(base, t.Adt) and any(
            i.trait == "AsRef" and i.trait_args == (t.STR,) and
            traits.match_ty(i.self_ty, base, frozenset(i.generics), {}) for i in self.env.impls)
        bounded = any(b.ty == base and b.trait == "AsRef" for b in self.assumptions)
        if not (base in (t.STR, t.STRING) or unknown or own_impl or bounded):
            self.diags.append(self.unsatisfied(shown, ty, "AsRef<str>", span))
        return False

    def _settle_as_ref_slice(self, bound: Bound, span: Span, final: bool) -> bool:
        """Prove `ty: AsRef<[T]>` (True while `ty` is not known): std's impls for `Vec<T>`,
        arrays and slices of `T` (`str` and `String` for `[u8]`) and references to them, a
        package type's `impl AsRef<[T]>`, a parameter so bounded; E0277 otherwise."""
        ty = self.u.resolve(bound.ty)
        if t.contains_infer(ty) and not final and not isinstance(ty, t.Ref):
            return True
        target = self.u.resolve(bound.args[0])
        assert isinstance(target, t.Slice)
        base = ty
        while isinstance(base, t.Ref):
            base = self.u.resolve(base.inner)
        elem: t.Ty | None = None
        if isinstance(base, t.Adt) and base.name == "Vec" and base.args:
            elem = base.args[0]
        elif isinstance(base, (t.Array, t.Slice)):
            elem = base.elem
        elif base in (t.STR, t.STRING):
            elem = t.Int("u8")
        elif isinstance(base, t.Error) or (isinstance(base, t.Infer) and base.kind == "any"):
            return False
        elif isinstance(base, t.Adt):
            found = traits.impl_for(base, "AsRef", self.env, self.assumptions)
            if found is not None and len(found[0].trait_args) == 1:
                given = t.substitute(found[0].trait_args[0], found[1])
                elem = given.elem if isinstance(given, t.Slice) else None
        elif isinstance(base, t.Param):
            for b in self.assumptions:
                arg = self.u.resolve(b.args[0]) if b.args else None
                if b.ty == base and b.trait == "AsRef" and isinstance(arg, t.Slice):
                    elem = arg.elem
        if elem is None or not self.u.unify(elem, target.elem):
            self.diags.append(self.unsatisfied(self.show(ty), ty,
                                               f"AsRef<{self.show(target)}>", span))
        return False

    def _from_one_impl(self, ty: t.Ty, trait: str) -> t.Ty:
        """A type still holding `{integer}`/`{float}` bound by a trait of the package that
        one impl alone fits (`Vec<{integer}>: Summary` with `impl Summary for Vec<i64>`):
        inferred from that impl, as rustc selects it, instead of the literal's default."""
        fits = [i.self_ty for i in self.env.impls if i.trait == trait and not i.generics
                and trait in self.env.traits and _fits(i.self_ty, ty)]
        if len(fits) != 1:
            return ty
        self.u.unify(ty, fits[0])
        return self.u.resolve(ty)

    def point_at_args(self, args: Sequence[ast.Expr], params: Sequence[t.Ty], callee: Span
                      ) -> None:
        """rustc reports an unmet bound of a generic call at the argument whose type
        carries the type parameter (`show(m)` points at `m`), not at the callee."""
        moved: list[tuple[Bound, Span]] = []
        for bound, span in self.obligations:
            if span == callee:
                for arg, param in zip(args, params, strict=False):
                    if _occurs_in(bound.ty, param):
                        span = arg.span
                        break
            moved.append((bound, span))
        self.obligations = moved

    def into_iter_item(self, ty: t.Ty) -> t.Ty | None:
        raise NotImplementedError  # gust.sema.check.stdlib

    def from_str_err(self, ty: t.Ty) -> t.Ty:
        raise NotImplementedError  # gust.sema.check.stdlib

    def _bind_assoc(self, bound: Bound, ty: t.Ty, span: Span) -> bool:
        """`T: Iterator<Item = i32>`: the iterator's item type is `i32`; False (E0271
        reported) when it yields another type."""
        info = self.env.traits.get(bound.trait)
        if info is not None and info.assoc and bound.assoc:
            return self._bind_trait_assoc(info, bound, ty, span)
        err = bound.assoc_ty("Err")
        if bound.trait == "FromStr" and err is not None:
            # `T: FromStr<Err = T::Err>` of a generic call: the type's `Err`.
            resolved = self.u.resolve(ty)
            if not isinstance(resolved, (t.Infer, t.Error)):
                self.u.unify(self.from_str_err(resolved), err)
            return True
        item = bound.assoc_ty("Item")
        if item is None or bound.trait not in ("Iterator", "IntoIterator"):
            return True
        found: t.Ty | None = None
        if isinstance(ty, t.Adt) and ty.name in traits.ITERATORS and ty.args:
            found = ty.args[0]
        elif isinstance(ty, (t.Adt, t.Param)) and bound.trait == "Iterator":
            # A package iterator (its impl's `type Item`), a parameter bounded by
            # `Iterator` (its `I::Item`).
            found = traits.iterator_item(ty, self.env, self.assumptions)
        elif bound.trait == "IntoIterator":
            found = self.into_iter_item(ty)  # `vec![1, 2]` for `impl IntoIterator<Item = u32>`
        if found is None or self.u.unify(found, item):
            return True
        if bound.trait == "IntoIterator":
            self.diags.append(d.error(
                "E0271", f"type mismatch resolving `<{self.show(ty)} as IntoIterator>::Item "
                f"== {self.show(item)}`", span,
                f"expected `{self.show(item)}`, found `{self.show(found)}`"))
            return False
        self.diags.append(d.error(
            "E0271", f"expected `{self.show(ty)}` to be an iterator that yields "
            f"`{self.show(item)}`, but it yields `{self.show(found)}`", span,
            f"expected `{self.show(item)}`, found `{self.show(found)}`"))
        return False

    def _bind_trait_assoc(self, info: TraitInfo, bound: Bound, ty: t.Ty, span: Span) -> bool:
        """`C: Container<Item = X>` (written, or `X` the hidden `C::Item` of a generic
        call): `X` is the impl's `type Item`; False (E0271 reported) when it is another."""
        if isinstance(ty, t.Infer):
            return True
        actual = traits.assoc_subst(info, ty, self.env, self.assumptions)
        for name, want in bound.assoc:
            found = actual.get(projection_name("Self", name))
            if found is None or isinstance(found, t.Error) or self.u.unify(found, want):
                continue
            self.diags.append(d.error(
                "E0271", f"type mismatch resolving `<{self.show(ty)} as {info.name}>::{name} "
                f"== {self.show(want)}`", span,
                f"type mismatch resolving `<{self.show(ty)} as {info.name}>::{name} == "
                f"{self.show(want)}`"))
            return False
        return True

    def unsatisfied(self, shown: str, ty: t.Ty, trait: str, span: Span) -> d.Diagnostic:
        message, label = traits.unsatisfied_message(shown, trait)
        help_: tuple[str, ...] = ()
        if trait in self.env.traits:
            impls = [str(i.self_ty) for i in self.env.trait_impls(trait)]
            if impls:
                help_ = (f"the trait `{trait}` is implemented for `{impls[0]}`",) \
                    if len(impls) == 1 else \
                    (f"the following other types implement trait `{trait}`:\n"
                     + "\n".join(f"  {i}" for i in impls[:8]),)
        elif trait == "Debug" and isinstance(ty, t.Adt) and ty.name in self.env.type_names():
            help_ = (f"the trait `Debug` is not implemented for `{shown}`",)
        return d.error("E0277", message, span, label, help=help_)

    def unsize_error(self, found: t.Ty, expected: t.Ty, span: Span) -> bool:
        """`Box<Missing>` as `Box<dyn Plugin>`: the type must implement the traits."""
        pair = unsized_pair(self.u, found, expected)
        if pair is None:
            return False
        inner, dyn = pair
        if isinstance(inner, t.Dyn) and inner.call is not None and dyn.call is not None and (
                len(inner.call.params) != len(dyn.call.params) or not all(
                    self.u.unify(a, b) for a, b in zip(inner.call.params, dyn.call.params,
                                                       strict=False))
                or not self.u.unify(inner.call.ret, dyn.call.ret)):
            # `Box<impl Fn(i32) -> i32>` as `Box<dyn Fn(String) -> i32>`.
            kind = next((k for k in t.CLOSURE_KINDS if k in dyn.traits), "Fn")
            sig = ", ".join(self.show(p) for p in dyn.call.params)
            message = f"expected a `{kind}({sig})` closure, found `{self.show(inner)}`"
            self.diags.append(d.error("E0277", message, span, message.replace(" a ", " an ", 1)
                                      if kind == "Fn" else message))
            return True
        info = self.env.traits.get(dyn.traits[0]) if dyn.traits else None
        # `&Stack` as `&dyn Container<Item = String>`: the impl's `Item` must be it.
        if info is not None and dyn.assoc and not isinstance(inner, t.Dyn) and \
                self.implements(inner, info.name) and \
                not self._bind_trait_assoc(info, Bound(inner, info.name, (), dyn.assoc),
                                           self.u.resolve(inner), span):
            return True
        for trait in dyn.traits:
            if t.contains_infer(self.u.resolve(inner)):
                # `&vec![1, 2]` as `&dyn Summary` with `impl Summary for Vec<i64>`: the one
                # impl that fits types the literals, as rustc selects it.
                inner = self._from_one_impl(self.u.resolve(inner), trait)
            if not self.implements(inner, trait):
                shown = self.show(inner)
                message, label = traits.unsatisfied_message(shown, trait)
                self.diags.append(d.error(
                    "E0277", message, span, label,
                    notes=(f"required for the cast from `{self.show(found)}` to "
                           f"`{self.show(expected)}`",)))
                return True
        return False

    # ---------------------------------------------------------------- instantiation

    def instantiate(self, sig: FnSig, span: Span, preset: dict[str, t.Ty] | None = None,
                    outer: Sequence[str] = (),
                    explicit: Sequence[ast.TypeExpr] = (),
                    explicit_span: Span | None = None,
                    written: dict[str, t.Ty] | None = None) -> tuple[tuple[t.Ty, ...], t.Ty]:
        """`sig`'s parameter and return types with its generic parameters (and `outer`
        ones: an impl's) replaced by `preset` values or fresh inference variables; its
        bounds become obligations. `written` gets the `explicit` (turbofish) types."""
        subst = dict(preset or {})
        # (Not the hidden `T::Err`, `C::Item` of a bound's associated types.)
        own = [g for g in sig.generics if not g.startswith("impl ") and "::" not in g]
        if explicit:
            if len(explicit) != len(own):
                self.diags.append(self.generic_count("function", len(own), len(explicit),
                                                     explicit_span or span))
            else:
                for g, ty in zip(own, explicit, strict=True):
                    subst[g] = self.lower(ty)
                    if written is not None:
                        written[g] = subst[g]
        for g in (*outer, *sig.generics):
            if g not in subst:
                subst[g] = self.u.fresh()
        params = tuple(t.substitute(p, subst) for p in sig.params)
        ret = t.substitute(sig.ret, subst)
        for b in sig.bounds:
            self.obligations.append((Bound(t.substitute(b.ty, subst), b.trait,
                                           tuple(t.substitute(a, subst) for a in b.args),
                                           tuple((n, t.substitute(x, subst))
                                                 for n, x in b.assoc)), span))
        relaxed = unsized_params(sig.decl.generics)
        for g in own:  # Rust's implicit `T: Sized`, unless `T: ?Sized`
            if g not in relaxed and g in subst:
                self.obligations.append((Bound(subst[g], SIZED), span))
        return params, ret

    def check_call_obligations(self) -> None:
        self.settle_obligations()

    def generic_count(self, kind: str, want: int, got: int, span: Span) -> d.Diagnostic:
        def args(n: int) -> str:
            return f"{n} generic argument{'s' if n != 1 else ''}"

        verb = "was" if got == 1 else "were"
        return d.error("E0107", f"{kind} takes {args(want)} but {args(got)} {verb} supplied",
                       span, f"expected {args(want)}")

    def adt_instance(self, name: str, span: Span) -> tuple[t.Adt, dict[str, t.Ty]]:
        """A generic struct or enum at a use (`Stack { .. }`, `Some`-like variants): fresh
        variables for its parameters, and its bounds as obligations."""
        generics = self.env.generics_of(name)
        subst: dict[str, t.Ty] = {g: self.u.fresh() for g in generics}
        for b in self.env.adt_bounds(name):
            # With the bound's arguments: `F: Fn(u64) -> u64` types a closure field's
            # parameters (`discharge_callable`).
            self.obligations.append((Bound(t.substitute(b.ty, subst), b.trait,
                                           tuple(t.substitute(a, subst) for a in b.args),
                                           tuple((n, t.substitute(x, subst))
                                                 for n, x in b.assoc)), span))
        return t.Adt(name, tuple(subst[g] for g in generics)), subst

    # ---------------------------------------------------------------- methods from traits

    def inherent_method(self, ty: t.Adt, name: str, derefs: int, span: Span) -> Found | None:
        sig = self.env.inherent.get(ty.name, {}).get(name)
        if sig is None or sig.self_kind is None:
            return None
        impl = self.env.impl_of.get(sig.decl)
        preset = self._impl_subst(impl, ty) if impl is not None else {}
        unmet = self._unmet_impl_bound(impl, preset) if impl is not None else None
        bounds = sig.bounds
        if unmet is not None and impl is not None:
            # `impl<T: Display> W<T> { fn show(&self) }` called on a `W<Vec<i32>>`: rustc's
            # probe finds the method and rejects it (E0599 at the call, its note naming the
            # bound), not the bound's E0277; the impl's bounds are not asked again.
            self.diags.append(self._unmet_bound_error(ty, name, unmet, span))
            bounds = tuple(b for b in sig.bounds if b not in impl.bounds)
        params, ret = self.instantiate(sig if bounds is sig.bounds else replace(sig, bounds=bounds),
                                       span, preset,
                                       impl.generics if impl is not None else (),
                                       explicit=self.method_generics,
                                       explicit_span=self.method_generics_span,
                                       written=self.method_written)
        return (MethodRes(ty.name, name, False, sig.self_kind, AUTOREF[sig.self_kind], derefs),
                params, ret if unmet is None else t.ERROR)

    def _unmet_impl_bound(self, impl: ImplInfo, subst: dict[str, t.Ty]) -> Bound | None:
        """The first bound of `impl` that its receiver's type arguments certainly do not
        meet (with `subst`, the impl's parameters for the receiver). A type still holding
        inference variables meets a bound unless no type in their place could: `{integer}`
        is any integer here, not yet `i32`."""
        if any(g not in subst for g in impl.generics):
            return None  # (the receiver did not give every parameter: the bounds wait)
        for b in impl.bounds:
            if b.args or b.assoc:
                continue
            ty = t.map_shared(self.u.resolve(t.substitute(b.ty, subst)), _any_literal)
            if not traits.implements(ty, b.trait, self.env, self.assumptions):
                return Bound(self.u.resolve(t.substitute(b.ty, subst)), b.trait)
        return None

    def _unmet_bound_error(self, ty: t.Adt, name: str, bound: Bound, span: Span
                           ) -> d.Diagnostic:
        kind = "enum" if ty.name in self.env.enums else "struct"
        shown = self.show(self.u.resolve(ty))
        trait = "std::fmt::Display" if bound.trait == "Display" else bound.trait
        return d.error(
            "E0599", f"the method `{name}` exists for {kind} `{shown}`, but its trait bounds "
            "were not satisfied", span,
            f"method cannot be called on `{shown}` due to unsatisfied trait bounds",
            notes=(f"trait bound `{self.show(bound.ty)}: {trait}` was not satisfied",))

    def _impl_subst(self, impl: ImplInfo, ty: t.Ty) -> dict[str, t.Ty]:
        subst: dict[str, t.Ty] = {}
        traits.match_ty(impl.self_ty, self.u.resolve(ty), frozenset(impl.generics), subst)
        subst["Self"] = ty
        return subst

    def trait_method(self, ty: t.Ty, name: str, derefs: int, span: Span) -> Found | None:
        """A method of a user trait implemented for `ty` (by an impl, a bound on a type
        parameter, or `dyn Trait`); E0034 when several traits have it."""
        resolved = self.u.resolve(ty)
        if isinstance(resolved, t.Infer):
            numeric = self._numeric_receiver(resolved, name)
            if numeric is None:
                return None
            self.u.unify(resolved, numeric)
            resolved = numeric
        candidates: list[TraitInfo] = []
        for trait in self.env.traits.values():
            sig = trait.methods.get(name)
            if sig is None or sig.self_kind is None:
                continue
            if self._has_trait(resolved, trait.name):
                candidates.append(trait)
        if not isinstance(resolved, (t.Param, t.Dyn)):
            # A trait's methods are callable only where the trait is in scope (a bound or
            # `dyn Trait` names it, so it is for those).
            candidates = [c for c in candidates if self.trait_in_scope(c.name)]
        if not candidates:
            return None
        if len(candidates) > 1:
            self.diags.append(self._ambiguous(name, candidates, span))
        first = candidates[0]
        if isinstance(resolved, t.Ref) and \
                self._referent_first(resolved, first.name, first.methods[name].self_kind or ""):
            # `r.describe()` with `r: &X`: X's `&self` method, its receiver `r` itself.
            return self.trait_method_of(first, self.u.resolve(resolved.inner), name,
                                        derefs + 1, span)
        return self.trait_method_of(first, resolved, name, derefs, span)

    def _referent_first(self, ty: t.Ty, trait: str, self_kind: str) -> bool:
        """Whether a `&self` method on `&X` is `X`'s, though `&X` implements the trait too
        (`impl<T: Tr> Tr for &T`): rustc's probe takes the method whose receiver is the
        receiver's own type (`&X`, X's `&self`; for `&&Crate`, `&Crate`'s) before the one it
        must borrow again for."""
        return isinstance(ty, t.Ref) and not ty.mutable and self_kind == "ref" and \
            self._has_trait(self.u.resolve(ty.inner), trait)

    def _numeric_receiver(self, ty: t.Infer, name: str) -> t.Ty | None:
        """The type of an integer or float literal receiver (`5.show()`) that a trait's
        method is called on, as rustc picks it: the one numeric type with an impl of a
        trait in scope that has the method, else the literal's default (`i32`, `f64`) when
        it is among them."""
        if ty.kind not in ("int", "float"):
            return None
        kind = t.Int if ty.kind == "int" else t.Float
        found: list[t.Ty] = []
        for impl in self.env.impls:
            trait = self.env.traits.get(impl.trait or "")
            if trait is None or name not in trait.methods or \
                    not isinstance(impl.self_ty, kind) or not self.trait_in_scope(trait.name):
                continue
            if impl.self_ty not in found:
                found.append(impl.self_ty)
        if len(found) == 1:
            return found[0]
        default = t.I32 if ty.kind == "int" else t.F64
        return default if default in found else None

    def _has_trait(self, ty: t.Ty, trait: str) -> bool:
        if isinstance(ty, (t.Param, t.Dyn)):
            return traits.implements(ty, trait, self.env, self.assumptions)
        return traits.impl_for(ty, trait, self.env, self.assumptions) is not None

    def trait_method_of(self, trait: TraitInfo, ty: t.Ty, name: str, derefs: int,
                        span: Span) -> Found:
        found = None if isinstance(ty, (t.Param, t.Dyn)) else \
            traits.impl_for(ty, trait.name, self.env, self.assumptions)
        sig = trait.methods[name]
        preset: dict[str, t.Ty] = {"Self": ty,
                                   **traits.assoc_subst(trait, ty, self.env, self.assumptions)}
        outer: tuple[str, ...] = ()
        owner = trait.name
        if found is not None:
            impl, subst = found
            preset.update(subst)
            outer = impl.generics
            sig = impl.methods.get(name, sig)
            if name in impl.methods and isinstance(ty, t.Adt):
                owner = ty.name
        params, ret = self.instantiate(sig, span, preset, outer, explicit=self.method_generics,
                                       explicit_span=self.method_generics_span,
                                       written=self.method_written)
        kind = sig.self_kind or "ref"
        return (MethodRes(owner, name, False, kind, AUTOREF[kind], derefs, trait.name),
                params, ret)

    def _ambiguous(self, name: str, candidates: list[TraitInfo], span: Span) -> d.Diagnostic:
        notes = tuple(f"candidate #{i + 1} is defined in an impl of the trait `{c.name}`"
                      for i, c in enumerate(candidates))
        help_ = tuple(f"disambiguate the method for candidate #{i + 1}: "
                      f"`{c.name}::{name}(&receiver)`" for i, c in enumerate(candidates))
        return d.error("E0034", "multiple applicable items in scope", span,
                       f"multiple `{name}` found", notes=notes, help=help_)

    def std_bound_method(self, ty: t.Ty, name: str, derefs: int, span: Span) -> Found | None:
        """Methods of std traits on a type parameter or trait object: `x.clone()` with
        `T: Clone`, `it.count()` with `impl Iterator<Item = i32>`."""
        resolved = self.u.resolve(ty)
        if name == "clone" and traits.implements(resolved, "Clone", self.env, self.assumptions):
            return MethodRes(str(resolved), "clone", True, "ref", "&", derefs), (), resolved
        if name == "to_string" and traits.implements(resolved, "ToString", self.env,
                                                     self.assumptions):
            return (MethodRes(str(resolved), "to_string", True, "ref", "&", derefs), (),
                    t.STRING)
        if traits.implements(resolved, "Iterator", self.env, self.assumptions):
            item = self._iterator_item(resolved)
            found = self.builtin_iter_method(t.Adt("Iter", (item,)), name, derefs)
            if found is not None and name == "peekable" and isinstance(resolved, t.Param):
                # `Peekable<I>` is `I` (sema.items._peekable): `Lexer { chars:
                # it.peekable() }` for a field `chars: Peekable<I>`.
                return found[0], found[1], resolved
            return found
        if name == "as_ref" and isinstance(resolved, t.Param):
            for b in self.assumptions:
                if b.ty == resolved and b.trait == "AsRef" and len(b.args) == 1:
                    # `s.as_ref()` with `S: AsRef<str>`: a `&str`.
                    return (MethodRes(str(resolved), "as_ref", True, "ref", "&", derefs,
                                      "AsRef"), (), t.Ref(b.args[0], False))
        if name == "into_iter" and isinstance(resolved, t.Param):
            for b in self.assumptions:
                into_item = b.assoc_ty("Item") if b.ty == resolved and \
                    b.trait == "IntoIterator" else None
                if into_item is not None:
                    # `items.into_iter()` with `items: impl IntoIterator<Item = T>`.
                    return (MethodRes("Iter", "into_iter", True, "value", "", derefs), (),
                            t.Adt("Iter", (into_item,)))
        return None

    def _iterator_item(self, ty: t.Ty) -> t.Ty:
        for b in self.assumptions:
            if b.ty == ty and b.trait == "Iterator":
                item = b.assoc_ty("Item")
                if item is not None:
                    return item
        if isinstance(ty, t.Dyn):
            return self.u.fresh()
        return self.u.fresh()

    def builtin_iter_method(self, ty: t.Adt, name: str, derefs: int) -> Found | None:
        raise NotImplementedError  # gust.sema.check.calls

    def trait_items_help(self, ty: t.Ty, name: str) -> tuple[str, ...]:
        """rustc's help when a trait has the method but `ty` does not implement it."""
        having = [tr.name for tr in self.env.traits.values() if name in tr.methods]
        if not having:
            return ()
        if len(having) == 1:
            return ("items from traits can only be used if the trait is implemented and in "
                    f"scope\nnote: `{having[0]}` defines an item `{name}`, perhaps you need "
                    "to implement it",)
        return ("items from traits can only be used if the trait is implemented and in "
                f"scope\nnote: the following traits define an item `{name}`, perhaps you "
                "need to implement one of them:\n"
                + "\n".join(f"candidate #{i + 1}: `{n}`" for i, n in enumerate(having)),)

    def param_bounds(self, ty: t.Ty) -> list[str]:
        """The traits a type parameter is bounded by (with supertraits)."""
        out: list[str] = []
        for b in self.assumptions:
            if b.ty == ty:
                out += [tr for tr in traits.supertraits(b.trait, self.env) if tr not in out]
        return out


def _occurs_in(needle: t.Ty, ty: t.Ty) -> bool:
    """Whether the inference variable `needle` is written in `ty` (as instantiated, before
    inference binds it)."""
    if not isinstance(needle, t.Infer):
        return False
    if ty == needle:
        return True
    match ty:
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return _occurs_in(needle, inner)
        case t.Tuple(elems) | t.Adt(_, elems):
            return any(_occurs_in(needle, e) for e in elems)
    return False


def _fits(pattern: t.Ty, ty: t.Ty) -> bool:
    """Whether the concrete `pattern` is an instance of `ty`, whose inference variables
    stand for any type (`{integer}`, `{float}`: a type of their kind)."""
    if isinstance(ty, t.Infer):
        return ty.kind == "any" or (ty.kind == "int" and isinstance(pattern, t.Int)) or \
            (ty.kind == "float" and isinstance(pattern, t.Float))
    if type(pattern) is not type(ty):
        return False
    if isinstance(ty, t.Adt) and (not isinstance(pattern, t.Adt) or pattern.name != ty.name):
        return False
    if isinstance(ty, t.Array) and isinstance(pattern, t.Array) and pattern.length != ty.length:
        return False
    if isinstance(ty, t.Ref) and isinstance(pattern, t.Ref) and pattern.mutable != ty.mutable:
        return False
    if not t.has_components(ty):
        return pattern == ty
    mine, theirs = t.components(pattern), t.components(ty)
    return len(mine) == len(theirs) and all(_fits(p, a) for p, a in zip(mine, theirs,
                                                                         strict=True))
