"""Generic functions, types and impls as Go type parameters.

* A generic function `fn f<T: Shape, U>(..)` is `func f[T Shape, U any](..)`: a bound by a
  trait of the package is its Go interface as the constraint (gust.codegen.traits); bounds by
  std traits need no constraint (`==`, `<`, `clone` and formatting of type parameters go
  through the runtime: `gustEq`, `gustCmp`, `gustClone`, the formatter), so they are `any`.
  `impl Trait` arguments are anonymous type parameters: they get the names `T`, `U`, ...
* A generic struct or enum `S<T>` is the generic Go type `S[T any]`; payload-enum variants are
  generic structs (`TreeLeaf[T]`) and composite literals spell their type arguments.
* Methods of a generic impl are Go methods of the generic type (`func (self *Stack[T])
  push(x T)`) when Go allows it, else top-level generic functions named `Type_method`:
  Go methods cannot have type parameters of their own, and a method's receiver must be the
  type's own parameters with the constraints of the type declaration. So a method is a
  top-level function when it has generic parameters of its own, or its impl is not
  `impl<A, B> S<A, B>` with the type's own constraints (`impl S<i32>`, an added bound).
  `method_is_function` is the one place that decides, for declarations and calls alike.
* At a call of a generic function the type arguments are found by matching the signature
  against the argument and result types (`instantiate`); they are written only when Go
  cannot infer them (a parameter that appears in no argument: `Stack_new[int32]()`).
  A reference `&T` is Go's `T` (a copy) while `&S` of a struct is `*S`: arguments are
  dereferenced and results re-addressed across the call; any other mismatch between the
  generic and the concrete Go form is reported as unsupported, never emitted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Final, cast

from gust.codegen import constraints, primitive_impls, size_kinds
from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import traits as sema_traits
from gust.sema import types as t
from gust.sema.items import Bound, FnSig, ImplInfo, ItemEnv, projection_name
from gust.sema.results import AssocFnRes, BodyResults, FnRes, MethodRes
from gust.sema.traits import fn_assumptions
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter
    from gust.codegen.go_facing import Facing

# Go names for anonymous (`impl Trait`) type parameters, in order of preference.
_IMPL_NAMES: Final = ("T", "U", "V", "W")


def go_param_names(generics: tuple[str, ...], taken: set[str]) -> dict[str, str]:
    """Go names for type parameters that are not Go identifiers (`impl Shape`)."""
    out: dict[str, str] = {}
    used = set(taken) | {p for p in generics if p.isidentifier()}
    for p in generics:
        if p.isidentifier():
            continue
        names: tuple[str, ...] = _IMPL_NAMES
        if "::" in p:
            # `I::Item` (sema.items.projection_name), a trait's `Self::Item`: `Item`, or
            # `AItem`, `BItem` for two.
            assoc = p.rsplit("::", 1)[1]
            several = sum(q.endswith("::" + assoc) for q in generics) > 1
            owner = p.split("::")[0]
            names = (*(() if several else (assoc,)),
                     (p.replace("::", "") if owner != "Self" else "Self" + assoc),
                     *_IMPL_NAMES)
        name = next((n for n in names if n not in used), None)
        k = 2
        while name is None:
            if f"T{k}" not in used:
                name = f"T{k}"
            k += 1
        used.add(name)
        out[p] = name
    return out


def constraint(types: Types, param: str, bounds: tuple[Bound, ...]) -> str:
    """The Go constraint of a type parameter from its bounds."""
    from gust.codegen.traits import bound_interface

    parts: list[str] = []
    for b in bounds:
        if b.ty != t.Param(param):
            continue
        if b.trait in ("Iterator", "IntoIterator", "DoubleEndedIterator",
                       "ExactSizeIterator"):
            # Erased to `iter.Seq[Item]` when the item type is bound (`seq_params`).
            raise Unsupported(f"a type parameter bounded by `{b.trait}` without `Item = ..`"
                              if b.trait == "Iterator" else
                              f"a type parameter bounded by `{b.trait}`")
        iface = bound_interface(types, b)
        if b.trait in t.CLOSURE_KINDS and len(b.args) == 2 and isinstance(b.args[0], t.Tuple):
            # `struct Memo<F: Fn(u64) -> u64>`: a closure is a Go func, and Go calls a value
            # of a type parameter whose constraint has that core type.
            iface = "~" + types.go(t.FnPtr(b.args[0].elems, b.args[1]))
        if iface is not None and iface not in parts:
            parts.append(iface)
    keyed = any(b.ty == t.Param(param) and b.trait == "Hash" for b in bounds)
    from gust.codegen import conversions

    conversion = conversions.conversion_bound(bounds, param)
    if conversion is not None:
        # `T: Into<i64>`: the types Go converts alike (`int64(x)`); with a package trait
        # too, the constraint would need its methods on those types.
        if parts:
            raise Unsupported("a type parameter bounded by a conversion trait and a trait of "
                              "the package")
        return conversion[0]
    if not parts:
        return "comparable" if keyed else "any"
    if len(parts) == 1:
        base = parts[0]
    else:
        named = constraints.constraint_for(types, param, bounds)
        base = named if named is not None else "interface{ " + "; ".join(parts) + " }"
    # A `Hash` parameter may be a map key or a set's element: Go wants it `comparable`.
    return "interface{ comparable; " + base + " }" if keyed else base


def key_bounds(env: ItemEnv, name: str) -> tuple[Bound, ...]:
    """A generic type's bounds, plus `Hash` for each parameter its fields use as a map key
    or a set's element (`struct Cache<K, V> { m: HashMap<K, V> }` needs no bound in Rust,
    but Go's `map[K]V` needs K `comparable`)."""
    bounds = env.adt_bounds(name)
    fields: list[t.Ty] = []
    if name in env.structs:
        fields = [f.ty for f in env.structs[name].fields]
    elif name in env.enums:
        fields = [f.ty for v in env.enums[name].variants for f in v.fields]
    keys: set[str] = set()
    for ty in fields:
        _map_keys(ty, keys, 0)
    extra = tuple(Bound(t.Param(p), "Hash") for p in env.generics_of(name)
                  if p in keys and Bound(t.Param(p), "Hash") not in bounds)
    return bounds + extra


def sig_key_bounds(env: ItemEnv, sig: FnSig) -> tuple[Bound, ...]:
    """A function's bounds, plus `Hash` for each of its parameters that a type in its
    signature uses as a map key (`fn size<K, V>(c: &Cache<K, V>)` where `Cache`'s `K` is
    one: Go's `Cache[K, V]` needs K `comparable`, which Rust does not ask for)."""
    keys: set[str] = set()
    for ty in (*sig.params, sig.ret):
        _map_keys(ty, keys, 0, env)
    return sig.bounds + tuple(Bound(t.Param(p), "Hash") for p in sig.generics
                              if p in keys and Bound(t.Param(p), "Hash") not in sig.bounds)


def _map_keys(ty: t.Ty, out: set[str], depth: int, env: ItemEnv | None = None) -> None:
    """The type parameters written as a `HashMap`'s key or a `HashSet`'s element in `ty`
    (and, given `env`, as the argument of a package type's keyed parameter)."""
    if depth > 16:
        return
    match ty:
        case t.Adt(name="HashMap" | "HashSet", args=args) if args:
            out.update(_key_params(args[0]))
            for a in args[1:]:
                _map_keys(a, out, depth + 1, env)
        case t.Adt(name=name, args=args) if env is not None and args and (
                name in env.structs or name in env.enums):
            keyed = {b.ty.name for b in key_bounds(env, name)
                     if b.trait == "Hash" and isinstance(b.ty, t.Param)}
            for p, a in zip(env.generics_of(name), args, strict=False):
                if p in keyed:
                    out.update(_key_params(a))
                _map_keys(a, out, depth + 1, env)
        case t.Adt(args=args) | t.Tuple(elems=args):
            for a in args:
                _map_keys(a, out, depth + 1, env)
        case t.Ref(inner=inner) | t.Slice(elem=inner) | t.Array(elem=inner):
            _map_keys(inner, out, depth + 1, env)


