"""Checks of items against the whole environment: trait impls against their trait (E0046,
E0407, E0050, E0053, E0185, E0186; std traits by a table of their items), coherence (E0117 orphan rule, E0119 overlap), and
`#[derive(...)]` (E0204 and the E0277/E0369 that rustc reports for derived code), and
literal values of constants that overflow their type (rustc's `overflowing_literals`)."""

from __future__ import annotations

from typing import Final

from gust import diagnostics as d
from gust.sema import traits
from gust.sema import types as t
from gust.sema.items import Bound, FnSig, ImplInfo, ItemEnv, TraitInfo, projection_name
from gust.syntax import ast
from gust.text import Span


def check_items(env: ItemEnv, item: ast.Item, errs: list[d.Diagnostic]) -> None:
    match item:
        case ast.ImplDecl():
            info = next((i for i in env.impls if i.decl is item), None)
            if info is not None and info.trait is not None:
                _check_trait_impl(env, info, errs)
        case ast.StructDecl() if env.structs.get(item.name) is not None \
                and env.structs[item.name].decl is item:
            s = env.structs[item.name]
            _check_derives(env, item.name, item.name_span, s.derives,
                           [(f.ty, f.span) for f in s.fields], errs)
            _copy_with_drop(env, item, s.derives, errs)
        case ast.EnumDecl() if env.enums.get(item.name) is not None \
                and env.enums[item.name].decl is item:
            e = env.enums[item.name]
            _check_derives(env, item.name, item.name_span, e.derives,
                           [(f.ty, f.span) for v in e.variants for f in v.fields], errs)
            _copy_with_drop(env, item, e.derives, errs)


def _copy_with_drop(env: ItemEnv, item: ast.StructDecl | ast.EnumDecl,
                    derives: frozenset[str], errs: list[d.Diagnostic]) -> None:
    """E0184: a `Copy` type has no destructor (`#[derive(Copy)]` with an `impl Drop`)."""
    if "Copy" not in derives or not any(
            i.trait == "Drop" and isinstance(i.self_ty, t.Adt) and i.self_ty.name == item.name
            for i in env.impls):
        return
    errs.append(d.error("E0184", "the trait `Copy` cannot be implemented for this type; the "
                        "type has a destructor", item.name_span,
                        "`Copy` not allowed on types with destructors"))


def _header(impl: ast.ImplDecl) -> Span:
    end = impl.self_ty.span.end
    return Span(impl.span.start, end)


def _is_local(ty: t.Ty, env: ItemEnv) -> bool:
    match ty:
        case t.Adt(name):
            return name in env.structs or name in env.enums
        case t.Dyn(names):
            return any(n in env.traits for n in names)
        case t.Ref(inner, _):
            return _is_local(inner, env)
    return False


def _blanket_overlap(env: ItemEnv, blanket: ImplInfo, other: ImplInfo) -> t.Ty | None:
    """The type both impls are for, when `blanket` is `impl<T: Tr> Tr for &T` and `other`
    an impl for one reference type whose referent meets the bound (`impl Tr for &Tag` with
    `Tag: Tr`; without it rustc sees no overlap, the type and trait being the package's)."""
    ty = blanket.self_ty
    if other.generics or not (isinstance(ty, t.Ref) and isinstance(ty.inner, t.Param) and
                              ty.inner.name in blanket.generics):
        return None
    subst: dict[str, t.Ty] = {}
    if not traits.match_ty(ty, other.self_ty, frozenset(blanket.generics), subst):
        return None
    if all(traits.implements(t.substitute(b.ty, subst), b.trait, env) for b in blanket.bounds):
        return other.self_ty
    return None


