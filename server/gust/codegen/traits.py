"""Traits as Go interfaces, trait impls as Go methods.

* `trait Shape { fn area(&self) -> f64; .. }` is `type Shape interface { area() float64; .. }`:
  the type of `dyn Shape` (`&dyn Shape`, `Box<dyn Shape>`, `impl Shape` results) and the
  constraint of `T: Shape`. Supertraits are embedded interfaces. A trait whose signatures
  mention `Self` (`fn merge(&self, other: &Self) -> Self`) is a generic interface over its
  implementing type, `type Merge[Self any] interface { merge(other Self) Self }`, and a
  bound `T: Merge` is `T Merge[T]` (such traits cannot be `dyn`, as in Rust). Associated
  functions without `self` are interface methods too: `T::new()` calls one on T's zero value
  (`(*new(T)).new()`), `S::new()` on `S{}`.
* `impl Shape for Circle` gives `Circle` the methods: `&self` and `self` methods have value
  receivers (so both `Circle` and `*Circle` satisfy the interface, and a `T: Shape` can be
  instantiated with the struct itself), `&mut self` methods pointer receivers. A struct
  converted to a `dyn` interface is always its pointer (`&Circle{..}`), so `&mut self`
  methods are reachable through it.
* Default methods: Go interfaces have no method bodies. A default body is the function
  `Shape_describe(self Shape) string` (generic over `Self` when the trait is), and every
  impl that does not override it gets a forwarding method `func (self Rect) describe()
  string { return Shape_describe(self) }`, so calls look the same for every type.
* An enum with payloads (a Go interface, a struct per variant) implements a trait with
  functions of the enum (`Fig_area(self Fig)`, `Fig_scale(self *Fig, k float64)`,
  `Fig_unit() Fig`). When every method of the trait takes `&self` or `self`, the enum's
  interface embeds the trait's and each variant struct forwards the methods to the
  functions (`enum_embeds`); otherwise calls on the enum go to the functions directly,
  and the enum gets a reference type, `type FigRef struct{ p *Fig }` (`enum_has_ref`),
  whose methods forward to the functions with the variable (`Fig_scale(self.p, k)`): it
  has the trait's interface, so `FigRef{&f}` is the enum as a `dyn` of the trait and the
  `self` its default methods get. A bound by such a trait gets a reference type as its
  pointer parameter (`ref_scheme`; structs implementing the trait get one too); a generic
  enum has none, and is reported through a bound (`check_bound_args`) or `dyn`.
* Std traits with behaviour a program sees: `Display`/`Debug` impls are the runtime
  formatter's `fmtDisplay`/`fmtDebug` methods (`write!(f, ..)` writes through the
  formatter); operator traits (`Add`, `Sub`, `Mul`, `Div`, `Rem`, `Neg`, `Not`) are methods
  named like the trait's method (`a + b` is `a.add(b)`); `PartialEq::eq` is `eq` (used by
  `==`), `PartialOrd::partial_cmp` and `Ord::cmp` are methods used by `<`, `sort`, `max`
  through the runtime's `gustCmp`; `Clone::clone` is `Clone()` like a derived one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from gust.codegen import (
    constraints,
    conversions,
    names,
    primitive_impls,
    size_kinds,
    wide_ints,
)
from gust.codegen import generics as gen
from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import traits as sema_traits
from gust.sema import types as t
from gust.sema.items import (
    Bound,
    EnumInfo,
    FnSig,
    ImplInfo,
    ItemEnv,
    TraitInfo,
    projection_name,
)
from gust.sema.package import CheckedItem
from gust.sema.results import AssocFnRes, BodyResults, MethodRes
from gust.syntax import ast
from gust.text import Span

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

Lines = list[tuple[str, int | None]]

# Traits that only mark a type (no methods the Go code calls): dropped from `dyn A + Send`.
MARKER_TRAITS: Final = frozenset({"Send", "Sync", "Sized", "Copy", "Eq", "Unpin"})

# Std traits whose impls become Go methods with these names (the runtime and the emitted
# operators call them).
STD_METHOD_NAMES: Final = {("Display", "fmt"): "fmtDisplay", ("Debug", "fmt"): "fmtDebug",
                    ("Clone", "clone"): "Clone", ("Error", "source"): "gustSource"}

# Operator traits: the binary or unary operator each implements, by method name.
OPERATOR_METHODS: Final = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem"}
OPERATOR_TRAITS: Final = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div", "Rem": "rem",
                   "Neg": "neg", "Not": "not", "AddAssign": "add_assign",
                   "SubAssign": "sub_assign", "MulAssign": "mul_assign",
                   "DivAssign": "div_assign", "RemAssign": "rem_assign", "PartialEq": "eq",
                   "PartialOrd": "partial_cmp", "Ord": "cmp", "Index": "index",
                   "IndexMut": "index_mut"}
# Std traits whose impls for an enum with payloads are functions only (no variant methods):
# `ShapeClone` (as a derived one), `Shape_default`, and `Shape_cmp`/`Shape_partial_cmp`,
# which the variants' `gustOrder` calls for the runtime's comparisons.
_ENUM_FN_STD_TRAITS: Final = ("Clone", "Default", "Ord", "PartialOrd", "FromStr", "TryFrom")
# Std traits whose impls the Go backend emits as methods.
EMITTED_STD_TRAITS: Final = frozenset({"Display", "Debug", "Clone", "Default", "Iterator",
                                "FromStr", "IntoIterator", "TryFrom", "AsRef", "Deref",
                                "DerefMut", "Drop", "Sum", "Product", "Error",
                                *OPERATOR_TRAITS})


# ---------------------------------------------------------------- interfaces


def trait_uses_self(info: TraitInfo) -> bool:
    """Whether `Self` appears in a signature outside the receiver (a generic interface)."""
    for sig in info.methods.values():
        for ty in (*sig.params, sig.ret):
            if "Self" in t.params_in(ty):
                return True
    return False


def uses_self(env: ItemEnv, trait: str) -> bool:
    info = env.traits.get(trait)
    return info is not None and trait_uses_self(info)


def interface_params(info: TraitInfo) -> tuple[str, ...]:
    """The Go type parameters of a trait's interface: `Self` when used, then its own, then
    one per associated type (`Self::Item`, spelled `Item`: `assoc_spelling`)."""
    return (("Self",) if trait_uses_self(info) else ()) + info.generics + assoc_params(info)


def assoc_params(info: TraitInfo) -> tuple[str, ...]:
    """`Self::Item` for each associated type: a type parameter of the trait's interface
    (`type Container[Item any] interface { get(i int) Option[Item] }`)."""
    return tuple(projection_name("Self", a) for a in info.assoc)


def assoc_spelling(types: Types, info: TraitInfo) -> dict[str, str]:
    """The Go names of a trait's associated-type parameters in its own declarations."""
    taken = set(types.env.structs) | set(types.env.enums) | set(types.env.traits) | \
        set(info.generics)
    return gen.go_param_names(assoc_params(info), taken)


def assoc_unsupported(types: Types, info: TraitInfo) -> str | None:
    """What the Go backend does not translate yet of a trait with associated types."""
    if not info.assoc:
        return None
    if trait_uses_self(info) or info.generics:
        return "a trait with associated types that uses `Self` or has type parameters"
    if ref_scheme(types, info.name):
        return "a trait with associated types implemented by an enum with payloads"
    if any(s.generics or s.self_kind is None for s in info.methods.values()):
        return "a trait with associated types and generic methods or functions without `self`"
    return None


def iface_name(types: Types, trait: str) -> str:
    return types.pkg.type_name(trait)


def bound_interface(types: Types, bound: Bound) -> str | None:
    """The Go interface a bound `T: Trait<args>` constrains T to (None for std traits)."""
    info = types.env.traits.get(bound.trait)
    if info is None:
        return None
    args: list[str] = []
    if trait_uses_self(info):
        args.append(types.go(bound.ty))
    args += [types.go(a) for a in bound.args]
    for a in info.assoc:
        given = bound.assoc_ty(a)
        if given is None:
            raise Unsupported(f"the bound `{bound.trait}` without its associated type `{a}`")
        args.append(types.go(given))
    if len(args) != len(interface_params(info)):
        raise Unsupported(f"the bound `{bound.trait}` with these arguments")
    name = iface_name(types, bound.trait)
    return name + ("[" + ", ".join(args) + "]" if args else "")


def dyn_interface(types: Types, traits: tuple[str, ...],
                  assoc: tuple[tuple[str, t.Ty], ...] = ()) -> str:
    """The Go type of `dyn A + B`: the user traits' interfaces (`any` for std traits);
    `dyn Container<Item = i32>` is `Container[int32]`."""
    parts: list[str] = []
    for name in traits:
        if name in MARKER_TRAITS:
            continue
        info = types.env.traits.get(name)
        if info is None:
            if name in ("Display", "Debug", "ToString"):
                continue  # the runtime's formatter takes `any`
            if name == "Error" and len(traits) == 1 + sum(n in MARKER_TRAITS for n in traits):
                return "gustDynError"  # a value with a Display impl (the runtime's)
            raise Unsupported(f"`dyn {name}`")
        given = dict(assoc)
        if info.assoc and interface_params(info) == assoc_params(info) and \
                all(a in given for a in info.assoc):
            parts.append(iface_name(types, name) + "[" + ", ".join(
                types.go(given[a]) for a in info.assoc) + "]")
            continue
        if interface_params(info):
            raise Unsupported(f"`dyn {name}` of a generic trait")
        parts.append(iface_name(types, name))
    if not parts:
        return "any"
    if len(parts) == 1:
        return parts[0]
    return "interface{ " + "; ".join(parts) + " }"


def method_go_name(types: Types, trait: str, method: str) -> str:
    """The Go method name of a trait's method (exported for a `pub` trait of a library)."""
    if (trait, method) in STD_METHOD_NAMES:
        return STD_METHOD_NAMES[(trait, method)]
    return types.pkg.trait_method(trait, method)


# Operator traits whose argument is the right-hand type (`Mul<f64>`): a type may implement
# one for several (`v * 2.0` scales, `v * w` is a dot product). Rust picks the impl by the
# right-hand type; a Go type has one method of a name, so the first impl in the package's
# order keeps it (`mul`) and the others add their right-hand type (`mulF64`, `mulV2`).
# (`TryFrom<S>` impls are named alike: `try_from`, `try_fromStr`; and `Sum<A>`: `sum`,
# `sumRefMoney`.)
RHS_OPERATOR_TRAITS: Final = frozenset({"Add", "Sub", "Mul", "Div", "Rem", "AddAssign", "SubAssign",
                                 "MulAssign", "DivAssign", "RemAssign", "Index", "IndexMut",
                                 "TryFrom", "Sum", "Product"})


def _rhs_type(impl: ImplInfo) -> t.Ty:
    return impl.trait_args[0] if impl.trait_args else impl.self_ty


def _rhs_word(ty: t.Ty) -> str:
    """The right-hand type as the end of a Go method name: `F64`, `V2`, `RefV2`."""
    if isinstance(ty, t.Ref):
        return ("RefMut" if ty.mutable else "Ref") + _rhs_word(ty.inner)
    return conversions.type_word(ty)


def _same_operator_impls(env: ItemEnv, impl: ImplInfo) -> list[ImplInfo]:
    """The impls of `impl`'s operator trait for its type, in the package's order."""
    return [i for i in env.impls if i.trait == impl.trait and i.self_ty == impl.self_ty]


def impl_method_go_name(types: Types, impl: ImplInfo, method: str) -> str:
    """The Go name of a method of a trait impl: the trait's method name, with the right-hand
    type added for an operator impl that is not its type's first for that trait."""
    assert impl.trait is not None
    if impl.trait == "IntoIterator" and isinstance(impl.self_ty, t.Ref):
        # `impl IntoIterator for &Coll` beside `for Coll`: one Go type, two names.
        suffix = "_mut" if impl.self_ty.mutable else "_ref"
        return method_go_name(types, impl.trait, method) + suffix
    return method_go_name(types, impl.trait, method) + _operator_suffix(types.env, impl)


def _operator_suffix(env: ItemEnv, impl: ImplInfo) -> str:
    if impl.trait not in RHS_OPERATOR_TRAITS:
        return ""
    siblings = _same_operator_impls(env, impl)
    if not siblings or siblings[0].decl is impl.decl:
        return ""
    return _rhs_word(_rhs_type(impl))