def _key_params(ty: t.Ty) -> set[str]:
    """The parameters whose Go type must be comparable for `ty` to be (`(K, u8)`: K)."""
    match ty:
        case t.Param(name=name):
            return {name}
        case t.Tuple(elems=elems):
            return set().union(*(_key_params(e) for e in elems)) if elems else set()
        case t.Array(elem=elem):
            return _key_params(elem)
        case t.Adt(name="Option", args=args):
            return set().union(*(_key_params(a) for a in args)) if args else set()
    return set()


def go_comparable(types: Types, ty: t.Ty) -> bool:
    """Whether Go's type for `ty` is `comparable` (a map key): no slices, maps or funcs
    inside. Type parameters are: a `Hash` one has the constraint."""
    return _go_comparable(types, ty, frozenset())


def _go_comparable(types: Types, ty: t.Ty, seen: frozenset[str]) -> bool:
    match ty:
        case t.Ref(inner=inner):
            # A reference that is a Go pointer would be compared by address, where Rust's
            # `&T` keys compare the values: encoded (`Types.coded_key`).
            return not types.ref_is_ptr(ty) and _go_comparable(types, inner, seen)
        case t.Tuple(elems=elems):
            return all(_go_comparable(types, e, seen) for e in elems)
        case t.Array(elem=elem):
            return _go_comparable(types, elem, seen)
        case t.Slice() | t.Closure() | t.FnPtr():
            return False
        case t.Adt(name=name, args=args):
            if name in ("Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet",
                        "Iter"):
                return False
            if name in ("Option", "Result") or (
                    name in ("Range", "RangeInclusive") and name not in types.env.structs and
                    name not in types.env.enums):
                return all(_go_comparable(types, a, seen) for a in args)
            if name in seen:
                return True
            if name in types.env.structs or name in types.env.enums:
                # An enum with payloads is a Go interface: comparable, but hashing a
                # variant holding a slice panics ("hash of unhashable type").
                return all(_go_comparable(types, f, seen | {name})
                           for f in types.field_types(name, args))
    return True


def _item_of(em: FnEmitter, ty: t.Ty) -> t.Ty | None:
    """What an iterator argument yields: std's iterators and the package's."""
    from gust.codegen import iterators

    if isinstance(ty, t.Adt) and ty.name in ("Iter", "Range", "RangeInclusive") and ty.args:
        return ty.args[0]
    if isinstance(ty, t.Adt) and ty.name in ("Vec", "VecDeque") and ty.args:
        return ty.args[0]  # given for an `IntoIterator<Item = T>`
    if isinstance(ty, (t.Array, t.Slice)):
        return ty.elem
    return iterators.user_item(em, ty)


# The std collections an `IntoIterator` argument may be (`iterators.as_seq`).
_SEQ_COLLECTIONS: Final = frozenset({"Vec", "VecDeque", "HashSet", "BTreeSet", "HashMap", "BTreeMap"})


def seq_bounds(bounds: tuple[Bound, ...]) -> dict[str, t.Ty]:
    """The type parameters bounded by `Iterator<Item = T>` or `IntoIterator<Item = T>`,
    with their item types: each is an `iter.Seq[T]` in Go (the caller's `Vec` or array
    becomes one: `iterators.as_seq`)."""
    out: dict[str, t.Ty] = {}
    for b in bounds:
        item = b.assoc_ty("Item")
        if isinstance(b.ty, t.Param) and b.trait in ("Iterator", "IntoIterator") and \
                item is not None:
            out[b.ty.name] = item
    return out


def type_param_list(types: Types, generics: tuple[str, ...], bounds: tuple[Bound, ...]
                    ) -> str:
    """`[T any, U Shape]`, or "" without generics. Consecutive parameters with the same
    constraint share it, as gofmt-clean Go usually writes them (`[A, B any]`). A parameter
    in `types.ptr_bounded` is `any`, followed by its pointer parameter
    (`T any, PT CounterPtr[T]`)."""
    generics = tuple(p for p in generics if p not in types.callables and
                     p not in types.seq_params)
    if not generics:
        return ""
    groups: list[tuple[list[str], str]] = []
    for p in generics:
        c = constraint(types, p, bounds)
        name = types.go(t.Param(p))
        pointer = types.ptr_bounded.get(p)
        if pointer is not None:
            groups += [([name], "any"), ([pointer], pointer_constraint(types, p, bounds))]
            continue
        if groups and groups[-1][1] == c:
            groups[-1][0].append(name)
        else:
            groups.append(([name], c))
    return "[" + ", ".join(", ".join(ns) + " " + c for ns, c in groups) + "]"


def pointer_constraint(types: Types, param: str, bounds: tuple[Bound, ...]) -> str:
    """The constraint of a pointer type parameter: `CounterPtr[T]`, `AccountPtr[A]` (the
    trait uses `Self`), `AccountTaggedPtr[A]` for a named constraint
    (gust.codegen.constraints.pointer_declaration)."""
    from gust.codegen.traits import iface_name

    name = types.go(t.Param(param))
    found = constraints.canonical(types.env, param, bounds)
    if found is not None:
        key, written = found
        named = constraints.for_env(types.env).get(key)
        if named is None or named.owner is None:
            raise Unsupported("a type parameter bounded by several traits of other packages "
                              "with `&mut self` methods")
        spelled = {f"P{i}": p for i, p in enumerate(written[1:], 1)}
        others = [types.go(t.Param(spelled[p])) for p in named.params
                  if p != constraints.SELF]
        return f"{constraints.pointer_name(types, named.name)}[{', '.join([name, *others])}]"
    bound = next(b for b in bounds if b.ty == t.Param(param) and b.trait in types.env.traits)
    args = [types.go(a) for a in bound.args]
    for a in types.env.traits[bound.trait].assoc:
        given = bound.assoc_ty(a)  # `StorePtr[S, Key, Value]`
        if given is None:
            raise Unsupported(f"the bound `{bound.trait}` without its associated type `{a}`")
        args.append(types.go(given))
    ptr = constraints.pointer_name(types, iface_name(types, bound.trait))
    return f"{ptr}[{', '.join([name, *args])}]"


def pointer_params(types: Types, generics: tuple[str, ...], bounds: tuple[Bound, ...]
                   ) -> dict[str, str]:
    """The type parameters of a generic function bounded by a trait with `&mut self`
    methods, with the Go name of a pointer type parameter for each: the methods have
    pointer receivers (`func (self *C) bump(..)`), so only `*C` has them all, and Go needs
    `[T any, PT CounterPtr[T]]` (`type CounterPtr[Self any] interface { *Self; Counter }`)
    to call them on a `T` (`PT(&x).bump(1)`, `PT(new(T)).fresh()`). Go infers PT from T
    at the calls."""
    from gust.codegen import traits

    out: dict[str, str] = {}
    taken = {types.go(t.Param(p)) for p in generics}
    for p in generics:
        if p in types.callables or p in types.seq_params:
            continue
        if any(b.ty == t.Param(p) and traits.needs_pointer(types, b.trait) for b in bounds):
            name = "P" + types.go(t.Param(p))
            while name in taken:
                name = "P" + name
            taken.add(name)
            out[p] = name
    return out


