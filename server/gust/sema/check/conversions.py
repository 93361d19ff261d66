"""`From` and `Into` in bodies: `T::from(x)`, `x.into()`, and the `T: From<S>` obligations
they leave, proved once both types are known (gust.sema.conversions says which hold).

`x.into()` has no method table entry: like std's blanket `impl<T, U: From<T>> Into<U> for
T`, it is found on every type that has no `into` of its own, and its result type comes from
the context. Both are recorded as builtins (`AssocFnRes("From", "from")`,
`MethodRes(owner="Into")`): the Go backend converts from the argument's type to the
result's.
"""

from __future__ import annotations

from typing import Final

import mypy_extensions

from gust import diagnostics as d
from gust.sema import conversions, traits
from gust.sema import types as t
from gust.sema.check.generics import Generics
from gust.sema.items import Bound
from gust.sema.results import AssocFnRes, MethodRes
from gust.syntax import ast
from gust.text import Span

FROM: Final = "From"
# `u8::try_from(x)`, `x.try_into()`: between integer types only (std's `TryFrom` impls that
# programs use); the error is a `TryFromIntError`. (rustc's is `Infallible` where a `From`
# impl exists too, `i64::try_from(1i32)`: that conversion cannot fail either way.)
TRY_FROM: Final = "TryFrom"
TRY_FROM_INT_ERROR: Final = t.Adt("TryFromIntError")
# And `slice.try_into()` into an array of its `Copy` elements (`[u8; 4]`, std's `impl<T: Copy,
# const N: usize> TryFrom<&[T]> for [T; N]`): a `TryFromSliceError` when the lengths differ.
TRY_FROM_SLICE_ERROR: Final = t.Adt("TryFromSliceError")


