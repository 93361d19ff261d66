"""Go interop in the Go backend: `use go` packages in the generated Go (language.md
section 10, the Gust side of each Go declaration in gust.sema.golang).

Most Go values cross without any conversion, because Gust's Go forms were chosen to be
Go's own: `String`/`&str` are `string`, `Vec<T>`/`&[T]` are `[]T`, `HashMap<K, V>` is
`map[K]V`, `isize` is `int`, `GoError` is `error`, `GoAny` is `any`, a Go named type is
itself (`http.Response`), `Box<T>` and `&mut T` of a Go struct are `*T`, a Go func type is
the Go func type of its Gust `fn` type (`func(http.ResponseWriter, *http.Request)`). What
does need converting is results, in the runtime (gust_runtime.go, "Go interop"):

| Go results           | Gust                    | generated Go                           |
|----------------------|-------------------------|----------------------------------------|
| `(T, error)`         | `Result<T, GoError>`    | `gustGoResult(f(..))`                  |
| `(T, error)` of `Read`, `ReadString`.. | `(T, Result<(), GoError>)` | `gustGoPartial(r.Read(..))` |
| `(A, B, error)`      | `Result<(A, B), ..>`    | `gustGoResult2(f(..))`                 |
| `error`              | `Result<(), GoError>`   | `gustGoError(f(..))`                   |
| `(T, bool)`          | `Option<T>`             | `gustGoOption(f(..))`                  |
| one nil-able `T`     | `Option<T>`             | `gustNonNil(f(..))`                    |
| `(A, B)`, `(A, B, C)`| `(A, B)`, `(A, B, C)`   | `gustGoTuple2(f(..))`, `gustGoTuple3`  |
| `<-chan T`           | `chan<T>`               | `gustRecvChan(..)` (a forwarding goroutine) |

A Go function used as a value whose results need converting is a function literal that
calls it: `strconv::Atoi` as a `fn(&str) -> Result<isize, GoError>` is
`func(s string) Result[int, error] { return gustGoResult(strconv.Atoi(s)) }`.

Go passes a call's results on as the arguments of a call (`g(f())`), so no temporaries are
needed. Where a Go form and the Gust form of a value differ in a way not listed here (Go's
`uint` is Gust's `u64`, an unnamed struct...), the backend reports `unsupported` rather than
emit Go that does not build.

Imports: a Go package is imported under the name the file gave it (`use go
"encoding/json" as gojson;` is `gojson "encoding/json"`); a name the generated code itself
imports for its own use (`strings`, `fmt`, ...; gust.codegen.names.GO_PACKAGES) for another
package gets a `_go` suffix. Types of packages the file does not import (`url.URL` reached
through `http.Request.URL`) are imported under their package's own name.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.codegen import names
from gust.codegen.gotypes import Types, Unsupported
from gust.sema import golang as go
from gust.sema import types as t
from gust.sema.items import ItemEnv
from gust.sema.results import FieldRes, GoRes, MethodRes
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

_UNIT: Final = g.Atom("struct{}{}")


# ============================================================== imports and names


def package_name(env: ItemEnv, path: str) -> str:
    """The Go identifier the generated file reaches the package `path` by."""
    aliases = sorted(a for a, p in env.go_aliases.items() if p == path)
    own = _own_name(env, path)
    name = aliases[0] if aliases else own
    if name in names.GO_PACKAGES and name != own:
        name += "_go"  # the generated code's own `strings`, `fmt`... keep their name
    return name


def _own_name(env: ItemEnv, path: str) -> str:
    package = env.go_packages.get(path)
    return package.name if package is not None and package.name else go.default_alias(path)


def qualified(types: Types, path: str, name: str) -> str:
    """`alias.Name` for a member of a Go package, importing the package."""
    alias = package_name(types.env, path)
    spec = path if alias == _own_name(types.env, path) else f"{alias} {path}"
    types.imports.add(spec)
    types.interop_imports.add(spec)
    return f"{alias}.{name}"


def prune_imports(types: Types, lines: list[str]) -> None:
    """Drop the Go interop imports the emitted lines do not use (Go rejects an unused
    import); see `Types.interop_imports`."""
    specs = types.interop_imports & types.imports
    if not specs:
        return
    text = "\n".join(lines)
    for spec in specs:
        alias, _, path = spec.rpartition(" ")
        name = alias or _own_name(types.env, path)
        if not re.search(rf"\b{re.escape(name)}\.", text):
            types.imports.discard(spec)


def import_line(spec: str) -> str:
    """An import spec of `ItemContext.imports` as Go writes it: `"path"` or
    `alias "path"`."""
    alias, _, path = spec.rpartition(" ")
    return f'{alias} "{path}"' if alias else f'"{path}"'


def import_path(spec: str) -> str:
    """The import path of an import spec (what gofmt sorts imports by)."""
    return spec.rpartition(" ")[2]


# ============================================================== types


def named_type(types: Types, name: str) -> go.GoNamedType | None:
    found = go.split_go_type_name(name)
    package = types.env.go_packages.get(found[0]) if found else None
    return package.type(found[1]) if package is not None and found else None


def is_go_struct(types: Types, ty: t.Ty) -> bool:
    """A Go named struct type: like a Gust struct, `&T`, `&mut T` and `Box<T>` of it are
    Go pointers `*T`."""
    if not isinstance(ty, t.Adt) or not ty.name.startswith("go:"):
        return False
    named = named_type(types, ty.name)
    return named is not None and isinstance(named.underlying, go.GoStruct)


def go_type(types: Types, name: str, args: tuple[t.Ty, ...]) -> str | None:
    """The Go type of a Gust type that stands for a Go one (None: not one of them)."""
    match name:
        case "GoError":
            return "error"
        case "GoAny":
            return "any"
    found = go.split_go_type_name(name)
    if found is None:
        return None
    text = qualified(types, found[0], found[1])
    if args:
        text += "[" + ", ".join(types.go(a) for a in args) + "]"
    return text


def go_text(types: Types, ty: go.GoType) -> str:
    """A Go type as Go spells it in the generated file."""
    match ty:
        case go.GoBasic(name):
            if name.startswith("untyped "):
                return {"untyped int": "int", "untyped float": "float64",
                        "untyped rune": "rune", "untyped string": "string",
                        "untyped bool": "bool"}.get(name, "any")
            if name == "unsafe.Pointer":
                types.imports.add("unsafe")
            return name
        case go.GoErrorType():
            return "error"
        case go.GoNamed(path, name, args):
            text = qualified(types, path, name) if path else name
            return text + ("[" + ", ".join(go_text(types, a) for a in args) + "]" if args
                           else "")
        case go.GoPointer(elem):
            return "*" + go_text(types, elem)
        case go.GoSlice(elem):
            return "[]" + go_text(types, elem)
        case go.GoArray(elem, length):
            return f"[{length}]{go_text(types, elem)}"
        case go.GoMap(key, value):
            return f"map[{go_text(types, key)}]{go_text(types, value)}"
        case go.GoChan(elem, direction):
            prefix = {"send": "chan<- ", "recv": "<-chan "}.get(direction, "chan ")
            return prefix + go_text(types, elem)
        case go.GoFuncType(params, results, variadic):
            texts = [go_text(types, p.type) for p in params]
            if variadic and texts:
                texts[-1] = "..." + texts[-1].removeprefix("[]")
            outs = [go_text(types, r.type) for r in results]
            tail = "" if not outs else " " + outs[0] if len(outs) == 1 else \
                " (" + ", ".join(outs) + ")"
            return "func(" + ", ".join(texts) + ")" + tail
        case go.GoStruct(fields) if not fields:
            return "struct{}"
        case go.GoInterface(methods, embeds) if not methods and not embeds:
            return "any"
        case go.GoTypeParamRef(name):
            return name
    raise Unsupported("this Go type in Gust")


def _same(types: Types, go_ty: go.GoType, gust: t.Ty) -> bool:
    """Whether a Go value of type `go_ty` is already the Go form of the Gust type."""
    if any(isinstance(x, go.GoTypeParamRef) for x in go.walk_type(go_ty)):
        return True  # a generic Go function: Go infers what Gust inferred
    saved = set(types.imports)  # a comparison imports nothing
    try:
        return _canonical(go_text(types, go_ty)) == _canonical(types.go(gust))
    except Unsupported:
        return False
    finally:
        types.imports.intersection_update(saved)


def _canonical(text: str) -> str:
    """Go spells one type several ways: `byte` is `uint8`, `rune` is `int32`."""
    return _ALIASES.sub(lambda m: "uint8" if m.group(0) == "byte" else "int32", text)


_ALIASES: Final = re.compile(r"\b(byte|rune)\b")


def from_go(types: Types, value: g.GoExpr, go_ty: go.GoType, gust: t.Ty) -> g.GoExpr:
    """A Go value (position V) in its Gust form."""
    if _same(types, go_ty, gust):
        return value
    if isinstance(go_ty, go.GoChan) and go_ty.dir == "recv":
        return g.call("gustRecvChan", value)
    if isinstance(go_ty, go.GoBasic) and go_ty.name in ("uint", "uintptr"):
        return g.conversion(types.go(gust), value)
    if isinstance(gust, t.Char) and _is_rune(go_ty):
        return g.conversion("Char", value)
    raise Unsupported(f"the Go type `{go_text(types, go_ty)}` as `{gust}`")


def _is_rune(go_ty: go.GoType) -> bool:
    """Go's rune, which a Gust `char` is at the boundary (Gust's own Go type is `Char`)."""
    return isinstance(go_ty, go.GoBasic) and go_ty.name in ("rune", "int32", "untyped rune")


def to_go(types: Types, value: g.GoExpr, gust: t.Ty, go_ty: go.GoType) -> g.GoExpr:
    """A Gust value passed for a Go parameter of type `go_ty`."""
    if _is_go_interface(go_ty):
        adapter = _IO_ADAPTERS.get((go_ty.path, go_ty.name)) \
            if isinstance(go_ty, go.GoNamed) else None
        if adapter is not None and _gust_struct(types, gust) is not None:
            # A Gust io.Reader or io.Writer: the runtime's adapter gives its Gust results
            # as Go's (the checker matched its method's Gust signature).
            return g.call(adapter, _through_refs(types, value, gust))
        _check_gust_methods(types, gust, go_ty)
        return _through_refs(types, value, gust)  # Go converts to an interface implicitly
    if _same(types, go_ty, gust):
        return value
    if isinstance(go_ty, go.GoBasic) and go_ty.name in ("uint", "uintptr"):
        return g.conversion(go_ty.name, value)
    if isinstance(gust, t.Char) and _is_rune(go_ty):
        return value if isinstance(value, g.Atom) and value.untyped == "rune" else \
            g.conversion("rune", value)
    if isinstance(go_ty, go.GoNamed) and isinstance(gust, (t.FnPtr, t.Closure)):
        return value  # a func value for a named func type (`http.HandlerFunc`)
    if isinstance(go_ty, go.GoFuncType) and isinstance(gust, (t.FnPtr, t.Closure)):
        return value  # checked by the Go compiler: same parameters and results
    raise Unsupported(f"a `{gust}` for the Go type `{go_text(types, go_ty)}`")


# Go interfaces whose one method returns an error, which a Gust struct implements through
# an adapter of the runtime (its method's Go form returns the Gust value).
_IO_ADAPTERS: Final = {("io", "Reader"): "gustAsReader", ("io", "Writer"): "gustAsWriter"}


def _gust_struct(types: Types, gust: t.Ty) -> str | None:
    """The package's struct a reference or box points to (`&mut z`), if any."""
    inner = gust.inner if isinstance(gust, t.Ref) else \
        gust.args[0] if isinstance(gust, t.Adt) and gust.name == "Box" and gust.args else None
    return inner.name if isinstance(inner, t.Adt) and inner.name in types.env.structs \
        else None


