"""Whether a type parameter is a `usize`: the arithmetic parameters of generic functions.

A `usize` and an `isize` are both Go's `int` (gust.codegen.gotypes), so inside a generic
function the runtime's `gustOp` cannot tell them apart, and `budget -= cost` with `T:
SubAssign` must panic below zero for a `usize` only. Subtraction is the one operator whose
result differs between the two in Go's `int` range (`+`, `*`, `/`, `%` overflow and divide
alike), so a type parameter bounded by `Sub` or `SubAssign` with itself on the right (what
`gustOp` applies, `traits.same_rhs_bound`) gets an arithmetic parameter before the others:
the Go type whose arithmetic it has, `uint` for a `usize`, the type argument itself for any
other type (no marker type to export: a function of another package takes it too).

    func takeAll[TArith, T any](budget T, costs []T) T {   // the declaration
        budget = gustOpOf[TArith](budget, *c, '-', true)     // `budget -= *c`
    takeAll[uint](10, []int{3, 4})                           // a call with `T = usize`
    takeAll[int64](10, []int64{3, 4})                        // and with `T = i64`

Go infers the other type arguments from the call's arguments as before. Only functions
have arithmetic parameters: free functions and the methods emitted as functions, which an
inherent method that needs one becomes (`generics.method_is_function`: `Acc_take[uint](&a,
3)`; a library's pub one keeps, for Go callers, the method it would be, which calls the
function: gust.codegen.go_facing). A trait's method has none, its Go form being the trait
interface's, nor has a Go-facing wrapper, which passes its own type parameters (Go's `int`
is Gust's `isize`): a
`usize` they would subtract is reported unsupported (`check_told` at calls, `check_type_args`
where a type whose trait impl subtracts is spelled with one), never subtracted as an `isize`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.items import Bound, FnSig, ItemEnv

# The bounds whose operator is Rust's subtraction on a number.
_SUBTRACTION_TRAITS: Final = frozenset({"Sub", "SubAssign"})
# The constraint of the first group of a Go type parameter list (`any` in `[T, U any, ..]`).
_FIRST_GROUP: Final = re.compile(r"\[[\w, ]*? (\w+)[,\]]")


def _subtracts(bounds: tuple[Bound, ...], param: str) -> bool:
    """Whether `bounds` give `param` the subtraction `gustOp` applies (`T: Sub<Output =
    T>`, `T: SubAssign`)."""
    ty = t.Param(param)
    return any(b.ty == ty and b.trait in _SUBTRACTION_TRAITS and
               (not b.args or b.args[0] == ty) for b in bounds)


def arith_params_of(env: ItemEnv, sig: FnSig) -> tuple[str, ...]:
    """The type parameters of the function `sig` (an inherent method's: its impl's, then its
    own) that get an arithmetic parameter, in order; none for a trait's method."""
    if sig.decl in env.trait_of:
        return ()
    impl = env.impl_of.get(sig.decl)
    if impl is not None and impl.trait is not None:
        return ()
    params = (impl.generics if impl is not None else ()) + sig.generics
    return tuple(p for p in params if _subtracts(sig.bounds, p))


def go_name(types: Types, param: str) -> str:
    """`TArith`: the Go name of `param`'s arithmetic parameter."""
    return types.go(t.Param(param)) + "Arith"


def with_declared(types: Types, params: tuple[str, ...], type_params: str) -> str:
    """`type_params` (`[T any]`) with the arithmetic parameters of `params` first."""
    if not params:
        return type_params
    names = ", ".join(go_name(types, p) for p in params)
    first_group = _FIRST_GROUP.match(type_params)
    if first_group is not None and first_group.group(1) == "any":
        return "[" + names + ", " + type_params[1:]  # `[TArith, T any]`
    return "[" + names + " any, " + type_params[1:]