def operator_method(types: Types, trait: str, method: str, lhs: t.Ty, rhs: t.Ty) -> str:
    """The Go method that `lhs op rhs` calls: that of the impl of `trait` for `lhs` whose
    right-hand type is `rhs` (as the checker picks it, gust.sema.check.operators)."""
    impl, _ = _operator_impl(types, trait, lhs, rhs)
    return method_go_name(types, trait, method) if impl is None else \
        impl_method_go_name(types, impl, method)


def _operator_impl(types: Types, trait: str, lhs: t.Ty, rhs: t.Ty
                   ) -> tuple[ImplInfo | None, bool]:
    """The impl of `trait` for `lhs` that `lhs op rhs` uses, and whether its right-hand type
    is exactly `rhs` (not one it was coerced to, which the checker allows with one impl)."""
    first: ImplInfo | None = None
    for impl in types.env.trait_impls(trait):
        subst: dict[str, t.Ty] = {}
        if not sema_traits.match_ty(impl.self_ty, lhs, frozenset(impl.generics), subst):
            continue
        if t.substitute(_rhs_type(impl), subst) == rhs:
            return impl, True
        first = first or impl
    return first, False



def emit_trait(ctx: ItemContext, node: ast.TraitDecl, item: CheckedItem) -> Lines:
    key = ctx.env.modules.key_of(node) or node.name  # (`a::Show` when `b::Show` is too)
    info = ctx.env.traits.get(key)
    if info is None or info.decl is not node:
        return []
    types = ctx.types
    gline = ctx.gline(node.span)
    params = interface_params(info)
    name = iface_name(types, key)
    why = assoc_unsupported(types, info)
    if why is not None:
        ctx.unsupported(why, node.name_span)
        return []
    try:
        with gen.spelling(types, assoc_spelling(types, info)):
            header = gen.type_param_list(types, params, ())
            if trait_uses_self(info):
                types.ptr_params.add("Self")
            lines = _interface_body(ctx, info)
    except Unsupported as exc:
        ctx.unsupported(exc.what, node.name_span)
        return []
    finally:
        types.ptr_params.discard("Self")
    out: Lines = [(f"type {name}{header} interface {{", gline), *lines, ("}", None)]
    if needs_pointer(types, key):
        try:
            spelled = assoc_spelling(types, info)
            decl = constraints.pointer_declaration(types, name,
                                                   [spelled.get(p, p) for p in params],
                                                   [*info.generics,
                                                    *(spelled[p] for p in assoc_params(info))],
                                                   ref_scheme(types, key))
        except Unsupported as exc:
            ctx.unsupported(exc.what, node.name_span)
            return []
        out += [("", None), *((line, gline) for line in decl)]
    for named in constraints.owned_by(ctx.env, key):
        try:
            out += [("", None), *((line, gline) for line in named.declaration(types))]
        except Unsupported as exc:
            ctx.unsupported(exc.what, node.name_span)
    for br in item.bodies:
        out += [("", None), *_default_fn(ctx, info, br)]
    for sig in info.methods.values():
        if sig.generics:
            from gust.codegen import generic_methods

            out += generic_methods.dispatcher(ctx, info, sig)
    return out


def _interface_body(ctx: ItemContext, info: TraitInfo) -> Lines:
    types = ctx.types
    out: Lines = []
    for sup in info.supertraits:
        iface = bound_interface(types, sup)
        if iface is not None:
            out.append((f"\t{iface}", None))
    for mname, sig in info.methods.items():
        if sig.generics:
            # Go interface methods have no type parameters. Rust's generic methods make a
            # trait not dyn-compatible; the impls' are functions (`impl_generic_method`),
            # called on their own type; through a bound they are reported.
            continue
        out.append((f"\t{method_go_name(types, info.name, mname)}{_go_signature(types, sig)}",
                    ctx.gline(sig.decl.span)))
    return out


def _go_signature(types: Types, sig: FnSig) -> str:
    params = ", ".join(_param_name(sig, i) + " " + types.go(p)
                       for i, p in enumerate(sig.params))
    ret = "" if sig.ret == t.UNIT else " " + types.go(sig.ret)
    return f"({params}){ret}"


def _param_name(sig: FnSig, i: int) -> str:
    pat = sig.decl.params[i].pat
    if isinstance(pat, ast.IdentPat) and pat.name.isidentifier():
        return pat.name + "_" if names.is_reserved(pat.name) else pat.name
    return f"arg{i}"


def default_fn_name(types: Types, trait: str, method: str) -> str:
    return types.pkg.helper(f"{iface_name(types, trait)}_{method}")


def _with_receiver(sig: FnSig) -> FnSig:
    """A trait's associated constant is a method of its interface (`SIDES() uint32`): its
    default value, a function of the interface like a default method's
    (`Shape_NAME(self Shape)`), so that `Self::SIDES` in it is `self.SIDES()`."""
    return replace(sig, self_kind="ref") if sig.decl.assoc_const else sig


def _default_fn(ctx: ItemContext, info: TraitInfo, br: BodyResults) -> Lines:
    """A default method's body as a function of the trait's interface."""
    from gust.codegen.body import FnEmitter

    types = ctx.types
    fn = br.fn
    sig = _with_receiver(info.methods[fn.name])
    name = default_fn_name(types, info.name, fn.name)
    if trait_uses_self(info):
        mapping = {"Self": "Self"}
        tparams = "[Self " + iface_name(types, info.name) + \
            gen.type_args(types, interface_params(info)) + "]"
        if info.generics:
            tparams = "[Self " + iface_name(types, info.name) + \
                gen.type_args(types, interface_params(info)) + ", " + \
                gen.type_param_list(types, info.generics, ())[1:]
    elif info.assoc:
        # `func Container_first[Item any](self Container[Item]) Option[Item]`.
        mapping = assoc_spelling(types, info)
        with gen.spelling(types, mapping):
            mapping["Self"] = iface_name(types, info.name) + \
                gen.type_args(types, interface_params(info))
            tparams = gen.type_param_list(types, interface_params(info), ())
    else:
        mapping = {"Self": iface_name(types, info.name)}
        tparams = gen.type_param_list(types, info.generics, ())
    if sig.self_kind is None:
        ctx.unsupported("a default associated function without `self`", fn.name_span)
        return []
    if sig.generics:
        from gust.codegen import generic_methods

        return generic_methods.default_fn(ctx, info, br, sig)
    self_go = "Self" if trait_uses_self(info) else mapping["Self"]
    if trait_uses_self(info) and needs_pointer(types, info.name):
        return _pointer_default_fn(ctx, info, br, sig, name)
    types.iface_params.add("Self")
    try:
        with gen.spelling(types, mapping):
            em = FnEmitter(ctx, br, name, None, f"self {self_go}")
            em.type_params = tparams
            em.sig = sig
            return em.emit()
    finally:
        types.iface_params.discard("Self")


def _pointer_default_fn(ctx: ItemContext, info: TraitInfo, br: BodyResults, sig: FnSig,
                       name: str) -> Lines:
    """A default method of a trait that uses `Self` and has `&mut self` methods: those have
    pointer receivers, so `Self` is a plain parameter with a pointer parameter that has the
    methods (`func Counter_twice[Self any, PSelf CounterPtr[Self]](self *Self)`, calling
    `PSelf(self).bump(1)`; gust.codegen.generics.pointer_params). The forwarding methods
    pass their receiver (`*C` or `C`): Go infers both."""
    from gust.codegen.body import FnEmitter

    types = ctx.types
    if any("Self" in t.params_in(p) for p in sig.params) or \
            ("Self" in t.params_in(sig.ret) and sig.ret != t.Param("Self")):
        ctx.unsupported("a default method with `Self` in its signature, of a trait with "
                        "`&mut self` methods", br.fn.name_span)
        return []
    ptr = constraints.pointer_name(types, iface_name(types, info.name))
    rest = gen.type_param_list(types, info.generics, ())
    ptr_args = ", ".join(["Self", *(types.go(t.Param(p)) for p in info.generics)])
    tparams = f"[Self any, PSelf {ptr}[{ptr_args}]" + (", " + rest[1:] if rest else "]")
    self_go = "*Self" if sig.self_kind == "ref_mut" else "Self"
    refs = {"Self"} if ref_scheme(types, info.name) else set()
    with gen.spelling(types, {"Self": "Self"}), gen.pointers(types, {"Self": "PSelf"}, refs):
        em = FnEmitter(ctx, br, name, None, f"self {self_go}")
        em.type_params = tparams
        em.sig = sig
        return em.emit()


# ---------------------------------------------------------------- impls of traits


def _assoc_impl_unsupported(types: Types, impl: ImplInfo, info: TraitInfo) -> str | None:
    """An impl of a trait with associated types whose methods would not have the
    interface's Go signatures: a `&Self::Item` is the interface's `Item` (a reference to a
    type parameter is its value), the impl's `&Point` a `*Point`; and enums with payloads
    (their impls are functions)."""
    if isinstance(impl.self_ty, t.Adt) and types.is_iface_enum(impl.self_ty.name):
        return "an enum with payloads implementing a trait with associated types"
    if impl.generics and not gen.impl_is_plain(types, impl):
        return "a generic implementation of a trait with associated types"
    subst = {projection_name("Self", n): a for n, a in impl.assoc}
    for sig in info.methods.values():
        for ty in (*sig.params, sig.ret):
            inst = t.substitute(ty, subst)
            try:
                if gen.go_form(types, ty, subst) != types.go(inst):
                    return (f"`{inst}` for `{t.substitute(ty, {'Self': impl.self_ty})}` in "
                            "an implementation of a trait with associated types")
            except Unsupported as exc:
                return exc.what
    return None


def impl_method_receiver(types: Types, impl: ImplInfo, sig: FnSig) -> str:
    """The receiver of a trait method on the impl's type: `(self S)`, `(self *S)`, `(S)`."""
    self_ty = impl.self_ty
    go = primitive_impls.wrapper(types, self_ty, impl.trait) or types.go(self_ty)
    if sig.self_kind is None:
        return f"({go}) "
    if sig.self_kind == "ref_mut" and ((isinstance(self_ty, t.Adt) and
                                        not types.is_iface_enum(self_ty.name)) or
                                       go != types.go(self_ty)):
        return f"(self *{go}) "
    return f"(self {go}) "


def impl_supported(ctx: ItemContext, impl: ImplInfo) -> str | None:
    """Why the impl's methods cannot be Go methods (None when they can)."""
    self_ty = impl.self_ty
    if impl.trait == "IntoIterator" and isinstance(self_ty, t.Ref):
        # `impl IntoIterator for &Coll`: a method of Go's `*Coll`.
        self_ty = self_ty.inner
        if not (isinstance(self_ty, t.Adt) and (ctx.types.is_struct(self_ty) or (
                self_ty.name in ctx.env.enums and ctx.types.enum_is_simple(self_ty.name)))):
            return f"`IntoIterator` for `{impl.self_ty}`"
    if impl.trait == "AsRef" and len(_same_operator_impls(ctx.env, impl)) > 1:
        return "two `AsRef` implementations for one type (one Go method `as_ref`)"
    info = ctx.env.traits.get(impl.trait or "")
    if info is not None and info.assoc:
        why = _assoc_impl_unsupported(ctx.types, impl, info)
        if why is not None:
            return why
    if not isinstance(self_ty, t.Adt) or self_ty.name in ("String", "Vec", "Option", "HashMap", "HashSet",
                                                            "BTreeMap", "BTreeSet", "VecDeque"):
        return primitive_impls.unsupported_reason(ctx.types, impl)
    if not (self_ty.name in ctx.env.structs or
                                              self_ty.name in ctx.env.enums):
        return f"trait implementations for `{self_ty}`"
    if ctx.types.is_iface_enum(self_ty.name):
        if impl.trait == "TryFrom" and len(_same_operator_impls(ctx.env, impl)) > 1:
            return "two `TryFrom` implementations for an enum with payloads"
        if (self_ty.args and impl.trait in _ENUM_FN_STD_TRAITS) or (
                self_ty.args and impl.trait not in ctx.env.traits and
                not gen.impl_is_plain(ctx.types, impl)):
            return f"`{impl.trait}` implementations for this enum with payloads"
        info = ctx.env.traits.get(impl.trait or "")
        if info is not None and not enum_embeds(ctx.env, info.name) and \
                any(m not in impl.methods for m in info.defaults) and self_ty.args:
            # A default body takes the enum's reference type (`enum_has_ref`), which only a
            # plain enum has.
            return ("default methods of a trait with `&mut self` methods or functions "
                    "without `self`, for a generic enum with payloads")
    if not gen.impl_is_plain(ctx.types, impl) and not (
            ctx.types.is_iface_enum(self_ty.name) and impl.trait in ctx.env.traits and
            self_ty.args == tuple(t.Param(p) for p in impl.generics)):
        # (A payload enum's impl is functions, which may have constraints of their own.)
        return "a trait implementation for some instances of a generic type"
    trait = impl.trait or ""
    if trait not in ctx.env.traits and trait not in EMITTED_STD_TRAITS:
        return f"implementations of `{trait}`"
    return _method_clash(ctx, impl)