def ref_params(types: Types, generics: tuple[str, ...] | set[str], bounds: tuple[Bound, ...]
               ) -> set[str]:
    """The pointer-bounded parameters (`pointer_params`) whose pointer parameter is a
    reference type (`PT{&x}`): a bound by a trait a payload enum implements
    (gust.codegen.traits.ref_scheme)."""
    from gust.codegen import traits

    return {p for p in generics
            if any(b.ty == t.Param(p) and traits.ref_scheme(types, b.trait) for b in bounds)}


@contextmanager
def pointers(types: Types, mapping: dict[str, str], refs: set[str] | None = None
             ) -> Iterator[None]:
    """`types.ptr_bounded` (and `types.ref_bounded`) while one function is emitted."""
    saved = dict(types.ptr_bounded)
    saved_refs = set(types.ref_bounded)
    types.ptr_bounded.clear()
    types.ptr_bounded.update(mapping)
    types.ref_bounded.clear()
    types.ref_bounded.update((refs or set()) & set(mapping))
    try:
        yield
    finally:
        types.ptr_bounded.clear()
        types.ptr_bounded.update(saved)
        types.ref_bounded.clear()
        types.ref_bounded.update(saved_refs)


@contextmanager
def impl_pointers(types: Types, impl: ImplInfo) -> Iterator[None]:
    """The pointer parameters of a generic impl's type (`[T any, PT CounterPtr[T]]`,
    gust.codegen.gotypes.Types._adt_args), the Go names of its hidden parameters
    (`hidden_spelling`) and its erased iterator parameters (`impl<I: Iterator>`: `I` is
    `iter.Seq[Item]`) while one of its methods is emitted."""
    with hidden_spelling(types, impl.generics), \
            erased_seqs(types, {p: item for p, item in seq_bounds(impl.bounds).items()
                                if p in impl.generics}), \
            pointers(types, pointer_params(types, impl.generics, impl.bounds),
                     ref_params(types, impl.generics, impl.bounds)):
        yield


@contextmanager
def adt_scope(types: Types, name: str) -> Iterator[None]:
    """The Go names of a struct's or enum's hidden parameters and its erased iterator
    parameters (`Types.adt_seqs`) while its declaration is emitted."""
    with hidden_spelling(types, types.env.generics_of(name)), \
            erased_seqs(types, types.adt_seqs(name)):
        yield


@contextmanager
def erased_seqs(types: Types, seqs: dict[str, t.Ty]) -> Iterator[None]:
    """`types.seq_params` while a declaration is emitted (nothing left from the last
    function's)."""
    saved = types.seq_params
    types.seq_params = dict(seqs)
    try:
        yield
    finally:
        types.seq_params = saved


def hidden_spelling(types: Types, generics: tuple[str, ...]) -> AbstractContextManager[None]:
    """The Go names of the hidden parameters of a struct, enum or impl (`C::Item` of `C:
    Container`, sema.items.hidden_params) while it is emitted: `Item`, unless a type of
    the package or another parameter has that name (`go_param_names`)."""
    hidden = tuple(p for p in generics if "::" in p)
    if not hidden:
        return nullcontext()
    env = types.env
    return spelling(types, go_param_names(generics, set(env.structs) | set(env.enums)
                                          | set(env.traits)))


def pointer_value(types: Types, param: str, pointer: g.GoExpr) -> g.GoExpr:
    """A `*T` as the pointer parameter of a pointer-bounded `T`: `PT(p)`, or `PT{p}` when
    it is a reference type (`ref_params`)."""
    name = types.ptr_bounded[param]
    if param in types.ref_bounded:
        return g.Composite(name, (pointer,))
    return g.conversion(name, pointer)


def pointer_receiver(em: FnEmitter, value: g.GoExpr, e: ast.Expr, ty: t.Param
                     ) -> g.GoExpr:
    """The receiver of a trait method called on a value of a pointer-bounded type parameter
    (`pointer_params`): `PT(&x)`, `PT(p)` for a `&mut T`."""
    return pointer_value(em.types, ty.name, em._address(value, e, ty))


def _ref_args(types: Types, params: set[str], subst: dict[str, t.Ty]) -> dict[str, str]:
    """The type arguments of a callee's reference pointer parameters (`ref_params`): the
    instantiating type's reference type (`DoorRef`), or the caller's own pointer parameter
    for one of its type parameters."""
    from gust.codegen import traits

    out: dict[str, str] = {}
    for p in params:
        arg = subst.get(p)
        if isinstance(arg, t.Param) and arg.name in types.ref_bounded:
            out[p] = types.ptr_bounded[arg.name]
        elif isinstance(arg, t.Adt) and traits.type_has_ref(types, arg.name):
            out[p] = traits.ref_type(types, arg.name)
        else:
            raise Unsupported(f"`{arg}` for a type parameter bounded by a trait that an "
                              "enum with payloads implements")
    return out


def type_args(types: Types, generics: tuple[str, ...]) -> str:
    """`[T, U]`: a generic type's parameters as arguments (receivers, literals), but for
    the erased iterator parameters (`types.seq_params`)."""
    generics = tuple(p for p in generics if p not in types.seq_params)
    if not generics:
        return ""
    return "[" + ", ".join(types.go(t.Param(p)) for p in generics) + "]"


@contextmanager
def spelling(types: Types, mapping: dict[str, str]) -> Iterator[None]:
    """Spell type parameters as `mapping` says while a declaration is emitted."""
    saved = dict(types.param_go)
    types.param_go.update(mapping)
    try:
        yield
    finally:
        types.param_go.clear()
        types.param_go.update(saved)


# ---------------------------------------------------------------- methods of generic impls


def adt_bounds_text(types: Types, name: str) -> list[str]:
    """The Go constraints of a generic type's declaration, by parameter."""
    env = types.env
    erased = types.adt_seqs(name)
    return [constraint(types, p, key_bounds(env, name)) if p not in erased else ""
            for p in env.generics_of(name)]


def impl_is_plain(types: Types, impl: ImplInfo) -> bool:
    """`impl<A, B> S<A, B>` with the type's own constraints: its methods can be Go methods."""
    self_ty = impl.self_ty
    if isinstance(self_ty, t.Ref) and impl.trait == "IntoIterator":
        self_ty = self_ty.inner  # `impl IntoIterator for &Coll<T>`: methods of `*Coll[T]`
    if not isinstance(self_ty, t.Adt):
        return False
    if not self_ty.args:
        return True
    if self_ty.args != tuple(t.Param(p) for p in impl.generics) or \
            (self_ty.name not in types.env.structs and self_ty.name not in types.env.enums):
        return False  # (`impl<T: Display> Summary for Option<T>`: a std type's)
    # The erased iterator parameters (`Types.adt_seqs`) have no Go constraint: the impl's
    # must be the type's.
    erased = types.adt_seqs(self_ty.name)
    seqs = seq_bounds(impl.bounds)
    if [p in seqs for p in impl.generics] != [p in erased
                                               for p in types.env.generics_of(self_ty.name)]:
        return False
    own = adt_bounds_text(types, self_ty.name)
    mine = [constraint(types, p, impl.bounds) if p not in seqs else "" for p in impl.generics]
    return all(m == "any" or m == o for m, o in zip(mine, own, strict=True))