def _through_refs(types: Types, value: g.GoExpr, gust: t.Ty) -> g.GoExpr:
    """A value for a Go interface parameter: a reference to what is already a Go pointer or
    interface is that value (`&mut w` of a `Box<tabwriter::Writer>` is `w`, not `&w`,
    whose `**Writer` has no methods)."""
    while isinstance(gust, t.Ref) and _reference_like(types, gust.inner) and \
            types.go(gust) == "*" + types.go(gust.inner):
        value, gust = g.unary("*", value), gust.inner
    return value


def _reference_like(types: Types, ty: t.Ty) -> bool:
    """A Gust type whose Go form is a pointer or an interface."""
    if isinstance(ty, t.Ref) or (isinstance(ty, t.Adt) and ty.name == "Box"):
        return True
    if ty == go.GO_ERROR or not isinstance(ty, t.Adt):
        return ty == go.GO_ERROR
    named = named_type(types, ty.name)
    return named is not None and named.is_interface


def _is_go_interface(go_ty: go.GoType) -> bool:
    return isinstance(go_ty, (go.GoInterface, go.GoErrorType)) or (
        isinstance(go_ty, go.GoNamed) and go_ty.interface)


def _check_gust_methods(types: Types, gust: t.Ty, go_ty: go.GoType) -> None:
    """A Gust struct passed as a Go interface (the checker matched its methods' Gust
    signatures): its Go methods must carry the interface's names, on `*T`."""
    from gust.codegen.generics import method_is_function

    inner = gust.inner if isinstance(gust, t.Ref) else \
        gust.args[0] if isinstance(gust, t.Adt) and gust.name == "Box" and gust.args else None
    if not isinstance(go_ty, go.GoNamed) or not isinstance(inner, t.Adt) or \
            inner.name not in types.env.structs:
        return
    named = named_type(types, go.go_type_name(go_ty.path, go_ty.name))
    info = types.env.structs[inner.name]
    fields = {f.name for f in info.fields}
    for method in named.methods if named is not None else ():
        sig = types.env.inherent.get(inner.name, {}).get(method.name)
        if sig is None or method.name in fields or method.name in names.GENERATED_METHODS \
                or method_is_function(types.env, types, sig):
            raise Unsupported(f"`{inner.name}` as the Go interface `{go_ty.name}`")
        if not _same_results(types, method.results, sig.ret):
            # The method's Go form returns the Gust value (`Result[int, error]`, a tuple),
            # not Go's results: Go would not see it as the interface's method.
            raise Unsupported(f"`{inner.name}` as the Go interface `{go_ty.name}` (the "
                              f"results of `{method.name}`)")


