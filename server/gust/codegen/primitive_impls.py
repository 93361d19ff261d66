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
other `u32` code. The same holds for `bool` (`Boolean`), `String` (`Text`), `str` (`Str`)
and `char` (`Character`, of the runtime's `Char`); the runtime formats the named types as
their primitives (a `Character` by its `gustChar` method: its Go kind is int32, as an
`I32`'s is). A `&mut self` method has a pointer receiver (`func (self *U32) bump()`, its
body on `(*uint32)(self)`), called on the variable's address (`(*U32)(&n).bump()`).
Functions without `self` and traits that use `Self` in their signatures are not supported
on them yet.

`Vec<T>`, `Option<T>`, the maps and sets (a map or set keyed by a type parameter is not
supported yet: Go's key must be `comparable`), `VecDeque<T>`, slices, arrays and tuples get
the same treatment: `impl Summary for Vec<i64>` is `type VecI64 []int64`, `impl Tally for
HashMap<String, u32>` `type HashMapStringU32 map[string]uint32`, `impl<T: Display> Describe
for Option<T>` the generic
`type OptionOf[T any] Option[T]` (`OptionOf[float64](x).describe()`). A named type is one
per form of the type in the impls (every impl for `Vec<T>` shares `VecOf`); a value whose
type has impls in two forms (`Vec<i64>` and `Vec<T>`) is reported where a bound needs both.
A `dyn Trait` made of such a value is its named type too (`to_dyn`).

A blanket impl for shared references (`impl<T: Describe> Describe for &T`) has methods of
its own, which Go cannot give to `*Crate` or `uint32` beside the referent's: its named type
is a struct holding the referent, `type RefOf[T Describe] struct{ ref T }` (a `&T` in
generic code is Go's T, a copy, as everywhere in generic code), instantiated with the
referent's own named type (`&u32` is `RefOf[U32]{U32(n)}`, `&&Crate`
`RefOf[RefOf[Crate]]`); inside its methods `self` is `self.ref`. All such impls share one
named type, whose constraint is the first impl's bound.
"""

from __future__ import annotations

from typing import Final

from gust.codegen import goast as g
from gust.codegen import gostmt
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.items import Bound, ImplInfo

# std's generic types that can have a named Go type (a Go slice, map or `Option`).
_COLLECTIONS: Final = ("Vec", "Option", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque")
_KEYED: Final = ("HashMap", "HashSet", "BTreeMap", "BTreeSet")  # Go maps
# The primitives that can have a named Go type (the others are not supported yet).
_PRIMITIVE: Final = (t.Int, t.Float, t.Bool, t.Str, t.Char)
# Named types not spelled after the Rust type in capitals (`U32`): `bool` and `string` are
# Go's own names, which a library's unexported helper names would be.
_NAMES: Final = {"bool": "Boolean", "str": "Str", "String": "Text", "char": "Character"}
# The field of a blanket reference impl's named type holding the referent.
REF_FIELD: Final = "ref"


def _is_primitive(ty: t.Ty) -> bool:
    return isinstance(ty, _PRIMITIVE) or ty == t.Adt("String")


def _is_std_type(ty: t.Ty) -> bool:
    """A std type whose impls of the package's traits go on a named Go type."""
    return _is_primitive(ty) or isinstance(ty, (t.Slice, t.Array, t.Tuple)) or (
        isinstance(ty, t.Adt) and ty.name in _COLLECTIONS and bool(ty.args)) or _is_ref_form(ty)


def _is_ref_form(ty: t.Ty) -> bool:
    """`&T` of a blanket `impl<T: Tr> Tr for &T`."""
    return isinstance(ty, t.Ref) and not ty.mutable and isinstance(ty.inner, t.Param)


def _ordered_params(ty: t.Ty, out: list[str]) -> list[str]:
    """The type parameters of an impl's type, in order of appearance."""
    if isinstance(ty, t.Param):
        if ty.name not in out:
            out.append(ty.name)
    elif t.has_components(ty):
        for c in t.components(ty):
            _ordered_params(c, out)
    return out


def _form(ty: t.Ty) -> t.Ty:
    """An impl's type with its parameters renamed by position: the key of its named type."""
    params = _ordered_params(ty, [])
    return t.substitute(ty, {p: t.Param(f"P{i}") for i, p in enumerate(params)})


def _matches(pattern: t.Ty, ty: t.Ty) -> dict[str, t.Ty] | None:
    from gust.codegen.generics import match_ty

    subst: dict[str, t.Ty] = {}
    match_ty(pattern, ty, subst)
    return subst if t.substitute(pattern, subst) == ty else None


def _impls_for(types: Types, ty: t.Ty, trait: str | None = None) -> list[ImplInfo]:
    """The impls of the package's traits (of `trait`, when given) whose type is `ty` or,
    for a generic impl, has `ty` as an instance."""
    if not _is_std_type(ty) and not (isinstance(ty, t.Ref) and not ty.mutable):
        return []
    return [i for i in types.env.impls if i.trait in types.env.traits and
            (trait is None or i.trait == trait) and _is_std_type(i.self_ty) and
            _matches(i.self_ty, ty) is not None and _bounds_hold(types, i, ty)]


def _bounds_hold(types: Types, impl: ImplInfo, ty: t.Ty) -> bool:
    """Whether a blanket reference impl applies to `ty` (`&T` is matched by every
    reference; only those whose referent implements the bound are its instances)."""
    if not _is_ref_form(impl.self_ty) or ty == impl.self_ty:
        return True  # (the impl's own `&T`: its methods' receiver)
    from gust.sema.traits import impl_for

    found = impl_for(ty, impl.trait or "", types.env)
    return found is not None and found[0] is impl


def user_impls(types: Types, ty: t.Ty) -> list[ImplInfo]:
    """The impls of the package's traits for the std type `ty` (an impl's own type, or
    an instance of it), in source order."""
    return _impls_for(types, ty)


def _type_name(types: Types, ty: t.Ty, top: bool = True) -> str:
    """`U32`, `Text`, `VecI64`, `OptionString`, `TupleStringU32`, `SliceOf` (parameters
    left out; `bool`, `str` and `String` have names of their own at the top only)."""
    match ty:
        case t.Param():
            return ""
        case t.Ref(inner=t.Param()) if top:
            return "Ref"
        case t.Ref(inner=inner):
            return _type_name(types, inner, top)
        case t.Adt(name=name, args=args) if name in _COLLECTIONS:
            return name + "".join(_type_name(types, a, False) for a in args)
        case t.Slice(elem=elem):
            return "Slice" + _type_name(types, elem, False)
        case t.Array(elem=elem, length=length):
            return f"Array{length}" + _type_name(types, elem, False)
        case t.Tuple(elems=elems):
            return "Tuple" + "".join(_type_name(types, e, False) for e in elems)
        case t.Adt(name=name, args=args) if name in types.env.structs or name in types.env.enums:
            return types.adt_name(name)
    text = str(ty)
    if not text.isidentifier():
        raise Unsupported(f"trait implementations for `{ty}`")
    if top and text in _NAMES:
        return _NAMES[text]
    return text.upper() if isinstance(ty, (t.Int, t.Float)) else text[0].upper() + text[1:]


def _form_name(types: Types, form: t.Ty) -> str:
    name = _type_name(types, form)
    return types.pkg.helper(name + ("Of" if t.params_in(form) else ""))


def wrapper(types: Types, ty: t.Ty, trait: str | None = None, nested: bool = False
            ) -> str | None:
    """The named Go type of a std type with impls of the package's traits (of `trait`, when
    given), instantiated for `ty`: `U32`, `VecI64`, `OptionOf[float64]`. `nested`: the
    caller converts the value with `retyped` when the type argument has a named type of
    its own (`VecOf[Text]` for a `Vec<String>` through `impl<T: ToJson> ToJson for
    Vec<T>` with `impl ToJson for String`)."""
    impls = _impls_for(types, ty, trait)
    if not impls:
        return None
    forms = {_form(i.self_ty) for i in impls}
    if len(forms) > 1:
        raise Unsupported(f"`{ty}` with trait implementations for several of its forms (" +
                          ", ".join(sorted(f"`{i.self_ty}`" for i in impls)) + ")")
    impl = impls[0]
    subst = _matches(impl.self_ty, ty) or {}
    params = _ordered_params(impl.self_ty, [])
    name = _form_name(types, _form(impl.self_ty))
    if not params:
        return name
    if _is_ref_form(impl.self_ty):
        # The referent with its own named type (`RefOf[U32]`), which has the bound's methods.
        arg = subst[params[0]]
        return f"{name}[{wrapper(types, arg, impl.trait) or types.go(arg)}]"
    inner = _nested_args(types, impl, subst)
    if inner and not nested:
        p = next(iter(inner))
        raise Unsupported(f"`{ty}` through `{impl.self_ty}`'s implementation of "
                          f"`{impl.trait}` here, where `{subst[p]}` implements "
                          f"`{inner[p][1]}` itself")
    return name + "[" + ", ".join(inner[p][0] if p in inner else types.go(subst[p])
                                  for p in params) + "]"


def _nested_args(types: Types, impl: ImplInfo, subst: dict[str, t.Ty]
                 ) -> dict[str, tuple[str, str]]:
    """The parameters of a generic impl for a std type bounded by one of the package's
    traits and given a std type with a named type of its own for it (`T` of `impl<T:
    ToJson> ToJson for Vec<T>` given `String`: `Text`), with that name and the trait."""
    out: dict[str, tuple[str, str]] = {}
    for b in impl.bounds:
        if isinstance(b.ty, t.Param) and b.ty.name in subst and b.trait in types.env.traits:
            name = wrapper(types, subst[b.ty.name], b.trait, nested=True)
            if name is not None:
                if b.ty.name in out and out[b.ty.name][0] != name:
                    raise Unsupported(f"`{subst[b.ty.name]}` for a parameter whose bounds "
                                      "are implemented for different forms of it")
                out[b.ty.name] = (name, b.trait)
    return out


def _is_nested(types: Types, ty: t.Ty) -> bool:
    """Whether `ty`'s named type has a type argument with a named type of its own
    (`VecOf[Text]`), which Go converts to only by copying (`retyped`)."""
    impls = _impls_for(types, ty, None)
    if not impls or _is_ref_form(impls[0].self_ty):
        return False
    return bool(_nested_args(types, impls[0], _matches(impls[0].self_ty, ty) or {}))


def retyped(types: Types, value: g.GoExpr, ty: t.Ty, trait: str | None) -> g.GoExpr:
    """`value` (Go's form of `ty`) as its named type, for a `&self` method: a `Vec<String>`
    through `impl<T: ToJson> ToJson for Vec<T>` is copied into a `VecOf[Text]` element by
    element (`gustRetypeAll`), an `Option<i64>` into an `OptionOf[I64]` (`gustOptionMap`);
    a copy, which the method only reads."""
    name = wrapper(types, ty, trait, nested=True)
    if name is None:
        return value
    impl = _impls_for(types, ty, trait)[0]
    subst = _matches(impl.self_ty, ty) or {}
    inner = _nested_args(types, impl, subst) if not _is_ref_form(impl.self_ty) else {}
    if not inner:
        return _to(name, value)
    form = impl.self_ty
    args = form.args if isinstance(form, t.Adt) else (form.elem,) if isinstance(
        form, t.Slice) else ()
    if len(inner) != 1 or len(args) != 1 or not isinstance(args[0], t.Param) or \
            args[0].name not in inner:
        raise Unsupported(f"`{ty}` through `{form}`'s implementation of `{impl.trait}`")
    param = args[0].name
    inner_name, inner_trait = inner[param]
    elem = subst[param]
    converted = retyped(types, g.ident("x"), elem, inner_trait)
    body: list[tuple[str, int | None]] = []
    gostmt.render([gostmt.Line(f"return {g.render(converted)}", None, "return")], 1, body)
    conv = g.FuncLit(f"func(x {types.go(elem)}) {inner_name}", tuple(body))
    if isinstance(form, t.Slice) or (isinstance(form, t.Adt) and
                                     form.name in ("Vec", "VecDeque")):
        return g.conversion(name, g.call("gustRetypeAll", value, conv))
    if isinstance(form, t.Adt) and form.name == "Option":
        return g.conversion(name, g.call("gustOptionMap", value, conv))
    raise Unsupported(f"`{ty}` through `{form}`'s implementation of `{impl.trait}`")


def declaration(types: Types, impl: ImplInfo) -> list[str]:
    """`type U32 uint32`, `type VecOf[T any] []T`, written with the first impl of the form."""
    from gust.codegen.generics import constraint

    if not _is_std_type(impl.self_ty) or impl.trait not in types.env.traits:
        return []
    form = _form(impl.self_ty)
    first = next(i for i in types.env.impls if _is_std_type(i.self_ty) and
                 i.trait in types.env.traits and _form(i.self_ty) == form)
    if first is not impl:
        return []
    params = _ordered_params(impl.self_ty, [])
    tparams = ""
    if params:
        tparams = "[" + ", ".join(f"{types.go(t.Param(p))} {constraint(types, p, impl.bounds)}"
                                  for p in params) + "]"
    name = _form_name(types, form)
    if isinstance(impl.self_ty, t.Ref):  # (`_is_ref_form`: a blanket reference impl)
        return [f"type {name}{tparams} struct{{ {REF_FIELD} {types.go(impl.self_ty.inner)} }} "
                f"// a `{impl.self_ty}` with this package's trait methods", ""]
    go = types.go(impl.self_ty)
    out = [f"type {name}{tparams} {go} // `{impl.self_ty}` with this package's trait methods",
           ""]
    if isinstance(impl.self_ty, t.Tuple) or (isinstance(impl.self_ty, t.Adt) and
                                             impl.self_ty.name == "Option"):
        # A defined type has none of the methods of the runtime's type, which formats and
        # compares it by this one.
        targs = "[" + ", ".join(types.go(t.Param(p)) for p in params) + "]" if params else ""
        out += [f"func (self {name}{targs}) GustVariant() (string, []any) {{",
                f"\t// The runtime formats and compares it as its `{impl.self_ty}`.",
                f"\treturn {go}(self).GustVariant()", "}", ""]
    if isinstance(impl.self_ty, t.Char):
        out += [f"func (self {name}) gustChar() Char {{ return Char(self) }} // printed as a char",
                ""]
    return out


def unsupported_reason(types: Types, impl: ImplInfo) -> str | None:
    """Why an impl for a std type cannot be emitted (None when it can)."""
    from gust.codegen.generics import constraint
    from gust.codegen.traits import trait_uses_self

    ty = impl.self_ty
    info = types.env.traits.get(impl.trait or "")
    if not _is_std_type(ty) or info is None:
        return f"trait implementations for `{ty}`"
    if isinstance(ty, t.Adt) and ty.name in _KEYED and ty.args and \
            isinstance(ty.args[0], t.Param):
        # (The named type would need its key parameter `comparable`.)
        return f"implementations for `{ty}`, whose key type is a type parameter,"
    form = _form(ty)
    first = next(i for i in types.env.impls if _is_std_type(i.self_ty) and
                 i.trait in types.env.traits and _form(i.self_ty) == form)
    try:
        _type_name(types, ty)
        mine = [constraint(types, p, impl.bounds) for p in _ordered_params(ty, [])]
        theirs = [constraint(types, p, first.bounds) for p in _ordered_params(first.self_ty, [])]
    except Unsupported as exc:
        return exc.what
    if [m for m in mine if m != "any"] and mine != theirs:
        # The named type's declaration has the first impl's constraints.
        return f"implementations for `{ty}` with other bounds than the first one's"
    if trait_uses_self(info) or info.generics:
        return f"implementations of `{impl.trait}` (it uses `Self` or has parameters) for `{ty}`"
    if any(sig.self_kind is None for sig in info.methods.values()):
        return f"trait functions without `self` on `{ty}`"
    if _is_ref_form(ty) and any(sig.self_kind == "ref_mut" for sig in info.methods.values()):
        return f"`&mut self` methods on `{ty}`"
    return None


def receiver(types: Types, value: g.GoExpr, ty: t.Ty, trait: str | None = None,
             pointer: bool = False) -> g.GoExpr:
    """The receiver of a package trait's method called on a std type: its named type, or
    for a `&mut self` method (`pointer`: `value` is the address) a pointer to it,
    `(*VecI64)(&v)`, whose method changes `v` itself."""
    name = wrapper(types, ty, trait, nested=not pointer)
    if name is None:
        return value
    if isinstance(ty, t.Ref):
        if pointer:
            raise Unsupported(f"`&mut self` methods on `{ty}`")
        return _ref_value(types, value, ty, name, trait)
    if pointer:
        return g.conversion("*" + name, value)
    return retyped(types, value, ty, trait)


def _ref_value(types: Types, value: g.GoExpr, ty: t.Ty, name: str, trait: str | None
               ) -> g.GoExpr:
    """A reference `ty` (Go `value`) as its blanket impl's named type: `RefOf[Crate]{*p}`,
    `RefOf[U32]{U32(n)}` (the referent with its own named type)."""
    assert isinstance(ty, t.Ref)
    inner = g.unary("*", value) if types.ref_is_ptr(ty) else value
    return g.Composite(name, (receiver(types, inner, ty.inner, trait),))


def to_dyn(types: Types, value: g.GoExpr, from_ty: t.Ty, to_ty: t.Ty) -> g.GoExpr | None:
    """A std type with impls of the package's traits as a `dyn Trait` (`&v`, `&mut v`,
    `Box::new(v)`): its named type, which has the methods (`VecI64(v)`, `(*VecI64)(&v)`).
    None: not such a conversion."""
    target = to_ty
    while isinstance(target, t.Ref) or (isinstance(target, t.Adt) and target.name == "Box"
                                        and target.args):
        target = target.inner if isinstance(target, t.Ref) else target.args[0]
    if not isinstance(target, t.Dyn):
        return None
    source = from_ty
    if isinstance(source, t.Adt) and source.name == "Box" and source.args and \
            types.go(source) == types.go(source.args[0]):
        source = source.args[0]  # a boxed slice or map is the Go value itself
    trait = next((tr for tr in target.traits if tr in types.env.traits), None)
    inner = source.inner if isinstance(source, t.Ref) else source
    if trait is None or wrapper(types, inner, trait, nested=True) is None:
        return None
    if isinstance(source, t.Ref) and types.ref_is_ptr(source):
        return receiver(types, value, inner, trait, pointer=True)
    return receiver(types, value, inner, trait)


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
            name = wrapper(types, subst[b.ty.name], b.trait, nested=True)
            if name is not None:
                if out.get(b.ty.name, name) != name:
                    raise Unsupported(f"`{subst[b.ty.name]}` for a parameter whose bounds "
                                      "are implemented for different forms of it")
                out[b.ty.name] = name
    return out


def convert(types: Types, value: g.GoExpr, ty: t.Ty, wrapped: dict[str, str],
            inward: bool, subst: dict[str, t.Ty]) -> g.GoExpr:
    """A value of the generic type `ty` converted between its concrete Go form and the one
    with the named types (`inward`: into the generic function)."""
    def spell(param: str) -> str:
        if inward:
            return wrapped[param]
        return types.go(subst[param])

    nested = {p for p in wrapped if _is_nested(types, subst[p])}
    if nested & t.params_in(ty):
        # (`VecOf[Text]` for a `Vec<String>`: a copy, right only for a value going in)
        match ty:
            case t.Param(name=name) | t.Ref(inner=t.Param(name=name), mutable=False) \
                    if inward:
                return retyped(types, value, subst[name], None)
        raise Unsupported(f"passing `{ty}` across a generic call with a nested trait impl "
                          f"of a std type (`{wrapped[min(nested & t.params_in(ty))]}`)")
    match ty:
        case t.Param(name=name) if name in wrapped and isinstance(subst[name], t.Ref):
            if not inward:
                raise Unsupported(f"a generic call returning `{subst[name]}` with a blanket "
                                  "reference impl")
            return _ref_value(types, value, subst[name], spell(name), None)
        case t.Param(name=name) if name in wrapped:
            return _to(spell(name), value)
        case t.Ref(inner=t.Param(name=name), mutable=False) if name in wrapped:
            return _to(spell(name), value)
        case t.Ref(inner=t.Param(name=name), mutable=True) if name in wrapped:
            return g.conversion("*" + spell(name), value)  # `(*VecI64)(&v)`: the same place
        case t.Ref(inner=inner, mutable=False) if _elem_param(inner) in wrapped:
            param = _elem_param(inner) or ""
            return _slice(types, value, spell(param), subst[param], inward)
        case _ if _elem_param(ty) in wrapped and not isinstance(ty, t.Slice):
            param = _elem_param(ty) or ""
            return _slice(types, value, spell(param), subst[param], inward)
    raise Unsupported(f"passing `{ty}` across a generic call with a primitive's trait impl")


def _slice(types: Types, value: g.GoExpr, elem: str, primitive: t.Ty, inward: bool
           ) -> g.GoExpr:
    if not _is_primitive(primitive):
        # A `Vec`, `Option`, ... element: Go converts such slices element by element only.
        source = types.go(primitive) if inward else elem
        target = elem if inward else types.go(primitive)
        converted: g.GoExpr = g.conversion(target, g.ident("x"))
        if isinstance(primitive, t.Ref):
            if not inward:
                raise Unsupported(f"a generic call returning `{primitive}`s with a blanket "
                                  "reference impl")
            converted = _ref_value(types, g.ident("x"), primitive, elem, None)
        return g.call("gustRetypeAll", value, g.FuncLit(
            f"func(x {source}) {target}", ((f"\treturn {g.render(converted)}", None),)))
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