def method_is_function(env: ItemEnv, types: Types, sig: FnSig) -> bool:
    """Whether a method of a generic impl is emitted as a top-level generic function."""
    impl = env.impl_of.get(sig.decl)
    if impl is None:
        return False
    return bool(sig.generics) or not impl_is_plain(types, impl) or \
        bool(size_kinds.arith_params_of(env, sig))


def function_for_arith_only(env: ItemEnv, types: Types, sig: FnSig) -> bool:
    """Whether a method is a function only for its arithmetic parameters (an arithmetic
    parameter is a type parameter of its own, gust.codegen.size_kinds): a Go method
    otherwise, which its Go callers still get (gust.codegen.go_facing)."""
    impl = env.impl_of.get(sig.decl)
    return impl is not None and sig.self_kind is not None and not sig.generics and \
        impl_is_plain(types, impl) and bool(size_kinds.arith_params_of(env, sig))


def function_type_params(types: Types, sig: FnSig) -> tuple[str, ...]:
    """The type parameters of a method emitted as a function: the impl's, then its own."""
    impl = types.env.impl_of.get(sig.decl)
    return (impl.generics if impl is not None else ()) + sig.generics


# ---------------------------------------------------------------- instantiation


def match_ty(pattern: t.Ty, actual: t.Ty, subst: dict[str, t.Ty]) -> None:
    """Bind the type parameters of `pattern` by matching it against `actual`."""
    match pattern:
        case t.Param(name=name):
            if name not in subst and not isinstance(actual, (t.Error, t.Never)):
                subst[name] = actual
        case t.Ref(inner=inner):
            match_ty(inner, actual.inner if isinstance(actual, t.Ref) else actual, subst)
        case t.Slice(elem=elem):
            if isinstance(actual, (t.Slice, t.Array)):
                match_ty(elem, actual.elem, subst)
            elif isinstance(actual, t.Adt) and actual.name == "Vec" and actual.args:
                match_ty(elem, actual.args[0], subst)
        case t.Array(elem=elem):
            if isinstance(actual, t.Array):
                match_ty(elem, actual.elem, subst)
        case t.Tuple(elems=elems):
            if isinstance(actual, t.Tuple) and len(actual.elems) == len(elems):
                for p, a in zip(elems, actual.elems, strict=True):
                    match_ty(p, a, subst)
        case t.Adt(name=name, args=args):
            if isinstance(actual, t.Adt) and actual.name == name and \
                    len(actual.args) == len(args):
                for p, a in zip(args, actual.args, strict=True):
                    match_ty(p, a, subst)
            elif isinstance(actual, t.Adt) and actual.name == "Box" and actual.args:
                match_ty(pattern, actual.args[0], subst)  # `&Box<S>` coerced to `&S`
        case t.FnPtr(params=params, ret=ret):
            if isinstance(actual, (t.FnPtr, t.Closure)) and len(actual.params) == len(params):
                for p, a in zip(params, actual.params, strict=True):
                    match_ty(p, a, subst)
                match_ty(ret, actual.ret, subst)


def go_form(types: Types, ty: t.Ty, subst: dict[str, t.Ty], self_ptr: bool = False,
            spelled: dict[str, str] | None = None) -> str:
    """The Go type of a generic signature's type `ty` at an instantiation: type parameters
    spelled as the Go types of their arguments (`&T` with T = Circle is `Circle`; `&Self`
    of a trait that uses `Self` is `*Circle`, with `self_ptr`), or as `spelled` says."""
    mapping = {name: types.go(arg) for name, arg in subst.items()} | (spelled or {})
    saved = set(types.ptr_params)
    saved_iface = set(types.iface_params)
    saved_inst = dict(types.param_inst)
    types.param_inst.update({n: a for n, a in subst.items() if n not in (spelled or {})})
    if self_ptr:
        # In a default method `Self` is an interface-constrained parameter (a `&Self` there
        # is Go's Self), but the trait's methods take `&Self` as `*Self`.
        types.ptr_params.add("Self")
        types.iface_params.discard("Self")
    try:
        with spelling(types, mapping):
            return types.go(ty)
    finally:
        types.ptr_params.clear()
        types.ptr_params.update(saved)
        types.iface_params.clear()
        types.iface_params.update(saved_iface)
        types.param_inst.clear()
        types.param_inst.update(saved_inst)


def _assoc_args(em: FnEmitter, bounds: tuple[Bound, ...], subst: dict[str, t.Ty]) -> None:
    """The hidden parameters of a call (`C::Item` of `C: Container`, sema.items
    `item_projections`), which no argument carries: the associated types of the type
    argument (the impl's `type Item = i32`, a bound's of the caller)."""
    for b in bounds:
        info = em.env.traits.get(b.trait)
        arg = subst.get(b.ty.name) if isinstance(b.ty, t.Param) else None
        err = b.assoc_ty("Err") if b.trait == "FromStr" else None
        if err is not None and arg is not None:
            # `T::Err` of `T: FromStr`: the argument's parse error.
            match_ty(err, sema_traits.from_str_err(arg, em.env, fn_assumptions(em.env, em.fn)),
                     subst)
        if info is None or not info.assoc or arg is None:
            continue
        actual = sema_traits.assoc_subst(info, arg, em.env, fn_assumptions(em.env, em.fn))
        for name, ty in b.assoc:
            found = actual.get(projection_name("Self", name))
            if found is not None and not isinstance(found, t.Error):
                match_ty(ty, found, subst)