def _check_trait_impl(env: ItemEnv, impl: ImplInfo, errs: list[d.Diagnostic]) -> None:
    assert impl.trait is not None
    decl = impl.decl
    if impl.trait not in env.traits and not _is_local(impl.self_ty, env):
        errs.append(d.error(
            "E0117", "only traits defined in the current crate can be implemented for types "
            "defined outside of the crate", _header(decl), "impl doesn't use only types from "
            "inside the current crate",
            notes=("impl doesn't have any local type before any uncovered type parameters",
                   "define and implement a trait or new type instead")))
        return
    for other in env.impls:
        if other is impl:
            break
        if other.trait != impl.trait or other.trait_args != impl.trait_args:
            continue
        overlap = impl.self_ty if other.self_ty == impl.self_ty else \
            _blanket_overlap(env, other, impl) or _blanket_overlap(env, impl, other)
        if overlap is not None:
            args = f"<{', '.join(str(a) for a in impl.trait_args)}>" if impl.trait_args else ""
            errs.append(d.error(
                "E0119", f"conflicting implementations of trait `{impl.trait}{args}` for type "
                f"`{overlap}`", _header(decl), f"conflicting implementation for "
                f"`{overlap}`"))
            return
    trait = env.traits.get(impl.trait)
    if trait is None:
        _check_std_trait_impl(impl, errs)
        return
    for member in decl.members:
        if isinstance(member, ast.FnDecl) and member.name not in trait.methods:
            if member.assoc_const:
                errs.append(d.error("E0438", f"const `{member.name}` is not a member of trait "
                                    f"`{trait.name}`", member.span,
                                    f"not a member of trait `{trait.name}`"))
                continue
            errs.append(d.error("E0407", f"method `{member.name}` is not a member of trait "
                                f"`{trait.name}`", member.name_span,
                                f"not a member of trait `{trait.name}`"))
        if isinstance(member, ast.TypeAliasDecl) and member.name not in trait.assoc:
            errs.append(d.error("E0437", f"type `{member.name}` is not a member of trait "
                                f"`{trait.name}`", member.span,
                                f"not a member of trait `{trait.name}`"))
    given = {n for n, _ in impl.assoc}
    # An item of the other kind (a method for a constant: E0323, E0324) implements nothing.
    missing = [n for n in trait.assoc if n not in given] + [
        n for n in trait.required if n not in impl.methods or
        impl.methods[n].decl.assoc_const != trait.methods[n].decl.assoc_const]
    if missing:
        listed = ", ".join(f"`{n}`" for n in missing)
        errs.append(d.error("E0046", f"not all trait items implemented, missing: {listed}",
                            _header(decl), f"missing {listed} in implementation"))
    for name, sig in impl.methods.items():
        want = trait.methods.get(name)
        if want is not None:
            _compare_method(trait, impl, sig, want, errs)


# The items of std traits, for impls of them: required items (associated types first, as
# rustc lists them), and the provided methods (None: too many to list, `Iterator`'s
# adapters; a method outside the required ones is then not reported).
_STD_TRAIT_ITEMS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]]] = {
    "Display": (("fmt",), ()), "Debug": (("fmt",), ()),
    "Clone": (("clone",), ("clone_from",)), "Default": (("default",), ()),
    "PartialEq": (("eq",), ("ne",)), "PartialOrd": (("partial_cmp",), ("lt", "le", "gt", "ge")),
    "Ord": (("cmp",), ("max", "min", "clamp")), "From": (("from",), ()),
    "Into": (("into",), ()), "Iterator": (("Item", "next"), None),
    "Error": ((), ("source", "description", "cause")), "Drop": (("drop",), ()),
    "FromStr": (("Err", "from_str"), ()), "TryFrom": (("Error", "try_from"), ()),
    "IntoIterator": (("Item", "IntoIter", "into_iter"), ()),
    "Sum": (("sum",), ()), "Product": (("product",), ()),
    "Hash": (("hash",), ("hash_slice",)),
    "Deref": (("Target", "deref"), ()), "DerefMut": (("deref_mut",), ()),
    **{op: (("Output", op.lower()), ()) for op in ("Add", "Sub", "Mul", "Div", "Rem")},
    "Neg": (("Output", "neg"), ()), "Not": (("Output", "not"), ()),
    "Index": (("Output", "index"), ()), "IndexMut": (("index_mut",), ()),
    **{f"{op}Assign": ((f"{op.lower()}_assign",), ())
       for op in ("Add", "Sub", "Mul", "Div", "Rem")},
}