def _same_results(types: Types, outs: tuple[go.GoParam, ...], ret: t.Ty) -> bool:
    """Whether a Gust method returning `ret` has, in Go, the results `outs`."""
    if not outs:
        return ret == t.UNIT
    return len(outs) == 1 and not go.is_nilable(outs[0].type) and \
        _same(types, outs[0].type, ret)


# ============================================================== results


def results(em: FnEmitter, call: g.GoExpr, outs: tuple[go.GoParam, ...], ret: t.Ty
            ) -> g.GoExpr:
    """A Go call's results as the Gust value of type `ret` (the table in the module doc)."""
    types = em.types
    kinds = [r.type for r in outs]
    if not kinds:
        em.line(g.render(call))  # no value: the call is a statement
        return _UNIT
    direct = _direct(types, call, kinds, ret)
    if direct is not None:
        return direct
    # Some result needs a conversion of its own: the results in temporaries first.
    temps = [em.temp("res") for _ in kinds]
    em.line(f"{', '.join(temps)} := {g.render(call)}")
    values = [g.ident(x) for x in temps]
    last = kinds[-1]
    if _is_partial(kinds, ret):
        value_ty = ret.elems[0]  # type: ignore[union-attr]
        value = from_go(types, values[0], kinds[0], value_ty)
        return g.call(f"gustGoPartial[{em.go(value_ty)}]", value, values[-1])
    if isinstance(last, go.GoErrorType) and _is_result(ret):
        ok = ret.args[0]  # type: ignore[union-attr]
        elems = ok.elems if isinstance(ok, t.Tuple) and len(kinds) > 2 else (ok,)
        value = _tuple(em, [from_go(types, v, k, e)
                            for v, k, e in zip(values, kinds, elems, strict=False)], elems)
        return g.call(f"gustGoResult[{em.go(ok)}]", value, values[-1])
    if isinstance(ret, t.Tuple) and len(ret.elems) == len(kinds):
        return _tuple(em, [result_value(types, v, k, e)
                           for v, k, e in zip(values, kinds, ret.elems, strict=True)],
                      ret.elems)
    raise Unsupported("this Go function's results")