class GenericCall:
    """One call of a generic function or method: arguments and result across the
    generic/concrete boundary."""

    def __init__(self, em: FnEmitter, generics: tuple[str, ...], subst: dict[str, t.Ty]
                 ) -> None:
        self.em = em
        self.types = em.types
        self.generics = generics
        self.subst = subst
        self.self_ptr = False  # a method of a trait that uses `Self` (`&Self` is `*Self`)
        self.seqs: dict[str, t.Ty] = {}  # erased `Iterator<Item = T>` parameters
        # Parameters instantiated with a primitive's named type (gust.codegen.primitive_impls).
        self.wrapped: dict[str, str] = {}
        # The callee's parameters bounded by a call trait, with the bound's signature: their
        # Go type is the generic func type (`func(T) bool` for `Fn(&T) -> bool`).
        self.callables: dict[str, t.FnPtr] = {}
        # The callee's pointer parameters that are reference types (`ref_params`), by the
        # parameter they follow, with their type arguments: Go cannot infer them.
        self.refs: dict[str, str] = {}
        # The callee's parameters with a pointer parameter (`[S any, PS StorePtr[S, ..]]`):
        # written type arguments give it too (`*Scores`).
        self.pointer_args: set[str] = set()
        # The callee's parameters with an arithmetic parameter (gust.codegen.size_kinds):
        # their arithmetic arguments come first, always written.
        self.arith: tuple[str, ...] = ()

    @classmethod
    def infer(cls, em: FnEmitter, generics: tuple[str, ...], params: tuple[t.Ty, ...],
              arg_tys: list[t.Ty], ret: t.Ty, ret_actual: t.Ty,
              known: dict[str, t.Ty] | None = None,
              seqs: dict[str, t.Ty] | None = None,
              bounds: tuple[Bound, ...] = (), own: tuple[str, ...] = (),
              arith: tuple[str, ...] = ()) -> GenericCall:
        """`own`: the callee's own type parameters (a pointer-bounded one takes a struct,
        `pointer_params`); `arith`: those with an arithmetic parameter (size_kinds)."""
        subst: dict[str, t.Ty] = dict(known or {})
        for p, a in zip(params, arg_tys, strict=False):
            match_ty(p, a, subst)
        match_ty(ret, ret_actual, subst)
        for b in bounds:
            # `F: Fn(&T) -> K` with F a closure: K is known from the closure's signature.
            if isinstance(b.ty, t.Param) and b.trait in t.CLOSURE_KINDS and \
                    len(b.args) == 2 and isinstance(b.args[0], t.Tuple) and \
                    isinstance(subst.get(b.ty.name), (t.Closure, t.FnPtr)):
                match_ty(t.FnPtr(b.args[0].elems, b.args[1]), subst[b.ty.name], subst)
        # Parameters bounded by a call trait are erased to func types (gust.codegen.closures),
        # those bounded by `Iterator<Item = T>` to `iter.Seq[T]` (gust.codegen.iterators).
        erased = {n for n, a in subst.items() if isinstance(a, (t.Closure, t.FnPtr))}
        for name in erased:
            subst[name] = em.types.callable(subst[name]) or subst[name]
        for name, item in (seqs or {}).items():
            if name in subst:
                actual_item = _item_of(em, subst[name])
                if actual_item is not None:
                    match_ty(item, actual_item, subst)
                subst[name] = t.Adt("Iter", (t.substitute(item, subst),))
                erased.add(name)
        _assoc_args(em, bounds, subst)
        from gust.codegen import traits

        traits.check_bound_args(em.types, bounds, subst, own)
        size_kinds.check_told(em.types, bounds, subst, arith)
        for b in bounds:
            arg = subst.get(b.ty.name) if isinstance(b.ty, t.Param) else None
            if b.trait == "Hash" and arg is not None and not go_comparable(em.types, arg):
                raise Unsupported(f"`{arg}` for a `Hash` type parameter (its Go type is not "
                                  "`comparable`, as a Go map key must be)")
        call = cls(em, tuple(p for p in generics if p not in erased), subst)
        call.arith = arith
        call.refs = _ref_args(em.types, ref_params(em.types, set(own), bounds), subst)
        call.pointer_args = {p for p in own if p not in erased and any(
            b.ty == t.Param(p) and traits.needs_pointer(em.types, b.trait) for b in bounds)}
        call.seqs = dict(seqs or {})
        call.wrapped = primitive_impls.wrapped_params(em.types, bounds, subst)
        call.callables = {b.ty.name: t.FnPtr(b.args[0].elems, b.args[1]) for b in bounds
                          if isinstance(b.ty, t.Param) and b.trait in t.CLOSURE_KINDS and
                          len(b.args) == 2 and isinstance(b.args[0], t.Tuple)}
        return call

    def _callable_arg(self, value: g.GoExpr, actual: t.Ty, sig: t.FnPtr) -> g.GoExpr:
        """A closure for an `F: Fn(&T) -> R` parameter. The callee's Go type is the generic
        func (`&T` is Go's T, a copy), a `&Person` is Go's `*Person`: the closure is wrapped
        in a func of the generic form that passes the addresses of its arguments."""
        concrete = self.types.callable(actual)
        if concrete is None or len(concrete.params) != len(sig.params):
            return value
        generic = [go_form(self.types, p, self.subst) for p in sig.params]
        given = [self.types.go(p) for p in concrete.params]
        ret_generic = go_form(self.types, sig.ret, self.subst)
        ret_given = self.types.go(concrete.ret)
        if generic == given and ret_generic == ret_given:
            return value
        if ret_generic != ret_given:
            raise Unsupported(f"passing `{actual}` as `{sig}` to a generic function")
        names = [f"a{i}" for i in range(len(generic))]
        passed: list[str] = []
        for name, gen, con in zip(names, generic, given, strict=True):
            if gen == con:
                passed.append(name)
            elif con == "*" + gen:
                passed.append("&" + name)
            else:
                raise Unsupported(f"passing `{actual}` as `{sig}` to a generic function")
        fn = value
        if not (isinstance(value, g.Atom) and value.text.isidentifier()):
            fn = g.ident(self.em.define_temp(value, actual, "f"))
        call = g.render(g.call(fn, *(g.Atom(p) for p in passed)))
        params = ", ".join(f"{n} {ty}" for n, ty in zip(names, generic, strict=True))
        unit = concrete.ret == t.UNIT or isinstance(concrete.ret, t.Never)
        result = "" if unit else " " + ret_generic
        return g.FuncLit(f"func({params}){result}", (("\t" + (call if unit else "return " + call),
                                                      None),))

    def arg(self, value: g.GoExpr, actual: t.Ty, param: t.Ty) -> g.GoExpr:
        """An argument of concrete type `actual` for a parameter of generic type `param`."""
        if self.wrapped.keys() & t.params_in(param):
            value = self.em.adapt(value, actual, t.substitute(param, self.subst))
            return primitive_impls.convert(self.types, value, param, self.wrapped, inward=True,
                                           subst=self.subst)
        if isinstance(param, t.Param) and param.name in self.callables:
            return self._callable_arg(value, actual, self.callables[param.name])
        if isinstance(param, t.Param) and param.name in self.seqs and \
                isinstance(actual, t.Adt) and actual.name in ("Range", "RangeInclusive"):
            from gust.codegen import iterators

            return iterators.range_seq(value, actual)  # an `iter.Seq` parameter
        if isinstance(param, t.Param) and param.name in self.seqs and \
                not (isinstance(actual, t.Adt) and actual.name == "Iter"):
            from gust.codegen import iterators

            # A collection (or a reference to one) for an `IntoIterator<Item = T>` parameter
            # (`iter.Seq[T]`).
            base = actual
            while isinstance(base, t.Ref):
                base = base.inner
            if (isinstance(base, t.Adt) and base.name in _SEQ_COLLECTIONS) or \
                    isinstance(base, (t.Array, t.Slice)):
                return iterators.as_seq(self.em, value, actual,
                                        cast(ast.Expr, self.em.fn.body))
        if isinstance(param, t.Ref) and isinstance(param.inner, t.Param) and \
                param.inner.name in self.callables and isinstance(actual, t.Ref):
            # `&mut impl FnMut(u32)`: a Go func value is a reference already (calls through
            # it change the closure's captured variables): the closure itself.
            if isinstance(value, g.Unary) and value.op == "&":
                inner = value.x
            else:
                inner = g.unary("*", value) if self.types.ref_is_ptr(actual) else value
            return self._callable_arg(inner, actual.inner, self.callables[param.inner.name])
        target = go_form(self.types, param, self.subst, self.self_ptr)
        inst = t.substitute(param, self.subst)
        if isinstance(param, t.Param) and g.is_untyped(value):
            return self.em.typed(value, inst)
        value = self.em.adapt(value, actual, inst)
        if isinstance(value, g.Composite) and t.params_in(param):
            # A variant literal has its struct's Go type: Go would infer the type
            # parameter from it, and from another variant for the next argument.
            enum = inst.inner if isinstance(inst, t.Ref) else inst
            if isinstance(enum, t.Adt) and self.types.is_iface_enum(enum.name):
                value = g.conversion(self.types.go(enum), value)
        try:
            concrete = self.types.go(inst)
        except Unsupported:
            concrete = ""
        if concrete == target or not t.params_in(param):
            return value
        if isinstance(inst, t.Ref) and self.types.ref_is_ptr(inst) and \
                concrete == "*" + target:
            return g.unary("*", value)  # `&S` passed as `&T`: Go's T is the struct itself
        if isinstance(inst, t.Adt) and inst.name in ("Vec", "VecDeque") and inst.args and \
                isinstance(ref := inst.args[0], t.Ref) and self.types.ref_is_ptr(ref) and \
                target == f"[]{self.types.go(ref.inner)}":
            # `Vec<&S>` (a `[]*S`) passed as a `Vec<&T>` (generic code's `[]T`): copies of
            # the values, which a shared reference cannot change.
            return g.call("gustSliceDerefs", value)
        if target == "*" + concrete:
            # `&T` (Go's T) passed as `&Self` (`*T`): its address.
            if isinstance(value, g.Atom) and value.text.isidentifier():
                return g.unary("&", value)
            return g.unary("&", g.ident(self.em.define_temp(value, actual, "arg")))
        raise Unsupported(f"passing `{actual}` as `{param}` to a generic function")

    def args(self, args: tuple[ast.Expr, ...], params: tuple[t.Ty, ...]) -> list[g.GoExpr]:
        values = self.em.exprs(list(args))
        return [self.arg(v, self.em.ty(a), params[i]) if i < len(params) else v
                for i, (v, a) in enumerate(zip(values, args, strict=True))]

    def type_args(self, params: tuple[t.Ty, ...]) -> str:
        """`[int32]` when Go cannot infer a type argument from the arguments, else "";
        the arithmetic arguments first (`[uint]`, `[uint, int]`)."""
        written = self._written_args(params)
        if not self.arith:
            return written
        arith = size_kinds.arguments(self.types, self.arith, self.subst)
        return "[" + ", ".join(arith) + (", " + written[1:] if written else "]")

    def _written_args(self, params: tuple[t.Ty, ...]) -> str:
        """The type arguments Go cannot infer from `params`' arguments: all or none."""
        inferable: set[str] = set()
        for ty in params:
            if isinstance(ty, t.Ref):
                ty = ty.inner
            if isinstance(ty, t.Adt) and self.types.is_iface_enum(ty.name):
                continue  # Go does not infer type arguments from an interface's value
            inferable |= t.params_in(ty)
        for name, item in self.seqs.items():
            if name in inferable:
                inferable |= t.params_in(item)  # Go infers T from an `iter.Seq[T]`
        # A pointer parameter given the caller's own pointer-bounded parameter (`run<P:
        # Policy>` calling `Cache::new(.., p)`): Go would infer `*P`, which has none of the
        # methods (the caller's `PP` has them), so the arguments are written.
        caller_pointers = {name: self.types.ptr_bounded[arg.name]
                           for name in self.pointer_args
                           if isinstance(arg := self.subst.get(name), t.Param) and
                           arg.name in self.types.ptr_bounded}
        if all(p in inferable for p in self.generics) and not self.refs and \
                not caller_pointers:
            return ""
        out = []
        for name in self.generics:
            if name not in self.subst:
                raise Unsupported("a generic call whose type arguments are not known")
            out.append(self.wrapped.get(name) or self.types.go(self.subst[name]))
            if name in self.refs:
                out.append(self.refs[name])
            elif name in caller_pointers:
                out.append(caller_pointers[name])
            elif name in self.pointer_args:
                out.append("*" + out[-1])
        return "[" + ", ".join(out) + "]"

    def result(self, value: g.GoExpr, ret: t.Ty, actual: t.Ty) -> g.GoExpr:
        """The call's value in the concrete Go form of its type."""
        if isinstance(actual, (t.Never, t.Error)) or actual == t.UNIT or not t.params_in(ret):
            return value
        if self.wrapped.keys() & t.params_in(ret):
            return primitive_impls.convert(self.types, value, ret, self.wrapped, inward=False,
                                           subst=self.subst)
        target = go_form(self.types, ret, self.subst, self.self_ptr)
        concrete = self.types.go(actual)
        if concrete == target:
            return value
        if isinstance(actual, t.Ref) and self.types.ref_is_ptr(actual) and \
                concrete == "*" + target:
            name = self.em.define_temp(value, actual.inner, "result")
            return g.unary("&", g.ident(name))
        if isinstance(actual, t.Adt) and actual.name == "Option" and actual.args and \
                isinstance(ref := actual.args[0], t.Ref) and self.types.ref_is_ptr(ref) and \
                target == f"Option[{self.types.go(ref.inner)}]":
            # `Option<&T>` is an `Option[T]` in generic code (a `&T` there is the value):
            # a pointer to a copy of it, which the borrow keeps unchanged.
            return g.call("gustOptionRef", value)
        if isinstance(actual, t.Adt) and actual.name in ("Vec", "VecDeque") and actual.args and \
                isinstance(ref := actual.args[0], t.Ref) and self.types.ref_is_ptr(ref) and \
                target == f"[]{self.types.go(ref.inner)}":
            # `Vec<&T>` likewise: a `[]T` in generic code, pointers to the elements here.
            return g.call("gustSliceRefs", value)
        raise Unsupported(f"a generic call returning `{actual}`")


