"""Does type X implement trait Y? The one place that answers, for std and user traits alike:
builtin rules for std types, `impl Trait for Type` blocks (with their own bounds),
`#[derive(...)]`, the bounds in scope for type parameters, and the traits of `dyn Trait`.

Every check that needs a trait (format strings, `==`, `.clone()`, generic bounds, unsizing to
`dyn Trait`, derives) calls `implements`. `is_copy` and friends are shorthands for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from gust.sema import types as t
from gust.sema.golang import go_copy, go_ordered, go_stringer

if TYPE_CHECKING:
    from gust.sema.items import Bound, ImplInfo, ItemEnv, TraitInfo
    from gust.syntax import ast

# Supertraits of the std traits the checker knows.
STD_SUPERTRAITS: Final[dict[str, tuple[str, ...]]] = {
    "Copy": ("Clone",),
    "Eq": ("PartialEq",),
    "PartialOrd": ("PartialEq",),
    "Ord": ("Eq", "PartialOrd"),
    "ExactSizeIterator": ("Iterator",),
    "DoubleEndedIterator": ("Iterator",),
    "Error": ("Debug", "Display"),
    "FnMut": ("FnOnce",),
    "Fn": ("FnMut",),
}

# Std errors that are `PartialEq` and `Eq` in Rust, whose Go values Go's `==` compares.
_COMPARED_ERRORS: Final = frozenset({"ParseIntError", "ParseFloatError", "ParseBoolError",
                              "ParseCharError", "TryFromIntError", "TryFromSliceError",
                              "Utf8Error", "Infallible"})

# Std error types (from `parse`, channels, `Mutex::lock`): `Debug` and `Display`.
STD_ERRORS: Final = frozenset({"ParseIntError", "ParseFloatError", "ParseBoolError", "TryFromIntError",
                        "TryFromSliceError",
                        "FromUtf8Error", "Utf8Error",
                        "ParseCharError", "RecvError", "TryRecvError", "SendError",
                        "PoisonError", "std::fmt::Error",
                        "Infallible"})  # `<String as FromStr>::Err`: never made

# Std types that are iterators (gust.sema.builtins models them all as `Iter<Item>`).
ITERATORS: Final = frozenset({"Iter", "Range", "RangeInclusive"})

_DEPTH: Final = 8  # impls whose bounds need deeper proofs than this are taken as not holding


def supertraits(trait: str, env: ItemEnv) -> list[str]:
    """`trait` and every trait it requires, transitively."""
    out: list[str] = []
    stack = [trait]
    while stack:
        tr = stack.pop()
        if tr in out:
            continue
        out.append(tr)
        info = env.traits.get(tr)
        if info is not None:
            stack.extend(b.trait for b in info.supertraits)
        stack.extend(STD_SUPERTRAITS.get(tr, ()))
    return out


def fn_assumptions(env: ItemEnv, fn: ast.FnDecl) -> tuple[Bound, ...]:
    """The bounds that hold inside `fn`'s body: its own, its impl's, and `Self: Trait`
    in a trait's default method (what later layers pass to `implements`)."""

    impl = env.impl_of.get(fn)
    trait = env.trait_of.get(fn)
    if impl is not None:
        sig = impl.methods.get(fn.name)
        return sig.bounds if sig is not None and sig.decl is fn else impl.bounds
    if trait is not None:
        sig = trait.methods.get(fn.name)
        own = sig.bounds if sig is not None else ()
        return (self_bound(trait), *trait.supertraits, *own)
    sig = env.fns.get(fn.name)
    return sig.bounds if sig is not None and sig.decl is fn else ()


def self_bound(trait: TraitInfo) -> Bound:
    """`Self: Trait` in the trait's default methods, its associated types `Self::Item`."""
    from gust.sema.items import Bound, projection_name

    self_ty = t.Param("Self")
    return Bound(self_ty, trait.name, (),
                 tuple((a, t.Param(projection_name("Self", a))) for a in trait.assoc))