def _method_clash(ctx: ItemContext, impl: ImplInfo) -> str | None:
    """A type implementing two traits whose methods have one Go name (`fmt_a::Show` and
    `fmt_b::Show`, both `Show()` in Go): Rust tells them apart by trait, a Go type has one
    method per name. The later impl (in the package's order) is reported."""
    env, types = ctx.env, ctx.types
    mine = _go_method_names(types, env, impl.trait)
    for other in env.impls:
        if other is impl or other.decl is impl.decl:
            break
        if other.trait is None or other.self_ty != impl.self_ty:
            continue
        if other.trait == impl.trait:
            if _operator_suffix(env, other) != _operator_suffix(env, impl) and not (
                    isinstance(impl.self_ty, t.Adt) and types.is_iface_enum(impl.self_ty.name)):
                continue  # `mul` and `mulF64` (impl_method_go_name)
            if other.trait_args != impl.trait_args and (
                    _go_method_names(types, env, impl.trait) or impl.trait in OPERATOR_TRAITS):
                # `impl PartialEq<i32> for P` and `impl PartialEq for P`, or two operator
                # impls of an enum with payloads (functions named by type and method).
                return (f"`{impl.self_ty}` implementing `{impl.trait}` for two types, whose "
                        f"methods have one name in Go,")
            continue
        shared = mine & _go_method_names(types, env, other.trait)
        if shared:
            return (f"`{impl.self_ty}` implementing both `{other.trait}` and `{impl.trait}`, "
                    f"whose methods are both `{min(shared)}` in Go,")
    return None


def _go_method_names(types: Types, env: ItemEnv, trait: str | None) -> set[str]:
    info = env.traits.get(trait or "")
    if info is None:
        return set()
    return {method_go_name(types, info.name, m) for m in info.methods}


def emit_trait_impl(ctx: ItemContext, node: ast.ImplDecl, item: CheckedItem) -> Lines:

    impl = next((i for i in ctx.env.impls if i.decl is node), None)
    if impl is None or impl.trait is None:
        return []
    trait = impl.trait
    if trait in MARKER_TRAITS:
        return []
    if trait == "Hash":
        # A Go map hashes its keys itself, and compares them with Go's `==`: the same keys
        # as Rust's when `PartialEq` is derived (Rust requires equal keys to hash alike);
        # a key type with a hand-written `PartialEq` is reported where a map uses it
        # (Types.map_key).
        return []
    if trait == "From":
        return conversions.emit_from_impl(ctx, impl, item)
    if trait == "Error" and not impl.methods:
        # `impl Error for T {}`: its Display impl is all `dyn Error` needs; in a library
        # it also makes T a Go error (gust.codegen.go_facing).
        return _go_error(ctx, impl)
    if trait == "Error":
        # `fn source(&self)`: the Go method `gustSource` (the runtime's gustErrorSource
        # calls it); std's deprecated `description` and `cause` are not emitted.
        other = sorted(set(impl.methods) - {"source"})
        if other:
            assert node.trait_ is not None
            ctx.unsupported(f"`{other[0]}` of an `impl Error`", node.trait_.span)
            return []
        go_error = _go_error(ctx, impl)
        return go_error + ([("", None)] if go_error else []) + \
            _supported_impl(ctx, impl, node, item)
    return _supported_impl(ctx, impl, node, item)


def _supported_impl(ctx: ItemContext, impl: ImplInfo, node: ast.ImplDecl, item: CheckedItem
                    ) -> Lines:
    """A trait impl's Go methods, or nothing (reported) when they cannot be."""
    why = impl_supported(ctx, impl)
    if why is not None:
        assert node.trait_ is not None
        ctx.unsupported(why, node.trait_.span)
        return []
    # A generic struct's pointer parameters (`Wrapper[T, PT]`, gust.codegen.gotypes).
    with gen.impl_pointers(ctx.types, impl):
        try:
            return _trait_impl(ctx, impl, item)
        except Unsupported as exc:
            assert node.trait_ is not None
            ctx.unsupported(exc.what, node.trait_.span)
            return []


def _trait_impl(ctx: ItemContext, impl: ImplInfo, item: CheckedItem) -> Lines:
    from gust.codegen.body import FnEmitter

    assert impl.trait is not None
    trait = impl.trait
    types = ctx.types
    if isinstance(impl.self_ty, t.Adt) and types.is_iface_enum(impl.self_ty.name):
        return _enum_impl(ctx, impl, item)
    out: Lines = [(line, ctx.gline(impl.decl.span) if line else None)
                  for line in primitive_impls.declaration(types, impl)]
    wrapped = primitive_impls.wrapper(types, impl.self_ty, trait) is not None
    generic: Lines = []
    for br, fn, sig in _impl_methods(ctx, impl, item, generic):
        if out and out[-1][0]:
            out.append(("", None))
        receiver = impl_method_receiver(types, impl, sig)
        em = FnEmitter(ctx, br, impl_method_go_name(types, impl, fn.name), receiver, None)
        em.sig = sig
        em.value_receiver = sig.self_kind == "ref" and types.is_struct(impl.self_ty)
        if wrapped and isinstance(impl.self_ty, t.Ref):
            em.self_conversion = primitive_impls.REF_FIELD  # `self.ref`: the referent
        elif wrapped:
            # `uint32(self)` in the body, `(*[]int64)(self)` in a `&mut self` method's.
            em.self_conversion = ("*" if sig.self_kind == "ref_mut" else "") + \
                types.go(impl.self_ty)
        em.display = em.display or ((trait, fn.name) in STD_METHOD_NAMES and fn.name == "fmt")
        out += em.emit()
    out += generic[1:] if not out else generic
    info = ctx.env.traits.get(trait)
    if info is not None:
        out += _forwarding_methods(ctx, impl, info)
        if isinstance(impl.self_ty, t.Adt) and types.is_struct(impl.self_ty) and \
                type_has_ref(types, impl.self_ty.name):
            out += _struct_ref_methods(ctx, impl, info)
    if trait in ("Ord", "PartialOrd"):
        out += _order_bridge(ctx, impl)
    if trait == "FromStr":
        out += _from_str_bridge(ctx, impl)
    if trait == "Display":
        out += _stringer(ctx, impl)
    return out


def _stringer(ctx: ItemContext, impl: ImplInfo) -> Lines:
    """A type with `Display` is also a Go `fmt.Stringer`: `String()` is its Display output,
    so Go code prints it as Rust would (a library's caller's `fmt.Println(token)`, a
    program's `fmt::Println(&total)`)."""
    types = ctx.types
    ty = impl.self_ty
    if not isinstance(ty, t.Adt) or ty.args or impl.generics or \
            not (types.is_struct(ty) or types.enum_is_simple(ty.name)):
        return []
    info = ctx.env.structs.get(ty.name)
    members = set(ctx.env.methods.get(ty.name, {})) | \
        ({f.name for f in info.fields if f.name is not None} if info is not None else set())
    if any(types.pkg.field(ty.name, m) == "String" or types.pkg.method(ty.name, m) == "String"
           for m in members):
        return []  # the type has a `String` of its own
    gline = ctx.gline(impl.decl.span)
    return [("", None), ("// String is the Display output (fmt.Stringer).", None),
            (f"func (self {types.go(ty)}) String() string {{", gline),
            ("\treturn gustToString(&self)", None), ("}", None)]


def _go_error(ctx: ItemContext, impl: ImplInfo) -> Lines:
    """In a library, a type with `impl Error` is a Go `error`: `Error()` is its Display
    output, so a `Result` returned to Go carries the value itself."""
    types = ctx.types
    ty = impl.self_ty
    if not types.pkg.library or not isinstance(ty, t.Adt) or ty.args or impl.generics:
        return []
    if any(types.pkg.method(ty.name, m) == "Error" for m in ctx.env.methods.get(ty.name, {})):
        return []  # the type has an `Error` of its own
    enum = ctx.env.enums.get(ty.name)
    if enum is not None and not enum.generics and not types.enum_is_simple(ty.name):
        return _payload_enum_go_error(ctx, impl, enum)
    if not (types.is_struct(ty) or types.enum_is_simple(ty.name)):
        return []
    info = ctx.env.structs.get(ty.name)
    if info is not None and any(f.name is not None and types.pkg.field(ty.name, f.name) ==
                                "Error" for f in info.fields):
        return []
    gline = ctx.gline(impl.decl.span)
    return [("// Error is the Display output (a Go error).", None),
            (f"func (self {types.go(ty)}) Error() string {{", gline),
            ("\treturn gustToString(&self)", None), ("}", None)]


def _payload_enum_go_error(ctx: ItemContext, impl: ImplInfo, enum: EnumInfo) -> Lines:
    """`impl Error` of an enum with payloads: each variant's struct is a Go error (the
    value a Go caller gets is the variant, `errors.As(err, &notEnough)`, and the enum's
    interface matches it too)."""
    types = ctx.types
    if any(f.name is not None and types.pkg.field(enum.name, f.name) == "Error"
           for v in enum.variants for f in v.fields):
        return []
    gline = ctx.gline(impl.decl.span)
    out: Lines = []
    for variant in enum.variants:
        out += [("// Error is the Display output (a Go error).", None),
                (f"func (self {types.pkg.variant(enum.name, variant.name)}) Error() string {{",
                 gline),
                ("\treturn gustToString(&self)", None), ("}", None), ("", None)]
    return out[:-1]


def _forwarding_methods(ctx: ItemContext, impl: ImplInfo, info: TraitInfo) -> Lines:
    """Methods for the trait's default methods the impl does not override."""
    types = ctx.types
    out: Lines = []
    gline = ctx.gline(impl.decl.span)
    for mname in sorted(info.defaults, key=list(info.methods).index):
        if mname in impl.methods:
            continue
        sig = _with_receiver(info.methods[mname])
        if sig.self_kind is None or sig.generics:
            continue  # generic defaults are reported (`_default_fn`)
        subst = {"Self": impl.self_ty,
                 **{projection_name("Self", n): a for n, a in impl.assoc}}
        inst_ret = t.substitute(sig.ret, subst)
        params = ", ".join(_param_name(sig, i) + " " + types.go(t.substitute(p, subst))
                           for i, p in enumerate(sig.params))
        ret = "" if inst_ret == t.UNIT else " " + types.go(inst_ret)
        receiver = impl_method_receiver(types, impl, sig)
        self_arg = "self"
        if sig.self_kind != "ref_mut" and types.is_struct(impl.self_ty) and \
                _has_mut_methods(info) and not trait_uses_self(info):
            self_arg = "&self"  # only the pointer has the `&mut self` methods
        args = ", ".join([self_arg, *(_param_name(sig, i) for i in range(len(sig.params)))])
        targs = ref_type_args(types, impl.self_ty) if trait_uses_self(info) and \
            ref_scheme(types, info.name) else ""
        if info.assoc:
            targs = "[" + ", ".join(types.go(subst[p]) for p in assoc_params(info)) + "]"
        call = f"{default_fn_name(types, info.name, mname)}{targs}({args})"
        body = call if inst_ret == t.UNIT else "return " + call
        out += [("", None),
                (f"func {receiver}{method_go_name(types, info.name, mname)}({params}){ret} {{",
                 gline), ("\t" + body, None), ("}", None)]
    return out


def _struct_ref_methods(ctx: ItemContext, impl: ImplInfo, info: TraitInfo) -> Lines:
    """The trait's methods on a struct's reference type (`type_has_ref`): each calls the
    pointer's (`func (self TallyRef) bump(by uint32) { self.p.bump(by) }`)."""
    types = ctx.types
    assert isinstance(impl.self_ty, t.Adt)
    ref = ref_type(types, impl.self_ty.name)
    subst: dict[str, t.Ty] = {"Self": impl.self_ty}
    self_ptr = trait_uses_self(info)
    gline = ctx.gline(impl.decl.span)
    out: Lines = []
    for mname, declared in info.methods.items():
        if declared.generics:
            continue
        params = [_param_name(declared, i) for i in range(len(declared.params))]
        typed = ", ".join(f"{n} {gen.go_form(types, p, subst, self_ptr)}"
                          for n, p in zip(params, declared.params, strict=True))
        ret_ty = t.substitute(declared.ret, subst)
        ret = "" if ret_ty == t.UNIT else " " + gen.go_form(types, declared.ret, subst,
                                                            self_ptr)
        method = method_go_name(types, info.name, mname)
        receiver = f"({ref})" if declared.self_kind is None else f"(self {ref})"
        target = f"{types.go(impl.self_ty)}{{}}" if declared.self_kind is None else "self.p"
        call = f"{target}.{method}({', '.join(params)})"
        out += [("", None), (f"func {receiver} {method}({typed}){ret} {{", gline),
                ("\t" + ("return " + call if ret else call), None), ("}", None)]
    return out