# ---------------------------------------------------------------- declarations


def emit_fn(ctx: ItemContext, br: BodyResults, go_name: str, sig: FnSig | None = None,
            receiver: str | None = None, self_param: str | None = None,
            tparams: tuple[str, ...] | None = None, facing: Facing | None = None
            ) -> list[tuple[str, int | None]]:
    """A function or method, with its type parameters (`tparams`: the signature's own
    generics unless given), and its Go-facing wrapper (`facing`, gust.codegen.go_facing)."""
    from gust.codegen import go_facing
    from gust.codegen.body import FnEmitter

    env = ctx.env
    if sig is None:
        sig = env.fns.get(env.modules.key_of(br.fn) or br.fn.name) if br.owner is None \
            else None
    if sig is not None and sig.decl is not br.fn:
        sig = None
    params = tparams if tparams is not None else (sig.generics if sig is not None else ())
    types = ctx.types
    mapping = go_param_names(params, set(env.structs) | set(env.enums) | set(env.traits))
    # A function's own parameters, or (a method emitted as a function) its impl's too; a
    # Go method has its type's (`impl_pointers`, around the whole method).
    bounds = sig.bounds if sig is not None else ()
    with spelling(types, mapping), \
            (pointers(types, pointer_params(types, params, bounds),
                      ref_params(types, params, bounds))
             if receiver is None else nullcontext()):
        em = FnEmitter(ctx, br, go_name, receiver, self_param)
        em.sig = sig
        if params:
            try:
                em.type_params = type_param_list(
                    types, params, sig_key_bounds(env, sig) if sig is not None else ())
            except Unsupported as exc:
                ctx.unsupported(exc.what, br.fn.generics.span)
                return []
        arith = tuple(p for p in size_kinds.arith_params_of(env, sig) if p in params) \
            if sig is not None and receiver is None else ()
        plain_params = em.type_params
        em.type_params = size_kinds.with_declared(types, arith, plain_params)
        with size_kinds.in_scope(types, arith):
            lines = em.emit()
            if facing is not None and sig is not None and lines:
                lines += go_facing.wrapper(em, facing, sig, plain_params, arith)
        return lines


# ---------------------------------------------------------------- method calls


