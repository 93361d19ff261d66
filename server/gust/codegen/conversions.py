"""`From`/`Into` in Go: conversions between the Go values of two Gust types.

Each `impl From<S> for T` of the package is a package-level function named after both
types (`MetersFromF64(v float64) Meters`, `AppErrorFromParseIntError`): a type may have
several `From` impls, and a payload enum's Go type is an interface, which has no methods
of its own. `T::from(x)`, `x.into()` and `?` on an error that converts all call it.
std's conversions are Go conversions (`int64(x)`, `float64(x)`, `string(r)`), `Some(x)`,
or the value itself (`&str` and `String` are both Go strings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import generics as gen
from gust.codegen import goast as g
from gust.codegen import values
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import conversions
from gust.sema import types as t
from gust.sema.items import Bound, ImplInfo
from gust.sema.package import CheckedItem
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

Lines = list[tuple[str, int | None]]


def type_word(ty: t.Ty) -> str:
    """A type as part of a Go name: `F64`, `Str`, `VecI32`, `ParseIntError`."""
    match ty:
        case t.Int(kind) | t.Float(kind):
            return kind.capitalize()
        case t.Bool():
            return "Bool"
        case t.Char():
            return "Char"
        case t.Str():
            return "Str"
        case t.Ref(inner, _):
            return type_word(inner)
        case t.Slice(elem):
            return "Slice" + type_word(elem)
        case t.Array(elem, _):
            return "Array" + type_word(elem)
        case t.Tuple(elems):
            return "Tuple" + "".join(type_word(e) for e in elems)
        case t.Adt(name, args):
            return name[:1].upper() + name[1:] + "".join(type_word(a) for a in args)
        case t.Param(name):
            return name
    return "Value"


def from_fn_name(types: Types, impl: ImplInfo) -> str:
    """The Go function of an `impl From<S> for T`."""
    assert isinstance(impl.self_ty, t.Adt)
    return types.adt_name(impl.self_ty.name) + "From" + type_word(impl.trait_args[0])


def emit_from_impl(ctx: ItemContext, impl: ImplInfo, item: CheckedItem) -> Lines:
    """`impl From<S> for T { fn from(..) }` as a package-level function."""
    from gust.codegen.body import FnEmitter

    if not isinstance(impl.self_ty, t.Adt) or len(impl.trait_args) != 1:
        ctx.unsupported(f"`From` implementations for `{impl.self_ty}`", impl.decl.span)
        return []
    out: Lines = []
    for br in item.bodies:
        sig = impl.methods.get(br.fn.name)
        if sig is None or sig.decl is not br.fn:
            continue
        em = FnEmitter(ctx, br, from_fn_name(ctx.types, impl), None, None)
        em.sig = sig
        if impl.generics:
            em.type_params = gen.type_param_list(ctx.types, impl.generics, impl.bounds)
        out += em.emit()
    return out


def as_ref_call(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty
                ) -> g.GoExpr:
    """`x.as_ref()` of a package type's `impl AsRef<str>` (its method), or of a type
    parameter `S: AsRef<str>` (the runtime's `gustAsRefStr`: a string, or the method) or
    `S: AsRef<[T]>` (`gustAsRefSlice`)."""
    from gust.codegen.body import UnsupportedAt

    if isinstance(recv_ty, t.Param) and em.ty(e) == t.STR_REF:
        return g.call(f"gustAsRefStr[{em.types.go(recv_ty)}]", recv)
    target = em.ty(e)
    if isinstance(recv_ty, t.Param) and isinstance(target, t.Ref) and \
            isinstance(target.inner, t.Slice):
        # `S: AsRef<[T]>`: a slice, `Vec` or array of T (a string of bytes), or the method.
        return g.call(f"gustAsRefSlice[{em.types.go(recv_ty)}, "
                      f"{em.types.go(target.inner.elem)}]", recv)
    if isinstance(recv_ty, t.Adt) and recv_ty.name in em.env.type_names():
        return g.call(g.selector(recv, "as_ref"))
    raise UnsupportedAt(f"`as_ref` of `{recv_ty}` to `{em.ty(e)}`", e.span)


def try_from_int(em: FnEmitter, value: g.GoExpr, source: t.Ty, result: t.Ty) -> g.GoExpr:
    """`u8::try_from(value)` / `value.try_into()` between integer types: `result` is the
    `Result<u8, TryFromIntError>`. A `usize` is a Go `int` that is never negative. And
    `value.try_into()` of a slice into an array: `Result<[u8; 4], TryFromSliceError>`."""
    target = result.args[0] if isinstance(result, t.Adt) and result.args else t.ERROR
    value = em.typed(value, source)
    if isinstance(target, t.Adt) and target.name in em.env.type_names():
        from gust.codegen import traits

        return traits.try_from_call(em.types, target, source, value)
    if isinstance(target, t.Array):  # `[u8; 4]` from a `&[u8]`
        return g.call(f"gustTryFromSlice[{em.types.go(target)}]", value,
                      g.Atom(str(target.length), "int"))
    if isinstance(target, t.Int) and target.kind == "usize":
        return g.call("gustTryFromUsize", value)
    return g.call(f"gustTryFromInt[{em.types.go(target)}]", value)


# Types whose std conversions are Go conversions of their Go types (numbers, `char`,
# strings), in the order a constraint lists them.
_CONVERTIBLE: Final[tuple[t.Ty, ...]] = (
    *(t.PRIMITIVES[k] for k in ("i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32",
                                "u64", "usize", "f32", "f64", "char")),
    t.STR_REF, t.STRING)
# The std conversions a bound may name, each with its Go constraint in the runtime
# (`conversion_constraints`): `Into<X>` for these X, `From<S>` for these S.
_BOUND_KINDS: Final = ("i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize", "f32",
                "f64", "char")


def _kind_ty(kind: str) -> t.Ty:
    return t.STRING if kind == "String" else t.PRIMITIVES[kind]


def _constraint_name(trait: str, kind: str) -> str:
    return f"gust{trait}{kind[:1].upper()}{kind[1:]}"


def _conversion_set(trait: str, other: t.Ty) -> list[t.Ty]:
    """The types `T` may be under `T: Into<other>` or `T: From<other>` that Go converts
    with a conversion: numbers, `&str` and `String` (not `bool`, which Go does not
    convert, nor `char` into a `String`, which Go's vet questions)."""
    if trait == "Into":
        tys = [other, *conversions.std_sources(other)]
        if other == t.STRING:
            tys = [t.STR_REF, t.STRING]
    else:
        tys = [ty for ty in _CONVERTIBLE if ty == other or other in conversions.std_sources(ty)]
    return [ty for ty in _CONVERTIBLE if ty in tys]


def conversion_bound(bounds: tuple[Bound, ...], param: str) -> tuple[str, list[t.Ty]] | None:
    """The Go constraint of a parameter bounded by a std conversion (`T: Into<i64>` is
    `gustIntoI64`: the integers i64 converts from, which Go converts with `int64(x)`;
    `T: From<u8>` is `gustFromU8`; `impl Into<String>` is `gustIntoString`) and the types it
    allows; None without such a bound (or with two)."""
    found = [b for b in bounds if b.ty == t.Param(param) and b.trait in ("Into", "From")
             and len(b.args) == 1]
    if len(found) != 1:
        return None
    b = found[0]
    other = b.args[0]
    kind = next((k for k in (*_BOUND_KINDS, "String") if _kind_ty(k) == other), None)
    if kind is None or (kind == "String" and b.trait == "From"):
        return None
    return _constraint_name(b.trait, kind), _conversion_set(b.trait, other)


def conversion_constraints() -> str:
    """The runtime's constraints for std conversion bounds (`conversion_bound`)."""
    from gust.codegen.gotypes import INT_TYPES

    def go_primitive(ty: t.Ty) -> str:
        if isinstance(ty, t.Int):
            return INT_TYPES[ty.kind]
        return "string" if ty in (t.STR_REF, t.STRING) else "float32" \
            if ty == t.Float("f32") else "float64"

    out = []
    for trait in ("Into", "From"):
        for kind in (*_BOUND_KINDS, *(("String",) if trait == "Into" else ())):
            terms: list[str] = []
            for ty in _conversion_set(trait, _kind_ty(kind)):
                go = "~" + ("int32" if isinstance(ty, t.Char) else go_primitive(ty))
                if go not in terms:
                    terms.append(go)
            shown = "String" if kind == "String" else kind
            out += [f"// {_constraint_name(trait, kind)}: a type parameter bounded by "
                    f"`{trait}<{shown}>` (Go converts each type alike).",
                    f"type {_constraint_name(trait, kind)} interface {{",
                    "\t" + " | ".join(terms), "}", ""]
    return "\n".join(out)


def union_arg_supported(bounds: tuple[Bound, ...], param: str, arg: t.Ty) -> bool:
    """Whether `arg` may instantiate `param` (within its conversion constraint, if any)."""
    found = conversion_bound(bounds, param)
    if found is None:
        return True
    tys = found[1]
    return arg in tys or (isinstance(arg, t.Ref) and arg.inner == t.STRING and t.STRING in tys)


def _union_bounded(em: FnEmitter, ty: t.Ty) -> bool:
    """Whether `ty` is a type parameter of the function with a conversion constraint."""
    if not isinstance(ty, t.Param) or em.sig is None:
        return False
    impl = em.env.impl_of.get(em.fn)
    bounds = em.sig.bounds + (impl.bounds if impl is not None else ())
    return conversion_bound(bounds, ty.name) is not None


def _into_by_type(em: FnEmitter, value: g.GoExpr, target: t.Adt) -> g.GoExpr:
    """`a.into()` with `A: Into<Target>` (a package type): the `From` impl chosen by the
    argument's Go type, as monomorphisation would (each impl of the package whose source
    has a Go type of its own; `Target` itself is `impl<T> From<T> for T`)."""
    types = em.types
    go = types.go(target)
    cases = [(go, "x")]
    for impl in em.env.impls:
        if impl.trait == "From" and not impl.generics and len(impl.trait_args) == 1 and \
                isinstance(impl.self_ty, t.Adt) and impl.self_ty.name == target.name:
            try:
                source_go = types.go(impl.trait_args[0])
            except Unsupported:
                continue
            if all(source_go != c for c, _ in cases):
                cases.append((source_go, f"{from_fn_name(types, impl)}(x)"))
    body: list[tuple[str, int | None]] = [("\tswitch x := v.(type) {", None)]
    for case, made in cases:
        body += [(f"\tcase {case}:", None), (f"\t\treturn {made}", None)]
    body += [("\t}", None), ('\tpanic("unreachable: no From impl for this type")', None)]
    return g.call(g.FuncLit(f"func(v any) {go}", tuple(body)), g.call("any", value))


def convert(em: FnEmitter, value: g.GoExpr, source: t.Ty, target: t.Ty) -> g.GoExpr:
    """`target::from(value)` for a `value` of type `source`."""
    types = em.types
    if source == target:
        return value
    if _union_bounded(em, source) or _union_bounded(em, target):
        # `x.into()` with `T: Into<i64>`, `T::from(7)` with `T: From<u8>`: a Go conversion,
        # which the parameter's union constraint allows (`convertible_set`).
        return g.conversion(types.go(target), em.typed(value, source))
    if isinstance(source, t.Param) and isinstance(target, t.Adt) and \
            target.name in em.env.type_names() and not target.args:
        return _into_by_type(em, value, target)
    found = conversions.user_from(em.env, target, source)
    if found is not None:
        impl, subst = found
        name = from_fn_name(types, impl)
        if impl.generics:
            name += "[" + ", ".join(types.go(subst.get(p, t.ERROR)) for p in impl.generics) + "]"
        return g.call(name, value)
    if conversions.is_error_box(target):
        if source in (t.STR_REF, t.STRING):
            return g.conversion("gustStrError", value)
        if isinstance(source, t.Adt) and types.is_iface_enum(source.name):
            # The enum's interface does not list `fmtDisplay`; every variant has it.
            return g.type_assert(value, "gustDynError")
        return value  # any error is a `gustDynError` (it has a Display impl)
    base = source.inner if isinstance(source, t.Ref) else source
    if isinstance(source, t.Ref) and types.ref_is_ptr(source):
        value = g.unary("*", value)
    match target, base:
        case (t.Int() | t.Float()), t.Bool():
            return g.call(f"gustBoolTo[{types.go(target)}]", value)
        case (t.Int() | t.Float() | t.Char()), (t.Int() | t.Float() | t.Char()):
            return g.conversion(types.go(target), value)
        case t.Adt("String"), t.Char():
            return g.conversion("string", value)
        case t.Adt("String"), (t.Str() | t.Adt("String")):
            return value
        case t.Adt("Option", (inner,)), _:
            return g.call(f"Some[{types.go(inner)}]", value)
        case t.Adt("VecDeque"), t.Adt("Vec"):
            return value  # both are Go slices
        case t.Adt("BinaryHeap"), t.Adt("Vec"):
            return g.call("gustHeapFrom", value)
        case t.Adt("Vec" | "VecDeque" | "BinaryHeap", (elem,)), (t.Slice() | t.Array()):
            em.ctx.imports.add("slices")
            sliced = values.array_as_slice(value) if isinstance(base, t.Array) else value
            if not types.is_plain(elem):
                raise Unsupported("converting a slice of values that need a deep clone")
            made = g.call("slices.Clone", sliced)
            return g.call("gustHeapFrom", made) if target.name == "BinaryHeap" else made
        case t.Adt("HashMap" | "BTreeMap" | "HashSet" | "BTreeSet", args), t.Array():
            # `HashMap::from([(k, v), ..])`: inserted in order (a later key wins)
            go_elems = [types.go(a) for a in args]
            if types.coded_key(target) or types.go(target) != \
                    f"map[{go_elems[0]}]{go_elems[1] if len(go_elems) > 1 else 'struct{}'}":
                raise Unsupported(f"`{target.name}::from` of these keys")
            if isinstance(value, g.Call):
                value = g.ident(em.define_temp(value, base, "items"))
            fn = "gustMapFromPairs" if len(args) == 2 else "gustSetFrom"
            return g.call(fn, values.array_as_slice(value))
        case t.Adt("Vec", (t.Int("u8"),)), (t.Str() | t.Adt("String")):
            return g.conversion("[]byte", value)
        case t.Adt("Box" | "Rc" | "Arc", (inner,)), _ if not types.is_struct(inner) and \
                not isinstance(inner, t.Dyn):
            return value
    raise Unsupported(f"converting `{source}` into `{target}`")


def from_fn_value(em: FnEmitter, fn_ty: t.Ty) -> g.GoExpr:
    """`T::from` as a value (`.map(String::from)`): the impl's function, or a function
    literal around std's conversion."""
    if not isinstance(fn_ty, t.FnPtr) or len(fn_ty.params) != 1:
        raise Unsupported("this `from` as a value")
    source, target = fn_ty.params[0], fn_ty.ret
    found = conversions.user_from(em.env, target, source)
    if found is not None and not found[0].generics:
        return g.ident(from_fn_name(em.types, found[0]))
    param = em.temp("x")
    body = convert(em, g.ident(param), source, target)
    return g.FuncLit(f"func({param} {em.go(source)}) {em.go(target)}",
                     ((f"\treturn {g.render(body)}", em.gl),))