def _check_std_trait_impl(impl: ImplInfo, errs: list[d.Diagnostic]) -> None:
    """An impl of a std trait against the trait's items (E0407, E0046), and `From<T>::from`
    against `T` (E0053). Signatures of the other methods are not compared yet."""
    assert impl.trait is not None
    items = _STD_TRAIT_ITEMS.get(impl.trait)
    if items is None:
        return
    required, provided = items
    decl = impl.decl
    written = "::".join(s.name for s in decl.trait_.path.segments) if decl.trait_ else \
        impl.trait
    if provided is not None:
        for member in decl.members:
            if isinstance(member, ast.FnDecl) and member.name not in required and \
                    member.name not in provided:
                errs.append(d.error("E0407", f"method `{member.name}` is not a member of "
                                    f"trait `{written}`", member.name_span,
                                    f"not a member of trait `{written}`"))
    assoc = {name for name, _ in impl.assoc}
    missing = [n for n in required if n not in impl.methods and n not in assoc]
    if missing:
        listed = ", ".join(f"`{n}`" for n in missing)
        errs.append(d.error("E0046", f"not all trait items implemented, missing: {listed}",
                            _header(decl), f"missing {listed} in implementation"))
    sig = impl.methods.get("from")
    if impl.trait == "From" and sig is not None and len(impl.trait_args) == 1 and \
            len(sig.params) == 1 and not sig.unknown_params and not sig.has_self:
        want = impl.trait_args[0]
        if _differs(sig.params[0], want):
            errs.append(_incompatible(sig, sig.decl.params[0].ty.span, want, sig.params[0]))


def _compare_method(trait: TraitInfo, impl: ImplInfo, sig: FnSig, want: FnSig,
                    errs: list[d.Diagnostic]) -> None:
    fn = sig.decl
    if fn.assoc_const or want.decl.assoc_const:
        _compare_const(fn, want, impl, errs)
        return
    if want.has_self and not sig.has_self:
        kind = {"ref": "&self", "ref_mut": "&mut self", "value": "self"}[want.self_kind or "ref"]
        errs.append(d.error("E0186", f"method `{sig.name}` has a `{kind}` declaration in the "
                            "trait, but not in the impl", fn.name_span,
                            f"expected `{kind}` in impl"))
        return
    if sig.has_self and not want.has_self:
        errs.append(d.error("E0185", f"method `{sig.name}` has a `self` declaration in the "
                            "impl, but not in the trait", fn.name_span,
                            "`self` used in impl"))
        return
    if len(sig.params) != len(want.params):
        n_have = len(sig.params) + sig.has_self
        n_want = len(want.params) + want.has_self
        errs.append(d.error(
            "E0050", f"method `{sig.name}` has {n_have} parameter{'s' if n_have != 1 else ''} "
            f"but the declaration in trait `{trait.name}::{sig.name}` has {n_want}",
            fn.name_span, f"expected {n_want} parameter{'s' if n_want != 1 else ''}, found "
            f"{n_have}"))
        return
    if sig.unknown_params or want.unknown_params:
        return
    subst: dict[str, t.Ty] = {"Self": impl.self_ty,
                              **{projection_name("Self", n): a for n, a in impl.assoc}}
    for i, (have, expect) in enumerate(zip(sig.params, want.params, strict=True)):
        expect = t.substitute(expect, subst)
        if _differs(have, expect):
            errs.append(_incompatible(sig, fn.params[i].ty.span, expect, have))
            return
    ret = t.substitute(want.ret, subst)
    if _differs(sig.ret, ret) and fn.ret is not None:
        errs.append(_incompatible(sig, fn.ret.span, ret, sig.ret))
    elif _differs(sig.ret, ret):
        errs.append(_incompatible(sig, fn.name_span, ret, sig.ret))
    if want.self_kind != sig.self_kind and fn.self_param is not None:
        errs.append(d.error("E0053", f"method `{sig.name}` has an incompatible type for trait",
                            fn.self_param.span, "types differ in mutability"
                            if {want.self_kind, sig.self_kind} == {"ref", "ref_mut"} else
                            "types differ"))


