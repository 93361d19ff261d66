"""What Go callers of a library see of a `pub fn` returning `Result` or `Option`.

Go functions are seen from Gust with `(T, error)` as `Result<T, GoError>` and `(T, bool)`
as `Option<T>` (gust.sema.golang); this is the other direction. The function itself keeps
its Gust form under an unexported name (Gust callers, `?`, match), and an exported wrapper
gives Go callers Go's results:

```go
// ParseWeight is `parse_weight` for Go callers: an `Err` is a non-nil error.
func ParseWeight(text string) (int64, error) {
	return gustResultToGo(parse_weight(text))
}
```

| Gust result | Go results |
|---|---|
| `Result<T, E>` | `(T, error)` |
| `Result<(), E>` | `error` |
| `Option<T>` | `(T, bool)` |

The error is the `Err` value itself when it is a Go error (a `GoError`, or a type with
`impl Error`, which a library gives an `Error() string` method), else the runtime's
`GustError[E]`, whose message is the value's Display text and whose `Value` is the value.
Which functions get a wrapper is decided with their names (gust.codegen.package_names):
free functions (generic ones too: `func First[T any](v []T) (T, bool)`), and the `pub`
methods and associated functions of a `pub` struct (`func (self *Route) Extent()
(Tuple2[int32, int32], error)` beside the method `extent`). Another Gust package calls the
wrapper too and turns its Go results back (gust.codegen.generics, `foreign_method`).

Other Gust packages format a library's values through its own runtime: each Go package has
its own formatter, whose `fmtDisplay`/`fmtDebug` methods are unexported, so a `pub` type with
Display or Debug also gets `GustFormat(spec string) string` (`spec` a Gust format string such
as `{:?}`), which the runtime of a package using it calls (`format_method`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gust.codegen import generics, names
from gust.codegen.context import ItemContext
from gust.codegen.gotypes import Unsupported
from gust.codegen.package_names import go_pub
from gust.frozen import dataclass
from gust.sema import types as t
from gust.sema.items import FnSig
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

Lines = list[tuple[str, int | None]]


@dataclass(frozen=True)
class Facing:
    """A function or method that gets a Go-facing wrapper: the wrapper's Go name, the Gust
    name its comment shows, and how it is declared: a method (`receiver`, `(self *Route) `)
    or a function (with `self_param`, `self *Route`, first when it has `self`). A method
    whose Gust method is a function of its type only for its arithmetic parameters
    (gust.codegen.size_kinds) stays a method for Go callers: `of_function`, it calls the
    function."""

    go_name: str
    gust_name: str
    receiver: str | None = None
    self_param: str | None = None
    of_function: bool = False


def wrapper(em: FnEmitter, facing: Facing, sig: FnSig, type_params: str,
            arith: tuple[str, ...]) -> Lines:
    """The exported wrapper of the function `em` has just emitted (with its type parameters
    and spelling still in effect): `type_params` without the arithmetic parameters of
    `arith`, which it passes as the type parameters themselves (Go's `int` is Gust's
    `isize`, gust.codegen.size_kinds)."""
    types = em.types
    ret = sig.ret
    # An `Option` or `Result` becomes Go's results; any other result only `of_function`.
    go_results = ret if isinstance(ret, t.Adt) and ret.name in ("Option", "Result") else None
    if go_results is None and not facing.of_function:
        return []
    try:
        params = [(_param_name(types.pkg.taken, p.pat, i), types.go(ty))
                  for i, (p, ty) in enumerate(zip(sig.decl.params, sig.params, strict=True))]
        if go_results is None:  # (a method as it is)
            results, convert = ("", "{}") if ret == t.UNIT else (types.go(ret), "{}")
        elif go_results.name == "Option":
            results, convert = f"({types.go(go_results.args[0])}, bool)", "{}.Get()"
        elif go_results.args[0] == t.UNIT:
            results, convert = "error", "gustUnitResultToGo({})"
        else:
            results, convert = f"({types.go(go_results.args[0])}, error)", "gustResultToGo({})"
        targs = "" if facing.receiver is not None and not facing.of_function else \
            generics.type_args(types, tuple(p for p in generics.function_type_params(types, sig)
                                            if p not in types.callables and
                                            p not in types.seq_params))
        if arith:
            targs = "[" + ", ".join(types.go(t.Param(p)) for p in arith) + ", " + targs[1:]
    except Unsupported:
        return []  # the function reports it
    args = ", ".join(n for n, _ in params)
    declared = [f"{n} {ty}" for n, ty in params]
    if facing.receiver is not None:
        call = f"{em.go_name}{targs}({', '.join(['self', *([args] if args else [])])})" \
            if facing.of_function else f"self.{em.go_name}({args})"
        head = f"func {facing.receiver}{facing.go_name}"
    else:
        if facing.self_param is not None:
            declared.insert(0, facing.self_param)
            args = ", ".join(["self", *([args] if args else [])])
        call = f"{em.go_name}{targs}({args})"
        head = f"func {facing.go_name}{type_params}"
    if go_results is None:
        what = "a method (Go's `int` is an `isize` here)"
    elif go_results.name == "Option":
        what = "`None` is `ok == false`"
    else:
        what = "an `Err` is a non-nil error"
    gline = em.ctx.gline(sig.decl.span)
    body = f"\treturn {convert.format(call)}" if results else f"\t{call}"
    return [("", None),
            (f"// {facing.go_name} is `{facing.gust_name}` for Go callers: {what}.", None),
            (f"{head}({', '.join(declared)}) {results + ' ' if results else ''}{{", gline),
            (body, None),
            ("}", None)]


def _param_name(taken: frozenset[str], pat: ast.Pat, index: int) -> str:
    if isinstance(pat, ast.IdentPat) and pat.sub is None:
        name = pat.name
        while name in taken or names.is_reserved(name):
            name += "_"
        return name
    return f"arg{index}"


def format_method(ctx: ItemContext, key: str, receivers: list[str], gline: int | None
                  ) -> Lines:
    """`GustFormat` on the Go types of the library type `key` (the struct, or each variant
    of an enum), when it is `pub` and has Display or Debug."""
    env = ctx.env
    decl = env.structs[key].decl if key in env.structs else \
        env.enums[key].decl if key in env.enums else None
    if decl is None or not ctx.types.pkg.library or not go_pub(decl):
        return []
    formats = "Debug" in env.derives_of(key) or any(
        isinstance(i.self_ty, t.Adt) and i.self_ty.name == key
        for trait in ("Display", "Debug") for i in env.trait_impls(trait))
    if not formats:
        return []
    out: Lines = []
    for receiver in receivers:
        out += [("", None),
                ("// GustFormat formats the value by a Gust format spec (`{}`, `{:?}`), for "
                 "the", None),
                ("// Gust packages that use this one.", None),
                (f"func (self {receiver}) GustFormat(spec string) string {{", gline),
                ("\treturn gustFormat(spec, self)", None), ("}", None)]
    return out