def _has_mut_methods(info: TraitInfo) -> bool:
    return any(s.self_kind == "ref_mut" for s in info.methods.values())


# ---------------------------------------------------------------- calls


def call_sig(ctx: ItemContext, res: MethodRes, recv: t.Ty) -> FnSig:
    """The signature of a trait method called on `recv`: the impl's when it has the
    method, else the trait's (a default method, or a call through a bound or `dyn`)."""
    trait = res.trait or ""
    if isinstance(recv, t.Adt):
        for impl in ctx.env.impls:
            if impl.trait == trait and isinstance(impl.self_ty, t.Adt) and \
                    impl.self_ty.name == recv.name and res.name in impl.methods:
                return impl.methods[res.name]
    info = ctx.env.traits.get(trait)
    if info is None or res.name not in info.methods:
        raise Unsupported(f"calls of `{trait}::{res.name}`")
    return info.methods[res.name]


def to_interface(types: Types, value: g.GoExpr, from_ty: t.Ty) -> g.GoExpr:
    """A value converted to a `dyn` interface: structs as pointers (`&Circle{..}`)."""
    if types.is_struct(from_ty):
        if isinstance(value, g.Composite) or (isinstance(value, g.Atom) and
                                              value.text.isidentifier()):
            return g.unary("&", value)
        raise Unsupported("converting this struct value to a trait object")
    return value


# ---------------------------------------------------------------- Display and Debug impls


def write_macro(em: FnEmitter, e: ast.MacroCall) -> g.GoExpr:
    """`write!(f, "..", args)` in `fmt`: the runtime formatter writes the formatted text
    (Rust ignores the caller's width and fill there too). Its `fmt::Result` is always `Ok`."""
    from gust.codegen.body import UnsupportedAt

    if e.args and _is_string(em.ty(e.args[0])):
        return _write_to_string(em, e)
    if not e.args or not _is_formatter(em.ty(e.args[0])):
        raise UnsupportedAt(f"`{e.name}!` to anything but a `fmt::Formatter` or a `String`",
                            e.span)
    target = em.expr(e.args[0])
    args = _write_args(em, e)
    em.line(g.render(g.call(g.selector(target, "writeFmt"), *args)))
    return g.Atom("struct{}{}")


def _write_args(em: FnEmitter, e: ast.MacroCall) -> list[g.GoExpr]:
    """The format arguments of `write!`/`writeln!` (a line break added for `writeln!`)."""
    if len(e.args) == 1:  # `writeln!(out)`
        return [g.Atom('"\\n"' if e.name == "writeln" else '""', "string")]
    args = em.format_args(e)
    if e.name == "writeln":
        first = args[0]
        assert isinstance(first, g.Atom)
        args[0] = g.Atom(first.text[:-1] + '\\n"', first.untyped)
    return args


def _is_string(ty: t.Ty) -> bool:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty == t.Adt("String")


def _write_to_string(em: FnEmitter, e: ast.MacroCall) -> g.GoExpr:
    """`write!(s, "..", args)` into a `String` (`fmt::Write`): the formatted text appended,
    as `push_str` does. Its `fmt::Result` is always `Ok` (nothing in a `fmt` method that
    returns it: there a `fmt::Result` is no Go value)."""
    from gust.codegen import string_push

    place = em.expr(e.args[0])
    ty = em.ty(e.args[0])
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            place = g.unary("*", place)
        ty = ty.inner
    text = g.call("gustFormat", *_write_args(em, e))
    em.line(string_push.push_str(place, text))
    if em.display:
        return g.Atom("struct{}{}")
    return g.call(f"Ok[struct{{}}, {em.go(t.FMT_ERROR)}]", g.Atom("struct{}{}"))


def _is_formatter(ty: t.Ty) -> bool:
    while isinstance(ty, t.Ref):
        ty = ty.inner
    return ty == t.FORMATTER


def display_try(em: FnEmitter, e: ast.Try) -> g.GoExpr:
    """`write!(f, ..)?` in `fmt`: the write cannot fail."""
    from gust.codegen.body import DISCARD

    em.into(e.inner, DISCARD)
    return g.Atom("struct{}{}")



def trait_fn_call(em: FnEmitter, e: ast.Call, res: AssocFnRes, path: ast.Path) -> g.GoExpr:
    """`T::new()`, `Circle::new()` (a trait's), `Shape::area(&c)`: a method call on the
    `Self` value (its first argument), or on Self's zero value for functions without
    `self`."""
    env = em.env
    self_ty = _path_self(em, path, e, res.owner in env.traits)
    trait = _trait_of(em, res, self_ty)
    if trait is None:
        raise Unsupported(f"`{res.owner}::{res.name}`")
    fake = MethodRes(res.owner, res.name, False, "ref", "&", 0, trait.name)
    sig = call_sig(em.ctx, fake, self_ty)
    direct = enum_fn_call(em.types, self_ty, trait.name, sig)
    if sig.generics and direct is None:
        from gust.codegen import generic_methods

        return generic_methods.generic_fn_call(em, e, trait, sig, self_ty)
    known: dict[str, t.Ty] = {"Self": self_ty}
    impl = env.impl_of.get(sig.decl)
    if impl is not None and impl.trait is not None:
        gen.match_ty(impl.self_ty, self_ty, known)
    params = sig.params
    if sig.self_kind is not None:
        params = (gen._self_ref(t.Param("Self") if impl is None else impl.self_ty,
                                sig.self_kind), *params)
    arg_tys = [em.ty(a) for a in e.args]
    tparams = gen.function_type_params(em.types, sig) if direct is not None else ()
    call = gen.GenericCall.infer(em, tparams, params, arg_tys, sig.ret, em.ty(e), known,
                                 bounds=sig.bounds, own=tparams)
    call.self_ptr = trait_uses_self(trait)
    name = method_go_name(em.types, trait.name, res.name)
    if direct is not None:
        call.self_ptr = False  # the impl's function takes the type's own Go types
        args = call.args(e.args, params)
        return call.result(g.call(direct + call.type_args(params), *args), sig.ret, em.ty(e))
    args = call.args(e.args, params)
    pointer = em.types.ptr_bounded.get(self_ty.name) if isinstance(self_ty, t.Param) \
        else None
    if sig.self_kind is None and self_ty == t.Param("Self") and _default_self(em):
        # `Self::SIDES` in a default method: on its own receiver.
        return call.result(g.call(g.selector(g.ident("self"), name), *args), sig.ret,
                           em.ty(e))
    if sig.self_kind is None:
        # `PT(new(T))`: a pointer-bounded parameter's methods are its pointer's.
        recv = zero_value(em.types, self_ty)
        if pointer is not None:
            assert isinstance(self_ty, t.Param)
            recv = gen.pointer_value(em.types, self_ty.name,
                                     g.call("new", g.Atom(em.types.go(self_ty))))
        return call.result(g.call(g.selector(recv, name), *args), sig.ret, em.ty(e))
    recv = primitive_impls.receiver(em.types, args[0], self_ty, trait.name,
                                    pointer=sig.self_kind == "ref_mut")
    if isinstance(self_ty, t.Adt) and is_payload_enum(em.types, self_ty) and \
            trait.name in env.traits and not enum_impl_embeds(em.types, self_ty, trait.name):
        # A default method (the impl's own are `direct`): on the enum's reference type.
        assert isinstance(self_ty, t.Adt)
        view = enum_view(em.types, self_ty, trait.name)
        if view is not None and sig.self_kind != "ref_mut":
            recv = view_value(em.types, self_ty, view, recv)
            return call.result(g.call(g.selector(recv, name), *args[1:]), sig.ret, em.ty(e))
        if not enum_has_ref(em.types, self_ty.name):
            raise Unsupported(f"default methods of `{trait.name}` called on a generic enum "
                              "with payloads")
        ptr = recv if sig.self_kind == "ref_mut" else \
            g.unary("&", em.stable(recv, self_ty, "recv"))
        recv = ref_value(em.types, self_ty.name, ptr)
    if pointer is not None:
        # `Counter::bump(&mut x)` passes `&x` already (so does `T::get(&x)` when `&Self`
        # is `*Self`: `call.self_ptr`); else x is passed: its address.
        passed_ptr = sig.self_kind == "ref_mut" or (sig.self_kind == "ref" and call.self_ptr)
        assert isinstance(self_ty, t.Param)
        recv = gen.pointer_value(em.types, self_ty.name, recv if passed_ptr else
                                 g.unary("&", em.stable(recv, self_ty, "recv")))
    return call.result(g.call(g.selector(recv, name), *args[1:]), sig.ret, em.ty(e))


def _default_self(em: FnEmitter) -> bool:
    """Whether the body is a default method (or associated constant) of a trait whose Go
    function has a `self` of the interface's type (not `_pointer_default_fn`'s)."""
    info = em.env.traits.get(em.br.owner or "")
    if info is None or (trait_uses_self(info) and needs_pointer(em.types, info.name)):
        return False  # (`_pointer_default_fn`: `self` is `Self` or `*Self`)
    return em.fn.self_param is not None or em.fn.assoc_const


def _path_self(em: FnEmitter, path: ast.Path, e: ast.Call, of_trait: bool) -> t.Ty:
    """The `Self` type of a trait item called by path (`of_trait`: the path names the
    trait, as `Shape::area` or `shapes::Shape::area` does)."""
    first = path.segments[0].name if len(path.segments) >= 2 else ""
    through_module = of_trait and len(path.segments) >= 3 and \
        (first in ("crate", "self", "super") or (first,) in em.env.modules.modules)
    if first in em.env.traits or not first or through_module:
        # `Shape::area(&c)`: Self is the first argument's type; `Maker::new()` the result's.
        if e.args:
            ty = em.ty(e.args[0])
            while isinstance(ty, t.Ref):
                ty = ty.inner
            return ty
        return em.ty(e)
    if first == "Self":
        if em.br.owner in em.env.traits:
            return t.Param("Self")
        impl = em.env.impl_of.get(em.fn)
        if impl is not None:
            return impl.self_ty
    generics = em.sig.generics if em.sig is not None else ()
    impl = em.env.impl_of.get(em.fn)
    if first in generics or (impl is not None and first in impl.generics):
        return t.Param(first)
    if first in em.env.structs or first in em.env.enums:
        ty = em.ty(e)
        if isinstance(ty, t.Adt) and ty.name == first:
            return ty
        return t.Adt(first)
    raise Unsupported(f"the path `{'::'.join(path.names)}`")


def _trait_of(em: FnEmitter, res: AssocFnRes, self_ty: t.Ty) -> TraitInfo | None:
    if res.trait is not None:
        return em.env.traits.get(res.trait)  # `<Sq as Shape>::name`
    if res.owner in em.env.traits and res.name in em.env.traits[res.owner].methods:
        return em.env.traits[res.owner]
    found = [tr for tr in em.env.traits.values() if res.name in tr.methods and any(
        i.trait == tr.name and isinstance(i.self_ty, t.Adt) and isinstance(self_ty, t.Adt)
        and i.self_ty.name == self_ty.name for i in em.env.impls)]
    return found[0] if len(found) == 1 else None


def sum_call(types: Types, method: str, seq: g.GoExpr, item: t.Ty, ty: t.Ty
             ) -> g.GoExpr | None:
    """`it.sum()` (`product`) into a package type: its `impl Sum<A>` whose `A` is the
    items' type (as the checker picked it, sema.check.stdlib `_sums_by_impl`), called on
    the type's zero value with the `iter.Seq` (`Money{}.sumRefMoney(seq)`); None for
    another type."""
    if not isinstance(ty, t.Adt) or (ty.name not in types.env.structs and
                                     ty.name not in types.env.enums):
        return None
    trait = "Sum" if method == "sum" else "Product"
    for impl in types.env.trait_impls(trait):
        subst: dict[str, t.Ty] = {}
        if not sema_traits.match_ty(impl.self_ty, ty, frozenset(impl.generics), subst):
            continue
        arg = t.substitute(impl.trait_args[0], subst) if impl.trait_args else ty
        if arg == item:
            if types.is_iface_enum(ty.name):
                raise Unsupported(f"`{trait}` of an enum with payloads")
            return g.call(g.selector(zero_value(types, ty),
                                     impl_method_go_name(types, impl, method)), seq)
    return None


