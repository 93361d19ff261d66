"""Which symbol of a Go package a name in a body refers to, as Go source and doc.

`strconv::Atoi` (a function, constant or variable of a `use go` package), `b.WriteString`
(a method of a Go type) and `resp.StatusCode` (a field of a Go struct) are resolved by the
checker (`GoRes`, `MethodRes` / `FieldRes` with a `go:` owner); here they are looked up in
the package's API and printed as gopls shows them.
"""

from __future__ import annotations

from gust.sema import go_source
from gust.sema.golang import GoConst, GoFunc, GoNamedType, GoVar, split_go_type_name
from gust.sema.items import ItemEnv
from gust.sema.results import BodyResults, GoRes
from gust.syntax import ast


def go_symbol(env: ItemEnv, body: BodyResults, expr: ast.Expr) -> tuple[str, str] | None:
    """(Go source, Go doc) of the Go symbol `expr` names, or None if it names none."""
    match expr:
        case ast.PathExpr():
            res = body.paths.get(expr)
            if isinstance(res, GoRes):
                return _package_member(env, res)
        case ast.MethodCall():
            method = body.methods.get(expr)
            if method is not None and method.owner.startswith("go:"):
                return _method(env, method.owner, method.name)
        case ast.Field():
            found = body.fields.get(expr)
            if found is not None and found.owner.startswith("go:"):
                return _field(env, found.owner, found.index)
    return None


def _package_member(env: ItemEnv, res: GoRes) -> tuple[str, str] | None:
    package = env.go_packages.get(res.package)
    decl = package.lookup(res.name) if package is not None else None
    path = res.package
    match decl:
        case GoFunc():
            return go_source.func_source(path, decl), decl.doc
        case GoConst():
            return go_source.const_source(path, decl), decl.doc
        case GoVar():
            return go_source.var_source(path, decl), decl.doc
        case GoNamedType():
            return go_source.type_decl_source(path, decl), decl.doc
    return None


def _named(env: ItemEnv, owner: str) -> tuple[str, GoNamedType] | None:
    found = split_go_type_name(owner)
    if found is None:
        return None
    path, name = found
    package = env.go_packages.get(path)
    named = package.type(name) if package is not None else None
    return (path, named) if named is not None else None


def _method(env: ItemEnv, owner: str, name: str) -> tuple[str, str] | None:
    found = _named(env, owner)
    method = found[1].method(name) if found is not None else None
    if found is None or method is None:
        return None
    path, named = found
    return go_source.method_source(path, named, method), method.doc


def _field(env: ItemEnv, owner: str, index: int) -> tuple[str, str] | None:
    found = _named(env, owner)
    if found is None or not 0 <= index < len(found[1].fields):
        return None
    path, named = found
    go_field = named.fields[index]
    doc = go_field.doc.strip()
    where = f"Field of `{path.rsplit('/', 1)[-1]}.{named.name}`."
    return go_source.field_source(path, named, go_field), f"{doc}\n\n{where}" if doc else where


def go_type_named(env: ItemEnv, segments: tuple[str, ...]) -> tuple[str, str] | None:
    """(Go source, Go doc) of the Go type a type path names (`http::Client`, in a signature
    or a struct literal), or None."""
    if len(segments) != 2:
        return None
    path = env.go_aliases.get(segments[0])
    package = env.go_packages.get(path) if path is not None else None
    named = package.type(segments[1]) if package is not None else None
    if path is None or named is None:
        return None
    return go_source.type_decl_source(path, named), named.doc