@contextmanager
def in_scope(types: Types, params: tuple[str, ...]) -> Iterator[None]:
    """The arithmetic parameters of the function being emitted, for its subtractions and
    the calls that pass them on."""
    saved = dict(types.arith_params)
    types.arith_params.update({p: go_name(types, p) for p in params})
    try:
        yield
    finally:
        types.arith_params.clear()
        types.arith_params.update(saved)


def argument(types: Types, ty: t.Ty) -> str:
    """The arithmetic argument for the type argument `ty`: `uint` for a `usize`, the
    caller's own arithmetic parameter for one of its type parameters, else `ty`'s Go type."""
    if ty == t.Int("usize"):
        return "uint"
    if isinstance(ty, t.Param) and ty.name in types.arith_params:
        return types.arith_params[ty.name]
    # (a parameter of a trait's method has none: it subtracts as an `isize`)
    return types.go(ty)


def arguments(types: Types, params: tuple[str, ...], subst: dict[str, t.Ty]) -> list[str]:
    """The arithmetic arguments of a call that binds the callee's `params` as `subst` says."""
    if any(p not in subst for p in params):
        raise Unsupported("a generic call whose type arguments are not known")
    return [argument(types, subst[p]) for p in params]


def _may_be_usize(types: Types, ty: t.Ty | None) -> bool:
    return ty == t.Int("usize") or (isinstance(ty, t.Param) and ty.name in types.arith_params)


def check_told(types: Types, bounds: tuple[Bound, ...], subst: dict[str, t.Ty],
               told: tuple[str, ...]) -> None:
    """Report a `usize` (or a parameter that may be one) given to a callee's parameter that
    subtracts and is not in `told`, those with an arithmetic argument: the parameters of a
    trait's method, of another package's Go-facing wrapper. Its Go code would subtract as
    an `isize` does, with no panic below zero."""
    for b in bounds:
        if isinstance(b.ty, t.Param) and b.ty.name not in told and \
                _subtracts((b,), b.ty.name) and _may_be_usize(types, subst.get(b.ty.name)):
            raise Unsupported(f"a `usize` for `{b.ty.name}: {b.trait}` in a trait's method "
                              "or another package's function (its Go code could not tell "
                              "it from an `isize`)")


def check_type_args(types: Types, name: str, args: tuple[t.Ty, ...]) -> None:
    """Report the package type `name` with a `usize` for a parameter that one of its trait
    impls subtracts (`impl<T: SubAssign> Spend for Wallet<T>`, used as `Wallet<usize>`):
    the impl's Go methods have no arithmetic parameter."""
    subtracted = types.trait_subtracted.get(name)
    if subtracted is None:
        subtracted = frozenset(_trait_subtracted(types.env, name))
        types.trait_subtracted[name] = subtracted
    for i in subtracted:
        if i < len(args) and _may_be_usize(types, args[i]):
            raise Unsupported(f"`{name}` with a `usize` for a parameter that a trait impl "
                              "of it subtracts (its Go methods could not tell it from an "
                              "`isize`)")


def _trait_subtracted(env: ItemEnv, name: str) -> Iterator[int]:
    """The positions of `name`'s parameters that one of its trait impls subtracts."""
    for impl in env.impls:
        self_ty = impl.self_ty
        if impl.trait is None or not isinstance(self_ty, t.Adt) or self_ty.name != name:
            continue
        bounds = impl.bounds + tuple(b for sig in impl.methods.values() for b in sig.bounds)
        for i, arg in enumerate(self_ty.args):
            if isinstance(arg, t.Param) and _subtracts(bounds, arg.name):
                yield i


def subtraction(types: Types, ty: t.Ty) -> str:
    """The runtime function of `a - b` on the type parameter `ty`: `gustOpOf[TArith]` when
    it has an arithmetic parameter, else `gustOp`."""
    if isinstance(ty, t.Param) and ty.name in types.arith_params:
        return f"gustOpOf[{types.arith_params[ty.name]}]"
    return "gustOp"
