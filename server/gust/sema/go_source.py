"""Go declarations spelled as Go source, for hover: `func Atoi(s string) (int, error)`.

The data comes from gust.sema.golang (what the Go helper or the shipped stubs describe);
this module only prints it the way gopls shows a declaration. Types of the package being
shown are printed unqualified, types of other packages with their package name
(`io.Reader`), as Go code inside that package would spell them.
"""

from __future__ import annotations

from collections.abc import Sequence

from gust.sema.golang import (
    GoArray,
    GoBasic,
    GoChan,
    GoConst,
    GoErrorType,
    GoField,
    GoFunc,
    GoFuncType,
    GoInterface,
    GoMap,
    GoMethod,
    GoNamed,
    GoNamedType,
    GoParam,
    GoPointer,
    GoSlice,
    GoStruct,
    GoType,
    GoTypeParam,
    GoTypeParamRef,
    GoUnion,
    GoVar,
)


def type_source(ty: GoType, home: str) -> str:
    """`ty` as Go source inside the package with import path `home`."""
    match ty:
        case GoBasic(name):
            return name
        case GoErrorType():
            return "error"
        case GoNamed(path, name, args):
            qualified = name if path in (home, "") else f"{path.rsplit('/', 1)[-1]}.{name}"
            if args:
                qualified += "[" + ", ".join(type_source(a, home) for a in args) + "]"
            return qualified
        case GoPointer(elem):
            return "*" + type_source(elem, home)
        case GoSlice(elem):
            return "[]" + type_source(elem, home)
        case GoArray(elem, length):
            return f"[{length}]{type_source(elem, home)}"
        case GoMap(key, value):
            return f"map[{type_source(key, home)}]{type_source(value, home)}"
        case GoChan(elem, direction):
            prefix = {"send": "chan<- ", "recv": "<-chan "}.get(direction, "chan ")
            return prefix + type_source(elem, home)
        case GoFuncType(params, results, variadic):
            return "func" + _signature(params, results, variadic, home)
        case GoStruct(fields):
            if not fields:
                return "struct{}"
            return "struct{ " + "; ".join(_field_line(f, home) for f in fields) + " }"
        case GoInterface(methods, embeds):
            if not methods and not embeds:
                return "any"
            members = [type_source(e, home) for e in embeds]
            members += [m.name + _signature(m.params, m.results, m.variadic, home)
                        for m in methods]
            return "interface{ " + "; ".join(members) + " }"
        case GoTypeParamRef(name):
            return name
        case GoUnion(terms):
            return " | ".join(("~" if term.tilde else "") + type_source(term.type, home)
                              for term in terms)
    return "?"


def func_source(package: str, func: GoFunc) -> str:
    """`func Atoi(s string) (int, error)` for a function of the package `package`."""
    return (f"func {func.name}{_type_params(func.type_params, package)}"
            + _signature(func.params, func.results, func.variadic, package))


def method_source(package: str, owner: GoNamedType, method: GoMethod) -> str:
    """`func (b *Builder) WriteString(s string) (int, error)`."""
    receiver = ("*" if method.pointer_receiver else "") + owner.name
    short = owner.name[:1].lower() or "r"
    return (f"func ({short} {receiver}) {method.name}"
            + _signature(method.params, method.results, method.variadic, package))


def field_source(package: str, owner: GoNamedType, go_field: GoField) -> str:
    """`field StatusCode int` (the struct it belongs to is named in the docs)."""
    return f"field {_field_line(go_field, package)}"


def const_source(package: str, const: GoConst) -> str:
    return f"const {const.name} {type_source(const.type, package)} = {const.value}"


def var_source(package: str, var: GoVar) -> str:
    return f"var {var.name} {type_source(var.type, package)}"


def type_decl_source(package: str, named: GoNamedType) -> str:
    """`type Builder struct{ ... }` in one line; an alias as `type A = B`."""
    params = _type_params(named.type_params, package)
    if named.alias_of is not None:
        return f"type {named.name}{params} = {type_source(named.alias_of, package)}"
    return f"type {named.name}{params} {type_source(named.underlying, package)}"


def _signature(params: Sequence[GoParam], results: Sequence[GoParam], variadic: bool,
               home: str) -> str:
    text = "(" + _params(params, variadic, home) + ")"
    if len(results) == 1 and not results[0].name:
        return f"{text} {type_source(results[0].type, home)}"
    if results:
        return f"{text} ({_params(results, False, home)})"
    return text


def _params(params: Sequence[GoParam], variadic: bool, home: str) -> str:
    spelled = []
    for i, param in enumerate(params):
        ty = param.type
        if variadic and i == len(params) - 1 and isinstance(ty, GoSlice):
            text = "..." + type_source(ty.elem, home)
        else:
            text = type_source(ty, home)
        spelled.append(f"{param.name} {text}" if param.name else text)
    return ", ".join(spelled)


def _field_line(go_field: GoField, home: str) -> str:
    ty = type_source(go_field.type, home)
    return ty if go_field.embedded else f"{go_field.name} {ty}"


def _type_params(params: Sequence[GoTypeParam], home: str) -> str:
    if not params:
        return ""
    return "[" + ", ".join(f"{p.name} {type_source(p.constraint, home)}" for p in params) + "]"