def _tuple(em: FnEmitter, values: list[g.GoExpr], elems: tuple[t.Ty, ...]) -> g.GoExpr:
    if len(values) == 1:
        return values[0]
    return g.tuple_lit(em.go(t.Tuple(elems)), tuple(values))


def _direct(types: Types, call: g.GoExpr, kinds: list[go.GoType], ret: t.Ty
            ) -> g.GoExpr | None:
    """The results converted by one runtime call (None: they need temporaries)."""
    last = kinds[-1]
    if _is_partial(kinds, ret):
        same = _same(types, kinds[0], ret.elems[0])  # type: ignore[union-attr]
        return g.call("gustGoPartial", call) if same else None
    if isinstance(last, go.GoErrorType) and _is_result(ret):
        ok = ret.args[0]  # type: ignore[union-attr]
        if len(kinds) == 1:
            return g.call("gustGoError", call)
        if len(kinds) == 2 and _same(types, kinds[0], ok):
            return g.call("gustGoResult", call)
        if len(kinds) == 3 and isinstance(ok, t.Tuple) and all(
                _same(types, k, o) for k, o in zip(kinds[:2], ok.elems, strict=True)):
            return g.call("gustGoResult2", call)
        return None
    if len(kinds) == 2 and last == go.GoBasic("bool") and _is_option(ret):
        if _same(types, kinds[0], ret.args[0]):  # type: ignore[union-attr]
            return g.call("gustGoOption", call)
        return None
    if len(kinds) == 1:
        return result_value(types, call, kinds[0], ret)
    if len(kinds) in (2, 3) and isinstance(ret, t.Tuple) and all(
            _same(types, k, r) for k, r in zip(kinds, ret.elems, strict=True)):
        return g.call(f"gustGoTuple{len(kinds)}", call)
    return None


