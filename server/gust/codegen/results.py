"""`Result` and `Option`: `?`, constructors and methods.

Both are generic structs of the runtime (`Result[T, E]`, `Option[T]`). `?` is an early
return, as a Go programmer writes it after a call that can fail:

    parseNum := parse_num(s)
    if !parseNum.IsOk {
        return Err[int32](parseNum.Err)
    }
    total += parseNum.Value

Methods that take closures (`map`, `and_then`, `unwrap_or_else`, ...) are generic runtime
functions (Go methods cannot have type parameters of their own): `gustOptionMap(o, f)`.
`main` returning a `Result` is `main` calling the user's body as `run` and reporting an
`Err` as a Rust binary does (`Error: ...` on stderr, exit status 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gust.codegen import conversions
from gust.codegen import goast as g
from gust.codegen import gostmt as s
from gust.codegen.gotypes import Unsupported
from gust.sema import types as t
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter


def _unsupported(what: str, e: ast.Expr) -> Exception:
    from gust.codegen.body import UnsupportedAt

    return UnsupportedAt(what, e.span)


def _args(ty: t.Ty) -> tuple[t.Ty, ...]:
    return ty.args if isinstance(ty, t.Adt) else ()


def result_value(em: FnEmitter, variant: str, arg: g.GoExpr, ty: t.Ty) -> g.GoExpr:
    """`Ok(v)` / `Err(e)` of type `ty`: the other type argument is explicit (Go cannot infer
    it), the value's own is inferred from the argument where Go can."""
    ok_ty, err_ty = ((*_args(ty), t.ERROR, t.ERROR))[:2]
    if variant == "Ok":
        return g.call(f"Ok[{em.go(ok_ty)}, {em.go(err_ty)}]", em.typed(arg, ok_ty))
    return g.call(f"Err[{em.go(ok_ty)}, {em.go(err_ty)}]", em.typed(arg, err_ty))


def try_expr(em: FnEmitter, e: ast.Try) -> g.GoExpr:
    """`x?`: test, return early with the `Err`/`None`, and continue with the value."""
    from gust.codegen.body import _temp_base

    inner_ty = em.ty(e.inner)
    value = em.expr(e.inner)
    if not (isinstance(value, g.Atom) and value.text.isidentifier()):
        suffix = "Result" if isinstance(inner_ty, t.Adt) and inner_ty.name == "Result" else ""
        value = g.ident(em.define_temp(value, inner_ty, _temp_base(e.inner) + suffix))
    ret = em.ret
    if not isinstance(inner_ty, t.Adt) or not isinstance(ret, t.Adt) or \
            ret.name != inner_ty.name:
        raise _unsupported("this `?`", e)
    if inner_ty.name == "Result":
        failed = g.negate(g.selector(value, "IsOk"))
        err: g.GoExpr = g.selector(value, "Err")
        if inner_ty.args[1] != ret.args[1]:
            # `From::from(err)`: the function's error type converts from this one.
            try:
                err = conversions.convert(em, err, inner_ty.args[1], ret.args[1])
            except Unsupported as exc:
                raise _unsupported(exc.what, e) from None
        early = g.call(f"Err[{em.go(ret.args[0])}, {em.go(ret.args[1])}]", err)
    else:
        failed = g.negate(g.selector(value, "IsSome"))
        early = g.call(f"None[{em.go(ret.args[0])}]")
    body: list[s.GoStmt] = [*(s.Line(text, em.gl) for text in em.exit_lines(None)),
                            s.Line("return " + g.render(early), em.gl, "return")]
    em.cur.append(s.If(g.render(failed, header=True), body, None, em.gl))
    return g.selector(value, "Value")


def is_result_main(em: FnEmitter) -> bool:
    ret = em.ret
    return em.fn.name == "main" and em.br.owner is None and isinstance(ret, t.Adt) and \
        ret.name == "Result"


def main_wrapper(run_name: str) -> list[tuple[str, int | None]]:
    """`fn main() -> Result<(), E>`: Go's `main` runs the body and reports an `Err`."""
    return [("func main() {", None), ("\tdefer gustHandlePanic()", None),
            (f"\tgustMainResult({run_name}())", None), ("}", None), ("", None)]


# ---------------------------------------------------------------- methods

_RESULT_SIMPLE: Final = {"unwrap": "gustResultUnwrap", "expect": "gustResultExpect",
                  "unwrap_or": "gustResultUnwrapOr", "unwrap_err": "gustResultUnwrapErr",
                  "expect_err": "gustResultExpectErr", "ok": "gustResultOk",
                  "err": "gustResultErr", "transpose": "gustResultTranspose"}
_PANICS: Final = {"unwrap", "expect", "unwrap_err", "expect_err"}


def result_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty,
                  args: list[g.GoExpr]) -> g.GoExpr:
    name = e.name
    if name in _PANICS:
        em.ctx.site(e.name_span.start, "p")
    if name in _RESULT_SIMPLE:
        return g.call(_RESULT_SIMPLE[name], recv, *args)
    match name:
        case "is_ok":
            return g.selector(recv, "IsOk")
        case "is_err":
            return g.negate(g.selector(recv, "IsOk"))
        case "unwrap_or_default":
            return g.selector(recv, "Value")  # an `Err` holds the zero value: T's default
        case "map":
            return g.call("gustResultMap", recv, *args)
        case "map_err":
            return g.call("gustResultMapErr", recv, *args)
        case "and_then":
            return g.call("gustResultAndThen", recv, *args)
        case "or_else":
            return g.call("gustResultOrElse", recv, *args)
        case "unwrap_or_else":
            return g.call("gustResultUnwrapOrElse", recv, *args)
        case "map_or" | "map_or_else":
            fn = "gustResultMapOr" if name == "map_or" else "gustResultMapOrElse"
            return g.call(fn, recv, *args)
        case "is_ok_and":
            value = em.stable(recv, recv_ty)
            return g.binary("&&", g.selector(value, "IsOk"),
                            g.call(args[0], g.selector(value, "Value")))
    raise _unsupported(f"the method `{name}`", e)


