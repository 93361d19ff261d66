"""Generic trait methods (`fn visit<T: Show>(&self, item: &T)`) where the implementing type
is not known statically: through a bound (`fn run<V: Visitor>(v: &V)`), and default bodies.

Go methods cannot have type parameters, so such a method is never in the trait's interface.
Each impl's own body is a generic function of its type (`Plain_visit[T Show](self *Plain,
item T)`, gust.codegen.traits.impl_generic_method), called directly on that type. Through a
bound, the call goes to one generic function of the trait that switches on the dynamic type
of its receiver (the interface value) to the impl's function:

    func Visitor_visit[T Show](self Visitor, item T) string {
        switch self := self.(type) {
        case Plain:
            return Plain_visit[T](&self, item)
        ...
        }
        panic("unreachable")
    }

A generic default method's body is a generic function of the trait's interface,
`Visitor_tagged[D any](self Visitor, tag D)`. When some impl has its own, the body is
`Visitor_tagged_default` and the switch falls back to it; a type without its own calls
the body directly.

The switch lists the package's impls, so it is only emitted for traits of this package
without type parameters or `Self` in their signatures, implemented by non-generic types; a
call through a bound that would need anything else is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import closures, primitive_impls, traits
from gust.codegen import generics as gen
from gust.codegen import goast as g
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import types as t
from gust.sema.items import FnSig, ImplInfo, TraitInfo
from gust.sema.results import BodyResults, MethodRes
from gust.sema.traits import fn_assumptions
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

Lines = list[tuple[str, int | None]]


def overriders(types: Types, trait: str, method: str) -> list[ImplInfo]:
    """The impls of `trait` with a body of their own for `method`."""
    return [i for i in types.env.impls if i.trait == trait and method in i.methods]


def dispatcher_name(types: Types, trait: str, method: str) -> str:
    return traits.default_fn_name(types, trait, method)


def default_body_name(types: Types, trait: str, method: str) -> str:
    """`Visitor_tagged`, or `Visitor_tagged_default` when the dispatcher takes that name."""
    name = dispatcher_name(types, trait, method)
    return name + "_default" if overriders(types, trait, method) else name


def _check_trait(types: Types, info: TraitInfo) -> None:
    if info.name in types.pkg.foreign:
        raise Unsupported(f"generic methods of `{info.name}` (a trait of another package) "
                          "called through a bound or by its default body")
    if traits.interface_params(info):
        raise Unsupported(f"generic methods of `{info.name}`, which has type parameters or "
                          "uses `Self`, called through a bound or by its default body")


def _case(types: Types, info: TraitInfo, impl: ImplInfo, sig: FnSig, tparams: str
          ) -> tuple[str, str]:
    """The Go type of one impl in the switch and the call of its function (`self` being
    the switch's value of that type)."""
    ty = impl.self_ty
    if not isinstance(ty, t.Adt) or impl.generics or ty.args or \
            primitive_impls.wrapper(types, ty, info.name) is not None:
        raise Unsupported(f"a call through a bound of `{info.name}::{sig.name}`, which "
                          f"the generic or primitive type `{ty}` implements itself,")
    if traits.is_payload_enum(types, ty):
        case = types.go(ty)  # the enum's interface: any of its variants
    elif traits.has_mut_methods_deep(types.env, info.name):
        case = "*" + types.go(ty)  # only the pointer has the `&mut self` methods
    else:
        case = types.go(ty)
    own = impl.methods[sig.name]
    param = types.go(ty if own.self_kind == "value" else t.Ref(ty, own.self_kind == "ref_mut"))
    self_arg = "self"
    if param == "*" + case:
        self_arg = "&self"
    elif case == "*" + param:
        self_arg = "*self"
    elif param != case:
        raise Unsupported(f"generic methods of `{info.name}` called through a bound, for "
                          f"`{ty}`")
    fn = traits.enum_impl_fn(types, ty.name, info.name, sig.name)
    return case, f"{fn}{tparams}({', '.join([self_arg, *_param_names(sig)])})"


def _param_names(sig: FnSig) -> list[str]:
    return [traits._param_name(sig, i) for i in range(len(sig.params))]


def _dispatch_cases(types: Types, info: TraitInfo, sig: FnSig, tparams: str
                    ) -> list[tuple[str, str]]:
    """Every impl with its own body for the method, as a case of the switch (payload enums
    whose interface cannot be the trait's never reach it: `traits.check_bound_args`)."""
    out: list[tuple[str, str]] = []
    for impl in overriders(types, info.name, sig.name):
        if isinstance(impl.self_ty, t.Adt) and traits.is_payload_enum(types, impl.self_ty) and \
                not traits.enum_impl_embeds(types, impl.self_ty, info.name):
            continue
        out.append(_case(types, info, impl, sig, tparams))
    return out


def _type_args(types: Types, sig: FnSig) -> str:
    """`[T]` for the calls of the switch, when Go cannot infer T from the arguments."""
    own = tuple(p for p in sig.generics
                if p not in types.callables and p not in types.seq_params)
    inferable = set().union(*(t.params_in(p) for p in sig.params))
    return "" if inferable.issuperset(own) else gen.type_args(types, own)


def _with_signature_of(types: Types, env_fn: ast.FnDecl, ctx: ItemContext) -> None:
    """The erased type parameters of a trait method's signature (`F: Fn(i64) -> i64` is a
    func type), as FnEmitter sets them for a body."""
    types.callables = closures.callable_params(ctx.env, env_fn)
    types.seq_params = gen.seq_bounds(fn_assumptions(ctx.env, env_fn))


def dispatcher(ctx: ItemContext, info: TraitInfo, sig: FnSig) -> Lines:
    """The trait's function for a generic method, when impls have bodies of their own
    (see the module's docstring); nothing when no call needs one (the calls through a
    bound that would need an impossible one are reported)."""
    types = ctx.types
    if sig.self_kind is None or not overriders(types, info.name, sig.name):
        return []
    try:
        _check_trait(types, info)
        with gen.spelling(types, {"Self": traits.iface_name(types, info.name)}):
            _with_signature_of(types, sig.decl, ctx)
            tparams = gen.type_param_list(types, sig.generics, sig.bounds)
            targs = _type_args(types, sig)
            cases = _dispatch_cases(types, info, sig, targs)
            params = ", ".join(f"{name} {types.go(p)}"
                               for name, p in zip(_param_names(sig), sig.params, strict=True))
            ret = "" if sig.ret == t.UNIT else " " + types.go(sig.ret)
    except Unsupported:
        return []  # the calls that would need it are reported (`generic_method_call`)
    name = dispatcher_name(types, info.name, sig.name)
    gline = ctx.gline(sig.decl.span)
    iface = traits.iface_name(types, info.name)
    out: Lines = [("", None),
                  (f"func {name}{tparams}(self {iface}"
                   f"{', ' + params if params else ''}){ret} {{", gline),
                  (f"\t// `{sig.name}` of self's type: Go methods have no type parameters.",
                   None)]
    if cases:
        out.append(("\tswitch self := self.(type) {", None))
        for case, call in cases:
            out += [(f"\tcase {case}:", None),
                    (f"\t\t{call}" if not ret else f"\t\treturn {call}", None)]
            if not ret:
                out.append(("\t\treturn", None))
        out.append(("\t}", None))
    if sig.name in info.defaults:
        call = f"{default_body_name(types, info.name, sig.name)}{targs}(" \
            f"{', '.join(['self', *_param_names(sig)])})"
        out.append((f"\treturn {call}" if ret else f"\t{call}", None))
    else:
        out.append(('\tpanic("unreachable")', None))
    out.append(("}", None))
    return out


def default_fn(ctx: ItemContext, info: TraitInfo, br: BodyResults, sig: FnSig) -> Lines:
    """A generic default method's body: a generic function of the trait's interface."""
    from gust.codegen.body import FnEmitter

    types = ctx.types
    try:
        _check_trait(types, info)
    except Unsupported as exc:
        ctx.unsupported(exc.what, br.fn.name_span)
        return []
    iface = traits.iface_name(types, info.name)
    name = default_body_name(types, info.name, sig.name)
    types.iface_params.add("Self")
    try:
        with gen.spelling(types, {"Self": iface}):
            em = FnEmitter(ctx, br, name, None, f"self {iface}")
            em.sig = sig
            try:
                em.type_params = gen.type_param_list(types, sig.generics, sig.bounds)
            except Unsupported as exc:
                ctx.unsupported(exc.what, br.fn.generics.span)
                return []
            return em.emit()
    finally:
        types.iface_params.discard("Self")


def _target(types: Types, info: TraitInfo, sig: FnSig, base: t.Ty) -> str:
    """The function a call of the generic method on a `base` without its own body calls."""
    _check_trait(types, info)
    if not isinstance(base, t.Param):
        if sig.name not in info.defaults:
            raise Unsupported(f"`{info.name}::{sig.name}` on `{base}`")
        return default_body_name(types, info.name, sig.name)
    if overriders(types, info.name, sig.name):
        with gen.spelling(types, {"Self": traits.iface_name(types, info.name)}):
            _dispatch_cases(types, info, sig, "")  # raises when a case is impossible
        return dispatcher_name(types, info.name, sig.name)
    return default_body_name(types, info.name, sig.name)


def _receiver(em: FnEmitter, value: g.GoExpr, expr: ast.Expr, base: t.Ty, info: TraitInfo
              ) -> g.GoExpr:
    """The receiver as a value of the trait's interface."""
    types = em.types
    if isinstance(base, t.Param):
        if base.name in types.ptr_bounded:
            return gen.pointer_receiver(em, value, expr, base)  # `PT(&x)`
        return value
    if primitive_impls.wrapper(types, base, info.name) is not None:
        return primitive_impls.receiver(types, value, base, info.name)  # `Boolean(b)`
    if traits.is_payload_enum(types, base):
        if not isinstance(base, t.Adt) or not traits.enum_impl_embeds(types, base, info.name):
            raise Unsupported(f"`{base}` (an enum with payloads) given to the default body "
                              f"of a generic method of `{info.name}`")
        return value
    if traits.has_mut_methods_deep(types.env, info.name):
        return em._address(value, expr, base)
    return value


def generic_method_call(em: FnEmitter, e: ast.MethodCall, res: MethodRes, sig: FnSig,
                        base: t.Ty) -> g.GoExpr:
    """`v.visit(&item)` of a generic trait method on a type parameter, or on a type that
    uses the trait's default body."""
    from gust.codegen.body import UnsupportedAt

    types = em.types
    info = em.env.traits.get(res.trait or "")
    try:
        if info is None:
            raise Unsupported(f"calls of `{res.trait}::{res.name}`")
        name = _target(types, info, sig, base)
        values = em.exprs([e.receiver, *e.args])
        recv_ty = em.ty(e.receiver)
        value = em._deref_expr(values[0], recv_ty, res.derefs)
        if not isinstance(base, t.Param):
            value = em._deref_struct_ptr(value, recv_ty, res.derefs)
        recv = _receiver(em, value, e.receiver, base, info)
        call = gen.GenericCall.infer(em, sig.generics, sig.params, [em.ty(a) for a in e.args],
                                     sig.ret, em.ty(e), {"Self": base}, bounds=sig.bounds,
                                     own=sig.generics)
        args = [call.arg(v, em.ty(a), p)
                for v, a, p in zip(values[1:], e.args, sig.params, strict=False)]
        return call.result(g.call(name + call.type_args(sig.params), recv, *args), sig.ret,
                           em.ty(e))
    except Unsupported as exc:
        raise UnsupportedAt(exc.what, e.span) from exc


def generic_fn_call(em: FnEmitter, e: ast.Call, info: TraitInfo, sig: FnSig, base: t.Ty
                    ) -> g.GoExpr:
    """`Visitor::visit(&v, &item)`, `V::tagged(v, 1)`: as `generic_method_call`, the
    receiver being the first argument."""
    from gust.codegen.body import UnsupportedAt

    types = em.types
    try:
        if sig.self_kind is None or not e.args:
            raise Unsupported(f"calls of the generic function `{info.name}::{sig.name}`")
        name = _target(types, info, sig, base)
        values = em.exprs(list(e.args))
        first_ty = em.ty(e.args[0])
        value = values[0]
        if isinstance(first_ty, t.Ref) and types.ref_is_ptr(first_ty):
            value = g.unary("*", value)  # `_receiver` takes the value (`_address` undoes it)
        recv = _receiver(em, value, e.args[0], base, info)
        call = gen.GenericCall.infer(em, sig.generics, sig.params,
                                     [em.ty(a) for a in e.args[1:]], sig.ret, em.ty(e),
                                     {"Self": base}, bounds=sig.bounds, own=sig.generics)
        args = [call.arg(v, em.ty(a), p)
                for v, a, p in zip(values[1:], e.args[1:], sig.params, strict=False)]
        return call.result(g.call(name + call.type_args(sig.params), recv, *args), sig.ret,
                           em.ty(e))
    except Unsupported as exc:
        raise UnsupportedAt(exc.what, e.span) from exc