def assoc_subst(trait: TraitInfo, ty: t.Ty, env: ItemEnv,
                assumptions: Sequence[Bound] = ()) -> dict[str, t.Ty]:
    """What `Self::Item` of `trait`'s signatures is for `ty` (`Param("Self::Item")` to the
    type): the impl's `type Item = ..`, a bound's (`C: Container` binds it to the hidden
    parameter `C::Item`), `dyn Container<Item = i32>`'s; the error type when unknown."""
    from gust.sema.items import projection_name

    if not trait.assoc:
        return {}
    found: dict[str, t.Ty] = {}
    if isinstance(ty, t.Param):
        for b in assumptions:
            if b.ty == ty and b.trait == trait.name:
                found.update(b.assoc)
    elif isinstance(ty, t.Dyn):
        found.update(ty.assoc)  # `dyn Container<Item = i32>`
    else:
        impl = impl_for(ty, trait.name, env, assumptions)
        if impl is not None:
            found.update((n, t.substitute(a, impl[1])) for n, a in impl[0].assoc)
    return {projection_name("Self", a): found.get(a, t.ERROR) for a in trait.assoc}


def iterator_item(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> t.Ty | None:
    """`Item` of a package type's `impl Iterator` or of a parameter's iterator bound
    (`I: Iterator<Item = I::Item>`); None when neither says."""
    if isinstance(ty, t.Param):
        for b in assumptions:
            item = b.assoc_ty("Item")
            if b.ty == ty and item is not None and b.trait in (
                    "Iterator", "DoubleEndedIterator", "ExactSizeIterator"):
                return item
        return None
    if not isinstance(ty, t.Adt) or (ty.name not in env.structs and ty.name not in env.enums):
        return None
    found = impl_for(ty, "Iterator", env, assumptions)
    if found is None:
        return None
    item = dict(found[0].assoc).get("Item")
    return t.substitute(item, found[1]) if item is not None else None


# `<T as FromStr>::Err` of std's types (`s.parse::<u8>()`'s error).
_PARSE_ERRORS: Final = {"int": "ParseIntError", "float": "ParseFloatError", "bool": "ParseBoolError",
                 "char": "ParseCharError"}


def from_str_err(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> t.Ty:
    """`<ty as FromStr>::Err`: a package type's impl's `type Err`, a type parameter's from
    its `T: FromStr` bound (the hidden `T::Err`), std's parse errors for the others."""
    if isinstance(ty, t.Adt) and (ty.name in env.structs or ty.name in env.enums):
        found = impl_for(ty, "FromStr", env, assumptions)
        return t.ERROR if found is None else \
            t.substitute(dict(found[0].assoc).get("Err", t.ERROR), found[1])
    if isinstance(ty, t.Param):
        for b in assumptions:
            err = b.assoc_ty("Err") if b.ty == ty and b.trait == "FromStr" else None
            if err is not None:
                return err
    kind = "int" if t.is_integral(ty) else "float" if t.is_floating(ty) else str(ty)
    return t.Adt(_PARSE_ERRORS.get(kind, "ParseError" if kind != "String" else "Infallible"))


def implements(ty: t.Ty, trait: str, env: ItemEnv, assumptions: Sequence[Bound] = (),
               depth: int = 0) -> bool:
    """Whether `ty` implements `trait`. Unknown types (inference variables) and types that
    already have an error are taken to implement everything: a later check, or the first
    error, decides."""
    if depth > _DEPTH:
        return False
    match ty:
        case t.Error() | t.Never():
            return True
        case t.Infer(kind="int"):
            return implements(t.I32, trait, env, assumptions, depth)
        case t.Infer(kind="float"):
            return implements(t.F64, trait, env, assumptions, depth)
        case t.Infer():
            return True
        case t.Param():
            if trait == "ToString" and implements(ty, "Display", env, assumptions, depth):
                return True  # std's `impl<T: Display> ToString for T`
            return trait in ("Sized", "Send", "Sync") or any(
                b.ty == ty and trait in supertraits(b.trait, env) for b in assumptions)
        case t.Dyn(traits, opaque):
            if trait == "Sized":
                return opaque
            if trait == "ToString" and implements(ty, "Display", env, assumptions, depth):
                return True
            return any(trait in supertraits(tr, env) for tr in traits)
    if trait in ("Copy", "Clone") and isinstance(ty, t.Adt) and (
            ty.name == "GoError" or ty.name.startswith("go:")):
        return go_copy(env.go_packages, ty, trait == "Clone")
    if trait in ("PartialEq", "Eq", "PartialOrd", "Ord", "Hash") and isinstance(ty, t.Adt) \
            and ty.name.startswith("go:") and go_ordered(env.go_packages, ty, trait):
        return True  # `d > time::Second`: Go's own comparison of numbers
    if trait in ("Display", "ToString") and isinstance(ty, t.Adt) and \
            ty.name.startswith("go:"):
        return go_stringer(env.go_packages, ty)  # `{}` of a `time::Duration`: `String()`
    if impl_for(ty, trait, env, assumptions, depth) is not None:
        return True
    if _derived(ty, trait, env, assumptions, depth):
        return True
    rule = _STD_RULES.get(trait)
    if isinstance(ty, t.Adt) and ty.name in _STD_VALUE_TYPES and (
            ty.name in env.structs or ty.name in env.enums):
        return False  # the package's own `Duration`: its derives and impls only
    if rule is not None:
        def other(x: t.Ty, tr: str) -> bool:
            return implements(x, tr, env, assumptions, depth + 1)

        return rule(ty, other_as(other, trait), other)
    return trait not in env.traits and trait not in _CHECKED_STD


def impl_for(ty: t.Ty, trait: str, env: ItemEnv, assumptions: Sequence[Bound] = (),
             depth: int = 0) -> tuple[ImplInfo, dict[str, t.Ty]] | None:
    """The user `impl trait for ...` that applies to `ty`, with its generic parameters'
    values."""
    for impl in env.impls:
        if impl.trait != trait:
            continue
        subst: dict[str, t.Ty] = {}
        if not match_ty(impl.self_ty, ty, frozenset(impl.generics), subst):
            continue
        if all(implements(t.substitute(b.ty, subst), b.trait, env, assumptions, depth + 1)
               for b in impl.bounds):
            return impl, subst
    return None


def match_ty(pattern: t.Ty, ty: t.Ty, params: frozenset[str], subst: dict[str, t.Ty]) -> bool:
    """Whether `ty` is an instance of `pattern`, binding `params` in `subst`."""
    match pattern:
        case t.Param(name) if name in params:
            if name in subst:
                return subst[name] == ty
            subst[name] = ty
            return True
    match pattern, ty:
        case t.Adt(n1, a1), t.Adt(n2, a2) if n1 == n2 and len(a1) == len(a2):
            return all(match_ty(p, x, params, subst) for p, x in zip(a1, a2, strict=True))
        case t.Ref(p, m1), t.Ref(x, m2) if m1 == m2:
            return match_ty(p, x, params, subst)
        case t.Tuple(ps), t.Tuple(xs) if len(ps) == len(xs):
            return all(match_ty(p, x, params, subst) for p, x in zip(ps, xs, strict=True))
        case (t.Slice(p), t.Slice(x)) | (t.Array(p, _), t.Array(x, _)):
            return match_ty(p, x, params, subst)
    if isinstance(ty, t.Infer) and ty.kind != "any":
        return pattern == (t.I32 if ty.kind == "int" else t.F64) or (
            isinstance(pattern, t.Int) if ty.kind == "int" else isinstance(pattern, t.Float))
    return pattern == ty


def _derived(ty: t.Ty, trait: str, env: ItemEnv, assumptions: Sequence[Bound],
             depth: int) -> bool:
    """`#[derive(Trait)]` on a user type: implemented when its arguments implement it."""
    if not isinstance(ty, t.Adt) or trait not in env.derives_of(ty.name):
        return False
    return all(implements(a, trait, env, assumptions, depth + 1) for a in ty.args)


# ---------------------------------------------------------------- std rules

Check = Callable[[t.Ty], bool]
CheckOther = Callable[[t.Ty, str], bool]


def _all(check: Check, tys: Iterable[t.Ty]) -> bool:
    return all(check(x) for x in tys)


def _copy(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.FnPtr() | t.Adt("Ordering"):
            return True
        case t.Adt("Duration" | "Instant" | "Discriminant"):
            return True
        case t.Ref(mutable=False):
            return True
        case t.Closure(copy=copy):
            return copy
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Array(elem, _):
            return same(elem)
        case t.Adt("Option" | "Reverse" | "Bound", args):
            return _all(same, args)
    return False


def _clone(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    if _copy(ty, other_as(other, "Copy"), other):
        return True
    match ty:
        case t.Adt("String" | "GoError"):
            return True
        case t.Adt("Vec" | "Option" | "Box" | "HashMap" | "Result" | "HashSet" | "Reverse"
                   | "VecDeque" | "BTreeMap" | "BTreeSet" | "BinaryHeap" | "Bound" | "Range"
                   | "RangeInclusive", args):
            return _all(same, args)
        case t.Adt("Sender" | "chan" | "Arc" | "Rc" | "Weak" | "Cow"):
            return True  # a new handle to the same value (`Cow<str>`: its text)
        case t.Adt("Iter" | "Range" | "RangeInclusive"):
            return True  # std's iterators (their closures' captures are not asked)
        case t.Adt("Cell", (inner,)):
            return other(inner, "Copy")  # `impl<T: Copy> Clone for Cell<T>`
        case t.Adt("RefCell", (inner,)):
            return same(inner)
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Array(elem, _):
            return same(elem)
    return False


def other_as(other: CheckOther, trait: str) -> Check:
    return lambda x: other(x, trait)


def _display(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str():
            return True
        case t.Adt("String" | "GoError"):
            return True
        case t.Adt(name) if name in STD_ERRORS:
            return True
        case t.Ref(inner, _) | t.Adt("Box" | "Arc" | "Rc" | "MutexGuard" | "Ref" | "RefMut"
                                          | "Cow" | "RwLockReadGuard" | "RwLockWriteGuard",
                                          (inner,)):
            return same(inner)
    return False


def _debug(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str():
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return same(inner)
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Adt("String" | "GoError"):
            return True
        case t.Adt(name, args) if name in STD_ERRORS:
            return _all(same, args)
        case t.Adt("Weak"):
            return True  # printed `(Weak)`, whatever it points to
        case t.Adt("Duration"):
            return True  # `1.5s`, `250ms` (an `Instant`'s Debug is the platform's: none)
        case t.Adt("Discriminant"):
            return True  # `Discriminant(1)`
        case t.Adt("Cell", (inner,)):
            return same(inner) and other(inner, "Copy")  # `impl<T: Copy + Debug> Debug`
        case t.Adt("AtomicU64" | "AtomicUsize" | "AtomicI64" | "AtomicIsize" | "AtomicU32"
                   | "AtomicI32" | "AtomicBool" | "AtomicOrdering"):
            return True  # an atomic prints its value
        case t.Adt("Vec" | "Option" | "Result" | "Box" | "HashMap" | "Iter" | "Range"
                   | "RangeInclusive" | "HashSet" | "Arc" | "Rc" | "Mutex" | "MutexGuard"
                   | "RefCell" | "Ref" | "RefMut" | "Ordering" | "Sender" | "Receiver"
                   | "JoinHandle" | "Reverse" | "VecDeque" | "BTreeMap" | "BTreeSet"
                   | "BinaryHeap" | "Bound" | "Cow" | "RwLock" | "RwLockReadGuard"
                   | "RwLockWriteGuard", args):
            return _all(same, args)
    return False


def _partial_eq(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Adt("Ordering"):
            return True
        case t.Adt("Duration" | "Instant" | "Discriminant"):
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return same(inner)
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Adt("String"):
            return True
        case t.Adt(name) if name in _COMPARED_ERRORS:
            return True  # `Err(VersionError::Number(e))` in a derived `PartialEq`
        case t.Adt("Vec" | "Option" | "Result" | "Box" | "HashMap" | "Reverse" | "VecDeque"
                   | "BTreeMap" | "BTreeSet" | "Bound" | "Rc" | "Arc" | "Range"
                   | "RangeInclusive", args):
            return _all(same, args)
    return False


def _eq(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    if isinstance(ty, t.Float):
        return False
    return _partial_eq(ty, same, other)


def _partial_ord(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Adt("Ordering"):
            return True
        case t.Adt("Duration" | "Instant"):
            return True
        case t.Ref(inner, _) | t.Slice(inner) | t.Array(inner, _):
            return same(inner)
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Adt("String"):
            return True
        case t.Adt("Vec" | "Option" | "Result" | "Box" | "Reverse" | "VecDeque" | "BTreeMap"
                   | "BTreeSet" | "Rc" | "Arc", args):
            return _all(same, args)
    return False


def _ord(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    if isinstance(ty, t.Float):
        return False
    return _partial_ord(ty, same, other)


def _hash(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    if isinstance(ty, t.Float):
        return False
    match ty:
        case t.Adt("HashMap" | "HashSet"):
            return False
        case t.Adt(name) if name in _COMPARED_ERRORS:
            return False  # std's errors are `PartialEq + Eq`, not `Hash`
    return _partial_eq(ty, same, other)


def _default(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char():
            return True
        case t.Adt("String" | "Vec" | "Option" | "HashMap" | "HashSet" | "Weak" | "VecDeque"
                   | "BTreeMap" | "BTreeSet" | "BinaryHeap" | "Duration" | "AtomicU64"
                   | "AtomicUsize" | "AtomicI64" | "AtomicIsize" | "AtomicU32" | "AtomicI32"
                   | "AtomicBool"):
            return True
        case t.Adt("Box" | "Rc" | "Arc" | "Mutex" | "RefCell" | "Cell" | "RwLock", (inner,)):
            return same(inner)
        case t.Tuple(elems):
            return _all(same, elems)
        case t.Ref(t.Str(), False):
            return True
    return False


def _iterator(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Adt(name) if name in ITERATORS:
            return True
        case t.Ref(inner, True):
            return same(inner)
    return False


def _into_iterator(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Adt("Vec" | "HashMap" | "Option" | "VecDeque" | "BTreeMap" | "BTreeSet"
                   | "BinaryHeap" | "HashSet"):
            return True
        case t.Array() | t.Ref(t.Slice(), _):
            return True
        case t.Ref(t.Adt("Vec" | "HashMap" | "VecDeque" | "BTreeMap" | "BTreeSet" | "HashSet")
                   | t.Array(), _):
            return True
    return other(ty, "Iterator")


def _from_str(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char() | t.Adt("String"):
            return True
    return False


def _sized(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    return not isinstance(ty, (t.Str, t.Slice))


def _to_string(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    return other(ty, "Display")


def _arith(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    match ty:
        case t.Int() | t.Float():
            return True
        case t.Ref(t.Int() | t.Float(), _):
            return True
    return False


def _add(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    return _arith(ty, same, other) or ty == t.STRING


def _arith_assign(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    """`MulAssign`, `DivAssign`, `RemAssign` (with `Self` on the right: `Duration`'s take a
    `u32`); not a reference's (`&i32` has none of the assigning operators)."""
    return isinstance(ty, (t.Int, t.Float))


def _add_assign(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    """`AddAssign`, `SubAssign`: also `Duration`'s and `Instant`'s (`String`'s takes a
    `&str`, so `String: AddAssign` does not hold)."""
    return _arith_assign(ty, same, other) or (isinstance(ty, t.Adt) and ty.name == "Duration")


def _neg(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    """`Neg`: the signed integers and the floats, and references to them."""
    if isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, t.Float) or (isinstance(ty, t.Int) and ty.signed)


def _not(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    """`Not`: the integers and `bool`, and references to them."""
    if isinstance(ty, t.Ref):
        ty = ty.inner
    return isinstance(ty, (t.Int, t.Bool))


def _anything(ty: t.Ty, same: Check, other: CheckOther) -> bool:
    return True


_STD_RULES: Final[dict[str, Callable[[t.Ty, Check, CheckOther], bool]]] = {
    "Copy": _copy,
    "Clone": _clone,
    "Display": _display,
    "Debug": _debug,
    "PartialEq": _partial_eq,
    "Eq": _eq,
    "PartialOrd": _partial_ord,
    "Ord": _ord,
    "Hash": _hash,
    "Default": _default,
    "Iterator": _iterator,
    "IntoIterator": _into_iterator,
    "Sized": _sized,
    "FromStr": _from_str,
    "ToString": _to_string,
    "Add": _add,
    "Sub": _arith,
    "Mul": _arith,
    "Div": _arith,
    "Rem": _arith,
    "Neg": _neg,
    "Not": _not,
    "AddAssign": _add_assign,
    "SubAssign": _add_assign,
    "MulAssign": _arith_assign,
    "DivAssign": _arith_assign,
    "RemAssign": _arith_assign,
    "Send": _anything,
    "Sync": _anything,
}
# Std types that the rules give traits of their own, and a package may name a type of its
# own alike (`struct Duration { ms: u64 }`).
_STD_VALUE_TYPES: Final = frozenset({"Duration", "Instant", "Bound", "Discriminant"})
# Std traits with a rule: a type not covered by it does not implement the trait.
_CHECKED_STD: Final = frozenset(_STD_RULES)


# ---------------------------------------------------------------- shorthands


def is_copy(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "Copy", env, assumptions)


def is_clone(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "Clone", env, assumptions)


def is_display(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "Display", env, assumptions)


def is_debug(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "Debug", env, assumptions)


def is_partial_eq(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "PartialEq", env, assumptions)


def is_partial_ord(ty: t.Ty, env: ItemEnv, assumptions: Sequence[Bound] = ()) -> bool:
    return implements(ty, "PartialOrd", env, assumptions)


# rustc's verb, preposition and operator for each arithmetic operator trait's
# `on_unimplemented` message ("cannot add `X` to `X`", "no implementation for `X + X`").
_OPERATOR_WORDS: Final = {"Add": ("add", "to", "+"), "Sub": ("subtract", "from", "-"),
                          "Mul": ("multiply", "by", "*"), "Div": ("divide", "by", "/"),
                          "Rem": ("calculate the remainder of", "divided by", "%")}


def _operator_message(ty: str, trait: str) -> tuple[str, str]:
    """rustc's message for an operator trait bound that `ty` does not satisfy (`Self` on
    the right, as a bound without arguments asks)."""
    assign = trait.endswith("Assign")
    verb, prep, op = _OPERATOR_WORDS[trait.removesuffix("Assign")]
    if assign and trait == "RemAssign":
        verb = "calculate and assign the remainder of"
    elif assign:
        verb += "-assign"
    label = f"no implementation for `{ty} {op}{'=' if assign else ''} {ty}`"
    return f"cannot {verb} `{ty}` {prep} `{ty}`", label


def unsatisfied_message(ty: str, trait: str) -> tuple[str, str]:
    """rustc's message and label for `ty: trait` not holding (its `on_unimplemented`
    texts for the std traits that have one)."""
    match trait:
        case "Display":
            return (f"`{ty}` doesn't implement `std::fmt::Display`",
                    f"`{ty}` cannot be formatted with the default formatter")
        case "Debug":
            return (f"`{ty}` doesn't implement `Debug`",
                    f"`{ty}` cannot be formatted using `{{:?}}`")
        case "Iterator" | "IntoIterator":
            return (f"`{ty}` is not an iterator", f"`{ty}` is not an iterator")
        case "PartialEq":
            return (f"can't compare `{ty}` with `{ty}`", f"no implementation for `{ty} == {ty}`")
        case "PartialOrd":
            return (f"can't compare `{ty}` with `{ty}`",
                    f"no implementation for `{ty} < {ty}` and `{ty} > {ty}`")
        case "Sized":
            return (f"the size for values of type `{ty}` cannot be known at compilation time",
                    "doesn't have a size known at compile-time")
        case "Add" | "Sub" | "Mul" | "Div" | "Rem" | "AddAssign" | "SubAssign" | \
                "MulAssign" | "DivAssign" | "RemAssign":
            return _operator_message(ty, trait)
    return (f"the trait bound `{ty}: {trait}` is not satisfied",
            f"the trait `{trait}` is not implemented for `{ty}`")