def method_call(em: FnEmitter, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
    """`recv.name(args)` of a user method: inherent (maybe of a generic impl, maybe a
    top-level function) or of a trait (always a Go method: impls and forwarding methods)."""
    from gust.codegen import traits
    from gust.codegen.body import UnsupportedAt

    env = em.env
    types = em.types
    recv_ty = em.ty(e.receiver)
    base_ty = em._deref_ty(recv_ty, res.derefs)
    convert: str | None = None  # for a Go-facing method of another package
    if res.trait is not None:
        sig = traits.call_sig(em.ctx, res, base_ty)
        known: dict[str, t.Ty] = {"Self": base_ty}
        info = env.traits.get(res.trait)
        if info is not None and info.assoc:
            # `Self::Item` of the trait's signature: the impl's, or `C::Item` of a bound.
            known.update(sema_traits.assoc_subst(info, base_ty, env,
                                                 fn_assumptions(env, em.fn)))
        as_function = False
        impl = env.impl_of.get(sig.decl)
        if impl is not None and impl.trait is not None:
            match_ty(impl.self_ty, base_ty, known)
        direct = traits.enum_fn_call(types, base_ty, res.trait, sig)
        if sig.generics and direct is None:
            from gust.codegen import generic_methods

            return generic_methods.generic_method_call(em, e, res, sig, base_ty)
        if isinstance(base_ty, t.Param) and res.self_kind == "ref_mut" and \
                base_ty.name not in types.ptr_bounded and base_ty.name not in types.iface_params:
            raise UnsupportedAt("`&mut self` trait methods called through a type parameter",
                                e.span)
        go_name = traits.method_go_name(em.types, res.trait, e.name)
        generics: tuple[str, ...] = ()
        # A default method of a trait the enum's interface does not embed: called on its
        # reference type (`DoorRef{&door}.run(inputs)`), which has the trait's interface.
        by_ref = direct is None and isinstance(base_ty, t.Adt) and \
            traits.is_payload_enum(types, base_ty) and res.trait in env.traits and \
            not traits.enum_impl_embeds(types, base_ty, res.trait)
        if direct is not None:
            as_function, go_name = True, direct  # `Fig_scale(&f, 2.0)`, `Printer_visit(..)`
            generics = function_type_params(types, sig)
    else:
        by_ref = False
        sig = env.inherent.get(res.owner, {}).get(e.name) or env.methods[res.owner][e.name]
        impl = env.impl_of.get(sig.decl)
        known = dict(em.br.method_turbofish.get(e, {}))  # `x.search::<Cosine>(q)`
        if impl is not None:
            match_ty(impl.self_ty, base_ty, known)
        as_function = method_is_function(env, types, sig) or types.is_iface_enum(res.owner)
        generics = function_type_params(types, sig) if as_function else sig.generics
        go_name = em.assoc_name(res.owner, e.name) if as_function else \
            em.method_name(res.owner, e.name)
        convert = types.pkg.foreign_method(res.owner, e.name)
        if convert is not None and not as_function:
            go_name = types.pkg.facing_method(res.owner, e.name) or go_name
    values = em.exprs([e.receiver, *e.args])
    recv = em._deref_expr(values[0], recv_ty, res.derefs, res.self_kind == "ref_mut")
    if res.trait is not None:
        if res.self_kind == "ref_mut" and \
                primitive_impls.wrapper(types, base_ty, res.trait) is not None:
            recv = primitive_impls.receiver(types, em._address(recv, e.receiver, base_ty),
                                            base_ty, res.trait, pointer=True)
        else:
            recv = primitive_impls.receiver(types, recv, base_ty, res.trait)  # `U32(9).x()`
        if isinstance(base_ty, t.Param) and base_ty.name in types.ptr_bounded:
            recv = pointer_receiver(em, recv, e.receiver, base_ty)
        view = traits.enum_view(types, base_ty, res.trait) if by_ref and \
            isinstance(base_ty, t.Adt) and res.self_kind != "ref_mut" else None
        if view is not None:  # a generic enum's view as the trait: `TreeAsWeight[T]{v: t}`
            assert isinstance(base_ty, t.Adt)
            recv = traits.view_value(types, base_ty, view, recv)
        elif by_ref:
            assert isinstance(base_ty, t.Adt)
            if not traits.enum_has_ref(types, base_ty.name):
                raise UnsupportedAt(f"default methods of `{res.trait}` called on a generic "
                                    "enum with payloads", e.span)
            recv = traits.ref_value(types, base_ty.name, em._address(recv, e.receiver, base_ty))
    try:
        call = GenericCall.infer(em, generics, sig.params, [em.ty(a) for a in e.args],
                                 sig.ret, em.ty(e), known, seqs=seq_bounds(sig.bounds),
                                 bounds=sig.bounds,
                                 own=generics if as_function else
                                 impl.generics if impl is not None and (
                                     res.trait is None or impl_is_plain(types, impl)) else (),
                                 arith=size_kinds.arith_params_of(env, sig)
                                 if as_function and res.trait is None else ())
    except Unsupported as exc:
        raise UnsupportedAt(exc.what, e.span) from None
    call.self_ptr = res.trait is not None and traits.uses_self(env, res.trait) and \
        not as_function
    try:
        args = [call.arg(v, em.ty(a), p)
                for v, a, p in zip(values[1:], e.args, sig.params, strict=False)]
        if as_function:
            self_ty = impl.self_ty if impl is not None else base_ty
            peeled = em._deref_ty(recv_ty, res.derefs - 1) if res.derefs else None
            if res.self_kind in ("ref", "ref_mut") and \
                    types.ref_is_ptr(t.Ref(base_ty, res.self_kind == "ref_mut")) and \
                    not (isinstance(peeled, t.Ref) and types.ref_is_ptr(peeled) and
                         types.is_struct(base_ty)):
                # (through a `&Struct`, `recv` is that pointer already: Go's `.` derefs it)
                recv = em._address(recv, e.receiver, base_ty)
            if call.wrapped.keys() & t.params_in(self_ty):
                # `Tree[uint32]` is not a `Tree[U32]` (primitive_impls): a copy of every
                # element would be needed.
                raise Unsupported(f"calling `{e.name}` on `{base_ty}`, whose type argument "
                                  "is a primitive with trait implementations,")
            targs = call.type_args((self_ty, *sig.params))
            value: g.GoExpr = g.call(go_name + targs, recv, *args)
        else:
            # Inherent `&self` methods and `&mut self` methods have pointer receivers.
            pointer = res.self_kind == "ref_mut" or (res.trait is None and
                                                     res.self_kind == "ref")
            if pointer and not em._addressable(e.receiver) and \
                    not (isinstance(recv_ty, t.Ref) and types.ref_is_ptr(recv_ty)) and \
                    not isinstance(base_ty, (t.Param, t.Dyn)) and not by_ref:
                recv = g.ident(em.define_temp(recv, base_ty, "recv"))
            value = g.call(g.selector(recv, go_name), *args)
        if res.trait is None and convert is not None:
            value = from_go(em, convert, sig.ret, value)
        return call.result(value, sig.ret, em.ty(e))
    except Unsupported as exc:
        raise UnsupportedAt(exc.what, e.span) from None


def field_type(env: ItemEnv, adt: str, ty: t.Ty, instance: t.Ty) -> t.Ty:
    """A field's declared type instantiated for `instance` (`T` of `Stack<i32>` is i32)."""
    if not isinstance(instance, t.Adt) or not instance.args:
        return ty
    return t.substitute(ty, dict(zip(env.generics_of(adt), instance.args, strict=False)))


def go_field_type(types: Types, adt: str, ty: t.Ty, instance: t.Ty) -> t.Ty:
    """`field_type` as Go holds it: an erased iterator parameter (`Types.adt_seqs`) is the
    `iter.Seq` of its items whatever iterator the instance has (`Counted<Countdown>`'s
    `inner: I` is an `Iter<u32>`: a package iterator stored there becomes one)."""
    seqs = types.adt_seqs(adt)
    if not seqs or not isinstance(instance, t.Adt) or not instance.args:
        return field_type(types.env, adt, ty, instance)
    subst = dict(zip(types.env.generics_of(adt), instance.args, strict=False))
    held = {p: t.Adt("Iter", (t.substitute(item, subst),)) for p, item in seqs.items()}
    inside = t.params_in(ty) & seqs.keys()
    if inside and not (isinstance(ty, t.Param) and ty.name in seqs) and \
            not _option_of_seq(ty, seqs) and any(
            types.go(held[p]) != types.go(subst.get(p, held[p])) for p in inside):
        # (A value is converted where the field's type is the parameter itself.)
        raise Unsupported(f"a package iterator inside the field type `{ty}` of an erased "
                          "iterator parameter")
    subst.update(held)
    return t.substitute(ty, subst)


def _option_of_seq(ty: t.Ty, seqs: dict[str, t.Ty]) -> bool:
    """`Option<I>` of an erased iterator parameter (`Fuse { iter: Some(Countdown(3)) }`:
    the value is converted where it is stored, body.FnEmitter.adapt)."""
    return isinstance(ty, t.Adt) and ty.name == "Option" and len(ty.args) == 1 and \
        isinstance(ty.args[0], t.Param) and ty.args[0].name in seqs


def erased_field(types: Types, adt: str, ty: t.Ty, instance: t.Ty) -> bool:
    """Whether Go holds a field of `instance` as another type than the checker's: an
    erased iterator parameter given a package iterator (`Counted<Countdown>`'s `inner` is
    an `iter.Seq[uint32]`, not a `Countdown`)."""
    seqs = types.adt_seqs(adt)
    if not seqs or not isinstance(instance, t.Adt):
        return False
    return types.go(go_field_type(types, adt, ty, instance)) != \
        types.go(field_type(types.env, adt, ty, instance))


def path_call(em: FnEmitter, e: ast.Call, res: FnRes | AssocFnRes) -> g.GoExpr:
    """A call of a function path: `f(..)`, `Stack::new(..)`, `T::new()`, `Shape::area(&c)`."""
    from gust.codegen import traits
    from gust.codegen.body import UnsupportedAt, _strip

    env = em.env
    ret_ty = em.ty(e)
    arg_tys = [em.ty(a) for a in e.args]
    try:
        if isinstance(res, FnRes):
            fsig = env.fns[res.name]
            callee = _strip(e.callee)
            written = em.br.turbofish.get(callee.path.last) \
                if isinstance(callee, ast.PathExpr) else None
            wrapped = res.name in em.types.pkg.foreign and \
                em.types.pkg.foreign_call(res.name)[1] is not None
            call = GenericCall.infer(em, fsig.generics, fsig.params, arg_tys, fsig.ret, ret_ty,
                                     known=dict(written) if written else None,
                                     seqs=seq_bounds(fsig.bounds), bounds=fsig.bounds,
                                     own=fsig.generics,
                                     # (another package's Go-facing wrapper has none)
                                     arith=() if wrapped else size_kinds.arith_params_of(env, fsig))
            args = call.args(e.args, fsig.params)
            if res.name in em.types.pkg.foreign:
                return call.result(foreign_call(em, res.name, args, call.type_args(fsig.params)),
                                   fsig.ret, ret_ty)
            name = em.types.pkg.value_name(res.name) + call.type_args(fsig.params)
            return call.result(g.call(name, *args), fsig.ret, ret_ty)
        owner, item = res.owner, res.name
        sig = env.inherent.get(owner, {}).get(item) if res.trait is None else None
        if sig is not None:
            impl = env.impl_of.get(sig.decl)
            self_ty = impl.self_ty if impl is not None else t.Adt(owner)
            params = sig.params
            if sig.self_kind is not None:
                params = (_self_ref(self_ty, sig.self_kind), *params)
            tparams = function_type_params(em.types, sig)
            callee = _strip(e.callee)
            # An associated constant of a generic impl: its impl's parameters, as the
            # checker matched them (no argument tells them).
            known: dict[str, t.Ty] = dict(em.br.turbofish.get(callee.path.last, {})) \
                if isinstance(callee, ast.PathExpr) and sig.decl.assoc_const else {}
            as_function = sig.self_kind is None or method_is_function(env, em.types, sig) \
                or em.types.is_iface_enum(owner)
            call = GenericCall.infer(em, tparams, params, arg_tys, sig.ret, ret_ty, known,
                                     seqs=seq_bounds(sig.bounds), bounds=sig.bounds,
                                     own=tparams if as_function else (),
                                     arith=size_kinds.arith_params_of(env, sig) if as_function
                                     else ())
            args = call.args(e.args, params)
            convert = em.types.pkg.foreign_method(owner, item)
            value: g.GoExpr
            if as_function:
                name = em.assoc_name(owner, item) + call.type_args(params)
                value = g.call(name, *args)
            else:
                go_name = em.method_name(owner, item)
                if convert is not None:
                    go_name = em.types.pkg.facing_method(owner, item) or go_name
                value = g.call(g.selector(args[0], go_name), *args[1:])
            if convert is not None:
                value = from_go(em, convert, sig.ret, value)
            return call.result(value, sig.ret, ret_ty)
        # An item of a trait: on a concrete type, a type parameter or `Self`.
        callee = _strip(e.callee)
        assert isinstance(callee, ast.PathExpr)
        return traits.trait_fn_call(em, e, res, callee.path)
    except Unsupported as exc:
        raise UnsupportedAt(exc.what, e.span) from None


def value_type_args(em: FnEmitter, key: str, fn_ty: t.Ty) -> str:
    """The type arguments of the generic function `key` as a value of type `fn_ty` (`let f
    = gap::<usize>`, `apply(gap, ..)`): Go infers them from the value's use, but for the
    arithmetic parameters (gust.codegen.size_kinds), so with those all are written."""
    sig = em.env.fns.get(key)
    arith = size_kinds.arith_params_of(em.env, sig) if sig is not None else ()
    if sig is None or not arith:
        return ""
    subst: dict[str, t.Ty] = {}
    match_ty(t.FnPtr(sig.params, sig.ret), fn_ty, subst)
    if any(p not in subst for p in sig.generics):
        raise Unsupported("a generic function as a value whose type arguments are not known")
    return "[" + ", ".join([*size_kinds.arguments(em.types, arith, subst),
                            *(em.types.go(subst[p]) for p in sig.generics)]) + "]"


def foreign_call(em: FnEmitter, key: str, args: list[g.GoExpr], targs: str) -> g.GoExpr:
    """A call of a function of another Gust package: its Go-facing results (`(T, error)`,
    `(T, bool)`) back into this package's `Result`/`Option`."""
    name, convert = em.types.pkg.foreign_call(key)
    value = g.call(name + targs, *args)
    if convert is None:
        return value
    return from_go(em, convert, em.env.fns[key].ret, value)


def from_go(em: FnEmitter, convert: str, ret: t.Ty, value: g.GoExpr) -> g.GoExpr:
    """The Go results of another package's Go-facing wrapper (`value`) as the `Result` or
    `Option` `ret` (`convert`: the runtime function, `PackageNames.foreign_method`)."""
    assert isinstance(ret, t.Adt)
    if convert == "gustResultFromGo":
        convert += f"[{em.go(ret.args[0])}, {em.go(ret.args[1])}]"
    elif convert == "gustUnitResultFromGo":
        convert += f"[{em.go(ret.args[1])}]"
    return g.call(convert, value)


def _self_ref(self_ty: t.Ty, self_kind: str) -> t.Ty:
    return self_ty if self_kind == "value" else t.Ref(self_ty, self_kind == "ref_mut")