def _compare_const(fn: ast.FnDecl, want: FnSig, impl: ImplInfo,
                   errs: list[d.Diagnostic]) -> None:
    """An impl's associated constant against the trait's (E0326), and a constant where the
    trait has a method or the other way round (E0323, E0324)."""
    if fn.assoc_const and not want.decl.assoc_const:
        errs.append(d.error("E0323", f"item `{fn.name}` is an associated const, which doesn't "
                            f"match its trait `{impl.trait}`", fn.span, "does not match trait"))
        return
    if not fn.assoc_const:
        errs.append(d.error("E0324", f"item `{fn.name}` is an associated method, which "
                            f"doesn't match its trait `{impl.trait}`", fn.span,
                            "does not match trait"))
        return
    have = impl.methods[fn.name].ret
    expect = t.substitute(want.ret, {"Self": impl.self_ty})
    if _differs(have, expect) and fn.ret is not None:
        errs.append(d.error("E0326", f"implemented const `{fn.name}` has an incompatible type "
                            "for trait", fn.ret.span, f"expected `{expect}`, found `{have}`"))


def _differs(a: t.Ty, b: t.Ty) -> bool:
    if t.params_in(a) or t.params_in(b) or isinstance(a, t.Error) or isinstance(b, t.Error):
        return False  # generic methods: compared by shape only, not yet by bounds
    return a != b


def _incompatible(sig: FnSig, span: Span, expected: t.Ty, found: t.Ty) -> d.Diagnostic:
    return d.error("E0053", f"method `{sig.name}` has an incompatible type for trait", span,
                   f"expected `{expected}`, found `{found}`")


# ---------------------------------------------------------------- derives

# Derivable traits, and the trait each one requires of the type itself (a supertrait).
_DERIVE_NEEDS: Final = {"Copy": "Clone", "Eq": "PartialEq", "Ord": "PartialOrd", "PartialOrd":
                 "PartialEq"}


def _check_derives(env: ItemEnv, name: str, name_span: Span, derives: frozenset[str],
                   fields: list[tuple[t.Ty, Span]], errs: list[d.Diagnostic]) -> None:
    """What rustc reports for `#[derive(...)]`: each field must implement the trait, and
    the type must implement the derived trait's supertraits."""
    self_ty = t.Adt(name, tuple(t.Param(g) for g in env.generics_of(name)))
    assumptions = tuple(_param_bounds(env, name, derives))
    for trait in sorted(derives):
        needed = _DERIVE_NEEDS.get(trait)
        if needed is not None and not traits.implements(self_ty, needed, env, assumptions):
            message, label = traits.unsatisfied_message(name, needed)
            errs.append(d.error("E0277", message, name_span, label,
                                help=(f"the trait `{needed}` is not implemented for "
                                      f"`{name}`",)))
            continue
        for ty, span in fields:
            if traits.implements(ty, trait, env, assumptions):
                continue
            errs.append(_field_error(trait, name, ty, span, name_span))
            break


def _param_bounds(env: ItemEnv, name: str, derives: frozenset[str]) -> list[Bound]:
    """A derive on `S<T>` assumes `T: Trait` (rustc adds that bound to the derived impl)."""
    return [Bound(t.Param(g), tr) for g in env.generics_of(name) for tr in derives]


def _field_error(trait: str, name: str, ty: t.Ty, span: Span, name_span: Span
                 ) -> d.Diagnostic:
    if trait == "Copy":
        return d.error("E0204", "the trait `Copy` cannot be implemented for this type",
                       name_span, labels=(d.Label(span, "this field does not implement "
                                                  "`Copy`"),))
    if trait == "PartialEq":
        return d.error("E0369", f"binary operation `==` cannot be applied to type `{ty}`",
                       span, notes=(f"an implementation of `PartialEq` might be missing for "
                                    f"`{ty}`",))
    if trait in ("PartialOrd", "Ord"):
        sym = "<" if trait == "PartialOrd" else "cmp"
        if trait == "PartialOrd":
            return d.error("E0277", f"can't compare `{ty}` with `{ty}`", span,
                           f"no implementation for `{ty} {sym} {ty}` and `{ty} > {ty}`")
    message, label = traits.unsatisfied_message(str(ty), trait)
    return d.error("E0277", message, span, label)