@mypy_extensions.trait
class Conversions(Generics):
    def from_fn(self, target: t.Ty, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        """`Target::from`: a function from whatever `Target` converts from (the argument
        decides which impl, as in rustc: `Meters::from(3)` does not pick `From<f64>`)."""
        source = self.u.fresh()
        self.obligations.append((Bound(target, FROM, (source,)), span))
        return AssocFnRes(FROM, "from", True), t.FnPtr((source,), target)

    def into_call(self, e: ast.MethodCall, recv_ty: t.Ty, expected: t.Ty | None) -> t.Ty:
        """`x.into()`: the target is what the context expects."""
        self._no_arguments(e)
        target = expected if expected is not None else self.u.fresh()
        self.results.methods[e] = MethodRes("Into", "into", True, "value", "", 0, "Into")
        bounded = self._bound_targets(self.u.resolve(recv_ty))
        if len(bounded) == 1:
            # `x: T` with `T: Into<i64>` (or `impl Into<String>`): what the bound says, as
            # rustc selects it (another expected type is then E0308).
            return bounded[0]
        self.obligations.append((Bound(target, FROM, (recv_ty,)), e.name_span))
        self.settle_obligations()
        return target

    def _bound_targets(self, source: t.Ty) -> list[t.Ty]:
        """The types a bound in scope converts `source` to (`T: Into<i64>`: i64)."""
        return [b.args[0] for b in self.assumptions
                if b.trait == "Into" and len(b.args) == 1 and b.ty == source]

    def _bound_conversion(self, target: t.Ty, source: t.Ty) -> bool:
        """Whether a bound in scope says `target: From<source>` (`T: From<u8>`, or
        `source: Into<target>`)."""
        return any(len(b.args) == 1 and (
            (b.trait == FROM and b.ty == target and b.args[0] == source) or
            (b.trait == "Into" and b.ty == source and b.args[0] == target))
            for b in self.assumptions)

    def _no_arguments(self, e: ast.MethodCall) -> None:
        """`x.into()` and `x.try_into()` take none: E0061 for any given (checked still)."""
        for a in e.args:
            self.check_expr(a, None)
        if e.args:
            self.diags.append(d.error("E0061", f"this method takes 0 arguments but "
                                      f"{len(e.args)} argument{'s' if len(e.args) > 1 else ''}"
                                      f" {'were' if len(e.args) > 1 else 'was'} supplied",
                                      e.name_span))

    def try_from_fn(self, target: t.Ty, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        """`u8::try_from`: a function from an integer type to a `Result<u8, _>`."""
        source = self.u.fresh()
        self.obligations.append((Bound(target, TRY_FROM, (source,)), span))
        return AssocFnRes(TRY_FROM, "try_from", True), t.FnPtr(
            (source,), t.Adt("Result", (target, TRY_FROM_INT_ERROR)))

    def user_try_from_fn(self, target: t.Adt, span: Span) -> tuple[AssocFnRes, t.FnPtr]:
        """`Weekday::try_from`: a function from what one of the type's `impl TryFrom<S>`
        converts from (the argument picks the impl) to `Result<Weekday, impl's Error>`."""
        source, err = self.u.fresh(), self.u.fresh()
        self.obligations.append((Bound(target, TRY_FROM, (source, err)), span))
        return AssocFnRes(TRY_FROM, "try_from", True), t.FnPtr(
            (source,), t.Adt("Result", (target, err)))

    def user_try_froms(self, target: t.Ty) -> list[tuple[t.Ty, t.Ty]]:
        """(source, error) of each package `impl TryFrom<source> for target`."""
        out: list[tuple[t.Ty, t.Ty]] = []
        for impl in self.env.impls:
            subst: dict[str, t.Ty] = {}
            if impl.trait == TRY_FROM and len(impl.trait_args) == 1 and \
                    traits.match_ty(impl.self_ty, target, frozenset(impl.generics), subst):
                err = dict(impl.assoc).get("Error", t.ERROR)
                out.append((t.substitute(impl.trait_args[0], subst), t.substitute(err, subst)))
        return out

    def try_into_call(self, e: ast.MethodCall, recv_ty: t.Ty, expected: t.Ty | None) -> t.Ty:
        """`x.try_into()`: the target is the `Ok` type the context expects."""
        self._no_arguments(e)
        wanted = self.u.shallow(expected) if expected is not None else None
        target = wanted.args[0] if isinstance(wanted, t.Adt) and wanted.name == "Result" \
            and wanted.args else self.u.fresh()
        self.results.methods[e] = MethodRes("TryInto", "try_into", True, "value", "", 0,
                                            "TryInto")
        source = self.u.resolve(recv_ty)
        if isinstance(source, t.Slice):
            # `buf[4..8].try_into()`: autoref'd (rustc's probe finds `TryInto` of `&[u8]`)
            source = t.Ref(source, False)
            self.results.methods[e] = MethodRes("TryInto", "try_into", True, "ref", "&", 0,
                                                "TryInto")
        if isinstance(source, t.Ref) and isinstance(source.inner, t.Slice):
            self.obligations.append((Bound(target, TRY_FROM, (source,)), e.name_span))
            return t.Adt("Result", (target, TRY_FROM_SLICE_ERROR))
        if not any(i.trait == TRY_FROM for i in self.env.impls):
            # Between integer types only: the error is known now.
            self.obligations.append((Bound(target, TRY_FROM, (recv_ty,)), e.name_span))
            return t.Adt("Result", (target, TRY_FROM_INT_ERROR))
        # A package type's impl may be the target: its `Error` once the target is known.
        err = self.u.fresh()
        self.obligations.append((Bound(target, TRY_FROM, (recv_ty, err)), e.name_span))
        self.settle_obligations()
        return t.Adt("Result", (target, err))

    def _settle_user_try(self, bound: Bound, span: Span, final: bool) -> bool | None:
        """`target: TryFrom<source>` for a package target type (None for another target):
        the impl whose source the argument is sets the error type; True while the source
        is not known and several impls fit."""
        target = self.u.resolve(bound.ty)
        if not (isinstance(target, t.Adt) and target.name in self.env.type_names()):
            return None
        impls = self.user_try_froms(target)
        source = bound.args[0]
        fits = [(src, err) for src, err in impls
                if self.u.resolve(src) == self.u.resolve(source)]
        if not fits and t.contains_infer(self.u.resolve(source)):
            # The impls a partly known argument may pick (`Even::try_from(7)`: of an
            # integer type); when one is left, it is taken, as rustc does.
            fits = [(src, err) for src, err in impls if self.u.could_unify(source, src)]
            if len(fits) > 1 and not final:
                return True
        if not fits and t.contains_infer(self.u.resolve(source)) and not final:
            return True
        if len(fits) == 1 and self.u.unify(source, fits[0][0]):
            if len(bound.args) > 1:
                self.u.unify(bound.args[1], fits[0][1])
            return False
        shown = self.show(self.u.resolve(source))
        for trait in ("TryFrom", "From"):
            self.diags.append(d.error(
                "E0277", f"the trait bound `{self.show(target)}: {trait}<{shown}>` is not "
                "satisfied", span, f"the trait `{trait}<{shown}>` is not implemented for "
                f"`{self.show(target)}`"))
        if len(bound.args) > 1:
            var = self.u.shallow(bound.args[1])
            if isinstance(var, t.Infer):
                self.u.force(var, t.ERROR)
        return False

    def settle_try_conversion(self, bound: Bound, span: Span, final: bool) -> bool:
        """Prove `target: TryFrom<source>` (integers both); True while not known yet."""
        user = self._settle_user_try(bound, span, final)
        if user is not None:
            return user
        target = self.u.resolve(bound.ty)
        source = self.u.resolve(bound.args[0])
        if len(bound.args) > 1 and isinstance(target, t.Int) and isinstance(source, t.Int):
            self.u.unify(bound.args[1], TRY_FROM_INT_ERROR)
        if t.contains_infer(source) or t.contains_infer(target):
            if not final:
                return True
            source, target = self.u.default(source), self.u.default(target)
            if t.contains_infer(source) or t.contains_infer(target):
                return False  # E0282 at the binding
        if not (isinstance(target, t.Int) and isinstance(source, t.Int)) and \
                not self._slice_to_array(target, source):
            # rustc reports the bound twice: `TryFrom`, and the `From` its blanket impl
            # (`impl<T, U: Into<T>> TryFrom<U> for T`) would need; for an array, whose
            # `TryFrom` impls it lists, only the first.
            shown = self.show(source)
            for trait in ("TryFrom",) if isinstance(target, t.Array) else ("TryFrom", "From"):
                self.diags.append(d.error(
                    "E0277", f"the trait bound `{self.show(target)}: {trait}<{shown}>` is not "
                    "satisfied", span, f"the trait `{trait}<{shown}>` is not implemented for "
                    f"`{self.show(target)}`"))
        return False

    def _slice_to_array(self, target: t.Ty, source: t.Ty) -> bool:
        """`[T; N]: TryFrom<&[T]>` with `T: Copy`."""
        return isinstance(target, t.Array) and isinstance(source, t.Ref) and \
            isinstance(source.inner, t.Slice) and source.inner.elem == target.elem and \
            self.implements(target.elem, "Copy")

    def settle_conversion(self, bound: Bound, span: Span, final: bool) -> bool:
        """Prove `target: From<source>`; True while the types are not known enough yet.
        When only one conversion fits what is known (an integer literal's type, a generic
        impl's parameters), inference takes it."""
        target = self.u.resolve(bound.ty)
        source = self.u.resolve(bound.args[0])
        if isinstance(self.u.shallow(target), t.Infer):
            return not final  # nothing says what to convert to: E0282 at the binding
        shallow = self.u.shallow(target)
        if isinstance(shallow, t.Adt) and shallow.name in conversions.FROM_ARRAY and \
                isinstance(self.u.shallow(source), t.Infer) and not final:
            return True  # (an array, of any length, may be what it converts from)
        if isinstance(shallow, t.Adt) and isinstance(self.u.shallow(source), t.Array) and \
                shallow.name in conversions.FROM_ARRAY:
            # `HashMap::from([(k, v), ..])`: the array's elements are the collection's
            elem = conversions.array_elem_of(shallow)
            array = self.u.shallow(source)
            if elem is not None and isinstance(array, t.Array):
                self.u.unify(elem, array.elem)
                target, source = self.u.resolve(bound.ty), self.u.resolve(bound.args[0])
        if t.contains_infer(source) or t.contains_infer(target):
            fits = self._fitting(target, source)
            if len(fits) == 1:
                self.u.unify(target, fits[0][0])
                self.u.unify(source, fits[0][1])
                target, source = self.u.resolve(target), self.u.resolve(source)
        shown = self.show(source)  # `{integer}` for a literal, as rustc says
        if t.contains_infer(source) or t.contains_infer(target):
            if not final:
                return True
            source, target = self.u.default(source), self.u.default(target)
            if t.contains_infer(source) or t.contains_infer(target):
                return False
        if not conversions.converts(self.env, target, source) and \
                not self._bound_conversion(target, source):
            self.diags.append(d.error(
                "E0277", f"the trait bound `{self.show(target)}: From<{shown}>` is not "
                "satisfied", span, f"the trait `From<{shown}>` is not implemented for "
                f"`{self.show(target)}`"))
        return False

    def _fitting(self, target: t.Ty, source: t.Ty) -> list[tuple[t.Ty, t.Ty]]:
        """The (target, source) pairs of the conversions that may be the one meant: the
        package's impls (their generic parameters fresh), std's, and the identity."""
        pairs: list[tuple[t.Ty, t.Ty]] = []
        for impl in self.env.impls:
            if impl.trait != FROM or len(impl.trait_args) != 1:
                continue
            subst: dict[str, t.Ty] = {p: self.u.fresh() for p in impl.generics}
            pairs.append((t.substitute(impl.self_ty, subst),
                          t.substitute(impl.trait_args[0], subst)))
        pairs += [(target, s) for s in conversions.std_sources(target)]
        pairs.append((target, target))
        for b in self.assumptions:  # `T: From<u8>`: `T::from(7)` converts a u8
            if len(b.args) == 1 and b.trait in (FROM, "Into"):
                pairs.append((b.ty, b.args[0]) if b.trait == FROM else (b.args[0], b.ty))
        return [(tp, sp) for tp, sp in pairs
                if conversions.could_be(tp, target) and conversions.could_be(sp, source)]

    def error_converts(self, target: t.Ty, source: t.Ty) -> bool:
        """Whether `?` may convert an error of type `source` into `target`."""
        target, source = self.u.resolve(target), self.u.resolve(source)
        if t.contains_infer(target) or t.contains_infer(source):
            return False
        return target != source and conversions.converts(self.env, target, source)