_OPTION_FNS: Final = {"map": "gustOptionMap", "and_then": "gustOptionAndThen",
               "transpose": "gustOptionTranspose", "flatten": "gustOptionFlatten",
               "map_or": "gustOptionMapOr", "map_or_else": "gustOptionMapOrElse",
               "filter": "gustOptionFilter",
               "unwrap_or_else": "gustOptionUnwrapOrElse", "or_else": "gustOptionOrElse",
               "or": "gustOptionOr", "ok_or": "gustOkOr", "ok_or_else": "gustOkOrElse",
               "xor": "gustOptionXor", "zip": "gustOptionZip"}


def option_method(em: FnEmitter, e: ast.MethodCall, recv: g.GoExpr, recv_ty: t.Ty,
                  args: list[g.GoExpr]) -> g.GoExpr:
    """The methods of `Option` beyond the runtime's own (`gustUnwrap`, `gustExpect`, ...)."""
    name = e.name
    elem = _args(recv_ty)[0] if _args(recv_ty) else t.ERROR
    if name in _OPTION_FNS:
        if name == "filter" and em.types.ref_is_ptr(t.Ref(elem, False)):
            raise _unsupported("`filter` on an `Option` of a struct", e)
        if name in ("map", "map_or", "map_or_else"):
            args = [_unit_result(em, a, arg) for a, arg in zip(args, e.args, strict=True)]
        return g.call(_OPTION_FNS[name], recv, *args)
    match name:
        case "unwrap_or_default":
            return g.selector(recv, "Value")  # `None` holds the zero value: T's default
        case "is_some_and":
            value = em.stable(recv, recv_ty)
            return g.binary("&&", g.selector(value, "IsSome"),
                            g.call(args[0], g.selector(value, "Value")))
        case "is_none_or":
            value = em.stable(recv, recv_ty)
            return g.binary("||", g.negate(g.selector(value, "IsSome")),
                            g.call(args[0], g.selector(value, "Value")))
        case "cloned" | "copied" if isinstance(elem, t.Ref):
            inner = elem.inner
            if em.types.ref_is_ptr(elem):
                # `Option<&S>` holds a pointer: the struct is copied out (and cloned).
                if em.types.is_plain(inner):
                    return g.call("gustOptionDeref", recv)
                return g.call("gustOptionClonedPtr", recv, em.clone_fn(inner))
            if em.types.is_plain(inner):
                return recv
            return g.call("gustCloneOption", recv, em.clone_fn(inner))
        case "as_ref" | "as_mut" if not isinstance(elem, t.Ref) and \
                em.types.ref_is_ptr(t.Ref(elem, name == "as_mut")) and \
                em.go(em.ty(e)) == f"Option[*{em.go(elem)}]":
            # `Option<&S>` holds a pointer (as `v.get(i)` gives): one into the receiver.
            return g.call("gustOptionAsPtr", em._address(recv, e.receiver, recv_ty))
        case "cloned" | "copied" | "as_ref" | "as_deref" | "as_deref_mut":
            if isinstance(elem, t.Ref) and em.types.ref_is_ptr(elem):
                raise _unsupported(f"`{name}` of an `Option` of a reference to a struct", e)
            if name == "as_deref_mut" and elem == t.STRING:
                raise _unsupported("`as_deref_mut` of an `Option<String>`", e)  # Go's
                # strings are immutable: a `&mut str` would change a copy
            if name.startswith("as_deref") and em.types.go(em.ty(e)) != em.types.go(recv_ty):
                # `Option<Rc<S>>` holds the struct, `Option<&S>` a pointer to it.
                raise _unsupported("`as_deref` of an `Option` of this type", e)
            return recv
        case "take" | "replace":
            ptr = em._address(recv, e.receiver, recv_ty)
            fn = "gustTakeOption" if name == "take" else "gustReplaceOption"
            return g.call(fn, ptr, *args)
    raise _unsupported(f"the method `{name}`", e)


def _unit_result(em: FnEmitter, value: g.GoExpr, arg: ast.Expr) -> g.GoExpr:
    """A closure argument returning `()` made a func with a result, for the runtime's
    functions generic over it (`func(T) U`): Go funcs without a result are not `U`s."""
    fn = em.types.callable(em.ty(arg))
    if fn is None or fn.ret != t.UNIT or len(fn.params) > 1:
        return value
    return g.call("gustUnitFn" if fn.params else "gustUnitFn0", value)


def variant_params(ty: t.Ty, variant: str) -> tuple[t.Ty, ...]:
    """The parameter type of the `Ok`/`Err` constructor for a `Result` of type `ty`."""
    args = _args(ty)
    if len(args) != 2:
        return ()
    return (args[0] if variant == "Ok" else args[1],)