def zero_value(types: Types, ty: t.Ty) -> g.GoExpr:
    """A value of `ty` to call a `self`-less trait function on (its receiver is unused)."""
    if isinstance(ty, t.Param):
        return g.unary("*", g.call("new", g.Atom(types.go(ty))))
    if types.is_struct(ty):
        return g.Composite(types.go(ty), ())
    if isinstance(ty, t.Adt) and types.enum_is_simple(ty.name):
        return g.conversion(types.go(ty), g.Atom("0", "int"))
    raise Unsupported(f"calling a trait function of `{ty}` by path")


# ---------------------------------------------------------------- operators


def operator(em: FnEmitter, op: str, lhs: g.GoExpr, rhs: g.GoExpr, lty: t.Ty, rty: t.Ty,
             span: Span) -> g.GoExpr | None:
    """A binary operator on a type parameter or a type with an operator impl: comparisons
    through the runtime's `gustCmp`, arithmetic through the impl's method (`a.add(b)`).
    None for Go's own operators."""
    base = lty
    while isinstance(base, t.Ref):
        base = base.inner
    user = isinstance(base, t.Adt) and (base.name in em.env.structs or
                                        base.name in em.env.enums)
    if (isinstance(base, t.Tuple) or (isinstance(base, t.Adt) and base.name == "Reverse" and
            not user)) and op in ("<", "<=", ">", ">="):
        # Tuples compare element by element (Go has no `<` on structs).
        return g.binary(op, g.call("gustCmp", _deref_value(em, lhs, lty),
                                   _deref_value(em, rhs, rty)), g.Atom("0", "int"))
    if not isinstance(base, t.Param) and not user:
        return None
    lhs = _deref_value(em, lhs, lty)
    method = OPERATOR_METHODS.get(op)
    impl, exact = _operator_impl(em.types, method.capitalize(), base, rty) if method and \
        op not in ("<", "<=", ">", ">=") else (None, False)
    if not (exact and isinstance(rty, t.Ref)):
        rhs = _deref_value(em, rhs, rty)  # (a `&V2` right-hand type takes the reference)
    if op in ("<", "<=", ">", ">="):
        if isinstance(base, t.Adt) and em.types.is_iface_enum(base.name) and \
                "PartialOrd" not in em.env.enums[base.name].derives and \
                not has_impl(em.env, "PartialOrd", base):
            raise Unsupported(f"comparing enums with payloads with `{op}` through an impl")
        compare = "gustCmp"
        if isinstance(base, t.Adt) and em.types.is_iface_enum(base.name):
            # A variant literal is its struct in Go: compare as the enum's interface.
            compare = f"gustCmp[{em.types.go(base)}]"
        return g.binary(op, g.call(compare, lhs, rhs), g.Atom("0", "int"))
    if method is not None and isinstance(base, t.Param) and \
            same_rhs_bound(sema_traits.fn_assumptions(em.env, em.fn), base, method.capitalize(), True):
        # `a + b` with `T: Add<Output = T>`: Go has no `+` on a type parameter.
        em.ctx.site_of(span, "o")
        if op in ("/", "%"):
            em.ctx.site_of(span, "d")
        runtime = size_kinds.subtraction(em.types, base) if op == "-" else "gustOp"
        return g.call(runtime, lhs, rhs, g.Atom(f"'{op}'", "rune"), g.Atom("false", "bool"))
    if method is None or isinstance(base, t.Param):
        raise Unsupported(f"the operator `{op}` on `{base}`")
    go_name = method_go_name(em.types, method.capitalize(), method) if impl is None else \
        impl_method_go_name(em.types, impl, method)
    return g.call(g.selector(lhs, go_name), rhs)


def same_rhs_bound(bounds: tuple[Bound, ...], param: t.Param, trait: str,
                   output: bool = False) -> bool:
    """Whether `bounds` give `param` the operator `trait` with itself on the right (`T:
    AddAssign`, `T: Add<T>`) and, with `output`, as the result (`T: Add<Output = T>`): what
    the runtime's `gustOp` applies."""
    return any(b.ty == param and b.trait == trait and (not b.args or b.args[0] == param) and
               (not output or b.assoc_ty("Output") == param) for b in bounds)


