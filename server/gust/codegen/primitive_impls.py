"""Impls of the package's traits for primitive types (`impl Labeled for u32`).

Go cannot give `uint32` methods, so a primitive with impls of the package's traits gets a
named Go type of its own, declared with its first impl, and the impls' methods go on it:

    type U32 uint32

    func (self U32) label() string { return gustFormat("#{}", uint32(self)) }

Everywhere else a `u32` stays Go's `uint32`; the named type appears only where a method of
the package's traits is needed:

* a method called on a `u32` (`9u32.banner()`, `Labeled::label(&n)`) converts the receiver:
  `U32(9).banner()`;
* a generic function whose type parameter has a bound of the package's traits
  (`fn show_all<T: Labeled>(items: &[T])`) is instantiated with the named type, its
  arguments converted on the way in (`U32(x)`, a slice copied element by element with
  `gustRetype`: only shared slices and owned `Vec`s, whose writes no caller sees) and its
  result on the way out.

Inside a method `self` is converted back (`uint32(self)`), so the body is the same Go as any
other `u32` code. The same holds for `bool` (`Boolean`), `String` (`Text`) and `str`
(`Str`); the runtime formats the named types as their primitives. `&mut self` methods and
traits that use `Self` in their signatures are not supported on primitives yet.
"""

from __future__ import annotations

from gust.codegen import goast as g
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.items import Bound, ImplInfo

# The primitives that can have a named Go type (the others are not supported yet).
_PRIMITIVE = (t.Int, t.Float, t.Bool, t.Str)
# Named types not spelled after the Rust type in capitals (`U32`): `bool` and `string` are
# Go's own names, which a library's unexported helper names would be.
_NAMES = {"bool": "Boolean", "str": "Str", "String": "Text"}


def _is_primitive(ty: t.Ty) -> bool:
    return isinstance(ty, _PRIMITIVE) or ty == t.Adt("String")


def user_impls(types: Types, ty: t.Ty) -> list[ImplInfo]:
    """The impls of the package's traits for the primitive `ty`, in source order."""
    if not _is_primitive(ty):
        return []
    return [i for i in types.env.impls if i.self_ty == ty and i.trait in types.env.traits]


def wrapper(types: Types, ty: t.Ty) -> str | None:
    """The named Go type of a primitive with impls of the package's traits (`U32`)."""
    if not user_impls(types, ty):
        return None
    return types.pkg.helper(_NAMES.get(str(ty), str(ty).upper()))


def declaration(types: Types, impl: ImplInfo) -> list[str]:
    """`type U32 uint32`, written with the first impl for the primitive."""
    impls = user_impls(types, impl.self_ty)
    if not impls or impls[0] is not impl:
        return []
    name = wrapper(types, impl.self_ty)
    return [f"type {name} {types.go(impl.self_ty)} // `{impl.self_ty}` with this package's "
            "trait methods", ""]


def unsupported_reason(types: Types, impl: ImplInfo) -> str | None:
    """Why a primitive's impl cannot be emitted (None when it can)."""
    from gust.codegen.traits import trait_uses_self

    ty = impl.self_ty
    info = types.env.traits.get(impl.trait or "")
    if not _is_primitive(ty) or info is None:
        return f"trait implementations for `{ty}`"
    if trait_uses_self(info) or info.generics:
        return f"implementations of `{impl.trait}` (it uses `Self` or has parameters) for `{ty}`"
    if any(sig.self_kind in (None, "ref_mut") for sig in info.methods.values()):
        return f"trait methods that take `&mut self` or no `self` on `{ty}`"
    return None


def receiver(types: Types, value: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """The receiver of a package trait's method called on a primitive: its named type."""
    name = wrapper(types, ty)
    return value if name is None else _to(name, value)


def _to(go_type: str, value: g.GoExpr) -> g.GoExpr:
    """`U32(x)`; a typed literal `uint32(9)` is converted as the literal alone: `U32(9)`."""
    if isinstance(value, g.Call) and value.conversion and len(value.args) == 1 and \
            g.is_untyped(value.args[0]):
        value = value.args[0]
    return g.conversion(go_type, value)


def wrapped_params(types: Types, bounds: tuple[Bound, ...], subst: dict[str, t.Ty]
                   ) -> dict[str, str]:
    """The type parameters a generic call instantiates with a primitive's named type: those
    bounded by one of the package's traits, given a primitive that implements them."""
    out: dict[str, str] = {}
    for b in bounds:
        if isinstance(b.ty, t.Param) and b.trait in types.env.traits and \
                b.ty.name in subst:
            name = wrapper(types, subst[b.ty.name])
            if name is not None:
                out[b.ty.name] = name
    return out


def convert(types: Types, value: g.GoExpr, ty: t.Ty, wrapped: dict[str, str],
            inward: bool) -> g.GoExpr:
    """A value of the generic type `ty` converted between its concrete Go form and the one
    with the named types (`inward`: into the generic function)."""
    def spell(param: str) -> str:
        if inward:
            return wrapped[param]
        return types.go(_primitive_of(types, wrapped[param]))

    match ty:
        case t.Param(name=name) if name in wrapped:
            return _to(spell(name), value)
        case t.Ref(inner=t.Param(name=name), mutable=False) if name in wrapped:
            return _to(spell(name), value)
        case t.Ref(inner=inner, mutable=False) if _elem_param(inner) in wrapped:
            param = _elem_param(inner) or ""
            return _slice(value, spell(param), _primitive_of(types, wrapped[param]))
        case _ if _elem_param(ty) in wrapped and not isinstance(ty, t.Slice):
            param = _elem_param(ty) or ""
            return _slice(value, spell(param), _primitive_of(types, wrapped[param]))
    raise Unsupported(f"passing `{ty}` across a generic call with a primitive's trait impl")


def _slice(value: g.GoExpr, elem: str, primitive: t.Ty) -> g.GoExpr:
    if isinstance(value, g.Composite) and value.type.startswith("[]"):
        # A literal is written with the named type: `[]U32{7, 42}`.
        return g.Composite("[]" + elem, tuple(
            e.args[0] if isinstance(e, g.Call) and e.conversion and len(e.args) == 1 and
            g.is_untyped(e.args[0]) else e for e in value.elts))
    # One runtime function per kind: Go converts within a type set of one kind only.
    kind = "Bool" if isinstance(primitive, t.Bool) else \
        "String" if isinstance(primitive, (t.Str, t.Adt)) else ""
    return g.call(f"gustRetype{kind}[{elem}]", value)


def _elem_param(ty: t.Ty) -> str | None:
    """`T` of `[T]` or `Vec<T>`."""
    if isinstance(ty, t.Slice) and isinstance(ty.elem, t.Param):
        return ty.elem.name
    if isinstance(ty, t.Adt) and ty.name == "Vec" and ty.args and \
            isinstance(ty.args[0], t.Param):
        return ty.args[0].name
    return None


def _primitive_of(types: Types, name: str) -> t.Ty:
    for impl in types.env.impls:
        if _is_primitive(impl.self_ty) and wrapper(types, impl.self_ty) == name:
            return impl.self_ty
    raise Unsupported(f"the type `{name}`")