def result_value(types: Types, value: g.GoExpr, go_ty: go.GoType, gust: t.Ty) -> g.GoExpr:
    """One Go result or field (position R): a nil-able value is an `Option`."""
    if _is_option(gust) and (go.is_nilable(go_ty) or not _same(types, go_ty, gust)):
        inner = gust.args[0]  # type: ignore[union-attr]
        if _same(types, go_ty, inner):
            return g.call("gustNonNil", value)
    return from_go(types, value, go_ty, gust)


def _is_partial(kinds: list[go.GoType], ret: t.Ty) -> bool:
    """A Go `(T, error)` whose value counts beside the error, seen as `(T, Result<(),
    GoError>)` (`go.PARTIAL_RESULT_METHODS`: `n, err := r.Read(buf)`)."""
    return len(kinds) == 2 and isinstance(kinds[1], go.GoErrorType) and \
        isinstance(ret, t.Tuple) and len(ret.elems) == 2 and _is_result(ret.elems[1])


def _is_result(ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name == "Result" and len(ty.args) == 2


def _is_option(ty: t.Ty) -> bool:
    return isinstance(ty, t.Adt) and ty.name == "Option" and len(ty.args) == 1


# ============================================================== expressions


def path_value(em: FnEmitter, res: GoRes, e: ast.PathExpr) -> g.GoExpr:
    """`time::Second`, `os::Args`, `strings::ToUpper` as a value."""
    package = em.env.go_packages[res.package]
    name = qualified(em.types, res.package, res.name)
    ty = em.ty(e)
    if res.kind == "const":
        return g.Atom(name)
    if res.kind == "var":
        var = package.var(res.name)
        assert var is not None
        return from_go(em.types, g.Atom(name), var.type, ty)
    func = package.func(res.name)
    if func is not None and _same(em.types, go.GoFuncType(func.params, func.results,
                                                          func.variadic), ty):
        return g.Atom(name)
    if func is not None and isinstance(ty, t.FnPtr) and not func.variadic and \
            not func.type_params:
        return _wrapped(em, name, func, ty)
    raise Unsupported("this Go function as a value")


def _wrapped(em: FnEmitter, name: str, func: go.GoFunc, ty: t.FnPtr) -> g.GoExpr:
    """A Go function whose results Gust sees converted, as a value: a function literal
    that calls it (`strconv::Atoi` as `fn(&str) -> Result<isize, GoError>`)."""
    alias = name.partition(".")[0]
    params = [p.name if p.name.isidentifier() and p.name not in (alias, "_") and
              not names.is_reserved(p.name) else f"p{i}" for i, p in enumerate(func.params)]
    if len(set(params)) < len(params):
        params = [f"p{i}" for i in range(len(func.params))]
    args = [to_go(em.types, g.ident(p), gust, go_param.type)
            for p, gust, go_param in zip(params, ty.params, func.params, strict=True)]
    call_ = g.call(name, *args)
    kinds = [r.type for r in func.results]
    body = g.render(call_) if not kinds else None
    if kinds:
        value = _direct(em.types, call_, kinds, ty.ret)
        if value is None:
            raise Unsupported("this Go function as a value")
        body = "return " + g.render(value)
    header = "func(" + ", ".join(f"{p} {em.go(gust)}" for p, gust in zip(
        params, ty.params, strict=True)) + ")" + ("" if not kinds else " " + em.go(ty.ret))
    return g.FuncLit(header, ((f"\t{body}", em.gl),))


def call(em: FnEmitter, e: ast.Call, res: GoRes) -> g.GoExpr:
    """`strconv::Atoi(s)`, `http::HandlerFunc(f)` (a conversion to a Go named type)."""
    package = em.env.go_packages[res.package]
    callee = qualified(em.types, res.package, res.name)
    if res.kind == "type":
        named = package.type(res.name)
        assert named is not None
        (arg,) = em.exprs(list(e.args))
        own = _go_func_value(em, e.args[0], named.underlying)
        return g.conversion(callee, own if own is not None else arg)
    func = package.func(res.name)
    if func is None:
        raise Unsupported("this call of a Go value")
    func = go.core_typed(func)
    sig = go.gust_signature(res.package, func)
    if func.type_params:
        # The parameters as the checker instantiated them (`&[String]`, not `&[E]`), so
        # that arguments are adapted to them (`&mut Vec<String>` is the slice itself).
        inst = em.ty(e.callee)
        if isinstance(inst, t.FnPtr) and len(inst.params) == len(sig.params):
            sig = dataclasses.replace(sig, params=inst.params)
    args = _args(em, e.args, sig, func.params, func.variadic)
    return results(em, g.call(callee, *args), func.results, em.ty(e))


def _args(em: FnEmitter, args: tuple[ast.Expr, ...], sig: go.GustSignature,
          params: tuple[go.GoParam, ...], variadic: bool) -> list[g.GoExpr]:
    """Arguments of a Go call, each in the Go form of its parameter."""
    go_params = [p.type for p in params]
    if variadic and go_params and isinstance(go_params[-1], go.GoSlice):
        go_params[-1] = go_params[-1].elem
    gust_params = list(sig.params)
    while len(gust_params) < len(args):  # the repeated last parameter
        gust_params.append(gust_params[-1])
        go_params.append(go_params[-1])
    values = em.args(args, tuple(gust_params))
    out: list[g.GoExpr] = []
    for v, a, p, gp in zip(values, args, gust_params, go_params, strict=False):
        underlying = _func_underlying(em.types, gp)
        if underlying is not None and (own := _go_func_value(em, a, underlying)) is not None:
            out.append(own)  # `bufio::ScanWords` for a `bufio.SplitFunc`: Go's own func
        elif underlying is not None and isinstance(gp, go.GoNamed) and \
                (fn := em.types.callable(em.ty(a))) is not None:
            # A closure for a Go named func type (`fs.WalkDirFunc`): Go assigns the func
            # literal to it.
            out.append(_func_to_go(em, v, fn, underlying))
        elif _is_option(em.ty(a)) and not _is_option(p):
            # `None` for a nil-able parameter: Go's nil (of the parameter's interface type,
            # not a nil pointer inside a non-nil interface).
            out.append(g.call(f"gustOrNil[{go_text(em.types, gp)}]", v))
        elif isinstance(gp, go.GoFuncType) and (fn := em.types.callable(p)) is not None \
                and not _same(em.types, gp, fn):
            out.append(_func_to_go(em, v, fn, gp))
        else:
            typed = isinstance(gp, go.GoBasic) and not isinstance(p, t.Char)  # rune(c)
            # For an interface, the argument's own type: a Gust struct's methods are checked.
            out.append(to_go(em.types, em.typed(v, p) if typed else v,
                             em.ty(a) if _is_go_interface(gp) else p, gp))
    return out


def _func_underlying(types: Types, go_ty: go.GoType) -> go.GoFuncType | None:
    """The func type of a Go func parameter, named (`bufio.SplitFunc`) or not."""
    if isinstance(go_ty, go.GoFuncType):
        return go_ty
    if isinstance(go_ty, go.GoNamed) and not go_ty.args:
        named = named_type(types, go.go_type_name(go_ty.path, go_ty.name))
        if named is not None and isinstance(named.underlying, go.GoFuncType):
            return named.underlying
    return None


def _go_func_value(em: FnEmitter, arg: ast.Expr, go_ty: go.GoType) -> g.GoExpr | None:
    """A Go function named where Go wants a func of its own type (`bufio::ScanWords` for
    a `bufio.SplitFunc`): the function itself, not the Gust form of its results."""
    if not isinstance(go_ty, go.GoFuncType) or not isinstance(arg, ast.PathExpr):
        return None
    res = em.br.paths.get(arg)
    if not isinstance(res, GoRes) or res.kind != "func":
        return None
    func = em.env.go_packages[res.package].func(res.name)
    if func is None or func.type_params or func.variadic != go_ty.variadic or \
            [p.type for p in func.params] != [p.type for p in go_ty.params] or \
            [r.type for r in func.results] != [r.type for r in go_ty.results]:
        return None
    return g.Atom(qualified(em.types, res.package, res.name))


def _func_to_go(em: FnEmitter, value: g.GoExpr, fn: t.FnPtr, go_ty: go.GoFuncType
                ) -> g.GoExpr:
    """A Gust func value for a Go func type whose parameters or result are Go's forms of
    Gust's (`rune` for `Char`: the `func(rune) rune` of `strings.Map`): a function literal
    converting on the way in and out."""
    if len(fn.params) != len(go_ty.params) or go_ty.variadic or len(go_ty.results) > 1:
        raise Unsupported(f"a `{fn}` for the Go type `{go_text(em.types, go_ty)}`")
    f = em.stable(value, fn, "f")
    params = [f"p{i}" for i in range(len(fn.params))]
    call_ = g.call(f, *[from_go(em.types, g.ident(p), gp.type, gust)
                        for p, gp, gust in zip(params, go_ty.params, fn.params, strict=True)])
    header = "func(" + ", ".join(f"{p} {go_text(em.types, gp.type)}" for p, gp in zip(
        params, go_ty.params, strict=True)) + ")"
    if not go_ty.results:
        return g.FuncLit(header, ((f"\t{g.render(call_)}", em.gl),))
    out = go_ty.results[0].type
    if isinstance(out, go.GoErrorType) and _is_result(fn.ret):
        # `Result<(), GoError>` for Go's lone `error` result (`fs.WalkDirFunc`).
        result: g.GoExpr = g.call("gustUnitResultToGo", call_)
    else:
        result = to_go(em.types, call_, fn.ret, out)
    return g.FuncLit(f"{header} {go_text(em.types, out)}",
                     ((f"\treturn {g.render(result)}", em.gl),))


def method_call(em: FnEmitter, e: ast.MethodCall, res: MethodRes) -> g.GoExpr:
    """`resp.Body.Close()`, `wg.Wait()`, `ctx.Err()`: a method of a Go type."""
    if res.owner == "GoError":
        return error_method(em, e)
    named = named_type(em.types, res.owner)
    method = named.method(e.name) if named is not None else None
    if method is None:
        raise Unsupported(f"the Go method `{e.name}`")
    sig = go.gust_method_signature(method)
    recv = em.method_receiver(e)
    args = _args(em, e.args, sig, method.params, method.variadic)
    return results(em, g.call(g.selector(recv, e.name), *args), method.results, em.ty(e))


def error_method(em: FnEmitter, e: ast.MethodCall) -> g.GoExpr:
    """`err.Error()` on a `GoError`."""
    return g.call(g.selector(em.method_receiver(e), e.name))


def field(em: FnEmitter, e: ast.Field, res: FieldRes, base: g.GoExpr) -> g.GoExpr:
    """`resp.StatusCode`: a field of a Go struct, an `Option` when it may be nil."""
    named = named_type(em.types, res.owner)
    fields = named.fields if named is not None else ()
    if res.index >= len(fields):
        raise Unsupported(f"the Go field `{e.name}`")
    go_field = fields[res.index]
    return result_value(em.types, g.selector(base, go_field.name), go_field.type, em.ty(e))


def struct_lit(em: FnEmitter, e: ast.StructLit, ty: t.Adt) -> g.GoExpr:
    """`sync::WaitGroup {}`, `http::Cookie { Name: name }`: a Go composite literal."""
    named = named_type(em.types, ty.name)
    if named is None:
        raise Unsupported("this Go struct literal")
    go_fields = {f.name: f.type for f in named.fields}
    values = em.exprs([f.value for f in e.fields])
    elts = tuple(g.KeyValue(f.name, to_go(em.types, em.typed(v, go.value_type(go_fields[f.name])),
                                          em.ty(f.value), go_fields[f.name]))
                 for f, v in zip(e.fields, values, strict=True))
    return g.Composite(em.go(ty), elts)