def _deref_value(em: FnEmitter, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    while isinstance(ty, t.Ref):
        if em.types.ref_is_ptr(ty):
            value = g.unary("*", value)
        ty = ty.inner
    return value


def unary_operator(em: FnEmitter, op: str, value: g.GoExpr, ty: t.Ty) -> g.GoExpr | None:
    """`-a` / `!a` on a type with a `Neg` / `Not` impl: its method; on a type parameter
    bounded by the trait, the runtime's `gustUnaryOp`."""
    base = ty
    while isinstance(base, t.Ref):
        base = base.inner
    trait = "Neg" if op == "-" else "Not"
    if isinstance(base, t.Param) and any(
            b.ty == base and b.trait == trait and b.assoc_ty("Output") == base
            for b in sema_traits.fn_assumptions(em.env, em.fn)):
        # `-x` with `T: Neg<Output = T>`: Go has no `-` on a type parameter.
        return g.call("gustUnaryOp", _deref_value(em, value, ty), g.Atom(f"'{op}'", "rune"))
    if not (isinstance(base, t.Adt) and (base.name in em.env.structs or
                                         base.name in em.env.enums)):
        return None
    return g.call(g.selector(_deref_value(em, value, ty), "neg" if op == "-" else "not"))


# ---------------------------------------------------------------- orderings


def derived_order(go_type: str, fields: list[tuple[str, t.Ty]], gline: int | None) -> Lines:
    """`#[derive(PartialOrd)]` on a struct: fields compared in order (the runtime's
    `gustCmp` calls `gustOrder` for `<`, sorting, `max`)."""
    out: Lines = [(f"func (self *{go_type}) gustOrder(other any) int {{", gline)]
    if not fields:
        return [*out, ("\treturn 0", None), ("}", None)]
    out.append((f"\to := other.(*{go_type})", None))
    for fname, _ in fields[:-1]:
        out += [(f"\tif c := gustCmp(self.{fname}, o.{fname}); c != 0 {{", None),
                ("\t\treturn c", None), ("\t}", None)]
    last = fields[-1][0]
    return [*out, (f"\treturn gustCmp(self.{last}, o.{last})", None), ("}", None)]


def ordering_value(variant: str) -> g.GoExpr:
    """`Ordering::Less` / `Equal` / `Greater` as the Go int `cmp.Compare` returns."""
    return g.Atom({"Less": "-1", "Equal": "0", "Greater": "1"}[variant], "int")


def _order_bridge(ctx: ItemContext, impl: ImplInfo) -> Lines:
    """`gustOrder` for a hand-written `Ord` (or `PartialOrd`) impl: the runtime's comparisons
    call it."""
    types = ctx.types
    go = types.go(impl.self_ty)
    if impl.trait == "Ord":
        call = f"self.cmp(other.(*{go}))"
    elif any(i.trait == "Ord" and i.self_ty == impl.self_ty for i in ctx.env.impls):
        return []  # the `Ord` impl's bridge decides
    else:
        call = f"gustUnwrap(self.partial_cmp(other.(*{go})))"
    return [("", None), (f"func (self *{go}) gustOrder(other any) int {{",
                         ctx.gline(impl.decl.span)),
            (f"\treturn {call}", None), ("}", None)]


# ---------------------------------------------------------------- Default


def has_impl(env: ItemEnv, trait: str, ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and any(
        i.trait == trait and isinstance(i.self_ty, t.Adt) and i.self_ty.name == ty.name
        for i in env.impls)


def default_value(em: FnEmitter, ty: t.Ty) -> g.GoExpr:
    """`T::default()` in a body (see `type_default`)."""
    return type_default(em.types, em.env, ty)


def from_str_call(types: Types, ty: t.Ty, arg: g.GoExpr) -> g.GoExpr:
    """`T::from_str(s)` and `s.parse::<T>()` of a package type: its `impl FromStr`'s
    function (a payload enum's `Level_from_str`, else the method on T's zero value)."""
    if is_payload_enum(types, ty):
        assert isinstance(ty, t.Adt)
        return g.call(enum_impl_fn(types, ty.name, "FromStr", "from_str"), arg)
    return g.call(g.selector(zero_value(types, ty), method_go_name(types, "FromStr",
                                                                   "from_str")), arg)


def user_deref(types: Types, value: g.GoExpr, ty: t.Ty) -> tuple[g.GoExpr, t.Ty, bool] | None:
    """One deref through a package type's `impl Deref`: the `deref()` call, the `Target`,
    and whether the call gives a Go pointer (`&Target` of a struct or a `&mut`-less
    pointer form: `*w.deref()` is the value). None for other types."""
    if not (isinstance(ty, t.Adt) and ty.name in types.env.type_names()):
        return None
    found = sema_traits.impl_for(ty, "Deref", types.env)
    if found is None:
        return None
    impl, subst = found
    target = t.substitute(dict(impl.assoc).get("Target", t.ERROR), subst)
    call = g.call(g.selector(value, impl_method_go_name(types, impl, "deref")))
    return call, target, types.ref_is_ptr(t.Ref(target, False))


def user_deref_mut(types: Types, value: g.GoExpr, ty: t.Ty) -> tuple[g.GoExpr, t.Ty] | None:
    """One mutable deref through a package type's `impl DerefMut`: the `deref_mut()` call
    (a Go pointer to the `Target`, on `value`'s address: its receiver is a pointer) and the
    `Target`. None for other types."""
    if not (isinstance(ty, t.Adt) and ty.name in types.env.type_names()):
        return None
    found = sema_traits.impl_for(ty, "DerefMut", types.env)
    shared = sema_traits.impl_for(ty, "Deref", types.env)
    if found is None or shared is None:
        return None
    target = t.substitute(dict(shared[0].assoc).get("Target", t.ERROR), shared[1])
    return g.call(g.selector(value, impl_method_go_name(types, found[0], "deref_mut"))), target


def try_from_call(types: Types, target: t.Ty, source: t.Ty, arg: g.GoExpr) -> g.GoExpr:
    """`T::try_from(x)` and `x.try_into()` into a package type: the method of its `impl
    TryFrom<S>` whose `S` is x's type, on T's zero value (a payload enum's: a function)."""
    found = None
    for impl in types.env.impls:
        subst: dict[str, t.Ty] = {}
        if impl.trait == "TryFrom" and len(impl.trait_args) == 1 and \
                sema_traits.match_ty(impl.self_ty, target, frozenset(impl.generics), subst) \
                and t.substitute(impl.trait_args[0], subst) == source:
            found = impl
            break
    if found is None:
        raise Unsupported(f"`TryFrom<{source}>` for `{target}`")
    if is_payload_enum(types, target):
        assert isinstance(target, t.Adt)
        return g.call(enum_impl_fn(types, target.name, "TryFrom", "try_from"), arg)
    return g.call(g.selector(zero_value(types, target),
                             impl_method_go_name(types, found, "try_from")), arg)


def type_default(types: Types, env: ItemEnv, ty: t.Ty) -> g.GoExpr:
    """`T::default()`: a hand-written impl's `default_` method, a derived one's fields
    (Go's zero values are Rust's defaults, except for fields with an impl of their own),
    the runtime's `gustDefault` for a type parameter."""
    if isinstance(ty, t.Param):
        return g.call(f"gustDefault[{types.go(ty)}]")
    if has_impl(env, "Default", ty) and is_payload_enum(types, ty):
        assert isinstance(ty, t.Adt)
        return g.call(enum_impl_fn(types, ty.name, "Default", "default"))
    if has_impl(env, "Default", ty):
        return g.call(g.selector(zero_value(types, ty), method_go_name(types, "Default", "default")))
    if types.is_struct(ty):
        assert isinstance(ty, t.Adt)
        info = env.structs[ty.name]
        subst = dict(zip(info.generics, ty.args, strict=False))
        elts: list[g.GoExpr | g.KeyValue] = []
        for i, f in enumerate(info.fields):
            fty = t.substitute(f.ty, subst)
            if _zero_is_default(types, env, fty):
                continue
            value = type_default(types, env, fty)
            if isinstance(value, g.Composite) and not value.elts and \
                    not value.type.startswith(("map[", "gustKeyMap[")):
                continue  # the Go zero value is the default
            key = types.pkg.field(ty.name, f.name) if f.name is not None else \
                names.tuple_field(i)
            elts.append(g.KeyValue(key, value))
        return g.Composite(types.go(ty), tuple(elts))
    if isinstance(ty, t.Int) and ty.kind in ("u128", "i128"):
        return g.Composite(types.go(ty), ())  # the runtime's struct of two halves
    if isinstance(ty, (t.Int, t.Float)):
        return g.conversion(types.go(ty), g.Atom("0", "int"))
    if isinstance(ty, t.Adt) and ty.name in env.enums:
        # `#[derive(Default)]` on an enum: its `#[default]` unit variant.
        variant = default_variant(env, ty.name)
        if variant is not None:
            if types.enum_is_simple(ty.name):
                return g.ident(types.variant_type(ty.name, variant))
            return g.Composite(types.variant_go(ty.name, variant, ty.args) if ty.args
                               else types.variant_type(ty.name, variant), ())
    match ty:
        case t.Bool():
            return g.Atom("false")
        case t.Adt(name="String"):
            return g.Atom('""')
        case t.Adt(name="Vec" | "HashMap" | "HashSet" | "VecDeque" | "BTreeMap" | "BTreeSet"
                   | "BinaryHeap"):
            return g.Composite(types.go(ty), ())
        case t.Adt(name="Option", args=(inner,)):
            return g.call(f"None[{types.go(inner)}]")
        case t.Char():
            return g.conversion("Char", g.Atom("0", "int"))
        case t.Adt(name="Duration") if "Duration" not in env.structs | env.enums:
            return g.conversion("Duration", g.Atom("0", "int"))
        case t.Tuple(elems) if elems:
            # Keyed: the tuple types are the runtime's, another package's to `go vet`.
            return g.tuple_lit(types.go(ty), tuple(type_default(types, env, e) for e in elems))
        case t.Adt(name="Box", args=(inner,)) if not types.is_struct(inner):
            return type_default(types, env, inner)
        case t.Adt(name="Rc" | "Arc", args=(inner,)):
            from gust.codegen import rc_counts

            value = type_default(types, env, inner)
            if rc_counts.enabled(env):
                return g.call(f"gustNewRc[{types.go(inner)}]", value)
            return value  # the value itself (gust.codegen.concurrency)
        case t.Adt(name="AtomicU64" | "AtomicUsize" | "AtomicI64" | "AtomicIsize" | "AtomicU32"
                   | "AtomicI32" | "AtomicBool") if not env.is_package_type(ty.name, ty.args):
            return g.unary("&", g.Composite(types.go(ty).removeprefix("*"), ()))  # zero, false
        case t.Adt(name="Cell" | "RefCell" | "Mutex" | "RwLock", args=(inner,)) if \
                not env.is_package_type(ty.name, ty.args):
            # A new cell (or lock) holding the default: the Go zero value is a nil pointer.
            value = type_default(types, env, inner)
            cell = types.go(ty).removeprefix("*")
            if isinstance(value, g.Composite) and not value.elts and \
                    not value.type.startswith(("map[", "gustKeyMap[")):
                return g.unary("&", g.Composite(cell, ()))
            return g.unary("&", g.Composite(cell, (g.KeyValue("value", value),)))
    raise Unsupported(f"`{ty}::default()`")


def default_variant(env: ItemEnv, enum: str) -> str | None:
    """The `#[default]` unit variant of an enum."""
    info = env.enums[enum]
    variant = next((v for v in info.variants if v.decl.is_default), None)
    return variant.name if variant is not None and variant.kind == "unit" else None


def _zero_is_default(types: Types, env: ItemEnv, ty: t.Ty) -> bool:
    """Whether Go's zero value of `ty` is Rust's `Default` (a nil map is not: writes
    panic; a user enum's zero is its first variant, not its `#[default]` one)."""
    match ty:
        case t.Int() | t.Float() | t.Bool() | t.Char():
            return True
        case t.Adt(name="String" | "Vec" | "Option" | "VecDeque"):
            return not has_impl(env, "Default", ty)
    return False


def derived_default(types: Types, env: ItemEnv, name: str, ty: t.Adt,
                    gline: int | None) -> Lines:
    """`#[derive(Default)]`: a `default_` method (what `gustDefault` calls for `T::default()`)
    when the Go zero value is not the default."""
    try:
        value = type_default(types, env, ty)
    except Unsupported:
        return []
    if isinstance(value, g.Composite) and not value.elts:
        return []
    if ty.name in env.enums and types.enum_is_simple(ty.name) and any(
            v.discriminant == 0 and v.name == default_variant(env, ty.name)
            for v in env.enums[ty.name].variants):
        return []
    return [("", None), (f"func ({name}) default_() {name} {{", gline),
            (f"\treturn {g.render(value)}", None), ("}", None)]


# ---------------------------------------------------------------- impls for payload enums


def enum_trait_interfaces(ctx: ItemContext, enum: str) -> list[str]:
    """The interfaces of the package's traits a payload enum implements: embedded in the
    enum's own interface, so an enum value is a `dyn Trait` and satisfies `T: Trait`
    (`Same[Fig]` for a trait that uses `Self`: Go allows the recursion). Only traits whose
    methods all take `&self` or `self` (`enum_embeds`)."""
    out: list[str] = []
    for impl in ctx.env.impls:
        if impl.trait in ctx.env.traits and isinstance(impl.self_ty, t.Adt) and \
                impl.self_ty.name == enum and \
                enum_impl_embeds(ctx.types, impl.self_ty, impl.trait) and \
                impl_supported(ctx, impl) is None:
            args = f"[{ctx.types.go(impl.self_ty)}]" if uses_self(ctx.env, impl.trait) else ""
            out.append(iface_name(ctx.types, impl.trait) + args)
    return out


def enum_embeds(env: ItemEnv, trait: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a payload enum's Go interface embeds the interface of `trait` (a package
    trait), its variant structs forwarding each method to the impl's function. Only for
    methods taking `&self` or `self`: a `&mut self` method may replace the whole value (the
    variable of the enum's interface type, which no method of a variant reaches), and a
    function without `self` would be called on a nil interface through a type parameter
    (`T::new()`). Such impls are functions only (`Fig_scale(&f, 2.0)`), called on the
    enum itself, never through a bound or `dyn` (reported, `check_bound_args`)."""
    info = env.traits.get(trait)
    if info is None or trait in seen or interface_params(info) not in ((), ("Self",)):
        return False
    if any(sig.self_kind not in ("ref", "value") for sig in info.methods.values()):
        return False
    return all(sup.trait not in env.traits or enum_embeds(env, sup.trait, seen | {trait})
               for sup in info.supertraits)


def ref_scheme(types: Types, trait: str) -> bool:
    """Whether a bound by the package's `trait` gets a reference type as its pointer
    parameter (`[T any, PT MachinePtr[T]]` with `type MachinePtr[Self any] interface {
    ~struct{ p *Self }; Machine[Self] }`, called as `PT{&x}.step(1)`): a payload enum
    implements it and its interface cannot embed the trait (`enum_embeds`). Methods cannot
    be declared on `*Door` (a pointer to an interface), so the enum's instantiation passes
    its reference type (`step[Door, DoorRef](&d, 1)`), and the structs implementing the
    trait get one too (`TallyRef`, its methods calling the pointer's)."""
    env = types.env
    if trait not in env.traits or enum_embeds(env, trait):
        return False
    return any(impl.trait == trait and isinstance(impl.self_ty, t.Adt) and
               enum_has_ref(types, impl.self_ty.name) for impl in env.impls)


def needs_pointer(types: Types, trait: str) -> bool:
    """Whether a type parameter bounded by `trait` gets a pointer type parameter
    (gust.codegen.generics.pointer_params)."""
    return has_mut_methods_deep(types.env, trait) or ref_scheme(types, trait)


def type_has_ref(types: Types, name: str) -> bool:
    """Whether a type of the package has a reference type (`DoorRef`, `TallyRef`): a payload
    enum's (`enum_has_ref`), or a plain struct's that implements a `ref_scheme` trait."""
    env = types.env
    if name in env.enums:
        return enum_has_ref(types, name)
    info = env.structs.get(name)
    if info is None or info.generics:
        return False
    return any(impl.trait is not None and isinstance(impl.self_ty, t.Adt) and
               impl.self_ty.name == name and ref_scheme(types, impl.trait)
               for impl in env.impls)


def ref_type_args(types: Types, ty: t.Ty) -> str:
    """`[Door, DoorRef]`: the type arguments of a `ref_scheme` default method's function
    for an implementing type."""
    assert isinstance(ty, t.Adt)
    return f"[{types.go(ty)}, {ref_type(types, ty.name)}]"


def enum_impl_embeds(types: Types, enum: t.Adt, trait: str) -> bool:
    """`enum_embeds` for the enum's impl of `trait`: a generic enum's interface embeds the
    trait only when the impl's functions take the enum's own constraints (the variants'
    forwarding methods have those only: `impl_is_plain`) and the trait does not use `Self`
    (Go rejects `type Tree[T any] interface{ Merge[Tree[T]] }` as a cycle). Otherwise the
    impl's functions are called directly, and a bound or `dyn` of the trait is reported."""
    if not enum_embeds(types.env, trait):
        return False
    if not types.env.generics_of(enum.name):
        return True
    impl = next((i for i in types.env.impls if i.trait == trait and
                 isinstance(i.self_ty, t.Adt) and i.self_ty.name == enum.name), None)
    return impl is None or (gen.impl_is_plain(types, impl) and not uses_self(types.env, trait))


def enum_view(types: Types, enum: t.Adt, trait: str) -> str | None:
    """The Go name of a generic payload enum's view as `trait` (`TreeAsWeight`), when its
    interface cannot embed the trait because the impl bounds the enum's parameters by
    traits of the package (`impl<T: Weight> Weight for Tree<T>`: the impl's functions have
    constraints the variants' methods cannot have). `TreeAsWeight[T Weight]{v: tree}` holds
    the enum and has the trait's methods, calling the impl's functions: the enum as a
    `dyn Weight`, and the `self` of the trait's default methods. None: no view (the trait
    has `&mut self` methods, functions without `self`, supertraits, generic methods or
    uses `Self`; the impl is for another form of the enum; or a type argument is a std
    type, whose methods are its named Go type's, `U32`)."""
    env = types.env
    info = env.traits.get(trait)
    if info is None or not env.generics_of(enum.name) or not enum_embeds(env, trait) or \
            uses_self(env, trait) or info.supertraits or \
            any(m.generics for m in info.methods.values()):
        return None
    impl = next((i for i in env.impls if i.trait == trait and isinstance(i.self_ty, t.Adt)
                 and i.self_ty.name == enum.name), None)
    if impl is None or gen.impl_is_plain(types, impl) or not isinstance(impl.self_ty, t.Adt) \
            or impl.self_ty.args != tuple(t.Param(p) for p in impl.generics):
        return None
    bounded = {b.ty.name for b in impl.bounds if isinstance(b.ty, t.Param)}
    for p, arg in zip(impl.generics, enum.args, strict=False):
        if p in bounded and not isinstance(arg, t.Param) and not (
                isinstance(arg, t.Adt) and (arg.name in env.structs or arg.name in env.enums)):
            return None
    name = types.pkg.helper(f"{types.adt_name(enum.name)}As{trait}")
    if name in types.pkg.taken:
        return None
    return name


def view_value(types: Types, enum: t.Adt, view: str, value: g.GoExpr) -> g.GoExpr:
    """`TreeAsWeight[Crate]{v: tree}`: the enum `value` as its view (`enum_view`)."""
    args = ", ".join(types.go(a) for a in enum.args)
    return g.Composite(f"{view}[{args}]", (g.KeyValue("v", value),))


def enum_has_ref(types: Types, enum: str) -> bool:
    """Whether a payload enum has a reference type, `type DoorRef struct{ p *Door }`: it
    implements a package trait its interface cannot embed (`enum_embeds`: a `&mut self`
    method may replace the whole value, which no method of a variant reaches). The
    reference has the methods of every package trait the enum implements (`_ref_methods`),
    so `DoorRef{&door}` is the enum as a `dyn Machine`, and what a default method of such
    a trait takes as its `self`."""
    env = types.env
    info = env.enums.get(enum)
    if info is None or info.generics or not types.is_iface_enum(enum):
        return False
    return any(impl.trait in env.traits and isinstance(impl.self_ty, t.Adt) and
               impl.self_ty.name == enum and not enum_embeds(env, impl.trait)
               for impl in env.impls)


def ref_type(types: Types, enum: str) -> str:
    """The Go name of a type's reference type (`type_has_ref`): `DoorRef`."""
    name = types.pkg.helper(types.adt_name(enum) + "Ref")
    if name in types.pkg.taken:
        raise Unsupported(f"a reference type `{name}` beside a type of that name")
    return name


def ref_value(types: Types, enum: str, pointer: g.GoExpr) -> g.GoExpr:
    """`DoorRef{&door}`: the enum variable `pointer` points at, with its trait methods."""
    return g.Composite(ref_type(types, enum), (pointer,))


def is_payload_enum(types: Types, ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name in types.env.enums and \
        types.is_iface_enum(ty.name)


def _generic_parse_arg(types: Types, ty: t.Ty) -> bool:
    """Whether the runtime's `gustParseAs` parses `ty`: an integer, float, `bool`, `char` or
    `String`, or a package type whose `impl FromStr` has a bridge (`_from_str_bridge`)."""
    if isinstance(ty, (t.Int, t.Float, t.Bool, t.Char, t.Param)) or ty == t.STRING:
        return True
    found = sema_traits.impl_for(ty, "FromStr", types.env)
    return found is not None and _bridges_from_str(types, found[0])


def _bridges_from_str(types: Types, impl: ImplInfo) -> bool:
    return not impl.generics and isinstance(impl.self_ty, t.Adt)


def _from_str_bridge(ctx: ItemContext, impl: ImplInfo) -> Lines:
    """`gustFromStr` for an `impl FromStr`: the runtime's `gustParseAs` (`s.parse::<T>()`
    in generic code) calls it on T's zero value; an enum with payloads, whose zero value is
    a nil interface, registers its function in the runtime's `gustFromStrs` instead."""
    types = ctx.types
    if not _bridges_from_str(types, impl):
        return []
    go = types.go(impl.self_ty)
    if is_payload_enum(types, impl.self_ty):
        call = g.render(from_str_call(types, impl.self_ty, g.Atom("s", "string")))
        return [("", None), ("func init() {", ctx.gline(impl.decl.span)),
                (f"\tgustFromStrs[(*{go})(nil)] = func(s string) any {{ return {call} }}",
                 None), ("}", None)]
    name = impl_method_go_name(types, impl, "from_str")
    return [("", None), (f"func (self {go}) gustFromStr(s string) any {{",
                         ctx.gline(impl.decl.span)),
            (f"\treturn self.{name}(s)", None), ("}", None)]


def check_bound_args(types: Types, bounds: tuple[Bound, ...], subst: dict[str, t.Ty],
                     own: tuple[str, ...] = ()) -> None:
    """Report a type argument whose Go type does not satisfy the Go constraint of its
    parameter: a payload enum for a trait its interface does not embed (`enum_embeds`), a
    struct for a trait with `&mut self` methods (they have pointer receivers, so only the
    struct's pointer has them) unless the parameter is one of the callee's `own`, which
    get a pointer parameter (gust.codegen.generics.pointer_params)."""
    from gust.codegen.conversions import union_arg_supported

    for b in bounds:
        if isinstance(b.ty, t.Param) and b.trait in ("Into", "From") and \
                b.ty.name in subst and not union_arg_supported(bounds, b.ty.name,
                                                               subst[b.ty.name]):
            # Its Go constraint lists the types Go converts with a conversion.
            raise Unsupported(f"`{subst[b.ty.name]}` for a type parameter bounded by "
                              f"`{b.trait}<{b.args[0] if b.args else ''}>`")
        if isinstance(b.ty, t.Param) and b.trait == "Default" and \
                is_payload_enum(types, subst.get(b.ty.name, t.UNIT)):
            # `T::default()` is the runtime's `gustDefault`, which a nil interface has no
            # method for.
            raise Unsupported(f"`{subst[b.ty.name]}` (an enum with payloads) for a type "
                              "parameter bounded by `Default`")
        if isinstance(b.ty, t.Param) and b.trait == "FromStr" and b.ty.name in subst and \
                not _generic_parse_arg(types, subst[b.ty.name]):
            # `s.parse::<T>()` in the callee is the runtime's `gustParseAs`, which knows
            # numbers, `bool` and the package types with a `gustFromStr` bridge.
            raise Unsupported(f"`{subst[b.ty.name]}` for a type parameter bounded by "
                              "`FromStr`")
        if isinstance(b.ty, t.Param) and (b.trait.removesuffix("Assign") in
                                          _ARITH_OPERATOR_TRAITS or b.trait in ("Neg", "Not")) \
                and b.ty.name in subst:
            _check_operator_arg(types, b.trait, subst[b.ty.name],
                                b.ty.name in primitive_impls.wrapped_params(types, bounds, subst))
        if not isinstance(b.ty, t.Param) or b.trait not in types.env.traits:
            continue
        arg = subst.get(b.ty.name)
        if arg is not None and b.ty.name in own and ref_scheme(types, b.trait) and \
                isinstance(arg, t.Adt) and type_has_ref(types, arg.name):
            continue  # its reference type is the pointer parameter
        if arg is not None and is_payload_enum(types, arg) and isinstance(arg, t.Adt) and \
                not enum_impl_embeds(types, arg, b.trait):
            raise Unsupported(f"`{arg}` (an enum with payloads) for a type parameter bounded "
                              f"by `{b.trait}`, which has `&mut self` methods or functions "
                              f"without `self`, or whose impl for it has bounds of its own or "
                              f"uses `Self`,")
        if arg is not None and types.is_struct(arg) and b.ty.name not in own and \
                has_mut_methods_deep(types.env, b.trait):
            raise Unsupported(f"`{arg}` for a type parameter bounded by `{b.trait}`, which "
                              f"has `&mut self` methods,")


# The operator traits whose bounds the runtime's `gustOp` applies (`T: Add<Output = T>`,
# and with `Assign`, `T: AddAssign`).
_ARITH_OPERATOR_TRAITS: Final = frozenset({"Add", "Sub", "Mul", "Div", "Rem"})


def _check_operator_arg(types: Types, trait: str, arg: t.Ty, wrapped: bool) -> None:
    """Report a type argument of a parameter bounded by an arithmetic operator trait that
    the runtime's `gustOp` cannot apply the operator to: it knows Go's numbers (not a
    primitive's named type, `wrapped`, nor `u128`), `Duration`, and the package types whose
    impl is a method of that trait's first name (`add`, `add_assign`: not a payload enum's
    function, nor `mulVec2` beside a `Mul<f64>`)."""
    if isinstance(arg, t.Param):
        return  # the caller's own parameter, checked where it is instantiated
    if isinstance(arg, (t.Int, t.Float)) and not wrapped and not wide_ints.is_wide(arg) and \
            not (trait == "Neg" and isinstance(arg, t.Int) and not arg.signed) and \
            not (trait == "Not" and isinstance(arg, t.Float)):
        return
    if isinstance(arg, t.Bool) and trait == "Not" and not wrapped:
        return
    if isinstance(arg, t.Adt) and arg.name == "Duration" and arg.name not in types.env.structs:
        return
    if isinstance(arg, t.Adt) and not is_payload_enum(types, arg):
        impl, exact = _operator_impl(types, trait, arg, arg)
        method = OPERATOR_TRAITS[trait]
        if impl is not None and exact and impl_method_go_name(types, impl, method) == method:
            return
    raise Unsupported(f"`{arg}` for a type parameter bounded by `{trait}`")


def check_type_bounds(types: Types, bounds: tuple[Bound, ...]) -> None:
    """Report a generic enum bounded by a trait with `&mut self` methods: its Go constraint
    would be the trait's interface, which only pointers to the impls' structs satisfy
    (functions and generic structs get a pointer parameter instead, gust.codegen.generics,
    `Types._adt_args`)."""
    for b in bounds:
        if has_mut_methods_deep(types.env, b.trait):
            raise Unsupported(f"a generic type bounded by `{b.trait}`, which has `&mut self` "
                              "methods,")


def has_mut_methods_deep(env: ItemEnv, trait: str, seen: frozenset[str] = frozenset()
                          ) -> bool:
    """Whether a package trait or one of its supertraits has a `&mut self` method."""
    info = env.traits.get(trait)
    if info is None or trait in seen:
        return False
    return _has_mut_methods(info) or any(
        has_mut_methods_deep(env, sup.trait, seen | {trait}) for sup in info.supertraits)


def enum_to_dyn(em: FnEmitter, value: g.GoExpr, from_ty: t.Ty, to_ty: t.Ty
                ) -> g.GoExpr | None:
    """A payload enum converted to a `dyn Trait` its Go interface does not embed: its
    reference type (`enum_has_ref`), over the variable a `&mut` points at
    (`DoorRef{&door}`) or over a copy (`Box::new(door)`, `&door`). None: not such a
    conversion."""
    types = em.types
    source = from_ty
    while isinstance(source, t.Ref) or (isinstance(source, t.Adt) and
                                        source.name == "Box" and source.args):
        source = source.inner if isinstance(source, t.Ref) else source.args[0]
    target = to_ty
    while isinstance(target, t.Ref) or (isinstance(target, t.Adt) and target.name == "Box"
                                        and target.args):
        target = target.inner if isinstance(target, t.Ref) else target.args[0]
    if not isinstance(target, t.Dyn) or not is_payload_enum(types, source):
        return None
    assert isinstance(source, t.Adt)
    trait = next((tr for tr in target.traits
                  if tr in types.env.traits and not enum_impl_embeds(types, source, tr)), None)
    if trait is None:
        return None
    view = enum_view(types, source, trait)
    if view is not None and len([tr for tr in target.traits if tr in types.env.traits]) == 1:
        return view_value(types, source, view, value)  # `&self` methods only: a copy
    if not enum_has_ref(types, source.name) or not (
            from_ty == source or (isinstance(from_ty, t.Ref) and from_ty.inner == source) or
            (isinstance(from_ty, t.Adt) and from_ty.args == (source,))):
        why = "which has `&mut self` methods" if not enum_embeds(types.env, trait) else \
            "whose impl for it has bounds of its own or uses `Self`"
        raise Unsupported(f"`{source}` (an enum with payloads) as a `dyn {trait}`, {why},")
    if isinstance(from_ty, t.Ref) and from_ty.mutable:
        return ref_value(types, source.name, value)  # the variable itself
    name = types.adt_name(source.name)
    copy = em.define_temp(value, source, name[:1].lower() + name[1:])
    return ref_value(types, source.name, g.unary("&", g.ident(copy)))


def enum_impl_fn(types: Types, enum: str, trait: str, method: str) -> str:
    """The Go function of a payload enum's trait method, or of a generic method of a trait
    impl (`Fig_area`, `Printer_visit`; `Fig_Shape_area` when another method of the type
    has the name)."""
    if (trait, method) == ("Clone", "clone"):
        return types.pkg.helper(f"{types.adt_name(enum)}Clone")  # as a derived one's
    if method in types.env.inherent.get(enum, {}) or (trait, method) in types.pkg.qualified:
        return types.pkg.helper(f"{types.adt_name(enum)}_{trait}_{method}")
    return types.pkg.helper(f"{types.adt_name(enum)}_{method}")


def impl_generic_method(ctx: ItemContext, impl: ImplInfo, br: BodyResults, sig: FnSig
                        ) -> Lines:
    """A generic method of a trait impl (`fn visit<T: Show>(&self, x: T)`): Go methods
    cannot have type parameters, so it is the function `Printer_visit[T Show](self
    *Printer, x T)`, like a generic inherent method; calls on the type call it."""
    types = ctx.types
    if not isinstance(impl.self_ty, t.Adt) or primitive_impls.wrapper(types, impl.self_ty, impl.trait):
        ctx.unsupported("generic methods in trait implementations for primitive types",
                        br.fn.generics.span)
        return []
    assert impl.trait is not None
    name = enum_impl_fn(types, impl.self_ty.name, impl.trait, sig.name)
    self_param = None
    if sig.self_kind is not None:
        self_ty = impl.self_ty if sig.self_kind == "value" else \
            t.Ref(impl.self_ty, sig.self_kind == "ref_mut")
        self_param = f"self {types.go(self_ty)}"
    return gen.emit_fn(ctx, br, name, sig=sig, self_param=self_param,
                       tparams=gen.function_type_params(types, sig))


def enum_fn_call(types: Types, ty: t.Ty, trait: str, sig: FnSig) -> str | None:
    """The function a call of a trait method on a payload enum calls directly: the impl's
    own methods of a trait the enum's interface does not embed, or that uses `Self` (its
    interface takes `&Self` as `*Fig`, the function `Fig`); any type's generic methods
    (`impl_generic_method`). None: a method call."""
    impl = types.env.impl_of.get(sig.decl)
    if impl is None or impl.trait != trait or not isinstance(ty, t.Adt):
        return None
    if sig.generics:
        return enum_impl_fn(types, ty.name, trait, sig.name)
    if not is_payload_enum(types, ty) or (enum_impl_embeds(types, ty, trait) and
                                          not uses_self(types.env, trait)):
        return None
    return enum_impl_fn(types, ty.name, trait, sig.name)



def _impl_methods(ctx: ItemContext, impl: ImplInfo, item: CheckedItem, generic: Lines
                  ) -> Iterator[tuple[BodyResults, ast.FnDecl, FnSig]]:
    """The methods of a trait impl the backend emits as Go methods (or, for a payload enum,
    functions forwarded to), each with its body and signature; generic methods are
    functions of their own, emitted here (`impl_generic_method`) into `generic`."""
    for br in item.bodies:
        fn = br.fn
        sig = impl.methods.get(fn.name)
        if sig is None or sig.decl is not fn:
            continue
        if sig.generics and not (impl.trait in ("Sum", "Product") and
                                 set(sig.generics) <= gen.seq_bounds(sig.bounds).keys()):
            generic += [("", None), *impl_generic_method(ctx, impl, br, sig)]
            continue
        # (`fn sum<I: Iterator<Item = A>>(iter: I)`: `I` is an `iter.Seq[A]`, so the method
        # has no type parameter left: `.sum()` calls it, `sum_call`.)
        yield br, fn, sig

def _enum_order_bridge(ctx: ItemContext, impl: ImplInfo, gline: int | None) -> Lines:
    """`gustOrder` of each variant struct for a hand-written `Ord` (or `PartialOrd`) impl of
    a payload enum, `gustCloneEnum` for a `Clone` impl: the runtime's comparisons and
    `gustClone` find them on the value inside the interface."""
    types = ctx.types
    assert isinstance(impl.self_ty, t.Adt)
    enum = impl.self_ty.name
    go = types.go(impl.self_ty)
    if impl.trait == "Clone":
        # For the runtime's `gustClone` (a `T: Clone` instantiated with the enum, a `Box`).
        out: Lines = []
        for v in ctx.env.enums[enum].variants:
            vname = types.variant_go(enum, v.name, impl.self_ty.args)
            out += [("", None), (f"func (self {vname}) gustCloneEnum() any {{", gline),
                    (f"\treturn {enum_impl_fn(types, enum, 'Clone', 'clone')}(self)", None),
                    ("}", None)]
        return out
    if impl.trait == "Ord":
        call = f"{enum_impl_fn(types, enum, 'Ord', 'cmp')}(self, other.({go}))"
    elif impl.trait == "PartialOrd" and not has_impl(ctx.env, "Ord", impl.self_ty):
        call = f"gustUnwrapOr(" \
            f"{enum_impl_fn(types, enum, 'PartialOrd', 'partial_cmp')}(self, other.({go})), " \
            "gustUnordered)"
    else:
        return []
    out = []
    for v in ctx.env.enums[enum].variants:
        vname = types.variant_go(enum, v.name, impl.self_ty.args)
        out += [("", None), (f"func (self {vname}) gustOrder(other any) int {{", gline),
                (f"\treturn {call}", None), ("}", None)]
    return out


def _enum_impl(ctx: ItemContext, impl: ImplInfo, item: CheckedItem) -> Lines:
    """A trait impl for a payload enum: each method is a function of the enum (its body
    matches on `self`), and every variant struct gets a method calling it (the variants
    are the Go types behind the enum's interface)."""
    from gust.codegen.body import FnEmitter

    types = ctx.types
    assert isinstance(impl.self_ty, t.Adt) and impl.trait is not None
    enum = impl.self_ty.name
    enum_go = types.go(impl.self_ty)
    trait = impl.trait
    out: Lines = []
    forwards: list[tuple[FnSig, str, str]] = []  # (signature, Go method, function called)
    embeds = enum_impl_embeds(types, impl.self_ty, trait) if trait in ctx.env.traits \
        else True
    generic: Lines = []
    # A generic enum's (`impl<T: Display> Show for Tree<T>`): the functions have the impl's
    # type parameters, which Go does not infer from a variant struct (`Tree_show[T](self)`).
    tparams = gen.type_param_list(types, impl.generics, impl.bounds)
    targs = gen.type_args(types, impl.generics)
    for br, fn, sig in _impl_methods(ctx, impl, item, generic):
        fname = enum_impl_fn(types, enum, trait, fn.name)
        self_param = None
        if sig.self_kind is not None:
            self_param = "self " + (f"*{enum_go}" if sig.self_kind == "ref_mut" else enum_go)
        em = FnEmitter(ctx, br, fname, None, self_param)
        em.type_params = tparams
        em.sig = sig
        em.display = em.display or ((trait, fn.name) in STD_METHOD_NAMES and fn.name == "fmt")
        out += [("", None)] if out else []
        out += em.emit()
        forwards.append((sig, method_go_name(types, trait, fn.name), fname + targs))
    out += generic[1:] if not out else generic
    info = ctx.env.traits.get(trait)
    defaults: set[str] = set()
    for mname in sorted(info.defaults, key=list(info.methods).index) if info else ():
        if mname not in impl.methods and info is not None and \
                not info.methods[mname].generics:
            forwards.append((info.methods[mname], method_go_name(types, trait, mname),
                             default_fn_name(types, trait, mname)))
            defaults.add(mname)
    gline = ctx.gline(impl.decl.span)
    if trait == "FromStr":
        out += _from_str_bridge(ctx, impl)
    if trait in _ENUM_FN_STD_TRAITS:
        return out + _enum_order_bridge(ctx, impl, gline)
    if info is not None and enum_has_ref(types, enum):
        try:
            out += _ref_methods(ctx, impl, info, forwards, defaults, gline)
        except Unsupported as exc:
            assert impl.decl.trait_ is not None
            ctx.unsupported(exc.what, impl.decl.trait_.span)
            return out
    view = enum_view(types, impl.self_ty, trait) if not embeds else None
    if view is not None and info is not None:
        try:
            out += _view_methods(ctx, impl, info, forwards, defaults, view,
                                 (tparams, targs), gline)
        except Unsupported as exc:
            assert impl.decl.trait_ is not None
            ctx.unsupported(exc.what, impl.decl.trait_.span)
    if not embeds:
        return out
    subst: dict[str, t.Ty] = {"Self": impl.self_ty}
    self_ptr = uses_self(ctx.env, trait)
    variants = ctx.env.enums[enum].variants
    for sig, method, target in forwards:
        params = [_param_name(sig, i) for i in range(len(sig.params))]
        ret_ty = t.substitute(sig.ret, subst)
        ret = "" if ret_ty == t.UNIT or (trait, sig.name) in (("Display", "fmt"),
                                                             ("Debug", "fmt")) else \
            " " + types.go(ret_ty)
        # The interface's types come from the trait's signature (`&Self`, not `&Fig`).
        declared = info.methods[sig.name] if info is not None else sig
        try:
            typed, passed = _forwarded_params(types, declared, params, subst, self_ptr)
            if ret and gen.go_form(types, declared.ret, subst, self_ptr) != ret[1:]:
                raise Unsupported(f"the result type `{sig.ret}` in a trait method of an "
                                  "enum with payloads")
        except Unsupported as exc:
            assert impl.decl.trait_ is not None
            ctx.unsupported(exc.what, impl.decl.trait_.span)
            return out
        call = f"{target}({', '.join(['self', *passed])})"
        body = "return " + call if ret else call
        for v in variants:
            vname = types.variant_go(enum, v.name, impl.self_ty.args)
            out += [("", None), (f"func (self {vname}) {method}({typed}){ret} {{", gline),
                    ("\t" + body, None), ("}", None)]
    return out


def _view_methods(ctx: ItemContext, impl: ImplInfo, info: TraitInfo,
                  forwards: list[tuple[FnSig, str, str]], defaults: set[str], view: str,
                  params: tuple[str, str], gline: int | None) -> Lines:
    """A generic enum's view as a trait (`enum_view`): the struct holding the enum, and the
    trait's methods on it, forwarding to the impl's functions with the enum
    (`Tree_weight[T](self.v)`), or to a default method's function with the view itself (it
    has the trait's interface)."""
    types = ctx.types
    assert isinstance(impl.self_ty, t.Adt)
    tparams, targs = params
    subst: dict[str, t.Ty] = {"Self": impl.self_ty}
    out: Lines = [("", None),
                  (f"// {view} is a `{types.go(impl.self_ty)}` as a `{info.name}` (the "
                   "impl's functions have constraints its variants' methods cannot).", None),
                  (f"type {view}{tparams} struct {{", gline),
                  (f"\tv {types.go(impl.self_ty)}", None), ("}", None)]
    for sig, method, target in forwards:
        params_ = [_param_name(sig, i) for i in range(len(sig.params))]
        ret_ty = t.substitute(sig.ret, subst)
        ret = "" if ret_ty == t.UNIT else " " + types.go(ret_ty)
        declared = info.methods[sig.name]
        typed, passed = _forwarded_params(types, declared, params_, subst, False)
        if ret and gen.go_form(types, declared.ret, subst, False) != ret[1:]:
            raise Unsupported(f"the result type `{sig.ret}` in a trait method of an enum "
                              "with payloads")
        self_arg = "self" if sig.name in defaults else "self.v"
        call = f"{target}({', '.join([self_arg, *passed])})"
        out += [("", None), (f"func (self {view}{targs}) {method}({typed}){ret} {{", gline),
                ("\t" + ("return " + call if ret else call), None), ("}", None)]
    return out


def _ref_methods(ctx: ItemContext, impl: ImplInfo, info: TraitInfo,
                 forwards: list[tuple[FnSig, str, str]], defaults: set[str],
                 gline: int | None) -> Lines:
    """The trait's methods on the enum's reference type (`enum_has_ref`), forwarding to
    the impl's functions with the variable (`Door_step(self.p, input)`), or to a default
    method's function with the reference itself (it has the trait's interface)."""
    types = ctx.types
    assert isinstance(impl.self_ty, t.Adt)
    ref = ref_type(types, impl.self_ty.name)
    subst: dict[str, t.Ty] = {"Self": impl.self_ty}
    self_ptr = uses_self(ctx.env, info.name)
    out: Lines = []
    for sig, method, target in forwards:
        declared = info.methods[sig.name]
        params = [_param_name(sig, i) for i in range(len(sig.params))]
        typed, passed = _forwarded_params(types, declared, params, subst, self_ptr)
        ret_ty = t.substitute(sig.ret, subst)
        ret = "" if ret_ty == t.UNIT else " " + types.go(ret_ty)
        if ret and gen.go_form(types, declared.ret, subst, self_ptr) != ret[1:]:
            raise Unsupported(f"the result type `{sig.ret}` in a trait method of an enum "
                              "with payloads")
        receiver = f"({ref})"
        if sig.name in defaults and self_ptr:
            # `Machine_run[Door, DoorRef](self.p, inputs)` (`_pointer_default_fn`).
            target += ref_type_args(types, impl.self_ty)
        if sig.self_kind is not None:
            receiver = f"(self {ref})"
            self_arg = "self" if sig.name in defaults and not self_ptr else \
                "self.p" if sig.self_kind == "ref_mut" else "*self.p"
            passed = [self_arg, *passed]
        call = f"{target}({', '.join(passed)})"
        out += [("", None), (f"func {receiver} {method}({typed}){ret} {{", gline),
                ("\t" + ("return " + call if ret else call), None), ("}", None)]
    return out


def _forwarded_params(types: Types, sig: FnSig, params: list[str], subst: dict[str, t.Ty],
                      self_ptr: bool) -> tuple[str, list[str]]:
    """A variant's forwarding method's parameters as the trait's interface has them (a
    `&Self` of a trait that uses `Self` is `*Fig` there), and the arguments passed on to
    the impl's function (`*other`)."""
    typed: list[str] = []
    passed: list[str] = []
    for name, p in zip(params, sig.params, strict=True):
        concrete = types.go(t.substitute(p, subst))
        iface = gen.go_form(types, p, subst, self_ptr)
        if iface != concrete and iface != "*" + concrete:
            raise Unsupported(f"the parameter type `{p}` in a trait method of an enum with "
                              "payloads")
        typed.append(f"{name} {iface}")
        passed.append(f"*{name}" if iface != concrete else name)
    return ", ".join(typed), passed
